package dev.openpayer.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.OpenPayerApplication;
import dev.openpayer.aws.AwsRefusal.Reason;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.TestPropertySource;

/** The module's boundaries, and its wiring when bootstrapped on its own: the sandbox answers by default. */
@ApplicationModuleTest(webEnvironment = org.springframework.boot.test.context.SpringBootTest.WebEnvironment.NONE)
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:aws-module;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
    "openpayer.sandbox.accounts-in-organization=111111111111,123123123123",
})
class AwsModuleTests {

    @Autowired
    AwsGateways gateways;

    @Autowired
    Clock clock;

    @Test
    void modulesRespectTheirBoundaries() {
        ApplicationModules.of(OpenPayerApplication.class).verify();
    }

    @Test
    void theSandboxIsTheDefault() {
        assertThat(gateways.mode()).isEqualTo(AwsGateways.Mode.SANDBOX);
        assertThat(gateways.configuredPayer()).isEmpty();
        assertThat(gateways.organizations(null)).isSameAs(gateways.sandbox());
        assertThat(gateways.organizations(PayerConnection.direct("123456789012"))).as("sandbox mode never calls AWS").isSameAs(gateways.sandbox());
        assertThat(gateways.sts(null)).isSameAs(gateways.sandbox());
        assertThat(gateways.usesSandbox(PayerConnection.direct("123456789012"))).isTrue();
        assertThat(gateways.organizations(null).describeOrganization().label()).isEqualTo("Sandbox");
    }

    @Test
    void theSandboxRunsOnTheApplicationsDatabaseAndProperties() {
        AwsSandbox sandbox = gateways.sandbox();
        Handshake invited = sandbox.inviteAccount("345345345345", null, Map.of("customer", "acme"));
        assertThat(sandbox.acceptAsAccountOwner(invited.id()).state()).isEqualTo(Handshake.State.ACCEPTED);
        assertThat(sandbox.describeAccount("345345345345").joinedAt()).isBeforeOrEqualTo(clock.instant()).isAfter(invited.requestedAt().minusMillis(1));

        AwsRefusal refusal = org.assertj.core.api.Assertions.catchThrowableOfType(AwsRefusal.class,
                () -> sandbox.inviteAccount("123123123123", null, null));
        assertThat(refusal.reason()).isEqualTo(Reason.ALREADY_IN_AN_ORGANIZATION);
    }
}
