package dev.openpayer.billing;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.FieldChecks;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The versioned rules of price books. Rules are edited in a price book's one draft version; publishing the
 * draft makes it a new, immutable version that prices every month from its effective month on (until a later
 * version takes over). Invoices record the version they were priced with, so editing a price book in use never
 * changes an issued invoice.
 */
@Service
public class PriceBookRules {
    private final JdbcClient jdbc;
    private final PriceBooks priceBooks;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PriceBookRules(JdbcClient jdbc, PriceBooks priceBooks, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.priceBooks = priceBooks;
        this.events = events;
        this.clock = clock;
    }

    public enum Status {
        DRAFT,
        PUBLISHED
    }

    /** One version of a price book's rules, in order. */
    public record Version(UUID id, UUID priceBookId, int version, Status status, YearMonth effectiveFrom, String note, Instant createdAt,
            Instant publishedAt, String publishedBy, List<PricingRule> rules) {

        /** "Cirrus Standard v3" style label, for invoices. */
        public String label(String bookName) {
            return bookName + " v" + version + (status == Status.DRAFT ? " (draft)" : "");
        }
    }

    /** The rules a user sends: flat, in the order they apply on ties. */
    public record RuleInput(String name, String serviceCode, String usageType, String operation, String regionId, String usageAccountId,
            String lineItemType, String tagKey, String tagValue, PricingRule.Action action, PricingRule.Basis basis, BigDecimal percent,
            BigDecimal rate) {

        public static RuleInput of(PricingRule r) {
            PricingRule.Match m = r.match();
            return new RuleInput(r.name(), m.serviceCode(), m.usageType(), m.operation(), m.regionId(), m.usageAccountId(), m.lineItemType(),
                    m.tagKey(), m.tagValue(), r.action(), r.basis(), r.percent(), r.rate());
        }
    }

    /** A price book's published versions (newest first) and its draft, if any. */
    public record Overview(PriceBook priceBook, Version current, Version draft, List<Version> versions) {}

    @Transactional(readOnly = true)
    public Overview overview(Viewer viewer, UUID priceBookId) {
        PriceBook book = priceBooks.visible(viewer, priceBookId);
        List<Version> all = versions(book.id());
        YearMonth now = YearMonth.now(clock);
        Version draft = all.stream().filter(v -> v.status() == Status.DRAFT).findFirst().orElse(null);
        List<Version> published = all.stream().filter(v -> v.status() == Status.PUBLISHED).toList();
        return new Overview(book, effective(published, now).orElse(null), draft, published);
    }

    @Transactional(readOnly = true)
    public Version version(Viewer viewer, UUID priceBookId, int number) {
        PriceBook book = priceBooks.visible(viewer, priceBookId);
        return versions(book.id()).stream().filter(v -> v.version() == number).findFirst()
                .orElseThrow(() -> new dev.openpayer.shared.NotFoundException("PriceBookVersion", book.id() + " v" + number));
    }

