package dev.openpayer.audit;

import java.time.Instant;
import java.util.UUID;

/** One recorded change. */
public record AuditEvent(
        UUID id,
        Instant occurredAt,
        UUID actorId,
        String actorEmail,
        UUID organizationId,
        String organizationName,
        String action,
        String objectType,
        String objectId,
        String summary,
        String before,
        String after) {}
