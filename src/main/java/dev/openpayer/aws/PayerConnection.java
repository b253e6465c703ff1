package dev.openpayer.aws;

import java.net.URI;

/**
 * How to reach one payer (management) account.
 *
 * @param accountId the payer's 12-digit account ID
 * @param region the region for STS calls (null: us-east-1); Organizations is always signed for the
 *     partition's home region (us-east-1 for the commercial partition)
 * @param endpointOverride an AWS-compatible endpoint for both services (an emulator), or null for AWS itself
 * @param roleArn a role in the payer account to assume before every call, or null to use the
 *     application's own credentials (the default credential chain)
 * @param externalId the external ID the role's trust policy requires, or null
 */
public record PayerConnection(String accountId, String region, URI endpointOverride, String roleArn, String externalId) {

    /** A payer reached with the application's own credentials in us-east-1. */
    public static PayerConnection direct(String accountId) {
        return new PayerConnection(accountId, null, null, null, null);
    }

    /** The region STS calls use. */
    public String effectiveRegion() {
        return region == null || region.isBlank() ? "us-east-1" : region;
    }

    @Override
    public String toString() {
        return "PayerConnection[accountId=" + accountId + ", region=" + region + ", endpointOverride=" + endpointOverride
                + ", roleArn=" + roleArn + ", externalId=" + (externalId == null ? "none" : "set") + "]";
    }
}
