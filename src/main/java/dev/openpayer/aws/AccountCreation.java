package dev.openpayer.aws;

import java.time.Instant;

/**
 * The status of a {@code CreateAccount} request, polled until it succeeds or fails.
 *
 * @param id {@code car-} followed by 8 to 32 lower-case letters or digits
 * @param accountId the new account's ID once the creation succeeded
 * @param failureReason AWS's failure reason (for example {@code EMAIL_ALREADY_EXISTS}) when it failed
 */
public record AccountCreation(
        String id, String accountName, State state, String accountId, String failureReason, Instant requestedAt, Instant completedAt) {

    public enum State {
        IN_PROGRESS,
        SUCCEEDED,
        FAILED
    }
}
