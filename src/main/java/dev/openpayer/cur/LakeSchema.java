package dev.openpayer.cur;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lake's normalised schema and the SQL that maps each report format onto it. Names follow FOCUS
 * where FOCUS has the concept ({@code billed_cost}, {@code effective_cost}, {@code list_cost},
 * {@code sub_account_id}, {@code charge_period_start}, ...) and the CUR otherwise
 * ({@code line_item_type}, {@code usage_type}, {@code operation}, {@code net_unblended_cost}, ...).
 * Money is {@code DECIMAL(38,10)}: text is cast directly (digits beyond the tenth decimal are rounded
 * half away from zero); DOUBLE columns (AWS's own Parquet writer stores costs as DOUBLE) are cast to
 * the nearest {@code DECIMAL(38,10)}, which restores the decimal written by AWS for every value with
 * at most 10 decimals and fewer than 15 significant digits.
 */
final class LakeSchema {
    static final String MONEY = "DECIMAL(38,10)";

    /** The lake columns in order, with their types. */
    static final Map<String, String> COLUMNS = columns();

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("billing_account_id", "VARCHAR");
        c.put("sub_account_id", "VARCHAR");
        c.put("billing_period_start", "DATE");
        c.put("charge_period_start", "TIMESTAMP");
        c.put("charge_period_end", "TIMESTAMP");
        c.put("line_item_type", "VARCHAR");
        c.put("charge_category", "VARCHAR");
        c.put("service_code", "VARCHAR");
        c.put("service_name", "VARCHAR");
        c.put("usage_type", "VARCHAR");
        c.put("operation", "VARCHAR");
        c.put("region_id", "VARCHAR");
        c.put("availability_zone", "VARCHAR");
        c.put("resource_id", "VARCHAR");
        c.put("consumed_quantity", MONEY);
        c.put("consumed_unit", "VARCHAR");
        c.put("billing_currency", "VARCHAR");
        c.put("billed_cost", MONEY);
        c.put("blended_cost", MONEY);
        c.put("net_unblended_cost", MONEY);
        c.put("effective_cost", MONEY);
        c.put("list_cost", MONEY);
        c.put("invoice_id", "VARCHAR");
        c.put("billing_entity", "VARCHAR");
        c.put("legal_entity", "VARCHAR");
        c.put("charge_description", "VARCHAR");
        c.put("tags", "MAP(VARCHAR, VARCHAR)");
        c.put("cost_categories", "MAP(VARCHAR, VARCHAR)");
        c.put("split_parent_resource_id", "VARCHAR");
        c.put("split_usage", MONEY);
        c.put("split_usage_ratio", MONEY);
        c.put("split_cost", MONEY);
        c.put("split_unused_cost", MONEY);
        c.put("source_format", "VARCHAR");
        c.put("delivery_id", "VARCHAR");
        return java.util.Collections.unmodifiableMap(c);
    }

    private LakeSchema() {}

    /**
     * AWS's Parquet naming of a CSV header: an underscore before each upper-case letter, lower case,
     * other characters to {@code _}, repeated underscores collapsed ({@code lineItem/UnblendedCost} →
     * {@code line_item_unblended_cost}, {@code resourceTags/user:Team} → {@code resource_tags_user_team}).
     * Snake_case names are unchanged.
     */
    static String canonical(String header) {
        StringBuilder b = new StringBuilder(header.length() + 8);
        for (char ch : header.strip().toCharArray()) {
            if (ch >= 'A' && ch <= 'Z') {
                b.append('_').append((char) (ch + 32));
            } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                b.append(ch);
            } else {
                b.append('_');
            }
        }
        return b.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
    }

    /** The same rule in SQL, for map keys (CUR 2.0 and FOCUS tags). */
    static String canonicalSql(String expr) {
        return "trim(regexp_replace(lower(regexp_replace(regexp_replace(" + expr + ", '([A-Z])', '_\\1', 'g'), '[^A-Za-z0-9_]', '_', 'g')), '_+', '_', 'g'), '_')";
    }

    /** {@code read_csv}/{@code read_parquet} over the given local files. */
    static String relation(CurFormat format, List<Path> files) {
        String list = files.stream().map(p -> quote(p.toAbsolutePath().toString())).collect(Collectors.joining(", ", "[", "]"));
        if (format.parquet()) {
            return "read_parquet(" + list + ", union_by_name = true)";
        }
        String nulls = format.focus() ? "['NULL', '']" : "['']";
        return "read_csv(" + list + ", all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"', null_padding = true, "
                + "strict_mode = false, union_by_name = true, nullstr = " + nulls + ", max_line_size = 10000000, sample_size = -1)";
    }

    /** Column names and types of a relation, in order. */
    static Map<String, String> describe(Connection duck, String relation) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
            while (rs.next()) {
                columns.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return columns;
    }

    static String quote(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** The columns a format cannot do without (canonical names for CUR, FOCUS names for FOCUS). */
    static List<String> required(CurFormat format) {
        return format.focus()
                ? List.of("BilledCost", "ChargePeriodStart", "SubAccountId", "ChargeCategory")
                : List.of("line_item_line_item_type", "line_item_usage_account_id", "line_item_unblended_cost", "line_item_usage_start_date");
    }

    /** The required columns the data lacks (an empty list when the data is usable). */
    static List<String> missingRequired(CurFormat format, Map<String, String> columns) {
        Set<String> present = format.focus()
                ? columns.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet())
                : columns.keySet().stream().map(LakeSchema::canonical).collect(Collectors.toSet());
        return required(format).stream()
                .filter(r -> !present.contains(format.focus() ? r.toLowerCase(Locale.ROOT) : r))
                .filter(r -> !(r.equals("line_item_usage_start_date") && present.contains("identity_time_interval")))
                .toList();
    }

    /**
     * The SELECT that maps {@code relation} (with the given columns) onto the lake schema.
     *
     * @param period the billing period every row belongs to (from the manifest or folder), or null to take it from the data
     */
    static String select(CurFormat format, String relation, Map<String, String> columns, java.time.YearMonth period, String deliveryId) {
        Map<String, String> exprs = format.focus() ? new Focus(columns).map(period) : new Cur(columns).map(period);
        exprs.put("source_format", quote(format.name()));
        exprs.put("delivery_id", quote(deliveryId));
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean first = true;
        for (Map.Entry<String, String> c : COLUMNS.entrySet()) {
            String e = exprs.getOrDefault(c.getKey(), "NULL");
            sql.append(first ? "" : ",\n  ").append("CAST(").append(e).append(" AS ").append(c.getValue()).append(") AS ").append(c.getKey());
            first = false;
        }
        return sql.append("\nFROM ").append(relation).toString();
    }

    static String periodLiteral(java.time.YearMonth period) {
        return "DATE '" + period.atDay(1) + "'";
    }

    /** Expressions over one relation's columns, by type. */
    private abstract static class Columns {
        final Map<String, String> types = new LinkedHashMap<>();
        final Map<String, String> byName = new LinkedHashMap<>();

        Columns(Map<String, String> columns, boolean canonicalise) {
            columns.forEach((name, type) -> {
                String key = canonicalise ? canonical(name) : name.toLowerCase(Locale.ROOT);
                byName.putIfAbsent(key, name);
                types.putIfAbsent(name, type.toUpperCase(Locale.ROOT));
            });
        }

        String col(String key) {
            String n = byName.get(key);
            return n == null ? null : ident(n);
        }

        String type(String key) {
            String n = byName.get(key);
            return n == null ? null : types.get(n);
        }

        String text(String key) {
            String c = col(key);
            return c == null ? "NULL" : "NULLIF(TRIM(CAST(" + c + " AS VARCHAR)), '')";
        }

        String money(String key) {
            String c = col(key);
            if (c == null) {
                return "NULL";
            }
            String t = type(key);
            if (t.startsWith("VARCHAR")) {
                return "CAST(NULLIF(TRIM(" + c + "), '') AS " + MONEY + ")";
            }
            return "CAST(" + c + " AS " + MONEY + ")";
        }

        String timestamp(String key) {
            String c = col(key);
            if (c == null) {
                return "NULL";
            }
            String t = type(key);
            if (t.startsWith("VARCHAR")) {
                return timestampText(c);
            }
            if (t.equals("BIGINT") || t.equals("INTEGER")) {
                return "epoch_ms(" + c + ")";
            }
            return "CAST(" + c + " AS TIMESTAMP)";
        }

        static String timestampText(String expr) {
            return "TRY_CAST(NULLIF(TRIM(" + expr + "), '') AS TIMESTAMP)";
        }

        String first(String... exprs) {
            List<String> present = java.util.Arrays.stream(exprs).filter(e -> !e.equals("NULL")).toList();
            return present.isEmpty() ? "NULL" : present.size() == 1 ? present.get(0) : "coalesce(" + String.join(", ", present) + ")";
        }

        /** A map from the columns whose keys start with {@code prefix}, keyed by the rest of the canonical name. */
        String prefixedMap(String prefix, String mapColumn) {
            String m = col(mapColumn);
            if (m != null) {
                String t = type(mapColumn);
                String map = t.startsWith("MAP") ? "CAST(" + m + " AS MAP(VARCHAR, VARCHAR))"
                        : "TRY(json_transform(NULLIF(TRIM(CAST(" + m + " AS VARCHAR)), ''), '\"MAP(VARCHAR, VARCHAR)\"'))";
                return normalisedMap(map);
            }
            Map<String, String> entries = new LinkedHashMap<>();
            byName.forEach((key, name) -> {
                if (key.startsWith(prefix) && key.length() > prefix.length()) {
                    String tagKey = key.substring(prefix.length());
                    String value = "NULLIF(TRIM(CAST(" + ident(name) + " AS VARCHAR)), '')";
                    entries.merge(tagKey, value, (a, b) -> "coalesce(" + a + ", " + b + ")");
                }
            });
            if (entries.isEmpty()) {
                return "MAP {}";
            }
            String list = entries.entrySet().stream().map(e -> "{'k': " + quote(e.getKey()) + ", 'v': " + e.getValue() + "}")
                    .collect(Collectors.joining(", ", "[", "]"));
            return "map_from_entries(list_transform(list_filter(" + list + ", e -> e.v IS NOT NULL), e -> {'key': e.k, 'value': e.v}))";
        }

        static String normalisedMap(String map) {
            String entries = "list_transform(list_filter(map_entries(" + map + "), e -> e.value IS NOT NULL AND e.value <> ''), "
                    + "e -> {'key': " + canonicalSql("e.key") + ", 'value': e.value})";
            // keys that collide after normalisation keep their first value, as AWS merges colliding tag columns
            return "coalesce(map_from_entries(list_filter(" + entries + ", (e, i) -> list_position(list_transform(" + entries
                    + ", x -> x.key), e.key) = i)), MAP {})";
        }
    }

    /** Legacy CUR (CSV or Parquet) and CUR 2.0: AWS's snake_case names. */
    private static final class Cur extends Columns {
        Cur(Map<String, String> columns) {
            super(columns, true);
        }

        Map<String, String> map(java.time.YearMonth period) {
            Map<String, String> e = new LinkedHashMap<>();
            String type = text("line_item_line_item_type");
            e.put("billing_account_id", text("bill_payer_account_id"));
            e.put("sub_account_id", text("line_item_usage_account_id"));
            e.put("billing_period_start", period != null ? periodLiteral(period) : "CAST(" + timestamp("bill_billing_period_start_date") + " AS DATE)");
            String interval = col("identity_time_interval");
            e.put("charge_period_start", first(timestamp("line_item_usage_start_date"),
                    interval == null ? "NULL" : timestampText("split_part(CAST(" + interval + " AS VARCHAR), '/', 1)")));
            e.put("charge_period_end", first(timestamp("line_item_usage_end_date"),
                    interval == null ? "NULL" : timestampText("split_part(CAST(" + interval + " AS VARCHAR), '/', 2)")));
            e.put("line_item_type", type);
            e.put("charge_category", "CASE " + type
                    + " WHEN 'Usage' THEN 'Usage' WHEN 'DiscountedUsage' THEN 'Usage' WHEN 'SavingsPlanCoveredUsage' THEN 'Usage'"
                    + " WHEN 'Tax' THEN 'Tax' WHEN 'Credit' THEN 'Credit' WHEN 'Refund' THEN 'Adjustment'"
                    + " WHEN 'Fee' THEN 'Purchase' WHEN 'RIFee' THEN 'Purchase' WHEN 'SavingsPlanUpfrontFee' THEN 'Purchase'"
                    + " WHEN 'SavingsPlanRecurringFee' THEN 'Purchase' WHEN 'SavingsPlanNegation' THEN 'Usage'"
                    + " ELSE CASE WHEN " + type + " LIKE '%Discount' THEN 'Credit' ELSE " + type + " END END");
            e.put("service_code", text("line_item_product_code"));
            String productMap = col("product");
            String productName = productMap != null && type("product").startsWith("MAP") ? "NULLIF(" + productMap + "['product_name'], '')" : "NULL";
            String productRegion = productMap != null && type("product").startsWith("MAP") ? "NULLIF(" + productMap + "['region'], '')" : "NULL";
            e.put("service_name", first(text("product_product_name"), productName, text("product_servicename"), text("line_item_product_code")));
            e.put("usage_type", text("line_item_usage_type"));
            e.put("operation", text("line_item_operation"));
            String az = text("line_item_availability_zone");
            e.put("region_id", first(text("product_region_code"), text("product_region"), productRegion,
                    az.equals("NULL") ? "NULL" : "NULLIF(regexp_replace(" + az + ", '[a-z]$', ''), '')"));
            e.put("availability_zone", az);
            e.put("resource_id", text("line_item_resource_id"));
            e.put("consumed_quantity", money("line_item_usage_amount"));
            e.put("consumed_unit", text("pricing_unit"));
            e.put("billing_currency", text("line_item_currency_code"));
            String unblended = money("line_item_unblended_cost");
            e.put("billed_cost", unblended);
            e.put("blended_cost", money("line_item_blended_cost"));
            e.put("net_unblended_cost", first(money("line_item_net_unblended_cost"), unblended));
            e.put("effective_cost", amortized(type, unblended));
            e.put("list_cost", money("pricing_public_on_demand_cost"));
            e.put("invoice_id", text("bill_invoice_id"));
            e.put("billing_entity", text("bill_billing_entity"));
            e.put("legal_entity", text("line_item_legal_entity"));
            e.put("charge_description", text("line_item_line_item_description"));
            e.put("tags", prefixedMap("resource_tags_", "resource_tags"));
            e.put("cost_categories", prefixedMap("cost_category_", "cost_category"));
            e.put("split_parent_resource_id", text("split_line_item_parent_resource_id"));
            e.put("split_usage", money("split_line_item_split_usage"));
            e.put("split_usage_ratio", money("split_line_item_split_usage_ratio"));
            e.put("split_cost", money("split_line_item_split_cost"));
            e.put("split_unused_cost", money("split_line_item_unused_cost"));
            return e;
        }

        /**
         * Amortized cost: Usage and everything else → unblended; DiscountedUsage → reservation
         * effective cost; SavingsPlanCoveredUsage → Savings Plan effective cost; SavingsPlanNegation,
         * SavingsPlanUpfrontFee and SavingsPlanRecurringFee → 0; RIFee → the unused part of the
         * reservation (unused amortized upfront fee plus unused recurring fee); an RI's upfront Fee → 0.
         */
        private String amortized(String type, String unblended) {
            String zero = "CAST(0 AS " + MONEY + ")";
            String riUnused = "coalesce(" + money("reservation_unused_amortized_upfront_fee_for_billing_period") + ", " + zero + ") + coalesce("
                    + money("reservation_unused_recurring_fee") + ", " + zero + ")";
            boolean hasRiUnused = col("reservation_unused_amortized_upfront_fee_for_billing_period") != null
                    || col("reservation_unused_recurring_fee") != null;
            String riArn = text("reservation_reservation_a_r_n");
            return "CASE " + type
                    + " WHEN 'DiscountedUsage' THEN coalesce(" + money("reservation_effective_cost") + ", " + zero + ")"
                    + " WHEN 'SavingsPlanCoveredUsage' THEN coalesce(" + money("savings_plan_savings_plan_effective_cost") + ", " + zero + ")"
                    + " WHEN 'SavingsPlanNegation' THEN " + zero
                    + " WHEN 'SavingsPlanUpfrontFee' THEN " + zero
                    + " WHEN 'SavingsPlanRecurringFee' THEN " + zero
                    + (hasRiUnused ? " WHEN 'RIFee' THEN " + riUnused : "")
                    + (riArn.equals("NULL") ? "" : " WHEN 'Fee' THEN CASE WHEN " + riArn + " IS NOT NULL THEN " + zero + " ELSE " + unblended + " END")
                    + " ELSE " + unblended + " END";
        }
    }

    /** FOCUS 1.x: PascalCase names, AWS extensions prefixed {@code x_}. */
    private static final class Focus extends Columns {
        Focus(Map<String, String> columns) {
            super(columns, false);
        }

        Map<String, String> map(java.time.YearMonth period) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("billing_account_id", text("billingaccountid"));
            e.put("sub_account_id", text("subaccountid"));
            e.put("billing_period_start", period != null ? periodLiteral(period) : "CAST(" + timestamp("billingperiodstart") + " AS DATE)");
            e.put("charge_period_start", timestamp("chargeperiodstart"));
            e.put("charge_period_end", timestamp("chargeperiodend"));
            e.put("line_item_type", first(text("x_lineitemtype"), text("chargecategory")));
            e.put("charge_category", text("chargecategory"));
            e.put("service_code", first(text("x_servicecode"), text("servicename")));
            e.put("service_name", text("servicename"));
            e.put("usage_type", text("x_usagetype"));
            e.put("operation", text("x_operation"));
            e.put("region_id", text("regionid"));
            e.put("availability_zone", text("availabilityzone"));
            e.put("resource_id", text("resourceid"));
            e.put("consumed_quantity", money("consumedquantity"));
            e.put("consumed_unit", text("consumedunit"));
            e.put("billing_currency", text("billingcurrency"));
            String billed = money("billedcost");
            e.put("billed_cost", billed);
            e.put("net_unblended_cost", billed);
            e.put("effective_cost", first(money("effectivecost"), billed));
            e.put("list_cost", money("listcost"));
            e.put("invoice_id", text("invoiceid"));
            e.put("billing_entity", text("invoiceissuername"));
            e.put("legal_entity", first(text("publishername"), text("invoiceissuername")));
            e.put("charge_description", text("chargedescription"));
            e.put("tags", prefixedMap("\u0000", "tags"));
            e.put("cost_categories", prefixedMap("\u0000", "x_costcategories"));
            return e;
        }
    }
}
