package dev.openpayer.aws;

import java.time.Duration;

/**
 * How SDK clients retry and time out. Retries use the SDK's own strategy (standard or adaptive) with
 * exponential backoff and jitter; throttling errors back off from their own, longer, base delay.
 *
 * @param retryMode {@code standard} or {@code adaptive} (adaptive also rate-limits the client after throttling)
 * @param maxAttempts attempts per call including the first
 * @param apiCallTimeout the whole call, retries included
 * @param apiCallAttemptTimeout one HTTP attempt
 */
record AwsClientSettings(
        String retryMode,
        int maxAttempts,
        Duration baseDelay,
        Duration throttledBaseDelay,
        Duration maxBackoff,
        Duration apiCallTimeout,
        Duration apiCallAttemptTimeout,
        Duration connectTimeout,
        Duration socketTimeout) {

    static AwsClientSettings defaults() {
        return new AwsClientSettings("standard", 5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(20),
                Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    AwsClientSettings {
        if (retryMode == null || !(retryMode.equalsIgnoreCase("standard") || retryMode.equalsIgnoreCase("adaptive"))) {
            throw new IllegalArgumentException("openpayer.aws.client.retry-mode must be standard or adaptive, not " + retryMode);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("openpayer.aws.client.max-attempts must be at least 1");
        }
    }
}
