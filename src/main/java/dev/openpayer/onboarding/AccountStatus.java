package dev.openpayer.onboarding;

/** Where an AWS account of a customer stands on its way from request to costs flowing. */
public enum AccountStatus {
    /** Waiting in an approver's inbox. */
    REQUESTED(true),
    /** The approver declined; nothing was sent to AWS. */
    DECLINED(false),
    /** Approved (or needing no approval); the invitation is being sent to AWS. */
    SENDING(true),
    /** The AWS invitation (handshake) is pending: the account owner has not answered yet. */
    INVITED(true),
    /** AWS refused the invitation; the refusal says why and what fixes it. */
    REFUSED(false),
    /** The account owner declined the invitation. */
    INVITATION_DECLINED(false),
    /** Nobody answered the invitation within 15 days. */
    INVITATION_EXPIRED(false),
    /** The invitation was cancelled. */
    CANCELED(false),
    /** A new account is being created in the payer organisation. */
    CREATING(true),
    /** AWS could not create the account. */
    CREATION_FAILED(false),
    /** A read-only connection (the owner keeps paying AWS): waiting for the cross-account role. */
    AWAITING_ROLE(true),
    /** The account is a member of the payer organisation; the cross-account role is not verified yet. */
    JOINED(true),
    /** The cross-account role is verified. Costs appear 24–72 hours after the account joined. */
    CONNECTED(true),
    /** Costs are flowing. */
    ACTIVE(true);

    private final boolean open;

    AccountStatus(boolean open) {
        this.open = open;
    }

    /** Whether the account is on its way or onboarded (it holds the AWS account ID against other requests). */
    public boolean open() {
        return open;
    }

    /** Whether an invitation may be sent again (resend). */
    public boolean resendable() {
        return this == INVITED || this == REFUSED || this == INVITATION_DECLINED || this == INVITATION_EXPIRED || this == CANCELED;
    }
}
