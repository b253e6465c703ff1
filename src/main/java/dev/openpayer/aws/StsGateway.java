package dev.openpayer.aws;

/** Verifies cross-account roles by assuming them with STS. */
public interface StsGateway {

    /**
     * Assumes the role once, to prove the trust relationship works. Refusals are classified in the answer
     * (ACCESS_DENIED for a wrong or missing external ID or a missing trust relationship, INVALID_INPUT for
     * a malformed ARN, TOO_MANY_REQUESTS, SERVICE_ERROR, UNREACHABLE) rather than thrown.
     *
     * @param externalId the external ID the trust policy requires, or null to assume without one
     * @param sessionName 2–64 characters of {@code [\w+=,.@-]}
     */
    RoleAssumption assumeRole(String roleArn, String externalId, String sessionName);
}
