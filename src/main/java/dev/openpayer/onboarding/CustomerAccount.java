package dev.openpayer.onboarding;

import java.time.Instant;
import java.util.UUID;

/**
 * An AWS account of a customer, as OpenPayer onboards and watches it: invitation, approval, membership
 * of the payer organisation, cross-account role and health.
 *
 * @param payerId the payer account, or null for the sandbox organisation
 */
public record CustomerAccount(
        UUID id,
        String accountId,
        UUID customerId,
        UUID billingProfileId,
        UUID payerId,
        ConnectionType connectionType,
        AccountStatus status,
        AccountType accountType,
        String rootEmail,
        String notes,
        UUID priceBookId,
        UUID costCenterId,
        UUID approverId,
        String decisionReason,
        Invitation invitation,
        Refusal refusal,
        String createRequestId,
        Membership membership,
        String roleArn,
        Health health,
        String requestedEmail,
        Instant createdAt,
        Instant updatedAt) {

    /** How the account comes to OpenPayer (the provider options of the "Add account" dialog). */
    public enum ConnectionType {
        /** An existing account migrates into the payer's consolidated billing: invited through AWS Organizations. */
        INVITE,
        /** The owner keeps paying AWS; OpenPayer only reads, through the cross-account role. */
        READ_ONLY,
        /** A new account created in the payer organisation. */
        CREATE
    }

    /** The commercial type of the account. */
    public enum AccountType {
        RESALE,
        INTERNAL,
        TRIAL
    }

    /** The AWS handshake behind the invitation. */
    public record Invitation(String handshakeId, String handshakeArn, String handshakeState, Instant sentAt, Instant expiresAt) {}

    /** Why AWS refused, in the user's words, with the steps that fix it. */
    public record Refusal(String code, String title, String explanation, String remedy, String awsMessage) {}

    /** What AWS Organizations says of the member account. */
    public record Membership(String name, String email, String state, Instant joinedAt) {}

    /** HEALTHY, CRITICAL or UNKNOWN, with the reason and when it was checked. */
    public record Health(HealthStatus status, String reason, Instant checkedAt) {}

    public enum HealthStatus {
        HEALTHY,
        CRITICAL,
        UNKNOWN
    }

    public String label() {
        return accountId == null ? "new account (being created)" : accountId;
    }
}
