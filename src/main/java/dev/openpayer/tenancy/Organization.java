package dev.openpayer.tenancy;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant: the distributor at the top, a reseller, or an end customer.
 *
 * @param path the materialised path of ids from the top, {@code /id1/id2/}: a viewer sees an
 *     organisation when its path starts with the viewer's own
 */
public record Organization(
        UUID id,
        UUID parentId,
        OrganizationType type,
        String name,
        String path,
        boolean active,
        Instant createdAt,
        Instant updatedAt) {

    /** Whether {@code other} is this organisation or one of its descendants. */
    public boolean covers(Organization other) {
        return other.path().startsWith(path);
    }

    public String summary() {
        return type + " \"" + name + "\"" + (active ? "" : " (inactive)");
    }
}
