package dev.openpayer.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openpayer.aws.emulator.AwsEmulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which gateway callers get in each mode. */
class AwsGatewaysTest {
    static final String PAYER = "123456789012";

    static AwsProperties properties(String mode, AwsProperties.Payer payer) {
        AwsClientSettings fast = SdkGatewayEmulatorTest.FAST;
        return new AwsProperties(mode, new AwsProperties.Client(fast.retryMode(), fast.maxAttempts(), fast.baseDelay(),
                fast.throttledBaseDelay(), fast.maxBackoff(), fast.apiCallTimeout(), fast.apiCallAttemptTimeout(), fast.connectTimeout(),
                fast.socketTimeout()), payer, null);
    }

    @Test
    void awsModeTalksToThePayerAndFallsBackToTheSandboxWithoutOne() {
        AwsSandbox sandbox = new AwsSandbox(null, null, SandboxProperties.defaults());
        try (AwsEmulator emulator = AwsEmulator.start(PAYER);
                AwsClientFactory factory = SdkGatewayEmulatorTest.factory(SdkGatewayEmulatorTest.FAST)) {
            AwsGateways gateways = new AwsGateways(properties("aws", new AwsProperties.Payer(null, null, null, null, null)), sandbox, factory);
            PayerConnection payer = new PayerConnection(PAYER, null, emulator.endpoint(), null, null);

            assertThat(gateways.mode()).isEqualTo(AwsGateways.Mode.AWS);
            assertThat(gateways.organizations(payer)).isInstanceOf(SdkOrganizationsGateway.class).isSameAs(gateways.organizations(payer));
            assertThat(gateways.organizations(payer).describeOrganization().managementAccountId()).isEqualTo(PAYER);
            assertThat(gateways.sts(payer)).isInstanceOf(SdkStsGateway.class);
            assertThat(gateways.organizations(null)).isSameAs(sandbox);
            assertThat(gateways.usesSandbox(null)).isTrue();
            assertThat(gateways.usesSandbox(payer)).isFalse();
        }
    }

    @Test
    void aPayerConfiguredByPropertiesIsUsedWhenNoneIsGiven() {
        AwsSandbox sandbox = new AwsSandbox(null, null, SandboxProperties.defaults());
        try (AwsEmulator emulator = AwsEmulator.start(PAYER);
                AwsClientFactory factory = SdkGatewayEmulatorTest.factory(SdkGatewayEmulatorTest.FAST)) {
            AwsGateways gateways = new AwsGateways(
                    properties("aws", new AwsProperties.Payer(PAYER, " ", emulator.endpoint(), "", null)), sandbox, factory);

            assertThat(gateways.configuredPayer()).contains(new PayerConnection(PAYER, null, emulator.endpoint(), null, null));
            assertThat(gateways.organizations(null).describeOrganization().managementAccountId()).isEqualTo(PAYER);
            assertThat(emulator.calls("DescribeOrganization")).isOne();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> properties("production", new AwsProperties.Payer(null, null, null, null, null)))
                .hasMessageContaining("sandbox or aws");
        assertThatThrownBy(() -> new AwsClientSettings("legacy", 3, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("standard or adaptive");
        assertThat(AwsClientFactory.retryStrategy(AwsClientSettings.defaults()).maxAttempts()).isEqualTo(5);
    }
}
