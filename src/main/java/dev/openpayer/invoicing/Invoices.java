package dev.openpayer.invoicing;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Invoices, their lines, runs and number sequences in the database. */
@Component
class Invoices {
    private static final String SELECT = "select i.*, s.name as seller_name, k.name as customer_name, p.name as profile_name, c.number as corrects_number "
            + "from invoices i join organizations s on s.id = i.seller_id join organizations k on k.id = i.customer_id "
            + "join billing_profiles p on p.id = i.billing_profile_id left join invoices c on c.id = i.corrects_id ";

    private final JdbcClient jdbc;

    Invoices(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Outcome(int invoices, int drafts, int corrections, int unchanged) {}

    // ------------------------------------------------------------------ runs

    void startRun(UUID id, UUID sellerId, YearMonth month, String trigger, String requestedBy, Instant at) {
        jdbc.sql("insert into invoice_runs (id, seller_id, billing_month, status, trigger_kind, requested_by, started_at) values (?, ?, ?, 'RUNNING', ?, ?, ?)")
                .params(id, sellerId, month.atDay(1), trigger, requestedBy, toDb(at))
                .update();
    }

    InvoiceRun finishRun(UUID id, InvoiceRun.Status status, Outcome o, long rows, List<String> warnings, String error, Instant at) {
        String w = String.join("\n", warnings);
        jdbc.sql("update invoice_runs set status = ?, finished_at = ?, invoices = ?, drafts = ?, corrections = ?, unchanged = ?, cost_rows = ?, warnings = ?, "
                        + "error = ? where id = ?")
                .params(status.name(), toDb(at), o.invoices(), o.drafts(), o.corrections(), o.unchanged(), rows,
                        w.isEmpty() ? null : w.length() > 7990 ? w.substring(0, 7990) : w, error == null ? null : error.length() > 3990 ? error.substring(0, 3990) : error, id)
                .update();
        return run(id).orElseThrow();
    }

    Optional<InvoiceRun> run(UUID id) {
        return jdbc.sql("select r.*, o.name as seller_name from invoice_runs r join organizations o on o.id = r.seller_id where r.id = ?").param(id)
                .query(Invoices::mapRun).optional();
    }

    List<InvoiceRun> runs(String path, UUID sellerId, YearMonth month) {
        StringBuilder sql = new StringBuilder("select r.*, o.name as seller_name from invoice_runs r join organizations o on o.id = r.seller_id where o.path like :path");
        Map<String, Object> params = new HashMap<>();
        params.put("path", dev.openpayer.tenancy.Organization.subtreePattern(path));
        if (sellerId != null) {
            sql.append(" and r.seller_id = :seller");
            params.put("seller", sellerId);
        }
        if (month != null) {
            sql.append(" and r.billing_month = :month");
            params.put("month", month.atDay(1));
        }
        sql.append(" order by r.started_at desc limit 200");
        return jdbc.sql(sql.toString()).params(params).query(Invoices::mapRun).list();
    }

    private static InvoiceRun mapRun(ResultSet rs, int n) throws SQLException {
        String w = rs.getString("warnings");
        return new InvoiceRun(rs.getObject("id", UUID.class), rs.getObject("seller_id", UUID.class), rs.getString("seller_name"),
                YearMonth.from(rs.getObject("billing_month", LocalDate.class)), InvoiceRun.Status.valueOf(rs.getString("status")), rs.getString("trigger_kind"),
                rs.getString("requested_by"), fromDb(rs, "started_at"), fromDb(rs, "finished_at"), rs.getInt("invoices"), rs.getInt("drafts"),
                rs.getInt("corrections"), rs.getInt("unchanged"), rs.getLong("cost_rows"), w == null ? List.of() : Arrays.asList(w.split("\n")),
                rs.getString("error"));
    }

    List<UUID> sellersWithInvoices(YearMonth month) {
        return jdbc.sql("select distinct seller_id from invoices where billing_month = ?").param(month.atDay(1)).query(UUID.class).list();
    }

    // ------------------------------------------------------------------ storing a run's results

    /** Writes a run's computed invoices: new drafts, updated drafts, corrections of issued invoices. Holds the seller's lock. */
    Outcome store(UUID sellerId, YearMonth month, UUID runId, String dataVersion, List<InvoiceCalculator.Computed> computed, Set<UUID> ignored, Instant now) {
        lock(sellerId, "LOCK");
        Map<String, Invoice> mains = new LinkedHashMap<>();
        for (Invoice i : query("where i.seller_id = ? and i.billing_month = ? and i.kind = 'INVOICE' and i.corrects_id is null", sellerId, month.atDay(1))) {
            mains.put(i.billingProfileId() + "/" + i.tier(), i);
        }
        int drafts = 0;
        int corrections = 0;
        int unchanged = 0;
        Set<String> seen = new HashSet<>();
        for (InvoiceCalculator.Computed c : computed) {
            String key = c.target().key();
            seen.add(key);
            Invoice main = mains.get(key);
            if (main == null) {
                insert(UUID.randomUUID(), sellerId, month, runId, dataVersion, c, Invoice.Kind.INVOICE, null, null, c.lines(), now);
                drafts++;
            } else if (main.status() == Invoice.Status.DRAFT) {
                if (same(main, c)) {
                    jdbc.sql("update invoices set run_id = ?, data_version = ?, computed_at = ? where id = ?").params(runId, dataVersion, toDb(now), main.id()).update();
                    unchanged++;
                } else {
                    deleteLines(main.id());
                    jdbc.sql("delete from invoices where id = ? and status = 'DRAFT'").param(main.id()).update();
                    insert(main.id(), sellerId, month, runId, dataVersion, c, Invoice.Kind.INVOICE, null, null, c.lines(), now);
                    drafts++;
                }
            } else {
                int made = correct(main, c, sellerId, month, runId, dataVersion, now);
                if (made < 0) {
                    unchanged++;
                } else {
                    corrections += made;
                    unchanged += made == 0 ? 1 : 0;
                }
            }
        }
        for (Invoice main : mains.values()) {
            String key = main.billingProfileId() + "/" + main.tier();
            if (seen.contains(key) || ignored.contains(main.billingProfileId())) {
                continue;
            }
            if (main.status() == Invoice.Status.DRAFT) {
                deleteDraft(main.id());
            } else {
                corrections += Math.max(0, correct(main, null, sellerId, month, runId, dataVersion, now));
            }
        }
        long total = jdbc.sql("select count(*) from invoices where seller_id = ? and billing_month = ?").params(sellerId, month.atDay(1)).query(Long.class).single();
        return new Outcome((int) total, drafts, corrections, unchanged);
    }

    private boolean same(Invoice main, InvoiceCalculator.Computed c) {
        if (main.total().compareTo(c.total()) != 0 || main.costBasis().compareTo(c.costBasis()) != 0 || main.lines().size() != c.lines().size()
                || !main.currency().equals(c.currency()) || !String.valueOf(main.priceBooks()).equals(String.valueOf(c.priceBooks()))) {
            return false;
        }
        for (int i = 0; i < c.lines().size(); i++) {
            Invoice.Line a = main.lines().get(i);
            InvoiceCalculator.Line b = c.lines().get(i);
            if (!a.lineKey().equals(b.key()) || a.amount().compareTo(b.amount()) != 0 || !a.description().equals(b.description())
                    || (a.costBasis() == null) != (b.costBasis() == null) || (a.costBasis() != null && a.costBasis().compareTo(b.costBasis()) != 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares an issued invoice (with its issued corrections) to the newest computation: what went down becomes a
     * draft credit note, what went up a draft supplementary invoice. Returns the number of drafts made, or -1 when a
     * user's own draft credit note waits for the invoice.
     */
    private int correct(Invoice main, InvoiceCalculator.Computed c, UUID sellerId, YearMonth month, UUID runId, String dataVersion, Instant now) {
        List<Invoice> related = query("where i.corrects_id = ?", main.id());
        if (related.stream().anyMatch(r -> r.status() == Invoice.Status.DRAFT && r.runId() == null)) {
            return -1;
        }
        for (Invoice r : related) {
            if (r.status() == Invoice.Status.DRAFT) {
                deleteDraft(r.id());
            }
        }
        List<Invoice> issued = new ArrayList<>(List.of(main));
        related.stream().filter(r -> r.status() == Invoice.Status.ISSUED).forEach(issued::add);
        Map<String, Invoice.Line> net = net(issued);
        BigDecimal netCost = issued.stream().map(Invoice::costBasis).reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, InvoiceCalculator.Line> fresh = new LinkedHashMap<>();
        if (c != null) {
            c.lines().forEach(l -> fresh.put(l.key(), l));
        }
        List<InvoiceCalculator.Line> down = new ArrayList<>();
        List<InvoiceCalculator.Line> up = new ArrayList<>();
        Set<String> keys = new java.util.LinkedHashSet<>(fresh.keySet());
        keys.addAll(net.keySet());
        for (String k : keys) {
            InvoiceCalculator.Line f = fresh.get(k);
            Invoice.Line n = net.get(k);
            BigDecimal diff = (f == null ? BigDecimal.ZERO : f.amount()).subtract(n == null ? BigDecimal.ZERO : n.amount());
            if (diff.signum() == 0) {
                continue;
            }
            BigDecimal costDiff = f == null && n == null ? null : add(f == null ? null : f.costBasis(), n == null || n.costBasis() == null ? null : n.costBasis().negate());
            InvoiceCalculator.Line line = f != null
                    ? new InvoiceCalculator.Line(f.kind(), k, f.accountId(), f.customerId(), f.costCenter(), f.serviceCode(), f.description(), costDiff, diff, f.pricing())
                    : new InvoiceCalculator.Line(InvoiceCalculator.LineKind.valueOf(n.kind()), k, n.accountId(), n.customerId(), n.costCenter(), n.serviceCode(),
                            n.description(), costDiff, diff, n.pricing());
            (diff.signum() < 0 ? down : up).add(line);
        }
        if (down.isEmpty() && up.isEmpty()) {
            return 0;
        }
        BigDecimal freshCost = c == null ? BigDecimal.ZERO : c.costBasis();
        BigDecimal costDelta = freshCost.subtract(netCost);
        BigDecimal convertedDelta = (c == null ? BigDecimal.ZERO : c.costConverted())
                .subtract(issued.stream().map(Invoice::costConverted).reduce(BigDecimal.ZERO, BigDecimal::add));
        BigDecimal rate = main.exchangeRate() == null ? BigDecimal.ONE : main.exchangeRate();
        BigDecimal downConverted = InvoiceCalculator.round(down.stream().filter(l -> l.kind() != InvoiceCalculator.LineKind.TAX)
                .map(l -> l.costBasis() == null ? BigDecimal.ZERO : l.costBasis()).reduce(BigDecimal.ZERO, BigDecimal::add).multiply(rate),
                InvoiceCalculator.scale(main.currency()));
        InvoiceCalculator.Computed base = c != null ? c : new InvoiceCalculator.Computed(null, main.currency(), main.sourceCurrency(), main.exchangeRate(),
                BigDecimal.ZERO, BigDecimal.ZERO, List.of(), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, main.taxLabel(), main.priceBooks(), null);
        Optional<Invoice> cancelled = related.stream().filter(r -> r.status() == Invoice.Status.ISSUED && r.kind() == Invoice.Kind.CREDIT_NOTE && r.runId() == null)
                .findFirst();
        String reason = cancelled.isPresent() && !up.isEmpty() && down.isEmpty()
                ? "Invoices " + month + " again after credit note " + cancelled.get().number() + " credited " + main.number()
                : "AWS restated " + month + " after " + main.number() + " was issued";
        int made = 0;
        if (!down.isEmpty()) {
            insertCorrection(main, Invoice.Kind.CREDIT_NOTE, down, up.isEmpty() ? costDelta : sumCost(down), up.isEmpty() ? convertedDelta : downConverted,
                    base, sellerId, month, runId, dataVersion, reason, now);
            made++;
        }
        if (!up.isEmpty()) {
            insertCorrection(main, Invoice.Kind.INVOICE, up, down.isEmpty() ? costDelta : costDelta.subtract(sumCost(down)),
                    down.isEmpty() ? convertedDelta : convertedDelta.subtract(downConverted), base, sellerId, month, runId, dataVersion, reason, now);
            made++;
        }
        return made;
    }

    /** What an invoice and its issued corrections bill together, line by line (by line key). */
    private static Map<String, Invoice.Line> net(List<Invoice> documents) {
        Map<String, Invoice.Line> net = new LinkedHashMap<>();
        for (Invoice doc : documents) {
            for (Invoice.Line l : doc.lines()) {
                net.merge(l.lineKey(), l, (a, b) -> new Invoice.Line(0, a.kind(), a.lineKey(), a.accountId(), a.customerId(), a.costCenter(), a.serviceCode(),
                        a.description(), add(a.costBasis(), b.costBasis()), a.amount().add(b.amount()), a.pricing()));
            }
        }
        return net;
    }

    private static BigDecimal sumCost(List<InvoiceCalculator.Line> lines) {
        return lines.stream().map(l -> l.costBasis() == null ? BigDecimal.ZERO : l.costBasis()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal add(BigDecimal a, BigDecimal b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    private void insertCorrection(Invoice main, Invoice.Kind kind, List<InvoiceCalculator.Line> lines, BigDecimal costBasis, BigDecimal converted,
            InvoiceCalculator.Computed base, UUID sellerId, YearMonth month, UUID runId, String dataVersion, String reason, Instant now) {
        BigDecimal subtotal = lines.stream().filter(l -> l.kind() != InvoiceCalculator.LineKind.TAX).map(InvoiceCalculator.Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal tax = lines.stream().filter(l -> l.kind() == InvoiceCalculator.LineKind.TAX).map(InvoiceCalculator.Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        InvoiceCalculator.Computed doc = new InvoiceCalculator.Computed(null, main.currency(), main.sourceCurrency(), main.exchangeRate(), costBasis, converted,
                lines, subtotal, tax, subtotal.add(tax), base.taxLabel(), base.priceBooks(), null);
        insertRow(UUID.randomUUID(), sellerId, main.customerId(), main.billingProfileId(), main.tier(), month, runId, dataVersion, doc, kind, main.id(), reason, now);
    }

    private void insert(UUID id, UUID sellerId, YearMonth month, UUID runId, String dataVersion, InvoiceCalculator.Computed c, Invoice.Kind kind, UUID correctsId,
            String reason, List<InvoiceCalculator.Line> lines, Instant now) {
        insertRow(id, sellerId, c.target().buyer().id(), c.target().profile().id(), Invoice.Tier.valueOf(c.target().tier().name()), month, runId, dataVersion, c,
                kind, correctsId, reason, now);
    }

    private void insertRow(UUID id, UUID sellerId, UUID customerId, UUID profileId, Invoice.Tier tier, YearMonth month, UUID runId, String dataVersion,
            InvoiceCalculator.Computed c, Invoice.Kind kind, UUID correctsId, String reason, Instant now) {
        jdbc.sql("insert into invoices (id, seller_id, customer_id, billing_profile_id, billing_month, kind, tier, status, corrects_id, reason, currency, "
                        + "source_currency, exchange_rate, cost_basis, cost_converted, subtotal, tax, total, tax_label, price_books, data_version, run_id, computed_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, 'DRAFT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, sellerId, customerId, profileId, month.atDay(1), kind.name(), tier.name(), correctsId, reason, c.currency(),
                        c.sourceCurrency() == null ? c.currency() : c.sourceCurrency(), c.exchangeRate(), c.costBasis(), c.costConverted(), c.subtotal(), c.tax(),
                        c.total(), c.taxLabel(), trim(c.priceBooks(), 2000), trim(dataVersion, 4000), runId, toDb(now))
                .update();
        int position = 1;
        for (InvoiceCalculator.Line l : c.lines()) {
            jdbc.sql("insert into invoice_lines (invoice_id, position, kind, line_key, usage_account_id, customer_id, cost_center, service_code, description, "
                            + "cost_basis, amount, pricing) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(id, position++, l.kind().name(), trim(l.key(), 1000), l.accountId(), l.customerId(), trim(l.costCenter(), 300), trim(l.serviceCode(), 200),
                            trim(l.description(), 1000), l.costBasis(), l.amount(), trim(l.pricing(), 1000))
                    .update();
        }
    }

    private static String trim(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    // ------------------------------------------------------------------ reading

    Optional<Invoice> find(UUID id) {
        return query("where i.id = ?", id).stream().findFirst();
    }

    List<Invoice> list(String path, YearMonth month, UUID customerId, Invoice.Status status) {
        StringBuilder where = new StringBuilder("where k.path like ?");
        List<Object> params = new ArrayList<>(List.of(dev.openpayer.tenancy.Organization.subtreePattern(path)));
        if (month != null) {
            where.append(" and i.billing_month = ?");
            params.add(month.atDay(1));
        }
        if (customerId != null) {
            where.append(" and i.customer_id = ?");
            params.add(customerId);
        }
        if (status != null) {
            where.append(" and i.status = ?");
            params.add(status.name());
        }
        where.append(" order by i.billing_month desc, s.name, k.name, i.kind desc, i.computed_at");
        return jdbc.sql(SELECT + where).params(params).query((rs, n) -> map(rs, List.of())).list();
    }

    List<Invoice> forMonth(YearMonth month) {
        return query("where i.billing_month = ? order by i.seller_id, i.computed_at", month.atDay(1));
    }

    /** Invoices with their lines: the heads in one query, the lines of up to 500 invoices per query. */
    private List<Invoice> query(String where, Object... params) {
        List<Invoice> heads = jdbc.sql(SELECT + where).params(Arrays.asList(params)).query((rs, n) -> map(rs, List.of())).list();
        Map<UUID, Invoice> byId = new HashMap<>();
        heads.forEach(h -> byId.put(h.id(), h));
        Map<UUID, List<Invoice.Line>> lines = new HashMap<>();
        for (int from = 0; from < heads.size(); from += 500) {
            List<UUID> ids = heads.subList(from, Math.min(heads.size(), from + 500)).stream().map(Invoice::id).toList();
            jdbc.sql("select * from invoice_lines where invoice_id in (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ") order by position")
                    .params(new ArrayList<Object>(ids))
                    .query((rs, n) -> {
                        UUID invoiceId = rs.getObject("invoice_id", UUID.class);
                        lines.computeIfAbsent(invoiceId, k -> new ArrayList<>()).add(new Invoice.Line(rs.getInt("position"), rs.getString("kind"),
                                rs.getString("line_key"), rs.getString("usage_account_id"), rs.getObject("customer_id", UUID.class), rs.getString("cost_center"),
                                rs.getString("service_code"), rs.getString("description"), strip(rs.getBigDecimal("cost_basis")),
                                rs.getBigDecimal("amount").setScale(InvoiceCalculator.scale(byId.get(invoiceId).currency())), rs.getString("pricing")));
                        return null;
                    })
                    .list();
        }
        return heads.stream().map(h -> withLines(h, lines.getOrDefault(h.id(), List.of()))).toList();
    }

    private static Invoice withLines(Invoice i, List<Invoice.Line> lines) {
        return new Invoice(i.id(), i.sellerId(), i.sellerName(), i.customerId(), i.customerName(), i.billingProfileId(), i.billingProfileName(), i.month(),
                i.kind(), i.tier(), i.status(), i.number(), i.correctsId(), i.correctsNumber(), i.reason(), i.currency(), i.sourceCurrency(), i.exchangeRate(),
                i.costBasis(), i.costConverted(), i.subtotal(), i.tax(), i.total(), i.taxLabel(), i.priceBooks(), i.dataVersion(), i.runId(), i.computedAt(),
                i.issueDate(), i.dueDate(), i.issuedAt(), i.issuedBy(), true, List.copyOf(lines));
    }

    private static Invoice map(ResultSet rs, List<Invoice.Line> lines) throws SQLException {
        String currency = rs.getString("currency");
        int scale = InvoiceCalculator.scale(currency);
        BigDecimal rate = rs.getBigDecimal("exchange_rate");
        return new Invoice(rs.getObject("id", UUID.class), rs.getObject("seller_id", UUID.class), rs.getString("seller_name"),
                rs.getObject("customer_id", UUID.class), rs.getString("customer_name"), rs.getObject("billing_profile_id", UUID.class),
                rs.getString("profile_name"), YearMonth.from(rs.getObject("billing_month", LocalDate.class)), Invoice.Kind.valueOf(rs.getString("kind")),
                Invoice.Tier.valueOf(rs.getString("tier")), Invoice.Status.valueOf(rs.getString("status")), rs.getString("number"),
                rs.getObject("corrects_id", UUID.class), rs.getString("corrects_number"), rs.getString("reason"), currency, rs.getString("source_currency"),
                rate == null ? null : strip(rate), strip(rs.getBigDecimal("cost_basis")), rs.getBigDecimal("cost_converted").setScale(scale),
                rs.getBigDecimal("subtotal").setScale(scale), rs.getBigDecimal("tax").setScale(scale), rs.getBigDecimal("total").setScale(scale),
                rs.getString("tax_label"), rs.getString("price_books"), rs.getString("data_version"), rs.getObject("run_id", UUID.class), fromDb(rs, "computed_at"),
                rs.getObject("issue_date", LocalDate.class), rs.getObject("due_date", LocalDate.class), fromDb(rs, "issued_at"), rs.getString("issued_by"), true,
                lines);
    }

    private static BigDecimal strip(BigDecimal v) {
        if (v == null) {
            return null;
        }
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 2 ? v.setScale(2) : s;
    }

    // ------------------------------------------------------------------ issuing

    /** Serialises runs, issuing and crediting of one seller: whoever changes a seller's invoices holds this row first. */
    void lockSeller(UUID sellerId) {
        lock(sellerId, "LOCK");
    }

    Optional<Invoice> lockDraft(UUID id) {
        List<UUID> ids = jdbc.sql("select id from invoices where id = ? and status = 'DRAFT' for update").param(id).query(UUID.class).list();
        return ids.isEmpty() ? Optional.empty() : find(id);
    }

    /** The next number of the seller's sequence for the kind; the row stays locked until the transaction ends, so numbers have no gaps. */
    String nextNumber(UUID sellerId, Invoice.Kind kind) {
        long next = lock(sellerId, kind.name());
        jdbc.sql("update invoice_numbers set next_number = ? where seller_id = ? and kind = ?").params(next + 1, sellerId, kind.name()).update();
        return (kind == Invoice.Kind.CREDIT_NOTE ? "CN-" : "INV-") + String.format("%06d", next);
    }

    private long lock(UUID sellerId, String kind) {
        Optional<Long> next = jdbc.sql("select next_number from invoice_numbers where seller_id = ? and kind = ? for update").params(sellerId, kind)
                .query(Long.class).optional();
        if (next.isPresent()) {
            return next.get();
        }
        jdbc.sql("insert into invoice_numbers (seller_id, kind, next_number) values (?, ?, 1) on conflict do nothing").params(sellerId, kind).update();
        return jdbc.sql("select next_number from invoice_numbers where seller_id = ? and kind = ? for update").params(sellerId, kind).query(Long.class).single();
    }

    void markIssued(UUID id, String number, LocalDate issueDate, LocalDate dueDate, Instant at, String by) {
        jdbc.sql("update invoices set status = 'ISSUED', number = ?, issue_date = ?, due_date = ?, issued_at = ?, issued_by = ? where id = ?")
                .params(number, issueDate, dueDate, toDb(at), by, id)
                .update();
    }

    void storePdf(UUID id, byte[] pdf) {
        jdbc.sql("update invoices set pdf = ? where id = ?").params(pdf, id).update();
    }

    Optional<byte[]> pdf(UUID id) {
        return jdbc.sql("select pdf from invoices where id = ? and pdf is not null").param(id).query((rs, n) -> rs.getBytes(1)).optional();
    }

    /** A draft credit note for what remains of an issued invoice after its issued corrections; empty if nothing remains or a credit note is drafted. */
    Optional<UUID> creditInFull(UUID invoiceId, String reason, Instant now) {
        lock(find(invoiceId).orElseThrow().sellerId(), "LOCK");
        Invoice main = find(invoiceId).orElseThrow();
        List<Invoice> related = query("where i.corrects_id = ?", invoiceId);
        if (related.stream().anyMatch(r -> r.status() == Invoice.Status.DRAFT && r.kind() == Invoice.Kind.CREDIT_NOTE)) {
            return Optional.empty();
        }
        List<Invoice> docs = new ArrayList<>(List.of(main));
        related.stream().filter(r -> r.status() == Invoice.Status.ISSUED).forEach(docs::add);
        Map<String, Invoice.Line> net = net(docs);
        BigDecimal cost = docs.stream().map(Invoice::costBasis).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<InvoiceCalculator.Line> lines = net.values().stream().filter(l -> l.amount().signum() != 0)
                .map(l -> new InvoiceCalculator.Line(InvoiceCalculator.LineKind.valueOf(l.kind()), l.lineKey(), l.accountId(), l.customerId(), l.costCenter(),
                        l.serviceCode(), l.description(), l.costBasis() == null ? null : l.costBasis().negate(), l.amount().negate(), l.pricing()))
                .toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        UUID id = UUID.randomUUID();
        BigDecimal subtotal = lines.stream().filter(l -> l.kind() != InvoiceCalculator.LineKind.TAX).map(InvoiceCalculator.Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal tax = lines.stream().filter(l -> l.kind() == InvoiceCalculator.LineKind.TAX).map(InvoiceCalculator.Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal converted = docs.stream().map(Invoice::costConverted).reduce(BigDecimal.ZERO, BigDecimal::add).negate();
        InvoiceCalculator.Computed doc = new InvoiceCalculator.Computed(null, main.currency(), main.sourceCurrency(), main.exchangeRate(), cost.negate(),
                converted, lines, subtotal, tax, subtotal.add(tax),
                main.taxLabel(), main.priceBooks(), null);
        insertRow(id, main.sellerId(), main.customerId(), main.billingProfileId(), main.tier(), main.month(), null, main.dataVersion(), doc,
                Invoice.Kind.CREDIT_NOTE, main.id(), reason, now);
        return Optional.of(id);
    }

    void deleteDraft(UUID id) {
        deleteLines(id);
        jdbc.sql("delete from invoices where id = ? and status = 'DRAFT'").param(id).update();
    }

    private void deleteLines(UUID id) {
        jdbc.sql("delete from invoice_lines where invoice_id = ? and invoice_id in (select id from invoices where status = 'DRAFT')").param(id).update();
    }
}
