package dev.openpayer.aws;

import java.util.Arrays;
import java.util.Optional;

/**
 * AWS (or the sandbox) refused a call, or could not be reached. The {@link Reason} says why in words a
 * billing manager understands and lists the steps that fix it; all those texts live in this file.
 */
public class AwsRefusal extends RuntimeException {

    /** Why AWS refused. The first fourteen are the reasons of {@code HandshakeConstraintViolationException}. */
    public enum Reason {
        ACCOUNT_NUMBER_LIMIT_EXCEEDED(
                "The organisation has reached its account limit",
                "The payer's organisation already holds as many accounts as its quota allows; pending invitations count"
                        + " against the quota until they are accepted, declined, cancelled or expire.",
                "Cancel invitations that are no longer needed, or ask AWS Support (Service Quotas, AWS Organizations,"
                        + " \"Default maximum number of accounts\") to raise the payer organisation's account quota, then invite again."),
        HANDSHAKE_RATE_LIMIT_EXCEEDED(
                "Too many invitations sent today",
                "AWS Organizations accepts at most 20 invitations per organisation in 24 hours (or the account quota if higher).",
                "Wait until invitations sent more than 24 hours ago fall out of the window, then send this invitation again."),
        ALREADY_IN_AN_ORGANIZATION(
                "The account already belongs to an organisation",
                "An AWS account can be a member of only one organisation; this account is a member or the management"
                        + " account of another organisation.",
                "If it is a member account: the account owner makes it leave its current organisation first (AWS requires"
                        + " a payment method, a support plan and complete contact details on the account to leave), then"
                        + " accepts the invitation. If it is the management account of an organisation with members: remove"
                        + " every member account, delete that organisation, then accept the invitation."),
        ORGANIZATION_ALREADY_HAS_ALL_FEATURES(
                "All features are already enabled",
                "The request to enable all features was refused because the organisation already has all features enabled.",
                "Nothing to do: the organisation already runs with all features."),
        ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION(
                "Migration to all features is already in progress",
                "The organisation is already migrating to all features; a second migration cannot start.",
                "Wait until every member account has approved the migration (or cancel the migration handshake), then retry."),
        INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES(
                "Invitations are paused while all features are being enabled",
                "The payer's organisation is migrating to all features; AWS accepts no invitations until the migration ends.",
                "Finish the migration (every member approves it) or cancel it in the AWS Organizations console, then invite again."),
        PAYMENT_INSTRUMENT_REQUIRED(
                "A payment method is required",
                "The account cannot join or leave an organisation without a valid payment method on file.",
                "The account owner adds a valid payment method in the AWS Billing console (Payment preferences), then retries."),
        ORGANIZATION_FROM_DIFFERENT_SELLER_OF_RECORD(
                "The account belongs to a different seller of record",
                "The account and the payer's organisation are billed by different AWS sellers of record (for example"
                        + " AWS Inc. and AWS EMEA, or AWS India); accounts cannot join across sellers of record.",
                "Ask the account owner to change the account's seller of record (its billing address or tax settings),"
                        + " or invite it into a payer organisation of the same seller of record."),
        ORGANIZATION_MEMBERSHIP_CHANGE_RATE_LIMIT_EXCEEDED(
                "The account changed organisations too often",
                "AWS limits how often an account may join and leave organisations.",
                "Wait a few days before inviting this account again; contact AWS Support if it stays blocked."),
        MANAGEMENT_ACCOUNT_EMAIL_NOT_VERIFIED(
                "The payer's email address is not verified",
                "The payer (management) account's root email address has not been verified, so it cannot send invitations.",
                "Sign in to the payer account, open the AWS Organizations console and follow the verification email sent to"
                        + " the root address, then invite again."),
        RESPONSIBILITY_TRANSFER_ALREADY_EXISTS(
                "A responsibility transfer already exists",
                "The account already has a billing responsibility transfer with an organisation.",
                "Ask the account owner to end the existing responsibility transfer first, then invite again."),
        SOURCE_AND_TARGET_CANNOT_MATCH(
                "The payer cannot invite itself",
                "The invited account is the payer's own management account.",
                "Check the account ID: invite the customer's account, not the payer account."),
        UNUSED_PREPAYMENT_BALANCE(
                "The account has an unused prepayment balance",
                "The account still holds an unused prepayment balance, which blocks the change of organisation.",
                "Ask the account owner to use up or have AWS refund the prepayment balance (through AWS Support), then retry."),
        LEGACY_PERMISSIONS_STILL_IN_USE(
                "The account still uses legacy billing permissions",
                "The account's IAM policies still use the retired billing actions (aws-portal:*), which blocks the change.",
                "Migrate the account's policies to the fine-grained billing actions (the AWS Billing console offers a"
                        + " migration tool), then retry."),
        DUPLICATE_HANDSHAKE(
                "An invitation is already pending",
                "This account already has a pending invitation from the payer's organisation.",
                "Wait for the account owner to answer the pending invitation, or resend it: resending cancels the pending"
                        + " invitation and sends a new one."),
        ACCOUNT_OWNER_NOT_VERIFIED(
                "The payer's account owner is not verified",
                "AWS has not verified the payer (management) account's email address, so it cannot invite accounts yet.",
                "Sign in to the payer account and verify its root email address from the AWS Organizations console;"
                        + " new accounts may also need to wait until AWS finishes verification, then invite again."),
        ACCESS_DENIED(
                "Access denied",
                "The credentials used are not allowed to perform this action: the role is missing the permission, the"
                        + " trust policy does not trust the caller, or the external ID is wrong or missing.",
                "Check that the role exists, that its trust policy names OpenPayer's account and requires exactly the"
                        + " external ID shown in OpenPayer, and that its permission policy allows the action; redeploy the"
                        + " role's CloudFormation stack if in doubt, then verify again."),
        ORGANIZATIONS_NOT_IN_USE(
                "The payer account has no organisation",
                "The payer account is not the management account of an AWS organisation.",
                "Create an organisation in the payer account (AWS Organizations console, \"Create an organization\"),"
                        + " or connect the account that is the management account."),
        CONSTRAINT_VIOLATION(
                "An AWS Organizations limit was reached",
                "AWS refused the change because it would break one of the organisation's limits or rules.",
                "Read AWS's message for the limit concerned; raise the quota through AWS Support or undo the conflicting"
                        + " change, then retry."),
        INVALID_INPUT(
                "Invalid input",
                "A value sent to AWS is malformed: account IDs have 12 digits, notes at most 1,024 characters, tag keys"
                        + " 1–128 and values at most 256 characters, role ARNs look like arn:aws:iam::123456789012:role/Name.",
                "Correct the value named in the message and try again."),
        CONCURRENT_MODIFICATION(
                "Another change is in progress",
                "The organisation is being changed by another request at the same time.",
                "Try again in a moment."),
        FINALIZING_ORGANIZATION(
                "The organisation is still being set up",
                "AWS is still finalising the payer's new organisation and accepts no invitations yet.",
                "Wait about an hour after creating the organisation, then invite again."),
        TOO_MANY_REQUESTS(
                "AWS is throttling requests",
                "AWS received too many requests in a short time. The call was already retried automatically with backoff.",
                "Try again later; OpenPayer retries background synchronisation by itself."),
        SERVICE_ERROR(
                "AWS had an internal error",
                "AWS answered with an internal error; the call was already retried automatically with backoff.",
                "Try again later; if it persists, check the AWS Health Dashboard."),
        HANDSHAKE_NOT_FOUND(
                "Invitation not found",
                "AWS does not know this handshake: it never existed in this organisation, or it was closed more than 30 days ago.",
                "Refresh the invitations; send a new invitation if the account still has to join."),
        ACCOUNT_NOT_FOUND(
                "Account not found in the organisation",
                "The account is not a member of the payer's organisation (yet).",
                "Check the account ID; if the account was invited, wait until its owner accepts the invitation."),
        CREATE_ACCOUNT_STATUS_NOT_FOUND(
                "Account creation request not found",
                "AWS does not know this account creation request, or it is too old to be described.",
                "Check the request ID, or look for the account among the organisation's members."),
        INVALID_HANDSHAKE_TRANSITION(
                "The invitation cannot change any more",
                "The invitation has already been accepted, declined, cancelled or has expired, so it cannot be cancelled or answered.",
                "Refresh the invitation's state; send a new invitation if the account still has to join."),
        HANDSHAKE_ALREADY_IN_STATE(
                "The invitation is already in that state",
                "The invitation was already cancelled, accepted or declined as requested.",
                "Nothing to do; refresh the invitation's state."),
        MASTER_CANNOT_LEAVE_ORGANIZATION(
                "A management account cannot leave its organisation",
                "The account is the management account of its own organisation and cannot join another one while that"
                        + " organisation exists.",
                "In that account: remove every member account, delete the organisation (AWS Organizations console,"
                        + " Settings, \"Delete organization\"), then accept the invitation."),
        UNREACHABLE(
                "AWS could not be reached",
                "The call to AWS failed before an answer arrived: network error, DNS, proxy, timeout or missing credentials.",
                "Check the network path and the credentials configured for the payer, then try again.");

