package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.AccountStatus;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.onboarding.CustomerAccount.ConnectionType;
import org.springframework.stereotype.Component;

/** The words the console uses for an account's state, connection and refusal, used in templates as {@code ${@awsWords.status(s)}}. */
@Component("awsWords")
class AccountWords {

    public String status(AccountStatus status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case REQUESTED -> "Waiting for approval";
            case DECLINED -> "Declined by the approver";
            case SENDING -> "Sending the invitation";
            case INVITED -> "Invited, waiting for the account owner";
            case REFUSED -> "Refused by AWS";
            case INVITATION_DECLINED -> "Declined by the account owner";
            case INVITATION_EXPIRED -> "Invitation expired";
            case CANCELED -> "Cancelled";
            case CREATING -> "Being created";
            case CREATION_FAILED -> "Creation failed";
            case AWAITING_ROLE -> "Waiting for the role";
            case JOINED -> "Joined, role not verified";
            case CONNECTED -> "Connected";
            case ACTIVE -> "Active";
        };
    }

    /** The colour family of a state's badge. */
    public String tone(AccountStatus status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case CONNECTED, ACTIVE -> "status-active";
            case REQUESTED, SENDING, INVITED, CREATING, AWAITING_ROLE, JOINED -> "status-pending";
            case DECLINED, REFUSED, INVITATION_DECLINED, INVITATION_EXPIRED, CANCELED, CREATION_FAILED -> "status-failed";
        };
    }

    public String connection(ConnectionType type) {
        if (type == null) {
            return "";
        }
        return switch (type) {
            case INVITE -> "Invited into consolidated billing";
            case READ_ONLY -> "Read-only (owner keeps paying AWS)";
            case CREATE -> "Created in the payer organisation";
        };
    }

    /** Whether AWS refused because the account manages another organisation that still has members. */
    public boolean managementAccountWithMembers(CustomerAccount.Refusal refusal) {
        return refusal != null && "ALREADY_IN_AN_ORGANIZATION".equals(refusal.code()) && refusal.explanation() != null
                && refusal.explanation().contains("management account of another organisation that still has member accounts");
    }

    public boolean duplicateHandshake(CustomerAccount.Refusal refusal) {
        return refusal != null && "DUPLICATE_HANDSHAKE".equals(refusal.code());
    }
}
