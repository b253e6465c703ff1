package dev.openpayer.aws;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The account's pending (REQUESTED or OPEN) invitation, the newest if AWS lists several. */
    default Optional<Handshake> findPendingInvitation(String accountId) {
        String target = AwsInputs.accountId(accountId);
        return listHandshakesForOrganization().stream()
                .filter(h -> h.pending() && target.equals(h.targetAccountId()))
                .max(Comparator.comparing(Handshake::requestedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /**
     * Resends an invitation: cancels the account's pending invitation, if any (also one sent outside OpenPayer,
     * which AWS reports as DUPLICATE_HANDSHAKE), and sends a new one. An invitation that closed meanwhile
     * (HANDSHAKE_ALREADY_IN_STATE or INVALID_HANDSHAKE_TRANSITION while cancelling) does not stop the resend.
     */
    default Handshake resendInvitation(String accountId, String notes, Map<String, String> tags) {
        AwsInputs.notes(notes);
        AwsInputs.tags(tags);
        findPendingInvitation(accountId).ifPresent(pending -> {
            try {
                cancelHandshake(pending.id());
            } catch (AwsRefusal refusal) {
                if (refusal.reason() != AwsRefusal.Reason.HANDSHAKE_ALREADY_IN_STATE
                        && refusal.reason() != AwsRefusal.Reason.INVALID_HANDSHAKE_TRANSITION) {
                    throw refusal;
                }
            }
        });
        return inviteAccount(accountId, notes, tags);
    }

    AwsAccount describeAccount(String accountId);

    /** Starts creating a new member account; poll {@link #describeCreateAccountStatus(String)}. */
    AccountCreation createAccount(String email, String accountName);

    AccountCreation describeCreateAccountStatus(String createAccountRequestId);
}