        private final String title;
        private final String explanation;
        private final String remedy;

        Reason(String title, String explanation, String remedy) {
            this.title = title;
            this.explanation = explanation;
            this.remedy = remedy;
        }

        public String title() {
            return title;
        }

        public String explanation() {
            return explanation;
        }

        public String remedy() {
            return remedy;
        }

        /** Whether trying the same call again later may succeed without anyone changing anything. */
        public boolean transientFailure() {
            return this == TOO_MANY_REQUESTS || this == SERVICE_ERROR || this == UNREACHABLE || this == CONCURRENT_MODIFICATION
                    || this == FINALIZING_ORGANIZATION;
        }

        /** The reason for a {@code HandshakeConstraintViolationException} reason code, if it is one of the fourteen. */
        public static Optional<Reason> ofHandshakeConstraint(String code) {
            return Arrays.stream(values()).filter(r -> r.ordinal() <= LEGACY_PERMISSIONS_STILL_IN_USE.ordinal())
                    .filter(r -> r.name().equals(code))
                    .findFirst();
        }
    }

    /** A finer distinction the sandbox (or OpenPayer's own knowledge) can make within a reason. */
    public enum Detail {
        NONE(null, null),
        MANAGEMENT_ACCOUNT_WITH_MEMBERS(
                "The account is the management account of another organisation that still has member accounts.",
                "In that account: remove each member account from its organisation, delete the organisation"
                        + " (AWS Organizations console, Settings, \"Delete organization\"), then accept the invitation."),
        MEMBER_OF_THIS_ORGANIZATION(
                "The account is already a member of the payer's own organisation.",
                "Nothing to do: the account already joined; refresh its state.");

