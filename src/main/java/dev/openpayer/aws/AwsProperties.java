package dev.openpayer.aws;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code openpayer.aws.*}: whether the application talks to AWS at all, how SDK clients retry and time out,
 * and optionally one payer configured by properties (payers kept in the database are passed in by callers).
 *
 * @param mode {@code sandbox} (the default: every call goes to the sandbox organisation) or {@code aws}
 */
@ConfigurationProperties("openpayer.aws")
record AwsProperties(@DefaultValue("sandbox") String mode, @DefaultValue Client client, @DefaultValue Payer payer, URI stsEndpoint) {

    record Client(
            @DefaultValue("standard") String retryMode,
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("100ms") Duration baseDelay,
            @DefaultValue("1s") Duration throttledBaseDelay,
            @DefaultValue("20s") Duration maxBackoff,
            @DefaultValue("60s") Duration apiCallTimeout,
            @DefaultValue("15s") Duration apiCallAttemptTimeout,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("15s") Duration socketTimeout) {

        AwsClientSettings settings() {
            return new AwsClientSettings(retryMode, maxAttempts, baseDelay, throttledBaseDelay, maxBackoff, apiCallTimeout,
                    apiCallAttemptTimeout, connectTimeout, socketTimeout);
        }
    }

    /** A payer configured by properties; ignored while {@code accountId} is empty. */
    record Payer(String accountId, String region, URI endpointOverride, String roleArn, String externalId) {

        PayerConnection connection() {
            if (accountId == null || accountId.isBlank()) {
                return null;
            }
            return new PayerConnection(accountId.strip(), blankToNull(region), endpointOverride, blankToNull(roleArn), blankToNull(externalId));
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }

    AwsProperties {
        if (mode == null || !(mode.equalsIgnoreCase("sandbox") || mode.equalsIgnoreCase("aws"))) {
            throw new IllegalArgumentException("openpayer.aws.mode must be sandbox or aws, not " + mode);
        }
    }

    boolean sandboxMode() {
        return mode.equalsIgnoreCase("sandbox");
    }
}
