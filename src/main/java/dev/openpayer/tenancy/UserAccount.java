package dev.openpayer.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A user of OpenPayer, member of exactly one organisation with one role. */
public record UserAccount(
        UUID id,
        UUID organizationId,
        String email,
        String displayName,
        Role role,
        UserStatus status,
        Instant lockedUntil,
        Instant createdAt,
        Instant activatedAt,
        Instant lastLoginAt) {

    public String summary() {
        return email + " (" + role + ", " + status + ")";
    }
}
