package dev.openpayer.cur;

import java.time.Instant;
import java.util.UUID;

/**
 * A place reports are read from: {@code file:/path} or {@code s3://bucket/prefix}.
 *
 * @param organizationId the tenant that owns the source: the top tenant for a payer's source, the customer for its own management account's
 * @param payerAccountId the 12-digit account whose report it is (the payer, or the customer's management account), when known
 * @param reportKey the report the user picked among those discovered, or null while there is only one
 * @param owner whose report it is
 * @param payerId the registered payer account whose credentials read an {@code s3://} location, or null for the application's own
 *     credentials (the configured payer, or the sandbox)
 * @param roleArn the customer's role assumed (with the customer's external ID) to read a customer's {@code s3://} location
 * @param region the bucket's region, or null for us-east-1
 * @param endpointOverride an S3-compatible endpoint, or null for AWS
 * @param pathStyle path-style bucket addressing (emulators)
 * @param lastDiscoveredAt when the location was last read
 * @param lastDeliverySeen the newest delivery found in the location
 * @param lastIngestedAt when a billing period was last replaced in the lake
 * @param runningIngestion the ingestion holding the source, or null
 */
public record CurSource(UUID id, UUID organizationId, String payerAccountId, String name, String location, String reportKey, Instant createdAt,
        Owner owner, UUID payerId, String roleArn, String region, String endpointOverride, boolean pathStyle, Instant lastDiscoveredAt,
        Instant lastDeliverySeen, Instant lastIngestedAt, UUID runningIngestion) {

    /** Whose report a source holds. */
    public enum Owner {
        /** A payer (management) account of the partner: its report covers every member account. */
        PAYER,
        /** A customer's own management account, read through the customer's cross-account role. */
        CUSTOMER
    }

    public boolean s3() {
        return location.startsWith("s3://");
    }
}
