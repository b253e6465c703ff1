package dev.openpayer.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.aws.AwsRefusal.Reason;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.openpayer.testsupport.OpenPayerTest;

/** The module's wiring in the application: the sandbox answers by default, on the application's database and properties. */
@OpenPayerTest
class AwsModuleTests {

    @Autowired
    AwsGateways gateways;

    @Autowired
    Clock clock;

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
        Handshake invited = sandbox.inviteAccount("345345345346", null, Map.of("customer", "acme"));
        assertThat(sandbox.acceptAsAccountOwner(invited.id()).state()).isEqualTo(Handshake.State.ACCEPTED);
        assertThat(sandbox.describeAccount("345345345346").joinedAt()).isBeforeOrEqualTo(clock.instant()).isAfter(invited.requestedAt().minusMillis(1));

        AwsRefusal refusal = org.assertj.core.api.Assertions.catchThrowableOfType(AwsRefusal.class,
                () -> sandbox.inviteAccount("111111111111", null, null));
        assertThat(refusal.reason()).isEqualTo(Reason.ALREADY_IN_AN_ORGANIZATION);
    }
}
