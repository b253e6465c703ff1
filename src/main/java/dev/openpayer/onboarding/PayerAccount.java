package dev.openpayer.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A management account of the partner's: the organisation into which customers' accounts are
 * invited and whose Cost and Usage Report covers them.
 *
 * @param allowedCountries ISO country codes of the billing profiles that may use it; empty for any
 * @param acceptsDemoTenants whether organisations seeded by the demo may be invited into it
 * @param resellerIds the resellers whose customers may use it (the distributor's own customers always may)
 */
public record PayerAccount(
        UUID id,
        String accountId,
        String name,
        AccessMode accessMode,
        String roleArn,
        String externalId,
        String region,
        String endpointOverride,
        List<String> allowedCountries,
        boolean requiresBusinessSupport,
        boolean acceptsDemoTenants,
        boolean active,
        List<UUID> resellerIds,
        ConnectionTest lastTest,
        Instant createdAt,
        Instant updatedAt) {

    /** How OpenPayer gets credentials for the payer account. */
    public enum AccessMode {
        /** The AWS SDK's default credentials chain of the machine OpenPayer runs on. */
        DEFAULT_CREDENTIALS,
        /** Assume a role in the payer account (optionally with an external ID). */
        ASSUME_ROLE
    }

    /** The outcome of the last "Test connection". */
    public record ConnectionTest(Instant at, boolean ok, String message, String organizationId, String featureSet, String managementEmail) {}
}
