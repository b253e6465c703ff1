package dev.openpayer.invoicing;

import dev.openpayer.OpenPayerApplication;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.ExchangeRates;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBookRules.RuleInput;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.PricingRule;
import dev.openpayer.billing.PricingRule.Action;
import dev.openpayer.billing.PricingRule.Basis;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The invoicing benchmark of issue 5: one month's invoicing of 1,000 billing profiles over a 20-million-row lake, timed
 * against a bare DuckDB GROUP BY of the same Parquet file in the same process. Two steps, each run in its own JVM by
 * {@code bench/invoices.sh} (so that the run's peak memory is not the generator's):
 *
 * <ul>
 *   <li>{@code generate <file> <rows> <billed accounts> <unbilled accounts> <month>}: one lake month in the lake's normalised
 *       schema (the columns and types of {@code LakeSchema.COLUMNS}) written directly with DuckDB from {@code range()}:
 *       40 services, 10 per account, 4 SKUs (usage type, operation, region) per service; Usage, DiscountedUsage,
 *       SavingsPlanCoveredUsage, Fee, Tax and Credit lines; a {@code user_team} tag on two thirds of the usage lines.
 *       Account {@code n} is {@link #accountId(int) 200000000000 + n}; the unbilled ones come last.
 *   <li>{@code run <file> <month> <resellers> <customers per reseller>}: the whole application on an in-memory H2 database
 *       (the test defaults) with the distributor, its resellers and their customers (one billing profile and two AWS
 *       accounts each), a wholesale book and two customer books per reseller with published rules (markups, discounts on
 *       three bases, a SKU rule, a fixed rate, EXCLUDE for credits, tag rules, an account rule), contracts, some invoice
 *       settings (grouping, a tax rate) and custom line items; the file registered as a payer's partition. After an untimed
 *       warm-up of both sides, timed: bare DuckDB, the lake scan alone, the distributor's run, each reseller's run, then
 *       every seller in one run (from no invoices) and the month's restatement over those drafts. After each way of running,
 *       every invoice is checked against its computation from the Parquet file (rules applied in DuckDB SQL; lines, rounding,
 *       fees and tax here).
 * </ul>
 *
 * Prints {@code result name=<step> seconds=<wall> cpu=<process CPU> rows=<lake rows read> invoices=<n>} and one
 * {@code check state=<step> ok=<true|false> ...} line per checked state; the script formats them.
 */
public final class InvoiceBench {
    private static final String TAG = "user_team";
    private static final String[] SERVICES = {"AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudWatch", "AmazonDynamoDB", "AmazonVPC",
        "AWSDataTransfer", "AmazonCloudFront", "AmazonEKS", "AmazonECS", "AmazonElastiCache", "AmazonRedshift", "AmazonSNS", "AmazonSQS",
        "AmazonKinesis", "AWSGlue", "AmazonAthena", "AmazonRoute53", "awskms", "AWSSecretsManager", "AmazonEFS", "AmazonFSx", "AWSBackup", "AmazonES",
        "AmazonSageMaker", "AmazonBedrock", "AWSConfig", "AWSCloudTrail", "AmazonGuardDuty", "AWSSecurityHub", "AmazonInspectorV2", "AmazonMQ",
        "AmazonMSK", "AmazonLightsail", "AmazonWorkSpaces", "AmazonStates", "AmazonApiGateway", "AWSCostExplorer", "AWSSystemsManager"};
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"};
    private static final String[] REGION_CODES = {"USE1", "USW2", "EU", "EUC1", "APS1"};

    private InvoiceBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    YearMonth.parse(args[5]));
            case "run" -> new InvoiceBench.Run(Path.of(args[1]), YearMonth.parse(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4])).run();
            default -> throw new IllegalArgumentException("generate | run");
        }
    }

    static String accountId(int n) {
        return String.format("%012d", 200_000_000_000L + n);
    }

    // ------------------------------------------------------------------ the lake month

    private static void generate(Path file, long rows, int assigned, int unassigned, YearMonth month) throws Exception {
        long t0 = System.nanoTime();
        int accounts = assigned + unassigned;
        int hours = month.lengthOfMonth() * 24;
        // Row i → account a (round robin) and its j-th line → combination c = j % 40 of service (10 per account) and SKU variant
        // (4 per service: usage type, operation, region), kind bucket k → line item type, a tag on a third of the usage lines.
        // The strings come from two small tables joined on integers, so that each row costs little to make.
        String kinds = "['Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage', 'Fee', 'Tax', 'Credit']";
        String sku = "CREATE TEMP TABLE sku AS SELECT a, c, kind, lpad(CAST(200000000000 + a AS VARCHAR), 12, '0') AS sub_account_id, "
                + "lit, CASE lit WHEN 'Tax' THEN 'Tax' WHEN 'Credit' THEN 'Credit' WHEN 'Fee' THEN 'Purchase' ELSE 'Usage' END AS charge_category, "
                + "service AS service_code, CASE WHEN s < 3 THEN ['Amazon Elastic Compute Cloud', 'Amazon Simple Storage Service', "
                + "'Amazon Relational Database Service'][s + 1] ELSE service END AS service_name, "
                + "CASE WHEN lit = 'Tax' THEN NULL ELSE " + list(REGION_CODES) + "[r + 1] || '-' || service || ':' || v END AS usage_type, "
                + "CASE WHEN lit = 'Tax' THEN NULL ELSE 'Op' || (v % 2) END AS operation, "
                + "CASE WHEN lit = 'Tax' THEN NULL ELSE " + list(REGIONS) + "[r + 1] END AS region_id, "
                + "'arn:aws:' || lower(service) || ':' || a || ':r-' || c AS resource_id, lit || ' of ' || service AS charge_description "
                + "FROM (SELECT a, c, kind, s, v, r, " + list(SERVICES) + "[s + 1] AS service, " + kinds + "[kind + 1] AS lit "
                + "FROM (SELECT a, c, kind, (a * 7 + (c % 10) * 4) % 40 AS s, c // 10 AS v, (a + c // 10) % 5 AS r "
                + "FROM range(" + accounts + ") t1(a), range(40) t2(c), range(6) t3(kind)))";
        String tagMaps = "CREATE TEMP TABLE tag_maps AS SELECT 0 AS ti, CAST(MAP {} AS MAP(VARCHAR, VARCHAR)) AS tags UNION ALL "
                + "SELECT ti, MAP {'" + TAG + "': 'team-' || (ti - 1)} FROM range(1, 4) t(ti)";
        String lines = "SELECT i, a, j, c, kind, CASE WHEN kind = 0 AND tagged > 0 THEN 1 + (a + tagged) % 3 ELSE 0 END AS ti, m FROM ("
                + "SELECT i, a, j, j % 40 AS c, CASE WHEN k < 3 THEN 4 WHEN k < 5 THEN 5 WHEN k < 13 THEN 1 WHEN k < 17 THEN 2 WHEN k < 18 THEN 3 "
                + "ELSE 0 END AS kind, (j // 40) % 3 AS tagged, (i * 2654435761) % 1000003 AS m FROM ("
                + "SELECT i, a, j, ((j // 40) * 37 + a) % 100 AS k FROM (SELECT i, i % " + accounts + " AS a, i // " + accounts + " AS j "
                + "FROM range(" + rows + ") t(i))))";
        // Costs are exact decimals with at most 8 places, made from integers (a DOUBLE quotient cast to DECIMAL(38,10) is exact here,
        // and much cheaper than DECIMAL arithmetic).
        String billed = "CASE kind WHEN 4 THEN m / 10000000.0 WHEN 5 THEN -m / 1000000.0 WHEN 3 THEN m / 100000.0 ELSE m / 1000000.0 END";
        String cost = "CAST(" + billed + " AS DECIMAL(38,10))";
        Map<String, String> e = new LinkedHashMap<>();
        e.put("billing_account_id", "'999999999999'");
        e.put("sub_account_id", "sub_account_id");
        e.put("billing_period_start", "DATE '" + month.atDay(1) + "'");
        e.put("charge_period_start", "TIMESTAMP '" + month.atDay(1) + " 00:00:00' + to_hours(j % " + hours + ")");
        e.put("charge_period_end", "TIMESTAMP '" + month.atDay(1) + " 01:00:00' + to_hours(j % " + hours + ")");
        e.put("line_item_type", "lit");
        e.put("charge_category", "charge_category");
        e.put("service_code", "service_code");
        e.put("service_name", "service_name");
        e.put("usage_type", "usage_type");
        e.put("operation", "operation");
        e.put("region_id", "region_id");
        e.put("availability_zone", "region_id || 'a'");
        e.put("resource_id", "resource_id");
        e.put("consumed_quantity", "((i * 40503) % 10000) / 100.0");
        e.put("consumed_unit", "'Hrs'");
        e.put("billing_currency", "'USD'");
        e.put("billed_cost", cost);
        e.put("blended_cost", cost);
        e.put("net_unblended_cost", cost);
        e.put("effective_cost", "CASE WHEN kind IN (1, 2) THEN m * 7 / 10000000.0 WHEN kind = 3 THEN 0 ELSE " + billed + " END");
        e.put("list_cost", "CASE WHEN kind IN (0, 1, 2) THEN m * 125 / 100000000.0 ELSE " + billed + " END");
        e.put("invoice_id", "'EUINBENCH-" + month + "'");
        e.put("billing_entity", "'AWS'");
        e.put("legal_entity", "'Amazon Web Services EMEA SARL'");
        e.put("charge_description", "charge_description");
        e.put("tags", "tags");
        e.put("cost_categories", "MAP {}");
        e.put("source_format", "'LEGACY_PARQUET'");
        e.put("delivery_id", "'bench'");
        StringBuilder select = new StringBuilder("SELECT ");
        String sep = "";
        for (Map.Entry<String, String> c : lakeColumns().entrySet()) {
            select.append(sep).append("CAST(").append(e.getOrDefault(c.getKey(), "NULL")).append(" AS ").append(c.getValue()).append(") AS ")
                    .append(c.getKey());
            sep = ", ";
        }
        select.append(" FROM (").append(lines).append(") x JOIN sku USING (a, c, kind) JOIN tag_maps USING (ti)");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("SET preserve_insertion_order = false");
            st.execute(sku);
            st.execute(tagMaps);
            st.execute("COPY (" + select + ") TO '" + file.toAbsolutePath() + "' (FORMAT parquet, COMPRESSION zstd)");
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT sub_account_id) FROM read_parquet('" + file.toAbsolutePath() + "')")) {
                rs.next();
                System.out.printf("generated rows=%d accounts=%d bytes=%d%n", rs.getLong(1), rs.getLong(2), Files.size(file));
                System.out.printf("rows=%d seconds=%.3f%n", rs.getLong(1), (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** The lake's columns and types, from the ingestion's own definition (package-private in dev.openpayer.cur). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> lakeColumns() throws ReflectiveOperationException {
        var field = Class.forName("dev.openpayer.cur.LakeSchema").getDeclaredField("COLUMNS");
        field.setAccessible(true);
        return (Map<String, String>) field.get(null);
    }

    private static String list(String[] values) {
        return java.util.Arrays.stream(values).map(v -> "'" + v + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    // ------------------------------------------------------------------ price books

    private static RuleInput rule(String name, String service, String usageType, String operation, String region, String account, String lineItemType,
            String tagKey, String tagValue, Action action, Basis basis, String percent, String rate) {
        return new RuleInput(name, service, usageType, operation, region, account, lineItemType, tagKey, tagValue, action, basis,
                percent == null ? null : new BigDecimal(percent), rate == null ? null : new BigDecimal(rate));
    }

    /** The distributor's wholesale book: what resellers pay. */
    static List<RuleInput> wholesaleRules(String someAccount) {
        return List.of(
                rule("Partner discount", null, null, null, null, null, null, null, null, Action.DISCOUNT, Basis.UNBLENDED, "4", null),
                rule("EC2 at amortized cost", "AmazonEC2", null, null, null, null, null, null, null, Action.DISCOUNT, Basis.AMORTIZED, "6", null),
                rule("Bedrock at cost", "AmazonBedrock", null, null, null, null, null, null, null, Action.PASS_THROUGH, null, null, null),
                rule("Tax at cost", null, null, null, null, null, "Tax", null, null, Action.PASS_THROUGH, null, null, null),
                rule("S3 Op1", "AmazonS3", null, "Op1", null, null, null, null, null, Action.DISCOUNT, Basis.UNBLENDED, "8", null),
                rule("Tagged usage", null, null, null, null, null, null, TAG, null, Action.DISCOUNT, Basis.UNBLENDED, "5", null),
                rule("Singapore", null, null, null, "ap-southeast-1", null, null, null, null, Action.MARKUP, Basis.UNBLENDED, "2", null),
                rule("Credits stay with us", null, null, null, null, null, "Credit", null, null, Action.EXCLUDE, null, null, null),
                rule("CloudWatch per unit", "AmazonCloudWatch", null, null, null, null, "Usage", null, null, Action.FIXED_RATE, null, null, "0.003"),
                rule("Reference account", null, null, null, null, someAccount, null, null, null, Action.PASS_THROUGH, null, null, null));
    }

    /** A reseller's standard customer book. */
    static List<RuleInput> standardRules(String someAccount) {
        return List.of(
                rule("Margin", null, null, null, null, null, null, null, null, Action.MARKUP, Basis.UNBLENDED, "8", null),
                rule("EC2", "AmazonEC2", null, null, null, null, null, null, null, Action.MARKUP, Basis.UNBLENDED, "12", null),
                rule("S3", "AmazonS3", null, null, null, null, null, null, null, Action.MARKUP, Basis.UNBLENDED, "5", null),
                rule("RDS amortized", "AmazonRDS", null, null, null, null, null, null, null, Action.DISCOUNT, Basis.AMORTIZED, "3", null),
                rule("EC2 USE1 SKU 2", "AmazonEC2", "USE1-AmazonEC2:2", null, null, null, null, null, null, Action.DISCOUNT, Basis.UNBLENDED, "10", null),
                rule("No credits", null, null, null, null, null, "Credit", null, null, Action.EXCLUDE, null, null, null),
                rule("Tax at cost", null, null, null, null, null, "Tax", null, null, Action.PASS_THROUGH, null, null, null),
                rule("Team 1", null, null, null, null, null, null, TAG, "team-1", Action.DISCOUNT, Basis.UNBLENDED, "5", null),
                rule("Ireland", null, null, null, "eu-west-1", null, null, null, null, Action.MARKUP, Basis.UNBLENDED, "10", null),
                rule("CloudWatch USE1 SKU 0", "AmazonCloudWatch", "USE1-AmazonCloudWatch:0", null, null, null, null, null, null, Action.FIXED_RATE, null,
                        null, "0.012"),
                rule("Lambda list price", "AWSLambda", null, null, null, null, null, null, null, Action.DISCOUNT, Basis.PUBLIC_ON_DEMAND, "15", null),
                rule("Reference account", null, null, null, null, someAccount, null, null, null, Action.MARKUP, Basis.UNBLENDED, "1.5", null));
    }

    /** A reseller's premium book, set on some accounts. */
    static List<RuleInput> premiumRules() {
        return List.of(
                rule("Premium margin", null, null, null, null, null, null, null, null, Action.MARKUP, Basis.UNBLENDED, "15", null),
                rule("Premium EC2", "AmazonEC2", null, null, null, null, null, null, null, Action.MARKUP, Basis.AMORTIZED, "20", null),
                rule("No credits", null, null, null, null, null, "Credit", null, null, Action.EXCLUDE, null, null, null),
                rule("Team 2 at cost", null, null, null, null, null, "Usage", TAG, "team-2", Action.PASS_THROUGH, null, null, null));
    }

    // ------------------------------------------------------------------ the run

    /** How one customer is billed, as set up (the expectation's input). */
    record Customer(UUID id, UUID resellerId, UUID profileId, List<String> accounts, String premiumAccount, InvoiceSettings.Grouping grouping,
            BigDecimal taxRate, List<CustomLineItems.Details> items, String currency, BigDecimal rate) {}

    /** The month's recorded rates from USD: some customers are invoiced in euros and in yen. */
    static final Map<String, BigDecimal> RATES = Map.of("USD", BigDecimal.ONE, "EUR", new BigDecimal("0.9137"), "JPY", new BigDecimal("151.2345"));

    static final class Run {
        private final Path file;
        private final YearMonth month;
        private final int resellerCount;
        private final int customersPerReseller;
        private ConfigurableApplicationContext ctx;
        private JdbcTemplate jdbc;
        private Organization distributor;
        private final List<Organization> resellers = new ArrayList<>();
        private final List<Customer> customers = new ArrayList<>();
        private final Map<UUID, UUID> resellerProfiles = new HashMap<>();
        private String referenceAccount;

        Run(Path file, YearMonth month, int resellers, int customersPerReseller) {
            this.file = file.toAbsolutePath();
            this.month = month;
            this.resellerCount = resellers;
            this.customersPerReseller = customersPerReseller;
        }

        void run() throws Exception {
            long t0 = System.nanoTime();
            ctx = new SpringApplication(OpenPayerApplication.class).run("--spring.main.web-application-type=none", "--spring.main.banner-mode=off",
                    "--openpayer.admin.email=bench@openpayer.test", "--openpayer.admin.password=bench-admin-password",
                    "--openpayer.distributor-name=Bench Distributor", "--openpayer.cur.discovery-interval=1000h", "--openpayer.aws.sync-interval=1000h",
                    "--openpayer.aws.health-interval=1000h", "--openpayer.mail.poll-interval=1000h");
            jdbc = ctx.getBean(JdbcTemplate.class);
            System.out.printf("setup: application started in %.1fs%n", (System.nanoTime() - t0) / 1e9);
            setUp();
            System.out.printf("setup: %d resellers, %d customers, %d accounts, lake month %s registered in %.1fs%n", resellers.size(), customers.size(),
                    customers.size() * 2, month, (System.nanoTime() - t0) / 1e9);
            Invoicing invoicing = ctx.getBean(Invoicing.class);
            LakeCosts lake = ctx.getBean(LakeCosts.class);
            Expected expected = expected();
            String bareSql = "SELECT sub_account_id, service_code, sum(billed_cost) AS cost, count(*) AS n FROM read_parquet('" + file + "') GROUP BY ALL";
            List<Organization> everyone = new ArrayList<>();
            everyone.add(distributor);
            everyone.addAll(resellers);
            // Untimed warm-up of both sides (DuckDB loaded, the file in the page cache, the JIT done): a bare query, every seller's run.
            bare(bareSql);
            invoicing.run(everyone, month, "BENCH", null).forEach(InvoiceBench::check);
            clearMonth();

            // 1. bare DuckDB: the same file grouped by account and service, every value read; the best of three.
            Step best = null;
            for (int i = 0; i < 3; i++) {
                Step s = new Step();
                long[] b = bare(bareSql);
                s.done(b[0], 0);
                best = best == null || s.seconds < best.seconds ? s : best;
            }
            best.print("bare");
            // 1b. bare DuckDB doing the run's own aggregation: the same dimensions (account, service, usage type, operation, region, line
            // item type, charge category, currency, the tag) and sums, every value of every group read; the best of three.
            String sameSql = "SELECT sub_account_id, service_code, usage_type, operation, region_id, line_item_type, charge_category, billing_currency, "
                    + "tags['" + TAG + "'] AS tag, min(service_name) AS service_name, count(*) AS n, CAST(sum(billed_cost) AS DECIMAL(38,10)) AS u, "
                    + "CAST(sum(coalesce(effective_cost, billed_cost)) AS DECIMAL(38,10)) AS a, CAST(sum(coalesce(list_cost, billed_cost)) AS DECIMAL(38,10)) AS p, "
                    + "CAST(sum(coalesce(consumed_quantity, 0)) AS DECIMAL(38,10)) AS q FROM read_parquet('" + file + "') GROUP BY ALL";
            bareSame(sameSql);
            best = null;
            for (int i = 0; i < 3; i++) {
                Step s = new Step();
                long[] b = bareSame(sameSql);
                s.done(b[0], 0);
                best = best == null || s.seconds < best.seconds ? s : best;
            }
            best.print("same");

            // 2. the lake scan of a run for every seller (LakeCosts.scan of every billed account, with the books' tag key), slices dropped.
            List<String> billed = customers.stream().flatMap(c -> c.accounts().stream()).toList();
            Step step = new Step();
            long[] slices = {0};
            long rows = lake.scan(lake.month(month), List.of(TAG), billed, slice -> slices[0]++);
            step.done(rows, 0).print("scan");
            System.out.printf("info: the scan returned %d slices%n", slices[0]);

            // 3. one seller at a time, as the API runs them: the distributor, then each reseller.
            Step sellers = new Step();
            step = new Step();
            InvoiceRun d = check(invoicing.run(distributor, month, "BENCH", null));
            step.done(d.costRows(), d.invoices()).print("distributor");
            rows = d.costRows();
            int invoices = d.invoices();
            Step slowest = null;
            Step resellerRuns = new Step();
            for (Organization reseller : resellers) {
                step = new Step();
                InvoiceRun r = check(invoicing.run(reseller, month, "BENCH", null));
                step.done(r.costRows(), r.invoices());
                slowest = slowest == null || step.seconds > slowest.seconds ? step : slowest;
                rows += r.costRows();
                invoices += r.invoices();
            }
            resellerRuns.done(rows - d.costRows(), invoices - d.invoices());
            resellerRuns.per(resellers.size()).print("reseller");
            slowest.print("reseller-max");
            sellers.done(rows, invoices).print("sellers");
            verify("sellers", expected);

            // 4. every seller in one run sharing one read of the month, from no invoices; then the restatement of the month (every seller
            // with invoices, again in one run) over those drafts.
            clearMonth();
            step = new Step();
            List<InvoiceRun> all = invoicing.run(everyone, month, "BENCH", null);
            all.forEach(InvoiceBench::check);
            step.done(all.get(0).costRows(), all.stream().mapToInt(InvoiceRun::invoices).sum()).print("all");
            verify("all", expected);
            step = new Step();
            invoicing.recompute(month, "RESTATEMENT");
            step.done(0, 0);
            List<Map<String, Object>> restated = jdbc.queryForList("select status, unchanged, cost_rows from invoice_runs where trigger_kind = 'RESTATEMENT'");
            if (restated.size() != everyone.size() || restated.stream().anyMatch(r -> !"COMPLETED".equals(r.get("status")))) {
                throw new IllegalStateException("the restatement's runs: " + restated);
            }
            step.rows = ((Number) restated.get(0).get("cost_rows")).longValue();
            step.invoices = restated.stream().mapToInt(r -> ((Number) r.get("unchanged")).intValue()).sum();
            step.print("rerun");
            verify("rerun", expected);
            ctx.close();
        }

        /** Wall and process CPU time (every thread, DuckDB's included) of one step. */
        static final class Step {
            private static final com.sun.management.OperatingSystemMXBean OS =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            private final long wall0 = System.nanoTime();
            private final long cpu0 = OS.getProcessCpuTime();
            double seconds;
            double cpu;
            long rows;
            int invoices;

            Step done(long rows, int invoices) {
                this.seconds = (System.nanoTime() - wall0) / 1e9;
                this.cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
                this.rows = rows;
                this.invoices = invoices;
                return this;
            }

            Step per(int n) {
                seconds /= n;
                cpu /= n;
                rows /= n;
                invoices /= n;
                return this;
            }

            void print(String name) {
                System.out.printf("result name=%s seconds=%.3f cpu=%.3f rows=%d invoices=%d%n", name, seconds, cpu, rows, invoices);
            }
        }

        /** Runs the run-shaped aggregation and reads every value of every group as the run does; returns the file's rows and the groups. */
        private long[] bareSame(String sql) throws Exception {
            long groups = 0;
            long rows = 0;
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    for (int c = 1; c <= 10; c++) {
                        rs.getString(c);
                    }
                    rows += rs.getLong(11);
                    for (int c = 12; c <= 15; c++) {
                        rs.getBigDecimal(c);
                    }
                    groups++;
                }
            }
            return new long[] {rows, groups};
        }

        /** Runs a query and reads every value of every row; returns the rows of the file (the sum of counts) and result rows. */
        private long[] bare(String sql) throws Exception {
            long groups = 0;
            long rows = 0;
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    Objects.requireNonNull(rs.getString(1));
                    rs.getString(2);
                    rs.getBigDecimal(3);
                    rows += rs.getLong(4);
                    groups++;
                }
            }
            return new long[] {rows, groups};
        }

        // -------------------------------------------------------------- setup (not timed)

        private void setUp() {
            Tenancy tenancy = ctx.getBean(Tenancy.class);
            BillingProfiles profiles = ctx.getBean(BillingProfiles.class);
            PriceBooks books = ctx.getBean(PriceBooks.class);
            PriceBookRules rules = ctx.getBean(PriceBookRules.class);
            Contracts contracts = ctx.getBean(Contracts.class);
            InvoiceSettings settings = ctx.getBean(InvoiceSettings.class);
            CustomLineItems items = ctx.getBean(CustomLineItems.class);
            Viewer system = tenancy.system();
            distributor = tenancy.top().orElseThrow();
            referenceAccount = accountId(0);
            LocalDate start = month.minusMonths(6).atDay(1);

            ExchangeRates rates = ctx.getBean(ExchangeRates.class);
            for (Map.Entry<String, BigDecimal> r : RATES.entrySet()) {
                if (!r.getKey().equals("USD")) {
                    rates.record(system, month, "USD", r.getKey(), r.getValue(), "bench");
                }
            }
            PriceBook wholesale = books.create(system, distributor.id(), new PriceBooks.Details("Wholesale", "USD", null));
            publish(rules, system, wholesale.id(), wholesaleRules(referenceAccount));
            List<Object[]> accounts = new ArrayList<>();
            Instant joined = month.minusMonths(2).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            int n = 0;
            for (int r = 0; r < resellerCount; r++) {
                Organization reseller = tenancy.create(system, OrganizationType.RESELLER, String.format("Reseller %02d", r + 1), distributor.id());
                resellers.add(reseller);
                resellerProfiles.put(reseller.id(), profiles.create(system, reseller.id(), details(reseller.name(), "USD")).id());
                contracts.create(system, distributor.id(), reseller.id(), new Contracts.Details(wholesale.id(), start, null, ContractStatus.ACTIVE));
                PriceBook standard = books.create(system, reseller.id(), new PriceBooks.Details("Standard", "USD", null));
                publish(rules, system, standard.id(), standardRules(referenceAccount));
                PriceBook premium = books.create(system, reseller.id(), new PriceBooks.Details("Premium", "USD", null));
                publish(rules, system, premium.id(), premiumRules());
                for (int c = 0; c < customersPerReseller; c++) {
                    Organization customer = tenancy.create(system, OrganizationType.CUSTOMER, String.format("Customer %02d-%03d", r + 1, c + 1), reseller.id());
                    String currency = c % 13 == 7 ? "EUR" : c % 50 == 11 ? "JPY" : "USD";
                    BillingProfile profile = profiles.create(system, customer.id(), details(customer.name(), currency));
                    contracts.create(system, reseller.id(), customer.id(), new Contracts.Details(standard.id(), start, null, ContractStatus.ACTIVE));
                    List<String> ids = List.of(accountId(n), accountId(n + 1));
                    String premiumAccount = c % 10 == 0 ? ids.get(1) : null;
                    for (String id : ids) {
                        accounts.add(new Object[] {UUID.randomUUID(), id, customer.id(), profile.id(), id.equals(premiumAccount) ? premium.id() : null,
                            Timestamp.from(joined)});
                    }
                    n += 2;
                    InvoiceSettings.Grouping grouping = c % 7 == 3 ? InvoiceSettings.Grouping.SERVICE
                            : c % 7 == 5 ? InvoiceSettings.Grouping.ACCOUNT : InvoiceSettings.Grouping.ACCOUNT_SERVICE;
                    BigDecimal taxRate = c % 5 == 1 ? new BigDecimal("19") : null;
                    if (grouping != InvoiceSettings.Grouping.ACCOUNT_SERVICE || taxRate != null) {
                        settings.save(system, profile.id(), new InvoiceSettings.Settings(profile.id(), grouping,
                                taxRate == null ? InvoiceSettings.TaxMode.PASS_THROUGH : InvoiceSettings.TaxMode.RATE, taxRate, null));
                    }
                    List<CustomLineItems.Details> custom = new ArrayList<>();
                    if (c % 4 == 2) {
                        custom.add(new CustomLineItems.Details(profile.id(), null, "Support", CustomLineItems.Kind.FEE, CustomLineItems.Charge.FLAT,
                                new BigDecimal("49.00"), month.minusMonths(3), null, true));
                    }
                    if (c % 9 == 4) {
                        custom.add(new CustomLineItems.Details(profile.id(), null, "Management fee", CustomLineItems.Kind.FEE, CustomLineItems.Charge.PERCENT,
                                new BigDecimal("3"), month, month, false));
                    }
                    if (c % 11 == 5) {
                        custom.add(new CustomLineItems.Details(profile.id(), ids.get(0), "Commitment credit", CustomLineItems.Kind.CREDIT,
                                CustomLineItems.Charge.PERCENT, new BigDecimal("2.5"), month, null, true));
                    }
                    custom.forEach(i -> items.create(system, i));
                    if (c == 0) {
                        // A second profile with a tax rate and nothing billed to it: no invoice is expected for it.
                        BillingProfile idle = profiles.create(system, customer.id(), details(customer.name() + " (idle)", "USD"));
                        settings.save(system, idle.id(), new InvoiceSettings.Settings(idle.id(), InvoiceSettings.Grouping.ACCOUNT_SERVICE,
                                InvoiceSettings.TaxMode.RATE, new BigDecimal("19"), null));
                    }
                    customers.add(new Customer(customer.id(), reseller.id(), profile.id(), ids, premiumAccount, grouping, taxRate, custom, currency,
                            RATES.get(currency)));
                }
            }
            jdbc.batchUpdate("insert into aws_accounts (id, account_id, customer_id, billing_profile_id, price_book_id, joined_at, connection_type, status, "
                    + "account_type, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 'INVITE', 'ACTIVE', 'RESALE', current_timestamp, current_timestamp)",
                    accounts);
            CurSource source = ctx.getBean(CurSources.class).create(distributor.id(), "999999999999", "Bench payer", "file:" + file.getParent());
            long rows;
            BigDecimal billed;
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*), CAST(sum(billed_cost) AS DECIMAL(38,10)) FROM read_parquet('" + file + "')")) {
                rs.next();
                rows = rs.getLong(1);
                billed = rs.getBigDecimal(2);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            jdbc.update("insert into cur_partitions (source_id, billing_period, delivery_id, report_name, format, lake_path, row_count, billed_cost, is_final, "
                    + "delivered_at, ingested_at) values (?, ?, 'bench', 'bench', 'LEGACY_PARQUET', ?, ?, ?, true, current_timestamp, current_timestamp)",
                    source.id(), month.toString(), file.toString(), rows, billed);
            if (source.owner() != CurSource.Owner.PAYER) {
                throw new IllegalStateException("the bench source must be a payer's");
            }
        }

        private void publish(PriceBookRules rules, Viewer system, UUID book, List<RuleInput> inputs) {
            rules.saveDraft(system, book, inputs, "bench");
            rules.publish(system, book, month.minusMonths(1));
        }

        private static BillingProfile.Details details(String name, String currency) {
            return new BillingProfile.Details(name, name + " GmbH", "Hauptstrasse 1", null, "Berlin", "10115", null, "DE", currency, 30,
                    List.of("billing@" + name.toLowerCase().replaceAll("[^a-z0-9]", "") + ".test"));
        }

        private void clearMonth() {
            jdbc.update("delete from invoice_lines where invoice_id in (select id from invoices where billing_month = ?)", month.atDay(1));
            jdbc.update("delete from invoices where billing_month = ?", month.atDay(1));
        }

        // -------------------------------------------------------------- the expectation, computed independently

        /** One invoice as it should be. */
        record Doc(BigDecimal costBasis, BigDecimal subtotal, BigDecimal tax, BigDecimal total, int lines) {}

        record Expected(Map<String, Doc> docs, BigDecimal assignedCost) {}

        /**
         * Every invoice of the month from the Parquet file: the rows summed per value of every field a rule looks at, each sum priced
         * in DuckDB by its book's rules (most specific first, written out here as a CASE), summed per account, tax flag and service;
         * lines, rounding, fees and tax here.
         */
        private Expected expected() throws Exception {
            long t0 = System.nanoTime();
            Map<String, Doc> docs = new TreeMap<>();
            StringBuilder retailAccounts = new StringBuilder();
            StringBuilder wholesaleAccounts = new StringBuilder();
            Map<String, Customer> byAccount = new HashMap<>();
            for (Customer c : customers) {
                for (String a : c.accounts()) {
                    byAccount.put(a, c);
                    retailAccounts.append(retailAccounts.isEmpty() ? "" : ", ").append("('").append(a).append("', '")
                            .append(a.equals(c.premiumAccount()) ? "premium" : "standard").append("')");
                    wholesaleAccounts.append(wholesaleAccounts.isEmpty() ? "" : ", ").append("('").append(a).append("', 'wholesale')");
                }
            }
            Map<String, String> books = Map.of("standard", caseOf(standardRules(referenceAccount)), "premium", caseOf(premiumRules()), "wholesale",
                    caseOf(wholesaleRules(referenceAccount)));
            BigDecimal assigned;
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
                // Pricing is linear, so the rows are first summed over everything a rule can look at (exactly, in DECIMAL).
                st.execute("CREATE TEMP TABLE lake_groups AS SELECT sub_account_id, service_code, usage_type, operation, region_id, line_item_type, "
                        + "charge_category, tags['" + TAG + "'] AS tag, sum(billed_cost) AS billed_cost, sum(coalesce(effective_cost, billed_cost)) AS effective_cost, "
                        + "sum(coalesce(list_cost, billed_cost)) AS list_cost, sum(coalesce(consumed_quantity, 0)) AS consumed_quantity, count(*) AS n "
                        + "FROM read_parquet('" + file + "') GROUP BY ALL");
                st.execute("CREATE TEMP VIEW lake AS SELECT *, CASE WHEN tag IS NULL THEN CAST(MAP {} AS MAP(VARCHAR, VARCHAR)) ELSE MAP {'" + TAG
                        + "': tag} END AS tags FROM lake_groups");
                Map<String, List<Fine>> retail = fine(st, retailAccounts.toString(), books);
                Map<String, List<Fine>> wholesale = fine(st, wholesaleAccounts.toString(), books);
                try (ResultSet rs = st.executeQuery("SELECT CAST(sum(billed_cost) AS DECIMAL(38,10)) FROM lake WHERE sub_account_id IN ("
                        + byAccount.keySet().stream().map(a -> "'" + a + "'").collect(Collectors.joining(", ")) + ")")) {
                    rs.next();
                    assigned = rs.getBigDecimal(1);
                }
                for (Customer c : customers) {
                    List<Fine> rows = c.accounts().stream().flatMap(a -> retail.getOrDefault(a, List.of()).stream()).toList();
                    docs.put(c.profileId() + "/RETAIL", doc(rows, c.grouping(), c.taxRate(), c.items(), c.currency(), c.rate()));
                }
                for (Organization r : resellers) {
                    List<Fine> rows = customers.stream().filter(c -> c.resellerId().equals(r.id())).flatMap(c -> c.accounts().stream())
                            .flatMap(a -> wholesale.getOrDefault(a, List.of()).stream()).toList();
                    docs.put(resellerProfiles.get(r.id()) + "/WHOLESALE", doc(rows, InvoiceSettings.Grouping.ACCOUNT_SERVICE, null, List.of(), "USD",
                            BigDecimal.ONE));
                }
            }
            System.out.printf("setup: expected invoices computed from the Parquet file in %.1fs%n", (System.nanoTime() - t0) / 1e9);
            return new Expected(docs, assigned);
        }

        /** Sums of one account's rows with the same tax flag and service. */
        record Fine(String account, boolean tax, String service, BigDecimal cost, BigDecimal priced, long included) {}

        private Map<String, List<Fine>> fine(Statement st, String accounts, Map<String, String> books) throws Exception {
            String priced = "CASE book " + books.entrySet().stream().map(b -> "WHEN '" + b.getKey() + "' THEN " + b.getValue().split("\n")[0])
                    .collect(Collectors.joining(" ")) + " END";
            String excluded = "CASE book " + books.entrySet().stream().map(b -> "WHEN '" + b.getKey() + "' THEN " + b.getValue().split("\n")[1])
                    .collect(Collectors.joining(" ")) + " END";
            String sql = "SELECT sub_account_id, tax, service, CAST(sum(billed_cost) AS DECIMAL(38,10)) AS cost, sum(priced) FILTER (WHERE NOT excluded) AS priced, "
                    + "CAST(coalesce(sum(n) FILTER (WHERE NOT excluded), 0) AS BIGINT) AS included FROM (SELECT r.*, (lower(coalesce(line_item_type, '')) = 'tax' "
                    + "OR lower(coalesce(charge_category, '')) = 'tax') AS tax, coalesce(service_code, '(no service)') AS service, " + priced + " AS priced, "
                    + excluded + " AS excluded FROM lake r JOIN (VALUES " + accounts + ") acc(account, book) "
                    + "ON acc.account = r.sub_account_id) GROUP BY ALL";
            Map<String, List<Fine>> out = new HashMap<>();
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    BigDecimal p = rs.getBigDecimal("priced");
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Fine(rs.getString(1), rs.getBoolean("tax"), rs.getString("service"),
                            rs.getBigDecimal("cost"), p == null ? BigDecimal.ZERO : p, rs.getLong("included")));
                }
            }
            return out;
        }

        /** The invoice of the rows (costs in USD): lines by grouping, converted and rounded half-even to the currency's unit, custom items, tax. */
        private static Doc doc(List<Fine> rows, InvoiceSettings.Grouping grouping, BigDecimal taxRate, List<CustomLineItems.Details> items, String currency,
                BigDecimal rate) {
            int scale = java.util.Currency.getInstance(currency).getDefaultFractionDigits();
            BigDecimal cost = BigDecimal.ZERO;
            Map<String, BigDecimal> lines = new HashMap<>();
            Map<String, BigDecimal> usageByAccount = new HashMap<>();
            for (Fine f : rows) {
                cost = cost.add(f.cost());
                if (f.included() == 0 || (f.tax() && taxRate != null)) {
                    continue;
                }
                String account = grouping == InvoiceSettings.Grouping.SERVICE ? "*" : f.account();
                String service = f.tax() || grouping == InvoiceSettings.Grouping.ACCOUNT ? "*" : f.service();
                lines.merge((f.tax() ? "TAX|" : "USAGE|") + account + "|" + service, f.priced(), BigDecimal::add);
                if (!f.tax()) {
                    usageByAccount.merge(f.account(), f.priced(), BigDecimal::add);
                }
            }
            BigDecimal usage = BigDecimal.ZERO;
            BigDecimal subtotal = BigDecimal.ZERO;
            BigDecimal tax = BigDecimal.ZERO;
            for (Map.Entry<String, BigDecimal> l : lines.entrySet()) {
                BigDecimal amount = round(l.getValue().multiply(rate), scale);
                if (l.getKey().startsWith("TAX|")) {
                    tax = tax.add(amount);
                } else {
                    usage = usage.add(amount);
                    subtotal = subtotal.add(amount);
                }
            }
            int count = lines.size();
            for (CustomLineItems.Details i : items) {
                BigDecimal amount = i.charge() == CustomLineItems.Charge.FLAT ? round(i.amount(), scale)
                        : round((i.usageAccountId() == null ? usage : round(usageByAccount.getOrDefault(i.usageAccountId(), BigDecimal.ZERO).multiply(rate),
                                scale)).multiply(i.amount()).movePointLeft(2), scale);
                subtotal = subtotal.add(i.kind() == CustomLineItems.Kind.CREDIT ? amount.negate() : amount);
                count++;
            }
            if (taxRate != null) {
                tax = tax.add(round(subtotal.multiply(taxRate).movePointLeft(2), scale));
                count++;
            }
            return new Doc(cost, subtotal, tax, subtotal.add(tax), count);
        }

        private static BigDecimal round(BigDecimal v, int scale) {
            return v.setScale(scale, RoundingMode.HALF_EVEN);
        }

        /** The book's rules as two SQL expressions over a lake row (amount, excluded), on two lines; the first matching rule in precedence order wins. */
        private static String caseOf(List<RuleInput> inputs) {
            record Ranked(RuleInput rule, int level, int specificity, int position) {}
            List<Ranked> ranked = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                RuleInput r = inputs.get(i);
                int level = r.usageType() != null || r.operation() != null ? 3 : r.serviceCode() != null ? 2 : r.usageAccountId() != null ? 1 : 0;
                int specificity = (int) java.util.stream.Stream.of(r.serviceCode(), r.usageType(), r.operation(), r.regionId(), r.usageAccountId(),
                        r.lineItemType(), r.tagKey(), r.tagValue()).filter(Objects::nonNull).count();
                ranked.add(new Ranked(r, level, specificity, i));
            }
            ranked.sort(Comparator.comparingInt((Ranked r) -> -r.level()).thenComparingInt(r -> -r.specificity()).thenComparingInt(Ranked::position));
            StringBuilder amount = new StringBuilder("CASE");
            StringBuilder excluded = new StringBuilder("CASE");
            for (Ranked rk : ranked) {
                RuleInput r = rk.rule();
                List<String> cond = new ArrayList<>();
                eq(cond, "service_code", r.serviceCode());
                eq(cond, "usage_type", r.usageType());
                eq(cond, "operation", r.operation());
                eq(cond, "region_id", r.regionId());
                eq(cond, "sub_account_id", r.usageAccountId());
                if (r.lineItemType() != null) {
                    cond.add("(line_item_type = '" + r.lineItemType() + "' OR charge_category = '" + r.lineItemType() + "')");
                }
                if (r.tagKey() != null) {
                    cond.add(r.tagValue() == null ? "coalesce(tags['" + r.tagKey() + "'], '') <> ''" : "tags['" + r.tagKey() + "'] = '" + r.tagValue() + "'");
                }
                String when = " WHEN " + (cond.isEmpty() ? "true" : String.join(" AND ", cond)) + " THEN ";
                String basis = r.basis() == Basis.AMORTIZED ? "coalesce(effective_cost, billed_cost)"
                        : r.basis() == Basis.PUBLIC_ON_DEMAND ? "coalesce(list_cost, billed_cost)" : "billed_cost";
                amount.append(when).append(switch (r.action()) {
                    case MARKUP -> basis + " * CAST('" + BigDecimal.ONE.add(r.percent().movePointLeft(2)).toPlainString() + "' AS DECIMAL(18,6))";
                    case DISCOUNT -> basis + " * CAST('" + BigDecimal.ONE.subtract(r.percent().movePointLeft(2)).toPlainString() + "' AS DECIMAL(18,6))";
                    case FIXED_RATE -> "coalesce(consumed_quantity, 0) * CAST('" + r.rate().toPlainString() + "' AS DECIMAL(18,6))";
                    case PASS_THROUGH -> "billed_cost";
                    case EXCLUDE -> "CAST(0 AS DECIMAL(38,10))";
                });
                excluded.append(when).append(r.action() == Action.EXCLUDE);
            }
            return amount.append(" ELSE billed_cost END") + "\n" + excluded.append(" ELSE false END");
        }

        private static void eq(List<String> cond, String column, String value) {
            if (value != null) {
                cond.add(column + " = '" + value + "'");
            }
        }

        /** Compares the month's invoices with the expectation; prints one {@code check} line. */
        private void verify(String state, Expected expected) {
            Map<String, Doc> actual = new TreeMap<>();
            BigDecimal[] basis = {BigDecimal.ZERO, BigDecimal.ZERO};
            int[] tiers = {0, 0};
            jdbc.query("select i.billing_profile_id, i.tier, i.cost_basis, i.subtotal, i.tax, i.total, (select count(*) from invoice_lines l "
                    + "where l.invoice_id = i.id) as n from invoices i where i.billing_month = ? and i.kind = 'INVOICE'", rs -> {
                        String tier = rs.getString("tier");
                        Doc doc = new Doc(rs.getBigDecimal("cost_basis"), rs.getBigDecimal("subtotal"), rs.getBigDecimal("tax"), rs.getBigDecimal("total"),
                                rs.getInt("n"));
                        if (actual.put(rs.getObject("billing_profile_id", UUID.class) + "/" + tier, doc) != null) {
                            throw new IllegalStateException("two invoices for " + rs.getObject("billing_profile_id") + "/" + tier);
                        }
                        int k = "RETAIL".equals(tier) ? 0 : 1;
                        tiers[k]++;
                        basis[k] = basis[k].add(doc.costBasis());
                    }, month.atDay(1));
            int differ = 0;
            for (Map.Entry<String, Doc> e : expected.docs().entrySet()) {
                Doc a = actual.get(e.getKey());
                Doc x = e.getValue();
                boolean same = a != null && a.costBasis().compareTo(x.costBasis()) == 0 && a.subtotal().compareTo(x.subtotal()) == 0
                        && a.tax().compareTo(x.tax()) == 0 && a.total().compareTo(x.total()) == 0 && a.lines() == x.lines();
                if (!same) {
                    if (differ < 5) {
                        System.out.println("check: " + state + " " + e.getKey() + " expected " + x + " but was " + a);
                    }
                    differ++;
                }
            }
            List<String> extra = actual.keySet().stream().filter(k -> !expected.docs().containsKey(k)).toList();
            extra.stream().limit(3).forEach(k -> System.out.println("check: " + state + " " + k + " was not expected: " + actual.get(k)));
            int unexpected = extra.size();
            boolean ok = tiers[0] == customers.size() && tiers[1] == resellers.size() && differ == 0 && unexpected == 0
                    && basis[0].compareTo(expected.assignedCost()) == 0 && basis[1].compareTo(expected.assignedCost()) == 0;
            System.out.printf("check state=%s ok=%s retail=%d wholesale=%d differ=%d unexpected=%d assigned_cost=%s retail_cost_basis=%s wholesale_cost_basis=%s%n",
                    state, ok, tiers[0], tiers[1], differ, unexpected, expected.assignedCost().toPlainString(), basis[0].toPlainString(),
                    basis[1].toPlainString());
        }
    }

    private static InvoiceRun check(InvoiceRun run) {
        if (run.status() != InvoiceRun.Status.COMPLETED) {
            throw new IllegalStateException("the run of " + run.sellerName() + " ended " + run.status() + ": " + run.error());
        }
        if (!run.warnings().isEmpty()) {
            System.out.println("warning: " + run.sellerName() + ": " + run.warnings());
        }
        return run;
    }
}