    /** Replaces the draft's rules (creating the draft, numbered after the newest version, when there is none). */
    @Transactional
    public Version saveDraft(Viewer viewer, UUID priceBookId, List<RuleInput> inputs, String note) {
        PriceBook book = priceBooks.visible(viewer, priceBookId);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        List<PricingRule> rules = toRules(inputs);
        List<FieldError> errors = new ArrayList<>(PricingRule.validate(rules));
        String cleanNote = FieldChecks.text(note, "note", 1000, false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        lockBook(book.id());
        Version draft = draft(book.id()).orElseGet(() -> createDraft(book.id()));
        jdbc.sql("delete from price_book_rules where version_id = ?").param(draft.id()).update();
        insertRules(draft.id(), rules);
        jdbc.sql("update price_book_versions set note = ? where id = ?").params(cleanNote, draft.id()).update();
        Version saved = draft(book.id()).orElseThrow();
        record(viewer, book, "price-book.draft-saved", "Saved draft v" + saved.version() + " of price book " + book.summary() + " with "
                + rules.size() + " rule(s)", null, describe(saved.rules()));
        return saved;
    }

    /** Appends one rule to the draft. */
    @Transactional
    public Version addRule(Viewer viewer, UUID priceBookId, RuleInput input) {
        Optional<Version> draft = draft(priceBooks.visible(viewer, priceBookId).id());
        List<RuleInput> rules = new ArrayList<>(draft.map(v -> v.rules()).orElseGet(() -> startingRules(priceBookId)).stream().map(RuleInput::of).toList());
        rules.add(input);
        try {
            return saveDraft(viewer, priceBookId, rules, draft.map(Version::note).orElse(null));
        } catch (InvalidInputException e) {
            String prefix = "rules[" + (rules.size() - 1) + "].";
            throw new InvalidInputException(e.errors().stream().map(f -> new FieldError(f.field().startsWith(prefix) ? f.field().substring(prefix.length()) : f.field(), f.message())).toList());
        }
    }

    /** Removes one rule from the draft. */
    @Transactional
    public Version removeRule(Viewer viewer, UUID priceBookId, UUID ruleId) {
        Version draft = draft(priceBooks.visible(viewer, priceBookId).id())
                .orElseThrow(() -> new ConflictException("ruleId", "the price book has no draft: rules of published versions cannot change"));
        List<RuleInput> rules = draft.rules().stream().filter(r -> !r.id().equals(ruleId)).map(RuleInput::of).toList();
        if (rules.size() == draft.rules().size()) {
            throw new dev.openpayer.shared.NotFoundException("PricingRule", ruleId);
        }
        return saveDraft(viewer, priceBookId, rules, draft.note());
    }

    @Transactional
    public void discardDraft(Viewer viewer, UUID priceBookId) {
        PriceBook book = priceBooks.visible(viewer, priceBookId);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        Version draft = draft(book.id()).orElseThrow(() -> new ConflictException("draft", "the price book has no draft"));
        jdbc.sql("delete from price_book_rules where version_id = ?").param(draft.id()).update();
        jdbc.sql("delete from price_book_versions where id = ?").param(draft.id()).update();
        record(viewer, book, "price-book.draft-discarded", "Discarded draft v" + draft.version() + " of price book " + book.summary(), describe(draft.rules()), null);
    }

    /**
     * Publishes the draft: it prices every billing month from {@code effectiveFrom} on. Draft invoices of those
     * months follow at their next run; issued invoices keep the version they used.
     */
    @Transactional
    public Version publish(Viewer viewer, UUID priceBookId, YearMonth effectiveFrom) {
        PriceBook book = priceBooks.visible(viewer, priceBookId);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        if (effectiveFrom == null) {
            throw new InvalidInputException("effectiveFrom", "is required: the first billing month (YYYY-MM) the version prices");
        }
        if (effectiveFrom.isBefore(YearMonth.of(2000, 1)) || effectiveFrom.isAfter(YearMonth.now(clock).plusYears(5))) {
            throw new InvalidInputException("effectiveFrom", "must be a billing month between 2000-01 and five years from now");
        }
        lockBook(book.id());
        Version draft = draft(book.id()).orElseThrow(() -> new ConflictException("draft", "the price book has no draft to publish: save rules first"));
        Instant now = clock.instant();
        jdbc.sql("update price_book_versions set status = 'PUBLISHED', effective_from = ?, published_at = ?, published_by = ? where id = ?")
                .params(effectiveFrom.atDay(1), toDb(now), viewer.email(), draft.id())
                .update();
        Version published = versions(book.id()).stream().filter(v -> v.id().equals(draft.id())).findFirst().orElseThrow();
        record(viewer, book, "price-book.published", "Published v" + published.version() + " of price book " + book.summary() + ", effective from "
                + effectiveFrom, null, describe(published.rules()));
        return published;
    }

    /** The version that prices {@code month}: the newest published version effective on or before it. */
    @Transactional(readOnly = true)
    public Optional<Version> effective(UUID priceBookId, YearMonth month) {
        return effective(versions(priceBookId).stream().filter(v -> v.status() == Status.PUBLISHED).toList(), month);
    }

    /** The draft of a price book, for previews. */
    @Transactional(readOnly = true)
    public Optional<Version> draft(UUID priceBookId) {
        return versions(priceBookId).stream().filter(v -> v.status() == Status.DRAFT).findFirst();
    }

    /** Every version (draft first, then published newest first). */
    @Transactional(readOnly = true)
    public List<Version> versions(UUID priceBookId) {
        Map<UUID, List<PricingRule>> rules = new LinkedHashMap<>();
        jdbc.sql("select r.* from price_book_rules r join price_book_versions v on v.id = r.version_id where v.price_book_id = ? order by r.position")
                .param(priceBookId)
                .query((rs, n) -> {
                    rules.computeIfAbsent(rs.getObject("version_id", UUID.class), k -> new ArrayList<>()).add(rule(rs));
                    return null;
                })
                .list();
        return jdbc.sql("select * from price_book_versions where price_book_id = ? order by case when status = 'DRAFT' then 0 else 1 end, version desc")
                .param(priceBookId)
                .query((rs, n) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    LocalDate from = rs.getObject("effective_from", LocalDate.class);
                    return new Version(id, priceBookId, rs.getInt("version"), Status.valueOf(rs.getString("status")),
                            from == null ? null : YearMonth.from(from), rs.getString("note"), fromDb(rs, "created_at"), fromDb(rs, "published_at"),
                            rs.getString("published_by"), List.copyOf(rules.getOrDefault(id, List.of())));
                })
                .list();
    }

