package dev.openpayer.aws;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sandbox organisation.
 *
 * @param managementAccountId the simulated payer account; inviting it is refused (SOURCE_AND_TARGET_CANNOT_MATCH)
 * @param accountsInOrganization accounts that belong to some other organisation (ALREADY_IN_AN_ORGANIZATION)
 * @param managementAccountsWithMembers management accounts of other organisations that still have members
 *     (ALREADY_IN_AN_ORGANIZATION with the management-account detail)
 * @param invitationsPerDay invitations allowed in any 24 hours before HANDSHAKE_RATE_LIMIT_EXCEEDED
 */
@ConfigurationProperties("openpayer.sandbox")
record SandboxProperties(
        @DefaultValue("999999999999") String managementAccountId,
        @DefaultValue("payer@sandbox.openpayer.invalid") String managementAccountEmail,
        @DefaultValue("111111111111") List<String> accountsInOrganization,
        @DefaultValue("222222222222") List<String> managementAccountsWithMembers,
        @DefaultValue("20") int invitationsPerDay) {

    SandboxProperties {
        accountsInOrganization = accountsInOrganization == null ? List.of() : List.copyOf(accountsInOrganization);
        managementAccountsWithMembers = managementAccountsWithMembers == null ? List.of() : List.copyOf(managementAccountsWithMembers);
    }

    static SandboxProperties defaults() {
        return new SandboxProperties("999999999999", "payer@sandbox.openpayer.invalid", List.of("111111111111"),
                List.of("222222222222"), 20);
    }
}
