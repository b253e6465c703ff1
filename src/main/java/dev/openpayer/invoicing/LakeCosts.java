package dev.openpayer.invoicing;

import dev.openpayer.billing.CostGroup;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.DuckDb;
import dev.openpayer.cur.LakePartition;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * One billing month of the payers' reports, read from the lake with embedded DuckDB and aggregated to the
 * dimensions price book rules can match on. Pricing is linear in cost and quantity, so pricing the sums is
 * exactly pricing every line. Only payers' reports are read: a customer's own management account report holds
 * accounts its owner pays AWS for.
 */
@Component
class LakeCosts {
    private final CurSources sources;
    private final CurIngestion ingestion;

    LakeCosts(CurSources sources, CurIngestion ingestion) {
        this.sources = sources;
        this.ingestion = ingestion;
    }

    /** One aggregated slice, with the report it came from and the service's display name. */
    record Slice(UUID sourceId, String serviceName, long lines, CostGroup group) {}

    /** The payers' partitions of a month: what the lake holds and which delivery. */
    record MonthData(YearMonth month, List<Partition> partitions) {
        /** A fingerprint of the deliveries read, to tell whether a draft is older than the lake. */
        String version() {
            return partitions.stream().map(p -> p.source().id() + ":" + p.partition().deliveryId()).sorted().collect(Collectors.joining(","));
        }
    }

    record Partition(CurSource source, LakePartition partition, Path file) {}

    MonthData month(YearMonth month) {
        List<Partition> parts = new ArrayList<>();
        for (CurSource source : sources.list()) {
            if (source.owner() != CurSource.Owner.PAYER) {
                continue;
            }
            for (LakePartition p : ingestion.partitions(source.id())) {
                if (p.billingPeriod().equals(month.toString())) {
                    Path file = Path.of(p.lakePath());
                    if (!file.isAbsolute()) {
                        file = ingestion.lake().resolve(file);
                    }
                    if (Files.isRegularFile(file)) {
                        parts.add(new Partition(source, p, file));
                    }
                }
            }
        }
        return new MonthData(month, parts);
    }

    /** Streams the month's slices of every account, grouped as {@link #scan(MonthData, List, Collection, Consumer)} says; returns the lines read. */
    /**
     * Streams the month's slices of the given usage accounts (every account when null), grouped by account, service, usage
     * type, operation, region, line item type, currency and the given tags. Returns the number of lake lines of the month
     * read, whichever accounts they belong to.
     */
    long scan(MonthData data, List<String> tagKeys, Collection<String> accounts, Consumer<Slice> consumer) {
        return scan(data, Needs.ALL.withTags(tagKeys), accounts, consumer);
    }

    /**
     * What the price books of a run look at, beyond what every invoice needs (account, service, line item type, currency and
     * unblended cost): the lake is grouped and summed by these only, so that a run of simple price books reads fewer, larger
     * groups. Dimensions no rule matches on would only split groups that are priced alike.
     */
    record Needs(boolean usageType, boolean operation, boolean region, boolean amortized, boolean publicCost, boolean quantity, List<String> tagKeys) {
        static final Needs ALL = new Needs(true, true, true, true, true, true, List.of());

        Needs withTags(List<String> keys) {
            return new Needs(usageType, operation, region, amortized, publicCost, quantity, List.copyOf(keys));
        }

        /** What the rules of the given price books need. */
        static Needs of(java.util.Collection<dev.openpayer.billing.PricingRule> rules) {
            boolean u = false, o = false, r = false, a = false, p = false, q = false;
            java.util.TreeSet<String> tags = new java.util.TreeSet<>();
            for (dev.openpayer.billing.PricingRule rule : rules) {
                u |= rule.match().usageType() != null;
                o |= rule.match().operation() != null;
                r |= rule.match().regionId() != null;
                a |= rule.basis() == dev.openpayer.billing.PricingRule.Basis.AMORTIZED;
                p |= rule.basis() == dev.openpayer.billing.PricingRule.Basis.PUBLIC_ON_DEMAND;
                q |= rule.action() == dev.openpayer.billing.PricingRule.Action.FIXED_RATE;
                if (rule.match().tagKey() != null) {
                    tags.add(rule.match().tagKey());
                }
            }
            return new Needs(u, o, r, a, p, q, List.copyOf(tags));
        }
    }

