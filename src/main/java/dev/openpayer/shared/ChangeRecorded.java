package dev.openpayer.shared;

import java.time.Instant;
import java.util.UUID;

/**
 * Published by every module for every change it makes; the audit module keeps it. {@code actorId} and
 * {@code actorEmail} are null for changes made by the system itself (first start, schedules).
 *
 * @param organizationId the tenant in which the change happened (the scope it is visible in)
 * @param before a short summary of the state before the change, or null on creation
 * @param after a short summary of the state after the change, or null on deletion
 */
public record ChangeRecorded(
        Instant occurredAt,
        UUID actorId,
        String actorEmail,
        UUID organizationId,
        String action,
        String objectType,
        String objectId,
        String summary,
        String before,
        String after) {}
