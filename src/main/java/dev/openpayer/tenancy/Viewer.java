package dev.openpayer.tenancy;

import dev.openpayer.shared.Actor;
import dev.openpayer.shared.ForbiddenException;
import java.util.Arrays;
import java.util.UUID;

/**
 * The signed-in user as the access policy sees him, loaded afresh for every request so that a
 * deactivation or a role change takes effect at once.
 */
public record Viewer(
        UUID userId,
        String email,
        Role role,
        UUID organizationId,
        String organizationName,
        OrganizationType organizationType,
        String organizationPath) {

    /** Whether the organisation with this path lies in the viewer's subtree. */
    public boolean covers(String path) {
        return path != null && path.startsWith(organizationPath);
    }

    public boolean covers(Organization organization) {
        return covers(organization.path());
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Admins of the top tenant run the installation (sent mail, payer accounts). */
    public boolean isTopTenantAdmin() {
        return role == Role.ADMIN && organizationType == OrganizationType.DISTRIBUTOR;
    }

    /** Admins and billing managers may change things; analysts read only. */
    public boolean mayWrite() {
        return role != Role.ANALYST;
    }

    /** Throws 403 unless the viewer has one of these roles. */
    public void requireRole(Role... allowed) {
        if (Arrays.asList(allowed).contains(role)) {
            return;
        }
        throw new ForbiddenException("This action needs the role " + String.join(" or ", Arrays.stream(allowed).map(Enum::name).toList())
                + "; you are " + role + ".");
    }

    public Actor actor() {
        return new Actor(userId, email);
    }
}