    long scan(MonthData data, Needs needs, Collection<String> accounts, Consumer<Slice> consumer) {
        List<String> tagKeys = needs.tagKeys();
        if (data.partitions().isEmpty()) {
            return 0;
        }
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < tagKeys.size(); i++) {
            tags.append(", tags[").append(quote(tagKeys.get(i))).append("] AS t").append(i);
        }
        String filter = accounts == null ? "" : " WHERE sub_account_id IN (" + accounts.stream().sorted().map(LakeCosts::quote).collect(Collectors.joining(", "))
                + ")";
        StringBuilder union = new StringBuilder();
        StringBuilder count = new StringBuilder();
        for (Partition p : data.partitions()) {
            if (!union.isEmpty()) {
                union.append(" UNION ALL ");
                count.append(" UNION ALL ");
            }
            String file = quote(p.file().toAbsolutePath().toString());
            union.append("SELECT ").append(quote(p.source().id().toString())).append(" AS source, ").append(COLUMNS).append(" FROM read_parquet(")
                    .append(file).append(", hive_partitioning = false)").append(filter);
            count.append("SELECT count(*) AS n FROM read_parquet(").append(file).append(", hive_partitioning = false)");
        }
        String keys = "source, sub_account_id, service_code, usage_type, operation, region_id, line_item_type, charge_category, billing_currency"
                + java.util.stream.IntStream.range(0, tagKeys.size()).mapToObj(i -> ", t" + i).collect(Collectors.joining());
        String none = "CAST(NULL AS VARCHAR)";
        String zero = "CAST(0 AS DECIMAL(38,10))";
        String sql = "SELECT " + keys + ", min(service_name) AS service_name, count(*) AS n, "
                + "CAST(sum(billed_cost) AS DECIMAL(38,10)) AS unblended, "
                + (needs.amortized() ? "CAST(sum(coalesce(effective_cost, billed_cost)) AS DECIMAL(38,10))" : zero) + " AS amortized, "
                + (needs.publicCost() ? "CAST(sum(coalesce(list_cost, billed_cost)) AS DECIMAL(38,10))" : zero) + " AS public_cost, "
                + (needs.quantity() ? "CAST(sum(coalesce(consumed_quantity, 0)) AS DECIMAL(38,10))" : zero) + " AS quantity "
                + "FROM (SELECT source, sub_account_id, service_code, service_name, " + (needs.usageType() ? "usage_type" : none + " AS usage_type") + ", "
                + (needs.operation() ? "operation" : none + " AS operation") + ", " + (needs.region() ? "region_id" : none + " AS region_id")
                + ", line_item_type, charge_category, billing_currency, billed_cost, effective_cost, list_cost, consumed_quantity" + tags + " FROM (" + union
                + ")) GROUP BY " + keys;
        long lines;
        try (Connection duck = DuckDb.forQueries(); Statement st = duck.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM (" + count + ")")) {
                rs.next();
                lines = rs.getLong(1);
            }
            if (accounts != null && accounts.isEmpty()) {
                return lines;
            }
            try (ResultSet rs = st.executeQuery(sql)) {
                int source = rs.findColumn("source");
                int account = rs.findColumn("sub_account_id");
                int service = rs.findColumn("service_code");
                int usageType = rs.findColumn("usage_type");
                int operation = rs.findColumn("operation");
                int region = rs.findColumn("region_id");
                int lineItemType = rs.findColumn("line_item_type");
                int chargeCategory = rs.findColumn("charge_category");
                int currency = rs.findColumn("billing_currency");
                int serviceName = rs.findColumn("service_name");
                int n = rs.findColumn("n");
                int unblended = rs.findColumn("unblended");
                int amortized = rs.findColumn("amortized");
                int publicCost = rs.findColumn("public_cost");
                int quantity = rs.findColumn("quantity");
                int[] tagColumns = new int[tagKeys.size()];
                for (int i = 0; i < tagColumns.length; i++) {
                    tagColumns[i] = rs.findColumn("t" + i);
                }
                Map<String, UUID> sources = new HashMap<>();
                while (rs.next()) {
                    Map<String, String> tagValues = tagKeys.isEmpty() ? Map.of() : new HashMap<>();
                    for (int i = 0; i < tagColumns.length; i++) {
                        String v = rs.getString(tagColumns[i]);
                        if (v != null && !v.isEmpty()) {
                            tagValues.put(tagKeys.get(i), v);
                        }
                    }
                    String billingCurrency = rs.getString(currency);
                    CostGroup group = new CostGroup(rs.getString(account), rs.getString(service), rs.getString(usageType), rs.getString(operation),
                            rs.getString(region), rs.getString(lineItemType), rs.getString(chargeCategory), tagValues,
                            billingCurrency == null ? "USD" : billingCurrency, zero(rs.getBigDecimal(unblended)), zero(rs.getBigDecimal(amortized)),
                            zero(rs.getBigDecimal(publicCost)), zero(rs.getBigDecimal(quantity)));
                    consumer.accept(new Slice(sources.computeIfAbsent(rs.getString(source), UUID::fromString), rs.getString(serviceName), rs.getLong(n),
                            group));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the month " + data.month() + " from the lake failed: " + e.getMessage(), e);
        }
        return lines;
    }

