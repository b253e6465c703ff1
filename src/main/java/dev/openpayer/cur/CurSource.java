package dev.openpayer.cur;

import java.time.Instant;
import java.util.UUID;

/**
 * A place reports are read from: {@code file:/path} now, {@code s3://bucket/prefix} with the S3 storage.
 *
 * @param reportKey the report the user picked among those discovered, or null while there is only one
 */
public record CurSource(UUID id, UUID organizationId, String payerAccountId, String name, String location, String reportKey, Instant createdAt) {}
