package dev.openpayer.onboarding;

import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which tenants approve the accounts requested below them. A request waits in the inbox of the
 * nearest tenant above the customer that requires approval and that the requester does not himself
 * administer; requests by an admin of that tenant (or above) need no approval from it.
 */
@Service
public class ApprovalPolicies {
    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ApprovalPolicies(JdbcClient jdbc, Tenancy tenancy, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public boolean requiresApproval(Viewer viewer, UUID organizationId) {
        return requiresApproval(tenancy.visible(viewer, organizationId).id());
    }

    boolean requiresApproval(UUID organizationId) {
        return jdbc.sql("select requires_approval from approval_policies where organization_id = ?").param(organizationId).query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** Turns approval on or off for a tenant; its admins (or admins above it) decide. */
    @Transactional
    public boolean set(Viewer viewer, UUID organizationId, boolean requiresApproval) {
        Organization organization = tenancy.visible(viewer, organizationId);
        viewer.requireRole(Role.ADMIN);
        boolean before = requiresApproval(organization.id());
        jdbc.sql("delete from approval_policies where organization_id = ?").param(organization.id()).update();
        jdbc.sql("insert into approval_policies (organization_id, requires_approval, updated_at) values (?, ?, ?)")
                .params(organization.id(), requiresApproval, toDb(clock.instant()))
                .update();
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), organization.id(), "approval-policy.changed",
                "ApprovalPolicy", organization.id().toString(), (requiresApproval ? "Accounts requested below " : "No approval for accounts requested below ")
                        + organization.name() + (requiresApproval ? " now wait for its approval" : ""),
                Boolean.toString(before), Boolean.toString(requiresApproval)));
        return requiresApproval;
    }

    /** The tenant whose approval a request by this viewer for this customer needs, if any. */
    Optional<Organization> approverFor(Viewer viewer, Organization customer) {
        List<Organization> chain = tenancy.chain(tenancy.system(), customer);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Organization candidate = chain.get(i);
            if (!requiresApproval(candidate.id())) {
                continue;
            }
            boolean requesterApproves = viewer.isAdmin() && viewer.covers(candidate);
            if (!requesterApproves) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
