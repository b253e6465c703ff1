package dev.openpayer.billing;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.AwsAccountId;
import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.FieldChecks;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fees and credits a seller adds to a billing profile's invoices (support fees, managed-service fees, credits):
 * flat amounts in the profile's currency or a percentage of the billed usage, for one month or recurring, for the
 * whole profile or one of its accounts. Visible and changeable on the seller's side only; the buyer sees them as
 * invoice lines.
 */
@Service
public class CustomLineItems {
    public static final String OBJECT_TYPE = "CustomLineItem";

    private final JdbcClient jdbc;
    private final BillingProfileSellers sellers;
    private final BillingProfiles profiles;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CustomLineItems(JdbcClient jdbc, BillingProfileSellers sellers, BillingProfiles profiles, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.sellers = sellers;
        this.profiles = profiles;
        this.events = events;
        this.clock = clock;
    }

    public enum Kind {
        FEE,
        CREDIT
    }

    public enum Charge {
        /** An amount in the billing profile's currency. */
        FLAT,
        /** A percentage of the billed usage (of the profile, or of the account). */
        PERCENT
    }

    /**
     * @param usageAccountId the account the item concerns, or null for the whole billing profile
     * @param lastMonth the last month billed, or null for an open-ended recurring item; equal to {@code firstMonth} for a one-time item
     */
    public record CustomLineItem(UUID id, UUID sellerId, UUID billingProfileId, String usageAccountId, String description, Kind kind, Charge charge,
            BigDecimal amount, YearMonth firstMonth, YearMonth lastMonth, Instant createdAt, Instant updatedAt) {

        public boolean recurring() {
            return lastMonth == null || !lastMonth.equals(firstMonth);
        }

        public boolean appliesTo(YearMonth month) {
            return !month.isBefore(firstMonth) && (lastMonth == null || !month.isAfter(lastMonth));
        }

        public String summary() {
            return kind + " \"" + description + "\" " + (charge == Charge.PERCENT ? amount.toPlainString() + " %" : amount.toPlainString()) + ", "
                    + (recurring() ? "monthly from " + firstMonth + (lastMonth == null ? "" : " to " + lastMonth) : "once in " + firstMonth)
                    + (usageAccountId == null ? "" : ", account " + usageAccountId);
        }
    }

    /** The fields a user sends; {@code recurring} false makes a one-time item for {@code firstMonth}. */
    public record Details(UUID billingProfileId, String usageAccountId, String description, Kind kind, Charge charge, BigDecimal amount,
            YearMonth firstMonth, YearMonth lastMonth, Boolean recurring) {}

    @Transactional(readOnly = true)
    public List<CustomLineItem> list(Viewer viewer, UUID billingProfileId) {
        if (billingProfileId != null) {
            BillingProfileSellers.Billed billed = sellers.visible(viewer, billingProfileId, null);
            return viewer.covers(billed.seller()) ? forProfile(billingProfileId) : List.of();
        }
        List<CustomLineItem> all = new ArrayList<>();
        for (BillingProfile profile : profiles.list(viewer, null)) {
            BillingProfileSellers.Billed billed = sellers.visible(viewer, profile.id(), null);
            if (viewer.covers(billed.seller())) {
                all.addAll(forProfile(profile.id()));
            }
        }
        return all;
    }

    @Transactional(readOnly = true)
    public CustomLineItem visible(Viewer viewer, UUID id) {
        CustomLineItem item = find(id).orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
        try {
            BillingProfileSellers.Billed billed = sellers.visible(viewer, item.billingProfileId(), null);
            if (!viewer.covers(billed.seller())) {
                throw new NotFoundException(OBJECT_TYPE, id);
            }
        } catch (NotFoundException | InvalidInputException e) {
            throw new NotFoundException(OBJECT_TYPE, id);
        }
        return item;
    }

    /** The items of a profile that apply to a month, for invoicing. */
    @Transactional(readOnly = true)
    public List<CustomLineItem> forMonth(UUID billingProfileId, YearMonth month) {
        return forProfile(billingProfileId).stream().filter(i -> i.appliesTo(month)).toList();
    }

