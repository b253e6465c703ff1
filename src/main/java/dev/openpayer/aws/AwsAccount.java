package dev.openpayer.aws;

import java.time.Instant;

/** An account of the payer's organisation, as AWS Organizations describes it. */
public record AwsAccount(
        String id, String arn, String email, String name, State state, JoinedMethod joinedMethod, Instant joinedAt) {

    /** The account's lifecycle state (AWS retired the older {@code Status} field). */
    public enum State {
        PENDING_ACTIVATION,
        ACTIVE,
        SUSPENDED,
        PENDING_CLOSURE,
        CLOSED
    }

    /** How the account became a member: accepted an invitation, or was created by the organisation. */
    public enum JoinedMethod {
        INVITED,
        CREATED
    }
}
