package dev.openpayer.tenancy;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The organisation tree and the access policy over it: every read and change of an organisation goes
 * through here, and other modules ask it whether a viewer may see an organisation.
 */
@Service
public class Tenancy {
    public static final String OBJECT_TYPE = "Organization";

    private final Organizations organizations;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Tenancy(Organizations organizations, ApplicationEventPublisher events, Clock clock) {
        this.organizations = organizations;
        this.events = events;
        this.clock = clock;
    }

    /** The organisation if the viewer may see it, else 404 (whether or not it exists). */
    @Transactional(readOnly = true)
    public Organization visible(Viewer viewer, UUID id) {
        return organizations.find(id).filter(viewer::covers).orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    /** Like {@link #visible} but for an id given in a request body: an unknown id is a field error. */
    @Transactional(readOnly = true)
    public Organization referenced(Viewer viewer, UUID id, String field) {
        if (id == null) {
            throw new InvalidInputException(field, "must not be empty");
        }
        return organizations.find(id).filter(viewer::covers)
                .orElseThrow(() -> new InvalidInputException(field, "no organisation with id " + id + " in your scope"));
    }

    /** Any organisation by id, without a scope check: for other modules' own policies. */
    @Transactional(readOnly = true)
    public java.util.Optional<Organization> find(UUID id) {
        return organizations.find(id);
    }

    @Transactional(readOnly = true)
    public List<Organization> list(Viewer viewer, OrganizationQuery query) {
        return organizations.inSubtree(viewer.organizationPath(), query.parentId(), query.type(), query.name(), query.active());
    }

    /** The chain from the top tenant down to the organisation, restricted to what the viewer sees. */
    @Transactional(readOnly = true)
    public List<Organization> chain(Viewer viewer, Organization organization) {
        return organizations.ancestorsAndSelf(organization).stream().filter(viewer::covers).toList();
    }

    @Transactional(readOnly = true)
    public java.util.Optional<Organization> top() {
        return organizations.top();
    }

    /**
     * The top tenant's authority for jobs the installation runs itself (first start, demo data,
     * schedules): an ADMIN viewer of the top tenant with no user behind it, so that audit entries
     * name the system as the actor.
     */
    @Transactional(readOnly = true)
    public Viewer system() {
        Organization top = organizations.top().orElseThrow(() -> new IllegalStateException("no top tenant yet"));
        return new Viewer(null, null, Role.ADMIN, top.id(), top.name(), top.type(), top.path());
    }

    /** Whether the organisation, or one above it, was seeded by the demo. */
    @Transactional(readOnly = true)
    public boolean isDemo(Organization organization) {
        return organizations.demoAmong(organizations.ancestorsAndSelf(organization).stream().map(Organization::id).toList());
    }

    /** Marks an organisation as demo data (payer accounts may refuse such tenants). */
    @Transactional
    public void markDemo(UUID id) {
        organizations.markDemo(id);
    }

    @Transactional(readOnly = true)
    public boolean activeWithAncestors(Organization organization) {
        return organizations.activeWithAncestors(organization);
    }

    @Transactional
    public Organization create(Viewer viewer, OrganizationType type, String name, UUID parentId) {
        if (type == null) {
            throw new InvalidInputException("type", "must be RESELLER or CUSTOMER");
        }
        Organization parent = referenced(viewer, parentId, "parentId");
        viewer.requireRole(Role.ADMIN);
        if (!type.mayBeChildOf(parent.type())) {
            throw new InvalidInputException("type", switch (type) {
                case DISTRIBUTOR -> "a distributor is the top of the tree and is created at first start";
                case RESELLER -> "a reseller can only be created directly under the distributor";
                case CUSTOMER -> "a customer can only be created under the distributor or a reseller";
            });
        }
        if (!parent.active()) {
            throw new InvalidInputException("parentId", "the parent organisation is deactivated");
        }
        String cleanName = cleanName(name);
        if (organizations.siblingNameTaken(parent.id(), cleanName, null)) {
            throw new ConflictException("name", "an organisation named \"" + cleanName + "\" already exists under " + parent.name());
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        Organization created = new Organization(id, parent.id(), type, cleanName, parent.path() + id + "/", true, now, now);
        organizations.insert(created);
        record(viewer, created, "organization.created", "Created " + created.summary() + " under " + parent.name(), null, created.summary());
        return created;
    }

    /** First start: the top tenant, created by the system. */
    @Transactional
    public Organization createTop(String name) {
        if (organizations.top().isPresent()) {
            throw new IllegalStateException("the top tenant already exists");
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        Organization top = new Organization(id, null, OrganizationType.DISTRIBUTOR, cleanName(name), "/" + id + "/", true, now, now);
        organizations.insert(top);
        events.publishEvent(new ChangeRecorded(now, null, null, id, "organization.created", OBJECT_TYPE, id.toString(),
                "Created the top tenant " + top.summary(), null, top.summary()));
        return top;
    }

    @Transactional
    public Organization rename(Viewer viewer, UUID id, String name) {
        Organization current = visible(viewer, id);
        viewer.requireRole(Role.ADMIN);
        String cleanName = cleanName(name);
        if (current.parentId() != null && organizations.siblingNameTaken(current.parentId(), cleanName, id)) {
            throw new ConflictException("name", "an organisation named \"" + cleanName + "\" already exists at this level");
        }
        organizations.update(id, cleanName, current.active(), clock.instant());
        Organization renamed = organizations.find(id).orElseThrow();
        record(viewer, renamed, "organization.renamed", "Renamed \"" + current.name() + "\" to \"" + cleanName + "\"", current.summary(), renamed.summary());
        return renamed;
    }

    @Transactional
    public Organization setActive(Viewer viewer, UUID id, boolean active) {
        Organization current = visible(viewer, id);
        viewer.requireRole(Role.ADMIN);
        if (current.id().equals(viewer.organizationId())) {
            throw new ForbiddenException("You cannot " + (active ? "reactivate" : "deactivate") + " your own organisation; ask an admin above it.");
        }
        if (current.active() == active) {
            return current;
        }
        organizations.update(id, current.name(), active, clock.instant());
        Organization changed = organizations.find(id).orElseThrow();
        record(viewer, changed, active ? "organization.reactivated" : "organization.deactivated",
                (active ? "Reactivated " : "Deactivated ") + current.summary()
                        + (active ? "" : "; its users and those below it can no longer sign in"),
                current.summary(), changed.summary());
        return changed;
    }

    private void record(Viewer viewer, Organization organization, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), organization.id(), action,
                OBJECT_TYPE, organization.id().toString(), summary, before, after));
    }

    static String cleanName(String name) {
        String clean = name == null ? "" : name.strip().replaceAll("\\s+", " ");
        if (clean.isEmpty()) {
            throw new InvalidInputException("name", "must not be empty");
        }
        if (clean.length() > 200) {
            throw new InvalidInputException("name", "must be at most 200 characters");
        }
        return clean;
    }

    /** Filters for {@link #list}; every field optional. */
    public record OrganizationQuery(UUID parentId, OrganizationType type, String name, Boolean active) {
        public static final OrganizationQuery ALL = new OrganizationQuery(null, null, null, null);
    }
}
