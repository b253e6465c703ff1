package dev.openpayer.aws;

import java.util.List;
import java.util.Map;

/**
 * The AWS Organizations operations account onboarding needs, called as the payer's management account.
 * Every method throws {@link AwsRefusal} when AWS (or the sandbox) refuses, or when it cannot be reached.
 */
public interface OrganizationsGateway {

    OrganizationInfo describeOrganization();

    /**
     * Invites an account into the organisation.
     *
     * @param accountId the 12-digit account ID
     * @param notes shown in the invitation email; at most 1,024 characters; may be null
     * @param tags applied to the account when it joins (key 1–128, value 0–256 characters, at most 50)
     * @return the new handshake, OPEN
     */
    Handshake inviteAccount(String accountId, String notes, Map<String, String> tags);

    Handshake describeHandshake(String handshakeId);

    /** Every invitation handshake of the organisation, following the pagination to the very last page. */
    List<Handshake> listHandshakesForOrganization();

    /** Cancels a pending invitation; refused with INVALID_HANDSHAKE_TRANSITION once it was accepted. */
    Handshake cancelHandshake(String handshakeId);

    AwsAccount describeAccount(String accountId);

    /** Starts creating a new member account; poll {@link #describeCreateAccountStatus(String)}. */
    AccountCreation createAccount(String email, String accountName);

    AccountCreation describeCreateAccountStatus(String createAccountRequestId);
}
