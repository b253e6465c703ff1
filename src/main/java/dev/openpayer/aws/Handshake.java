package dev.openpayer.aws;

import java.time.Instant;

/**
 * An invitation handshake of AWS Organizations as the management account sees it.
 *
 * @param id {@code h-} followed by 8 to 32 lower-case letters or digits
 * @param targetAccountId the invited account's 12-digit ID (null when the target is an email address)
 * @param requestedAt when the invitation was sent
 * @param expiresAt when an unanswered invitation expires (15 days after it was sent)
 */
public record Handshake(String id, String arn, State state, String targetAccountId, Instant requestedAt, Instant expiresAt) {

    /** The states of AWS Organizations; REQUESTED and OPEN are both pending. */
    public enum State {
        REQUESTED,
        OPEN,
        CANCELED,
        ACCEPTED,
        DECLINED,
        EXPIRED;

        /** Whether the invited account can still answer. */
        public boolean pending() {
            return this == REQUESTED || this == OPEN;
        }
    }

    /** Whether the invited account can still accept or decline. */
    public boolean pending() {
        return state.pending();
    }
}
