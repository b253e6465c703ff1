package dev.openpayer.billing;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.Currencies;
import dev.openpayer.shared.FieldChecks;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Price books of the distributor and resellers: visible within the owner's subtree, managed by its admins and billing managers. */
@Service
public class PriceBooks {
    public static final String OBJECT_TYPE = "PriceBook";
    private static final String COLUMNS = "p.id, p.owner_id, p.name, p.currency, p.description, p.created_at, p.updated_at";

    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PriceBooks(JdbcClient jdbc, Tenancy tenancy, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.events = events;
        this.clock = clock;
    }

    /** The fields a user edits. */
    public record Details(String name, String currency, String description) {}

    static PriceBook map(ResultSet rs, int row) throws SQLException {
        return new PriceBook(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class), rs.getString("name"),
                rs.getString("currency"), rs.getString("description"), fromDb(rs, "created_at"), fromDb(rs, "updated_at"));
    }

    @Transactional(readOnly = true)
    public List<PriceBook> list(Viewer viewer, UUID ownerId) {
        String path = ownerId == null ? viewer.organizationPath() : tenancy.visible(viewer, ownerId).path();
        return jdbc.sql("select " + COLUMNS + " from price_books p join organizations o on o.id = p.owner_id where o.path like ?"
                        + (ownerId == null ? "" : " and p.owner_id = ?") + " order by p.name")
                .params(ownerId == null ? List.of(Organization.subtreePattern(path)) : List.of(Organization.subtreePattern(path), ownerId))
                .query(PriceBooks::map)
                .list();
    }

    @Transactional(readOnly = true)
    public PriceBook visible(Viewer viewer, UUID id) {
        return find(id).filter(p -> tenancy.find(p.ownerId()).filter(viewer::covers).isPresent())
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    @Transactional
    public PriceBook create(Viewer viewer, UUID ownerId, Details details) {
        Organization owner = tenancy.referenced(viewer, ownerId, "ownerId");
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        if (!owner.type().sells()) {
            throw new InvalidInputException("ownerId", "price books belong to the distributor or a reseller, who sell; " + owner.name() + " is a customer");
        }
        Details clean = validate(details);
        if (nameTaken(owner.id(), clean.name(), null)) {
            throw new ConflictException("name", owner.name() + " already has a price book named \"" + clean.name() + "\"");
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into price_books (id, owner_id, name, currency, description, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, owner.id(), clean.name(), clean.currency(), clean.description(), toDb(now), toDb(now))
                .update();
        PriceBook created = find(id).orElseThrow();
        record(viewer, created, "price-book.created", "Created price book " + created.summary() + " of " + owner.name(), null, created.summary());
        return created;
    }

    @Transactional
    public PriceBook update(Viewer viewer, UUID id, Details details) {
        PriceBook current = visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        Details clean = validate(details);
        if (nameTaken(current.ownerId(), clean.name(), id)) {
            throw new ConflictException("name", "another price book of this owner is named \"" + clean.name() + "\"");
        }
        jdbc.sql("update price_books set name = ?, currency = ?, description = ?, updated_at = ? where id = ?")
                .params(clean.name(), clean.currency(), clean.description(), toDb(clock.instant()), id)
                .update();
        PriceBook updated = find(id).orElseThrow();
        record(viewer, updated, "price-book.updated", "Updated price book " + updated.summary(), current.summary(), updated.summary());
        return updated;
    }

    @Transactional
    public void delete(Viewer viewer, UUID id) {
        PriceBook current = visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        long uses = jdbc.sql("select count(*) from contracts where price_book_id = ?").param(id).query(Long.class).single();
        if (uses > 0) {
            throw new ConflictException("id", "price book " + current.summary() + " is applied by " + uses + " contract(s); change them first");
        }
        jdbc.sql("delete from price_books where id = ?").param(id).update();
        record(viewer, current, "price-book.deleted", "Deleted price book " + current.summary(), current.summary(), null);
    }

    public java.util.Optional<PriceBook> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from price_books p where p.id = ?").param(id).query(PriceBooks::map).optional();
    }

    private boolean nameTaken(UUID ownerId, String name, UUID exceptId) {
        return jdbc.sql("select count(*) from price_books where owner_id = ? and lower(name) = lower(?) and id <> ?")
                        .params(ownerId, name, exceptId == null ? new UUID(0, 0) : exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private void record(Viewer viewer, PriceBook book, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), book.ownerId(), action, OBJECT_TYPE,
                book.id().toString(), summary, before, after));
    }

    static Details validate(Details d) {
        if (d == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = FieldChecks.text(d.name(), "name", 200, true, errors);
        String currency = d.currency() == null ? "" : d.currency().strip().toUpperCase(Locale.ROOT);
        if (!Currencies.isIso4217(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 currency code such as EUR, USD or GBP"));
        }
        String description = FieldChecks.text(d.description(), "description", 2000, false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Details(name, currency, description);
    }

}