    private static Optional<Version> effective(List<Version> published, YearMonth month) {
        return published.stream().filter(v -> v.effectiveFrom() != null && !v.effectiveFrom().isAfter(month))
                .max(java.util.Comparator.comparing(Version::effectiveFrom).thenComparing(Version::version));
    }

    private List<PricingRule> startingRules(UUID priceBookId) {
        return effective(priceBookId, YearMonth.now(clock)).map(Version::rules).orElse(List.of());
    }

    private Version createDraft(UUID priceBookId) {
        int next = jdbc.sql("select coalesce(max(version), 0) + 1 from price_book_versions where price_book_id = ?").param(priceBookId).query(Integer.class).single();
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into price_book_versions (id, price_book_id, version, status, created_at) values (?, ?, ?, 'DRAFT', ?)")
                .params(id, priceBookId, next, toDb(clock.instant()))
                .update();
        // A new draft starts from the rules in force, so that editing means changing, not retyping.
        insertRules(id, startingRules(priceBookId));
        return draft(priceBookId).orElseThrow();
    }

    private void insertRules(UUID versionId, List<PricingRule> rules) {
        int position = 0;
        for (PricingRule r : rules) {
            PricingRule.Match m = r.match();
            jdbc.sql("insert into price_book_rules (id, version_id, position, name, service_code, usage_type, operation, region_id, usage_account_id, "
                            + "line_item_type, tag_key, tag_value, action, basis, percent, rate) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(UUID.randomUUID(), versionId, position++, r.name(), m.serviceCode(), m.usageType(), m.operation(), m.regionId(),
                            m.usageAccountId(), m.lineItemType(), m.tagKey(), m.tagValue(), r.action().name(), r.basis() == null ? null : r.basis().name(),
                            r.percent(), r.rate())
                    .update();
        }
    }

    private void lockBook(UUID priceBookId) {
        jdbc.sql("select id from price_books where id = ? for update").param(priceBookId).query(UUID.class).single();
    }

    private static PricingRule rule(ResultSet rs) throws SQLException {
        String basis = rs.getString("basis");
        return new PricingRule(rs.getObject("id", UUID.class), rs.getInt("position"), rs.getString("name"),
                new PricingRule.Match(rs.getString("service_code"), rs.getString("usage_type"), rs.getString("operation"), rs.getString("region_id"),
                        rs.getString("usage_account_id"), rs.getString("line_item_type"), rs.getString("tag_key"), rs.getString("tag_value")),
                PricingRule.Action.valueOf(rs.getString("action")), basis == null ? null : PricingRule.Basis.valueOf(basis),
                strip(rs.getBigDecimal("percent")), strip(rs.getBigDecimal("rate")));
    }

    private static BigDecimal strip(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().scale() < 0 ? value.setScale(0) : value.stripTrailingZeros();
    }

    private static List<PricingRule> toRules(List<RuleInput> inputs) {
        if (inputs == null) {
            throw new InvalidInputException("rules", "is required (an empty list removes every rule)");
        }
        if (inputs.size() > 500) {
            throw new InvalidInputException("rules", "at most 500 rules per price book");
        }
        List<PricingRule> rules = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            RuleInput in = inputs.get(i);
            if (in == null || in.action() == null) {
                errors.add(new FieldError("rules[" + i + "].action", "is required: MARKUP, DISCOUNT, FIXED_RATE, PASS_THROUGH or EXCLUDE"));
                continue;
            }
            PricingRule.Basis basis = in.basis() == null && (in.action() == PricingRule.Action.MARKUP || in.action() == PricingRule.Action.DISCOUNT)
                    ? PricingRule.Basis.UNBLENDED : in.basis();
            rules.add(new PricingRule(null, i, blank(in.name()), new PricingRule.Match(blank(in.serviceCode()), blank(in.usageType()), blank(in.operation()),
                    blank(in.regionId()), blank(in.usageAccountId()), blank(in.lineItemType()), blank(in.tagKey()), blank(in.tagValue())),
                    in.action(), basis, in.percent(), in.rate()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return rules;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String describe(List<PricingRule> rules) {
        StringBuilder b = new StringBuilder();
        for (PricingRule r : rules) {
            b.append(r.position() + 1).append(". ").append(r.describe()).append('\n');
        }
        return b.isEmpty() ? "(no rules)" : b.length() > 7900 ? b.substring(0, 7900) : b.toString();
    }

    private void record(Viewer viewer, PriceBook book, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), book.ownerId(), action, PriceBooks.OBJECT_TYPE,
                book.id().toString(), summary, before, after));
    }
}
