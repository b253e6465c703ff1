package dev.openpayer.aws;

/**
 * The payer's organisation.
 *
 * @param featureSet {@code ALL} or {@code CONSOLIDATED_BILLING}
 * @param sandbox true for the simulated organisation labelled "Sandbox", which never talks to AWS
 */
public record OrganizationInfo(
        String id, String arn, String featureSet, String managementAccountId, String managementAccountEmail, boolean sandbox) {

    /** "Sandbox" for the simulated organisation, otherwise the organisation ID. */
    public String label() {
        return sandbox ? "Sandbox" : id;
    }
}
