package dev.openpayer.billing;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ForbiddenException;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Contracts between a seller and the organisation directly below it. Both sides see the contract;
 * only the seller's admins and billing managers change it. A customer may connect AWS accounts only
 * while it has a contract in force ({@link #check}).
 */
@Service
public class Contracts {
    public static final String OBJECT_TYPE = "Contract";
    private static final String COLUMNS = "c.id, c.seller_id, c.customer_id, c.price_book_id, c.start_date, c.end_date, c.status, c.created_at, c.updated_at";

    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final PriceBooks priceBooks;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Contracts(JdbcClient jdbc, Tenancy tenancy, PriceBooks priceBooks, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.priceBooks = priceBooks;
        this.events = events;
        this.clock = clock;
    }

    /** The fields a seller edits. */
    public record Details(UUID priceBookId, LocalDate startDate, LocalDate endDate, ContractStatus status) {}

    /** Whether a customer may connect accounts today, and why not. */
    public record Check(UUID customerId, boolean allowed, UUID contractId, String reason) {}

    private static Contract map(ResultSet rs, int row) throws SQLException {
        return new Contract(rs.getObject("id", UUID.class), rs.getObject("seller_id", UUID.class), rs.getObject("customer_id", UUID.class),
                rs.getObject("price_book_id", UUID.class), rs.getObject("start_date", LocalDate.class), rs.getObject("end_date", LocalDate.class),
                ContractStatus.valueOf(rs.getString("status")), fromDb(rs, "created_at"), fromDb(rs, "updated_at"));
    }

    /** Contracts where the seller or the customer is in the viewer's subtree. */
    @Transactional(readOnly = true)
    public List<Contract> list(Viewer viewer, UUID customerId, UUID sellerId, ContractStatus status) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from contracts c join organizations s on s.id = c.seller_id "
                + "join organizations k on k.id = c.customer_id where (s.path like :path or k.path like :path)");
        Map<String, Object> params = new HashMap<>();
        params.put("path", Organization.subtreePattern(viewer.organizationPath()));
        if (customerId != null) {
            tenancy.visible(viewer, customerId);
            sql.append(" and c.customer_id = :customer");
            params.put("customer", customerId);
        }
        if (sellerId != null) {
            tenancy.visible(viewer, sellerId);
            sql.append(" and c.seller_id = :seller");
            params.put("seller", sellerId);
        }
        if (status != null) {
            sql.append(" and c.status = :status");
            params.put("status", status.name());
        }
        sql.append(" order by k.name, c.start_date desc");
        return jdbc.sql(sql.toString()).params(params).query(Contracts::map).list();
    }

    @Transactional(readOnly = true)
    public Contract visible(Viewer viewer, UUID id) {
        return find(id).filter(c -> seesEither(viewer, c)).orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    @Transactional
    public Contract create(Viewer viewer, UUID sellerId, UUID customerId, Details details) {
        Organization seller = tenancy.referenced(viewer, sellerId, "sellerId");
        Organization customer = tenancy.referenced(viewer, customerId, "customerId");
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        if (!seller.type().sells()) {
            throw new InvalidInputException("sellerId", seller.name() + " is a customer; the seller is the distributor or a reseller");
        }
        if (!seller.id().equals(customer.parentId())) {
            throw new InvalidInputException("customerId", customer.name() + " is not directly below " + seller.name()
                    + "; a contract binds a seller and an organisation it bills directly");
        }
        Details clean = validate(seller, details, true);
        if (clean.status() == ContractStatus.ACTIVE) {
            requireNoOverlap(customer.id(), clean, null);
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into contracts (id, seller_id, customer_id, price_book_id, start_date, end_date, status, created_at, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, seller.id(), customer.id(), clean.priceBookId(), clean.startDate(), clean.endDate(), clean.status().name(),
                        toDb(now), toDb(now))
                .update();
        Contract created = find(id).orElseThrow();
        record(viewer, created, "contract.created", "Created contract " + created.summary() + " between " + seller.name() + " and " + customer.name(),
                null, created.summary());
        return created;
    }

    /**
     * Changes a contract. Drafts change freely and may become active; an active contract may change its
     * price book and end date, or end; an ended contract is final.
     */
    @Transactional
    public Contract update(Viewer viewer, UUID id, Details details) {
        Contract current = visible(viewer, id);
        Organization seller = tenancy.find(current.sellerId()).orElseThrow();
        if (!viewer.covers(seller)) {
            throw new ForbiddenException("Only the seller, " + seller.name() + ", can change this contract.");
        }
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        Details clean = validate(seller, details, false);
        if (current.status() == ContractStatus.ENDED) {
            throw new ConflictException("status", "an ended contract cannot change; create a new one");
        }
        if (clean.status() == ContractStatus.DRAFT && current.status() != ContractStatus.DRAFT) {
            throw new ConflictException("status", "an active contract cannot return to draft; end it instead");
        }
        if (current.status() == ContractStatus.ACTIVE && !clean.startDate().equals(current.startDate())) {
            throw new ConflictException("startDate", "the start of an active contract cannot move");
        }
        LocalDate endDate = clean.endDate();
        if (clean.status() == ContractStatus.ENDED && endDate == null) {
            endDate = today();
            if (endDate.isBefore(clean.startDate())) {
                endDate = clean.startDate();
            }
        }
        Details effective = new Details(clean.priceBookId(), clean.startDate(), endDate, clean.status());
        if (effective.status() == ContractStatus.ACTIVE) {
            requireNoOverlap(current.customerId(), effective, id);
        }
        jdbc.sql("update contracts set price_book_id = ?, start_date = ?, end_date = ?, status = ?, updated_at = ? where id = ?")
                .params(effective.priceBookId(), effective.startDate(), effective.endDate(), effective.status().name(), toDb(clock.instant()), id)
                .update();
        Contract updated = find(id).orElseThrow();
        record(viewer, updated, "contract.updated", "Changed contract: " + current.summary() + " → " + updated.summary(), current.summary(),
                updated.summary());
        return updated;
    }

    /** Whether the customer (visible to the viewer) has a contract in force today. */
    @Transactional(readOnly = true)
    public Check check(Viewer viewer, UUID customerId) {
        Organization customer = tenancy.visible(viewer, customerId);
        return check(customer);
    }

    /** The same check without a viewer, for other modules' own policies. */
    @Transactional(readOnly = true)
    public Check check(Organization customer) {
        LocalDate today = today();
        Optional<Contract> inForce = jdbc.sql("select " + COLUMNS + " from contracts c where c.customer_id = ? and c.status = 'ACTIVE'")
                .param(customer.id())
                .query(Contracts::map)
                .list()
                .stream()
                .filter(c -> c.inForceOn(today))
                .findFirst();
        if (inForce.isPresent()) {
            return new Check(customer.id(), true, inForce.get().id(), "contract " + inForce.get().summary() + " is in force");
        }
        if (!customer.active()) {
            return new Check(customer.id(), false, null, customer.name() + " is deactivated");
        }
        return new Check(customer.id(), false, null, customer.name() + " has no active contract in force on " + today
                + "; its seller must create or activate one before accounts can be connected");
    }

    private boolean seesEither(Viewer viewer, Contract c) {
        return tenancy.find(c.sellerId()).filter(viewer::covers).isPresent() || tenancy.find(c.customerId()).filter(viewer::covers).isPresent();
    }

    private Details validate(Organization seller, Details d, boolean creating) {
        if (d == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        List<FieldError> errors = new ArrayList<>();
        if (d.startDate() == null) {
            errors.add(new FieldError("startDate", "must not be empty"));
        }
        if (d.startDate() != null && d.endDate() != null && d.endDate().isBefore(d.startDate())) {
            errors.add(new FieldError("endDate", "must not be before the start date"));
        }
        ContractStatus status = d.status() == null ? ContractStatus.DRAFT : d.status();
        if (creating && status == ContractStatus.ENDED) {
            errors.add(new FieldError("status", "a new contract is DRAFT or ACTIVE"));
        }
        if (d.priceBookId() != null) {
            Optional<PriceBook> book = priceBooks.find(d.priceBookId());
            if (book.isEmpty() || !book.get().ownerId().equals(seller.id())) {
                errors.add(new FieldError("priceBookId", "must be a price book of the seller, " + seller.name()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Details(d.priceBookId(), d.startDate(), d.endDate(), status);
    }

    private void requireNoOverlap(UUID customerId, Details d, UUID exceptId) {
        List<Contract> active = jdbc.sql("select " + COLUMNS + " from contracts c where c.customer_id = ? and c.status = 'ACTIVE' and c.id <> ?")
                .params(customerId, exceptId == null ? new UUID(0, 0) : exceptId)
                .query(Contracts::map)
                .list();
        LocalDate end = d.endDate() == null ? LocalDate.MAX : d.endDate();
        for (Contract other : active) {
            LocalDate otherEnd = other.endDate() == null ? LocalDate.MAX : other.endDate();
            if (!other.startDate().isAfter(end) && !d.startDate().isAfter(otherEnd)) {
                throw new ConflictException("status", "another active contract (" + other.summary() + ") covers these dates; end it first");
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private Optional<Contract> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from contracts c where c.id = ?").param(id).query(Contracts::map).optional();
    }

    private void record(Viewer viewer, Contract contract, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), contract.customerId(), action, OBJECT_TYPE,
                contract.id().toString(), summary, before, after));
    }
}
