package dev.openpayer.billing;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.FieldChecks;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Cost centers of end customers: visible within the customer's scope, managed by admins and billing managers. */
@Service
public class CostCenters {
    public static final String OBJECT_TYPE = "CostCenter";
    private static final String COLUMNS = "c.id, c.customer_id, c.name, c.code, c.created_at, c.updated_at";

    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CostCenters(JdbcClient jdbc, Tenancy tenancy, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.events = events;
        this.clock = clock;
    }

    /** The fields a user edits. */
    public record Details(String name, String code) {}

    private static CostCenter map(ResultSet rs, int row) throws SQLException {
        return new CostCenter(rs.getObject("id", UUID.class), rs.getObject("customer_id", UUID.class), rs.getString("name"),
                rs.getString("code"), fromDb(rs, "created_at"), fromDb(rs, "updated_at"));
    }

    @Transactional(readOnly = true)
    public List<CostCenter> list(Viewer viewer, UUID customerId) {
        String path = customerId == null ? viewer.organizationPath() : tenancy.visible(viewer, customerId).path();
        return jdbc.sql("select " + COLUMNS + " from cost_centers c join organizations o on o.id = c.customer_id where o.path like ?"
                        + (customerId == null ? "" : " and c.customer_id = ?") + " order by c.code")
                .params(customerId == null ? List.of(Organization.subtreePattern(path)) : List.of(Organization.subtreePattern(path), customerId))
                .query(CostCenters::map)
                .list();
    }

    @Transactional(readOnly = true)
    public CostCenter visible(Viewer viewer, UUID id) {
        return find(id).filter(c -> tenancy.find(c.customerId()).filter(viewer::covers).isPresent())
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    @Transactional
    public CostCenter create(Viewer viewer, UUID customerId, Details details) {
        Organization customer = tenancy.referenced(viewer, customerId, "customerId");
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        if (customer.type() != OrganizationType.CUSTOMER) {
            throw new InvalidInputException("customerId", "cost centers belong to end customers; " + customer.name() + " is a " + customer.type());
        }
        Details clean = validate(details);
        if (codeTaken(customer.id(), clean.code(), null)) {
            throw new ConflictException("code", customer.name() + " already has a cost center with code " + clean.code());
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into cost_centers (id, customer_id, name, code, created_at, updated_at) values (?, ?, ?, ?, ?, ?)")
                .params(id, customer.id(), clean.name(), clean.code(), toDb(now), toDb(now))
                .update();
        CostCenter created = find(id).orElseThrow();
        record(viewer, created, "cost-center.created", "Created cost center " + created.summary() + " for " + customer.name(), null, created.summary());
        return created;
    }

    @Transactional
    public CostCenter update(Viewer viewer, UUID id, Details details) {
        CostCenter current = visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        Details clean = validate(details);
        if (codeTaken(current.customerId(), clean.code(), id)) {
            throw new ConflictException("code", "another cost center of this customer has the code " + clean.code());
        }
        jdbc.sql("update cost_centers set name = ?, code = ?, updated_at = ? where id = ?")
                .params(clean.name(), clean.code(), toDb(clock.instant()), id)
                .update();
        CostCenter updated = find(id).orElseThrow();
        record(viewer, updated, "cost-center.updated", "Updated cost center " + updated.summary(), current.summary(), updated.summary());
        return updated;
    }

    @Transactional
    public void delete(Viewer viewer, UUID id) {
        CostCenter current = visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        jdbc.sql("delete from cost_centers where id = ?").param(id).update();
        record(viewer, current, "cost-center.deleted", "Deleted cost center " + current.summary(), current.summary(), null);
    }

    private Optional<CostCenter> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from cost_centers c where c.id = ?").param(id).query(CostCenters::map).optional();
    }

    private boolean codeTaken(UUID customerId, String code, UUID exceptId) {
        return jdbc.sql("select count(*) from cost_centers where customer_id = ? and lower(code) = lower(?) and id <> ?")
                        .params(customerId, code, exceptId == null ? new UUID(0, 0) : exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private void record(Viewer viewer, CostCenter center, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), center.customerId(), action, OBJECT_TYPE,
                center.id().toString(), summary, before, after));
    }

    static Details validate(Details d) {
        if (d == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = FieldChecks.text(d.name(), "name", 200, true, errors);
        String code = d.code() == null ? "" : d.code().strip();
        if (!code.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,49}")) {
            errors.add(new FieldError("code", "must be 1 to 50 letters, digits, dots, dashes or underscores, starting with a letter or digit"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Details(name, code);
    }
}
