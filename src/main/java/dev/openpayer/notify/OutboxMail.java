package dev.openpayer.notify;

import java.time.Instant;
import java.util.UUID;

/** A mail in the outbox and where its delivery stands. */
public record OutboxMail(
        UUID id,
        UUID organizationId,
        String recipient,
        String subject,
        String body,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt,
        Instant sentAt) {

    public enum Status {
        /** Waiting for (another) SMTP attempt. */
        PENDING,
        /** Delivered to the SMTP server. */
        SENT,
        /** Given up after the last attempt. */
        FAILED,
        /** No SMTP server configured: kept for the "Sent mail" page only. */
        LOGGED
    }
}