    /** The AWS bill of a payer's report for the month, per usage account, line item type, billing entity and AWS invoice. */
    record BillLine(UUID sourceId, String accountId, String lineItemType, String billingEntity, String invoiceId, String currency, long lines, BigDecimal amount) {}

    List<BillLine> bill(MonthData data) {
        List<BillLine> out = new ArrayList<>();
        if (data.partitions().isEmpty()) {
            return out;
        }
        StringBuilder union = new StringBuilder();
        for (Partition p : data.partitions()) {
            if (!union.isEmpty()) {
                union.append(" UNION ALL ");
            }
            union.append("SELECT ").append(quote(p.source().id().toString()))
                    .append(" AS source, sub_account_id, coalesce(line_item_type, charge_category) AS line_item_type, billing_entity, invoice_id, billing_currency, "
                            + "billed_cost FROM read_parquet(")
                    .append(quote(p.file().toAbsolutePath().toString())).append(", hive_partitioning = false)");
        }
        String sql = "SELECT source, sub_account_id, line_item_type, billing_entity, invoice_id, billing_currency, count(*) AS n, "
                + "CAST(sum(coalesce(billed_cost, 0)) AS DECIMAL(38,10)) AS amount FROM (" + union + ") GROUP BY ALL ORDER BY ALL";
        try (Connection duck = DuckDb.forQueries(); Statement st = duck.createStatement()) {
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(new BillLine(UUID.fromString(rs.getString("source")), rs.getString("sub_account_id"), rs.getString("line_item_type"),
                            rs.getString("billing_entity"), rs.getString("invoice_id"), rs.getString("billing_currency") == null ? "USD" : rs.getString("billing_currency"),
                            rs.getLong("n"), zero(rs.getBigDecimal("amount"))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the AWS bill of " + data.month() + " from the lake failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static final String COLUMNS = "sub_account_id, service_code, service_name, usage_type, operation, region_id, line_item_type, "
            + "charge_category, billing_currency, billed_cost, effective_cost, list_cost, consumed_quantity, tags";

    private static BigDecimal zero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    private static String quote(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }
}
