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

    /**
     * The SQL {@code LIKE} pattern matching every materialised path in the subtree of {@code path}
     * (wildcard characters escaped with the default backslash escape of PostgreSQL and H2).
     */
    public static String subtreePattern(String path) {
        return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    public String summary() {
        return type + " \"" + name + "\"" + (active ? "" : " (inactive)");
    }
}
