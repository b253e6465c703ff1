package dev.openpayer.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A personal API token; the secret itself is shown once, at creation, and only its hash is kept. */
public record ApiToken(UUID id, UUID userId, String name, String prefix, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