        private final String explanation;
        private final String remedy;

        Detail(String explanation, String remedy) {
            this.explanation = explanation;
            this.remedy = remedy;
        }
    }

    private final Reason reason;
    private final Detail detail;
    private final String awsErrorCode;
    private final String awsMessage;

    AwsRefusal(Reason reason, String awsErrorCode, String awsMessage) {
        this(reason, Detail.NONE, awsErrorCode, awsMessage, null);
    }

    AwsRefusal(Reason reason, Detail detail, String awsErrorCode, String awsMessage, Throwable cause) {
        super(reason.title() + (awsMessage == null || awsMessage.isBlank() ? "" : ": " + awsMessage), cause);
        this.reason = reason;
        this.detail = detail == null ? Detail.NONE : detail;
        this.awsErrorCode = awsErrorCode;
        this.awsMessage = awsMessage;
    }

    public Reason reason() {
        return reason;
    }

    public Detail detail() {
        return detail;
    }

    /** Whether the account is the management account of an organisation that still has members. */
    public boolean managementAccountWithMembers() {
        return detail == Detail.MANAGEMENT_ACCOUNT_WITH_MEMBERS;
    }

    /** AWS's error code ({@code HandshakeConstraintViolationException}, {@code AccessDenied}...), or null. */
    public String awsErrorCode() {
        return awsErrorCode;
    }

    /** AWS's own message, or null. */
    public String awsMessage() {
        return awsMessage;
    }

    public String title() {
        return reason.title();
    }

    public String explanation() {
        return detail.explanation == null ? reason.explanation() : detail.explanation;
    }

    public String remedy() {
        return detail.remedy == null ? reason.remedy() : detail.remedy;
    }
}