    @Transactional
    public CustomLineItem create(Viewer viewer, Details details) {
        if (details == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        BillingProfileSellers.Billed billed = sellers.changeable(viewer, details.billingProfileId(), "billingProfileId");
        Details clean = validate(details, billed.profile().currency());
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("insert into custom_line_items (id, seller_id, billing_profile_id, usage_account_id, description, kind, charge, amount, first_month, "
                        + "last_month, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, billed.seller().id(), billed.profile().id(), clean.usageAccountId(), clean.description(), clean.kind().name(),
                        clean.charge().name(), clean.amount(), clean.firstMonth().atDay(1), clean.lastMonth() == null ? null : clean.lastMonth().atDay(1),
                        toDb(now), toDb(now))
                .update();
        CustomLineItem created = find(id).orElseThrow();
        record(viewer, billed, created, "custom-line-item.created", "Added " + created.summary() + " to \"" + billed.profile().name() + "\"", null, created.summary());
        return created;
    }

    @Transactional
    public CustomLineItem update(Viewer viewer, UUID id, Details details) {
        CustomLineItem current = visible(viewer, id);
        if (details == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        BillingProfileSellers.Billed billed = sellers.changeable(viewer, current.billingProfileId(), null);
        Details clean = validate(new Details(current.billingProfileId(), details.usageAccountId(), details.description(), details.kind(), details.charge(),
                details.amount(), details.firstMonth(), details.lastMonth(), details.recurring()), billed.profile().currency());
        jdbc.sql("update custom_line_items set usage_account_id = ?, description = ?, kind = ?, charge = ?, amount = ?, first_month = ?, last_month = ?, "
                        + "updated_at = ? where id = ?")
                .params(clean.usageAccountId(), clean.description(), clean.kind().name(), clean.charge().name(), clean.amount(), clean.firstMonth().atDay(1),
                        clean.lastMonth() == null ? null : clean.lastMonth().atDay(1), toDb(clock.instant()), id)
                .update();
        CustomLineItem updated = find(id).orElseThrow();
        record(viewer, billed, updated, "custom-line-item.updated", "Changed " + updated.summary(), current.summary(), updated.summary());
        return updated;
    }

    /** Removes an item from future invoices; issued invoices keep their lines. */
    @Transactional
    public void delete(Viewer viewer, UUID id) {
        CustomLineItem current = visible(viewer, id);
        BillingProfileSellers.Billed billed = sellers.changeable(viewer, current.billingProfileId(), null);
        jdbc.sql("delete from custom_line_items where id = ?").param(id).update();
        record(viewer, billed, current, "custom-line-item.deleted", "Removed " + current.summary(), current.summary(), null);
    }

    private List<CustomLineItem> forProfile(UUID billingProfileId) {
        return jdbc.sql("select * from custom_line_items where billing_profile_id = ? order by first_month, description")
                .param(billingProfileId)
                .query(CustomLineItems::map)
                .list();
    }

    private java.util.Optional<CustomLineItem> find(UUID id) {
        return jdbc.sql("select * from custom_line_items where id = ?").param(id).query(CustomLineItems::map).optional();
    }

    private static CustomLineItem map(ResultSet rs, int n) throws SQLException {
        LocalDate last = rs.getObject("last_month", LocalDate.class);
        return new CustomLineItem(rs.getObject("id", UUID.class), rs.getObject("seller_id", UUID.class), rs.getObject("billing_profile_id", UUID.class),
                rs.getString("usage_account_id"), rs.getString("description"), Kind.valueOf(rs.getString("kind")), Charge.valueOf(rs.getString("charge")),
                rs.getBigDecimal("amount").stripTrailingZeros(), YearMonth.from(rs.getObject("first_month", LocalDate.class)),
                last == null ? null : YearMonth.from(last), fromDb(rs, "created_at"), fromDb(rs, "updated_at"));
    }

    static Details validate(Details d, String currency) {
        List<FieldError> errors = new ArrayList<>();
        String description = FieldChecks.text(d.description(), "description", 300, true, errors);
        String account = null;
        if (d.usageAccountId() != null && !d.usageAccountId().isBlank()) {
            try {
                account = AwsAccountId.parse(d.usageAccountId(), "usageAccountId").value();
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        if (d.kind() == null) {
            errors.add(new FieldError("kind", "is required: FEE or CREDIT"));
        }
        if (d.charge() == null) {
            errors.add(new FieldError("charge", "is required: FLAT (an amount in " + currency + ") or PERCENT (of the billed usage)"));
        }
        BigDecimal amount = d.amount();
        if (amount == null || amount.signum() <= 0) {
            errors.add(new FieldError("amount", "must be a positive number; a CREDIT is subtracted by its kind, not by a minus sign"));
        } else if (d.charge() == Charge.PERCENT && amount.compareTo(BigDecimal.valueOf(100)) > 0) {
            errors.add(new FieldError("amount", "a percentage must be at most 100"));
        } else if (d.charge() == Charge.PERCENT && amount.stripTrailingZeros().scale() > 4) {
            errors.add(new FieldError("amount", "a percentage may have at most 4 decimals (for example 2.5 or 12.3456)"));
        } else if (d.charge() == Charge.FLAT && amount.stripTrailingZeros().scale() > Currency.getInstance(currency).getDefaultFractionDigits()) {
            errors.add(new FieldError("amount", "has more decimals than " + currency + " allows (" + Currency.getInstance(currency).getDefaultFractionDigits() + ")"));
        } else if (amount.compareTo(new BigDecimal("1000000000")) >= 0) {
            errors.add(new FieldError("amount", "must be below 1,000,000,000"));
        }
        if (d.firstMonth() == null) {
            errors.add(new FieldError("firstMonth", "is required (YYYY-MM)"));
        }
        boolean recurring = d.recurring() == null ? d.lastMonth() == null || !d.lastMonth().equals(d.firstMonth()) : d.recurring();
        if (!recurring && d.lastMonth() != null && !d.lastMonth().equals(d.firstMonth())) {
            errors.add(new FieldError("lastMonth", "a one-time item is billed in its first month only: leave the last month empty, or make the item recurring"));
        }
        YearMonth last = recurring ? d.lastMonth() : d.firstMonth();
        if (d.firstMonth() != null && last != null && last.isBefore(d.firstMonth())) {
            errors.add(new FieldError("lastMonth", "must not be before the first month"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Details(d.billingProfileId(), account, description, d.kind(), d.charge(), amount.stripTrailingZeros(), d.firstMonth(), last, recurring);
    }

    private void record(Viewer viewer, BillingProfileSellers.Billed billed, CustomLineItem item, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), billed.buyer().id(), action, OBJECT_TYPE,
                item.id().toString(), summary, before, after));
    }
}
