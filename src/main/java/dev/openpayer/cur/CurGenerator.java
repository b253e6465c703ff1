package dev.openpayer.cur;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * Writes realistic, deterministic cost reports for a payer with N usage accounts over D days, in the
 * folder layout AWS uses, and returns the exact totals per billing period and line item type (FOCUS:
 * charge category). Every line item type appears: Usage (hourly, tagged, with split cost allocation),
 * DiscountedUsage, SavingsPlanCoveredUsage, SavingsPlanNegation, SavingsPlanRecurringFee, RIFee, Fee,
 * Tax, Credit, Refund and EdpDiscount. Months before the last carry invoice IDs (final); the last is
 * month to date. A higher {@code delivery} number re-delivers the same months with other amounts under a
 * new assemblyId/executionId.
 */
public final class CurGenerator {
    public static final String PAYER = "999900000001";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd");
    static final List<String> HEADER = List.of("identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId", "bill/BillingEntity", "bill/PayerAccountId",
            "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate", "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/UsageStartDate",
            "lineItem/UsageEndDate", "lineItem/ProductCode", "lineItem/UsageType", "lineItem/Operation", "lineItem/AvailabilityZone",
            "lineItem/ResourceId", "lineItem/UsageAmount", "lineItem/CurrencyCode", "lineItem/UnblendedCost", "lineItem/BlendedCost",
            "lineItem/NetUnblendedCost", "lineItem/LineItemDescription", "lineItem/LegalEntity", "product/ProductName", "product/region",
            "pricing/publicOnDemandCost", "pricing/unit", "reservation/EffectiveCost", "reservation/ReservationARN",
            "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedRecurringFee", "savingsPlan/SavingsPlanEffectiveCost",
            "resourceTags/user:Team", "resourceTags/user:CostCenter", "costCategory/BusinessUnit", "splitLineItem/ParentResourceId",
            "splitLineItem/SplitUsage", "splitLineItem/SplitUsageRatio", "splitLineItem/SplitCost", "splitLineItem/UnusedCost");
    private static final String[] TEAMS = {"payments", "search", "platform", "data"};
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2"};

    /** The formats and layouts the generator writes. */
    public enum Output {
        /** legacy CUR, gzip CSV, {@code <prefix>/<report>/<yyyymmdd-yyyymmdd>/<assemblyId>/} with manifests */
        LEGACY_CSV_GZIP,
        /** legacy CUR, Parquet in the Athena layout {@code <prefix>/<report>/<report>/year=YYYY/month=M/} */
        LEGACY_PARQUET,
        /** CUR 2.0 Parquet export, {@code <export>/data/BILLING_PERIOD=YYYY-MM/} plus {@code metadata/} manifests */
        CUR2_PARQUET,
        /** FOCUS 1.0 gzip CSV export in the same Data Exports layout */
        FOCUS_CSV
    }

    /**
     * @param firstDay the first usage day; {@code days} consecutive days follow, across months
     * @param delivery 1 for the first delivery; higher numbers re-deliver with other amounts
     */
    public record Options(long seed, int accounts, int days, LocalDate firstDay, int delivery, List<String> accountIds) {
        public Options {
            if (accountIds != null) {
                accountIds = List.copyOf(accountIds);
                accounts = accountIds.size();
            }
            if (accounts < 1 || days < 1 || delivery < 1) {
                throw new IllegalArgumentException("accounts, days and delivery must be positive");
            }
        }

        /** {@code accounts} accounts with the generator's own IDs ({@link #accounts(int)}). */
        public Options(long seed, int accounts, int days, LocalDate firstDay, int delivery) {
            this(seed, accounts, days, firstDay, delivery, null);
        }

        /** These usage accounts instead of the generator's own IDs. */
        public Options withAccounts(List<String> ids) {
            return new Options(seed, ids.size(), days, firstDay, delivery, ids);
        }

        List<String> usageAccounts() {
            return accountIds != null ? accountIds : CurGenerator.accounts(accounts);
        }
    }

    /** Exact totals of a group of lines. */
    public record Totals(long rows, BigDecimal unblended, BigDecimal amortized, BigDecimal netUnblended) {
        static final Totals ZERO = new Totals(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        Totals plus(BigDecimal u, BigDecimal a, BigDecimal n) {
            return new Totals(rows + 1, unblended.add(u), amortized.add(a), netUnblended.add(n));
        }
    }

    /** What was written: the location's root, the report's name and the totals per period and line item type (FOCUS: charge category). */
    public record Generated(Path root, String reportName, Map<YearMonth, Map<String, Totals>> totals, List<Path> files) {
        /** Totals over every line item type of a period. */
        public Totals total(YearMonth period) {
            Totals t = Totals.ZERO;
            for (Totals x : totals.getOrDefault(period, Map.of()).values()) {
                t = new Totals(t.rows() + x.rows(), t.unblended().add(x.unblended()), t.amortized().add(x.amortized()), t.netUnblended().add(x.netUnblended()));
            }
            return t;
        }
    }

    /** The usage account IDs the generator uses for {@code n} accounts. */
    public static List<String> accounts(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(String.format("1000%08d", i));
        }
        return ids;
    }

    public Generated write(Path root, String reportName, Output output, Options options) {
        try {
            Path work = Files.createDirectories(root.resolve(".generator-work-" + options.delivery()));
            Map<YearMonth, Map<String, Totals>> totals = new TreeMap<>();
            Map<YearMonth, Path> csvs = writeCsv(work, options, totals, output == Output.FOCUS_CSV);
            List<Path> files = new ArrayList<>();
            YearMonth last = Collections.max(csvs.keySet());
            for (var e : csvs.entrySet()) {
                files.add(switch (output) {
                    case LEGACY_CSV_GZIP -> legacyCsv(root, reportName, e.getKey(), e.getValue(), options);
                    case LEGACY_PARQUET -> legacyParquet(root, reportName, e.getKey(), e.getValue());
                    case CUR2_PARQUET -> export(root, reportName, e.getKey(), e.getValue(), options, false);
                    case FOCUS_CSV -> export(root, reportName, e.getKey(), e.getValue(), options, true);
                });
            }
            LakeWriter.deleteTree(work);
            totals.values().forEach(m -> m.replaceAll((k, v) -> v));
            return new Generated(root, reportName, Collections.unmodifiableMap(totals), List.copyOf(files));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("writing the report failed: " + e.getMessage(), e);
        }
    }

    /** One plain CSV per billing period with the legacy header; returns the files and fills the totals. */
    private Map<YearMonth, Path> writeCsv(Path work, Options o, Map<YearMonth, Map<String, Totals>> totals, boolean byCategory) throws IOException {
        Random rnd = new Random(o.seed() * 1_000_003L + o.delivery());
        List<String> accounts = o.usageAccounts();
        Map<YearMonth, Writer> writers = new LinkedHashMap<>();
        Map<YearMonth, Path> paths = new LinkedHashMap<>();
        YearMonth lastMonth = YearMonth.from(o.firstDay().plusDays(o.days() - 1));
        long[] seq = {0};
        class Line {
            void write(YearMonth month, String account, String type, LocalDateTime start, LocalDateTime end, String product, String usageType,
                    String operation, String az, String resource, BigDecimal amount, BigDecimal unblended, BigDecimal net, BigDecimal publicCost,
                    BigDecimal riEffective, String riArn, BigDecimal riUnusedUpfront, BigDecimal riUnusedRecurring, BigDecimal spEffective,
                    String team, String split) throws IOException {
                Writer w = writers.get(month);
                if (w == null) {
                    Path p = work.resolve("period-" + month + ".csv");
                    w = Files.newBufferedWriter(p, StandardCharsets.UTF_8);
                    w.write(String.join(",", HEADER));
                    w.write("\r\n");
                    writers.put(month, w);
                    paths.put(month, p);
                }
                String region = az == null ? REGIONS[0] : az.substring(0, az.length() - 1);
                String invoice = month.equals(lastMonth) ? "" : "EUINGB" + month.toString().replace("-", "") + "-" + o.seed();
                List<String> v = new ArrayList<>(HEADER.size());
                v.add(Long.toHexString(o.seed()) + "-" + (++seq[0]));
                v.add(ISO.format(start) + "/" + ISO.format(end));
                v.add(invoice);
                v.add("AWS");
                v.add(PAYER);
                v.add(ISO.format(month.atDay(1).atStartOfDay()));
                v.add(ISO.format(month.plusMonths(1).atDay(1).atStartOfDay()));
                v.add(account);
                v.add(type);
                v.add(ISO.format(start));
                v.add(ISO.format(end));
                v.add(product);
                v.add(usageType);
                v.add(operation);
                v.add(az == null ? "" : az);
                v.add(resource == null ? "" : resource);
                v.add(plain(amount));
                v.add("USD");
                v.add(plain(unblended));
                v.add(plain(unblended));
                v.add(plain(net));
                v.add("\"" + type + " line, generated\"");
                v.add("Amazon Web Services EMEA SARL");
                v.add(product.equals("AmazonEC2") ? "Amazon Elastic Compute Cloud" : product);
                v.add(region);
                v.add(plain(publicCost));
                v.add(amount == null ? "" : "Hrs");
                v.add(plain(riEffective));
                v.add(riArn == null ? "" : riArn);
                v.add(plain(riUnusedUpfront));
                v.add(plain(riUnusedRecurring));
                v.add(plain(spEffective));
                v.add(team == null ? "" : team);
                v.add(team == null ? "" : "CC-" + Math.abs(team.hashCode() % 1000));
                v.add(team == null ? "" : "Engineering");
                v.add(split == null ? "" : split);
                v.add(split == null ? "" : "0.5");
                v.add(split == null ? "" : "0.25");
                v.add(split == null ? "" : plain(unblended.divide(BigDecimal.valueOf(4))));
                v.add(split == null ? "" : "0");
                w.write(String.join(",", v));
                w.write("\r\n");
                BigDecimal amortized = switch (type) {
                    case "DiscountedUsage" -> riEffective;
                    case "SavingsPlanCoveredUsage" -> spEffective;
                    case "SavingsPlanNegation", "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee" -> BigDecimal.ZERO;
                    case "RIFee" -> riUnusedUpfront.add(riUnusedRecurring);
                    default -> unblended;
                };
                String key = byCategory ? category(type) : type;
                BigDecimal billed = byCategory ? unblended : unblended;
                BigDecimal netTotal = byCategory ? unblended : net;
                totals.computeIfAbsent(month, k -> new TreeMap<>()).merge(key, Totals.ZERO.plus(billed, amortized, netTotal),
                        (a, b) -> new Totals(a.rows() + b.rows(), a.unblended().add(b.unblended()), a.amortized().add(b.amortized()),
                                a.netUnblended().add(b.netUnblended())));
            }
        }
        Line line = new Line();
        try {
            for (int d = 0; d < o.days(); d++) {
                LocalDate day = o.firstDay().plusDays(d);
                YearMonth month = YearMonth.from(day);
                for (int a = 0; a < accounts.size(); a++) {
                    String account = accounts.get(a);
                    String az = REGIONS[a % REGIONS.length] + "a";
                    String team = TEAMS[a % TEAMS.length];
                    for (int h = 0; h < 24; h++) {
                        LocalDateTime start = day.atTime(h, 0);
                        BigDecimal cost = money(rnd, 1, 400_000);
                        String node = "i-" + account.substring(6) + "0" + (h % 3);
                        line.write(month, account, "Usage", start, start.plusHours(1), "AmazonEC2", "BoxUsage:m5.large", "RunInstances", az, node,
                                BigDecimal.ONE, cost, cost.multiply(new BigDecimal("0.97")), cost.add(money(rnd, 0, 5000)), null, null, null, null, null,
                                team, h % 4 == 0 ? node : null);
                    }
                    LocalDateTime start = day.atStartOfDay();
                    LocalDateTime end = day.plusDays(1).atStartOfDay();
                    String arn = "arn:aws:ec2:" + REGIONS[0] + ":" + PAYER + ":reserved-instances/ri-" + a;
                    BigDecimal ri = money(rnd, 1000, 900_000);
                    line.write(month, account, "DiscountedUsage", start, end, "AmazonEC2", "BoxUsage:c5.xlarge", "RunInstances", az, "i-ri" + a,
                            new BigDecimal(24), BigDecimal.ZERO, BigDecimal.ZERO, ri.add(money(rnd, 0, 9000)), ri, arn, null, null, null, team, null);
                    BigDecimal covered = money(rnd, 1000, 900_000);
                    BigDecimal sp = covered.multiply(new BigDecimal("0.72"));
                    line.write(month, account, "SavingsPlanCoveredUsage", start, end, "AmazonEC2", "BoxUsage:r5.large", "RunInstances", az, "i-sp" + a,
                            new BigDecimal(24), covered, covered, covered, null, null, null, null, sp, team, null);
                    line.write(month, account, "SavingsPlanNegation", start, end, "AmazonEC2", "BoxUsage:r5.large", "RunInstances", az, "i-sp" + a,
                            null, covered.negate(), covered.negate(), null, null, null, null, null, null, team, null);
                }
                boolean lastDayOfData = d == o.days() - 1 || !YearMonth.from(day.plusDays(1)).equals(month);
                if (lastDayOfData) {
                    LocalDateTime ms = month.atDay(1).atStartOfDay();
                    LocalDateTime me = month.plusMonths(1).atDay(1).atStartOfDay();
                    for (String account : accounts) {
                        BigDecimal tax = money(rnd, 1000, 5_000_000);
                        line.write(month, account, "Tax", ms, me, "AmazonEC2", "", "", null, null, null, tax, tax, null, null, null, null, null, null, null, null);
                        BigDecimal credit = money(rnd, 100, 1_000_000).negate();
                        line.write(month, account, "Credit", ms, me, "AmazonEC2", "", "", null, null, null, credit, credit, null, null, null, null, null, null, null, null);
                        BigDecimal refund = money(rnd, 100, 300_000).negate();
                        line.write(month, account, "Refund", ms, me, "AWSSupportBusiness", "", "", null, null, null, refund, refund, null, null, null, null, null, null, null, null);
                        BigDecimal fee = money(rnd, 1000, 2_900_000);
                        line.write(month, account, "Fee", ms, me, "AWSSupportBusiness", "Support", "", null, null, null, fee, fee, null, null, null, null, null, null, null, null);
                        BigDecimal edp = money(rnd, 100, 800_000).negate();
                        line.write(month, account, "EdpDiscount", ms, me, "AmazonEC2", "", "", null, null, null, edp, edp, null, null, null, null, null, null, null, null);
                    }
                    BigDecimal riFee = money(rnd, 10_000, 90_000_000);
                    line.write(month, PAYER, "RIFee", ms, me, "AmazonEC2", "HeavyUsage:c5.xlarge", "RunInstances", null, null, null, riFee, riFee, null, null,
                            "arn:aws:ec2:" + REGIONS[0] + ":" + PAYER + ":reserved-instances/ri-0", money(rnd, 0, 90_000), money(rnd, 0, 40_000), null, null, null);
                    BigDecimal spFee = money(rnd, 10_000, 90_000_000);
                    line.write(month, PAYER, "SavingsPlanRecurringFee", ms, me, "ComputeSavingsPlans", "ComputeSP:1yrNoUpfront", "", null, null, null, spFee, spFee,
                            null, null, null, null, null, null, null, null);
                }
            }
        } finally {
            for (Writer w : writers.values()) {
                w.close();
            }
        }
        return paths;
    }

    private static BigDecimal money(Random rnd, long min, long max) {
        return BigDecimal.valueOf(min + (long) (rnd.nextDouble() * (max - min)), 6);
    }

    private static String plain(BigDecimal v) {
        return v == null ? "" : v.stripTrailingZeros().toPlainString();
    }

    static String category(String type) {
        return switch (type) {
            case "Usage", "DiscountedUsage", "SavingsPlanCoveredUsage", "SavingsPlanNegation" -> "Usage";
            case "Tax" -> "Tax";
            case "Credit", "EdpDiscount" -> "Credit";
            case "Refund" -> "Adjustment";
            default -> "Purchase";
        };
    }

    private static String periodFolder(YearMonth month) {
        return COMPACT.format(month.atDay(1)) + "-" + COMPACT.format(month.plusMonths(1).atDay(1));
    }

    private String id(String report, YearMonth month, Options o) {
        return UUID.nameUUIDFromBytes((report + "|" + month + "|" + o.seed() + "|" + o.delivery()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Path legacyCsv(Path root, String report, YearMonth month, Path csv, Options o) throws IOException {
        String assembly = id(report, month, o);
        String folder = "cur/" + report + "/" + periodFolder(month);
        Path dir = Files.createDirectories(root.resolve(folder).resolve(assembly));
        Path data = dir.resolve(report + "-1.csv.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(data))) {
            Files.copy(csv, out);
        }
        String columns = HEADER.stream().map(h -> "{\"category\":\"" + h.substring(0, h.indexOf('/')) + "\",\"name\":\"" + h.substring(h.indexOf('/') + 1) + "\"}")
                .collect(Collectors.joining(","));
        String manifest = "{\"assemblyId\":\"" + assembly + "\",\"account\":\"" + PAYER + "\",\"columns\":[" + columns + "],\"charset\":\"UTF-8\","
                + "\"compression\":\"GZIP\",\"contentType\":\"text/csv\",\"reportId\":\"" + id(report, month, new Options(o.seed(), 1, 1, o.firstDay(), 1)) + "\","
                + "\"reportName\":\"" + report + "\",\"billingPeriod\":{\"start\":\"" + COMPACT.format(month.atDay(1)) + "T000000.000Z\",\"end\":\""
                + COMPACT.format(month.plusMonths(1).atDay(1)) + "T000000.000Z\"},\"bucket\":\"openpayer-cur\",\"reportKeys\":[\"cur/" + report + "/"
                + periodFolder(month) + "/" + assembly + "/" + report + "-1.csv.gz\"],\"additionalArtifactKeys\":[]}";
        Files.writeString(dir.resolve(report + "-Manifest.json"), manifest);
        Files.writeString(root.resolve(folder).resolve(report + "-Manifest.json"), manifest);
        return data;
    }

    /** The legacy CSV read as all text, for conversions. */
    private static String source(Path csv) {
        return "read_csv(" + LakeSchema.quote(csv.toAbsolutePath().toString())
                + ", all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')";
    }

    private static String parquetColumns(boolean cur2) {
        List<String> cols = new ArrayList<>();
        for (String h : HEADER) {
            String name = LakeSchema.canonical(h);
            boolean money = h.endsWith("Cost") || h.endsWith("Amount") || h.endsWith("Fee") || h.endsWith("FeeForBillingPeriod") || h.startsWith("splitLineItem/Split");
            boolean time = h.endsWith("Date");
            if (cur2 && (h.startsWith("resourceTags/") || h.startsWith("costCategory/"))) {
                continue;
            }
            String v = LakeSchema.ident(h);
            cols.add((money ? "TRY_CAST(NULLIF(" + v + ", '') AS DOUBLE)" : time ? "CAST(" + v + " AS TIMESTAMP)" : "NULLIF(" + v + ", '')") + " AS " + name);
        }
        if (cur2) {
            cols.add("map_from_entries(list_filter([{'key': 'user_team', 'value': NULLIF(\"resourceTags/user:Team\", '')}, "
                    + "{'key': 'user_cost_center', 'value': NULLIF(\"resourceTags/user:CostCenter\", '')}], e -> e.value IS NOT NULL)) AS resource_tags");
            cols.add("map_from_entries(list_filter([{'key': 'business_unit', 'value': NULLIF(\"costCategory/BusinessUnit\", '')}], e -> e.value IS NOT NULL)) AS cost_category");
            cols.add("MAP {'product_name': \"product/ProductName\", 'region': \"product/region\"} AS product");
        }
        return String.join(", ", cols);
    }

    private Path legacyParquet(Path root, String report, YearMonth month, Path csv) throws IOException, SQLException {
        Path dir = Files.createDirectories(root.resolve("cur/" + report + "/" + report + "/year=" + month.getYear() + "/month=" + month.getMonthValue()));
        Path data = dir.resolve(report + "-00001.snappy.parquet");
        copy("COPY (SELECT " + parquetColumns(false) + " FROM " + source(csv) + ") TO " + LakeSchema.quote(data.toString()) + " (FORMAT parquet, COMPRESSION snappy)");
        return data;
    }

    private Path export(Path root, String export, YearMonth month, Path csv, Options o, boolean focus) throws IOException, SQLException {
        String execution = id(export, month, o);
        Path dir = Files.createDirectories(root.resolve(export + "/data/BILLING_PERIOD=" + month));
        Path data = dir.resolve(export + "-00001." + (focus ? "csv.gz" : "snappy.parquet"));
        if (focus) {
            String sql = "SELECT NULLIF(\"lineItem/AvailabilityZone\", '') AS AvailabilityZone, \"lineItem/UnblendedCost\" AS BilledCost, "
                    + "\"bill/PayerAccountId\" AS BillingAccountId, 'USD' AS BillingCurrency, \"bill/BillingPeriodEndDate\" AS BillingPeriodEnd, "
                    + "\"bill/BillingPeriodStartDate\" AS BillingPeriodStart, CASE \"lineItem/LineItemType\" WHEN 'Usage' THEN 'Usage' WHEN 'DiscountedUsage' THEN 'Usage' "
                    + "WHEN 'SavingsPlanCoveredUsage' THEN 'Usage' WHEN 'SavingsPlanNegation' THEN 'Usage' WHEN 'Tax' THEN 'Tax' WHEN 'Credit' THEN 'Credit' "
                    + "WHEN 'EdpDiscount' THEN 'Credit' WHEN 'Refund' THEN 'Adjustment' ELSE 'Purchase' END AS ChargeCategory, "
                    + "\"lineItem/UsageEndDate\" AS ChargePeriodEnd, \"lineItem/UsageStartDate\" AS ChargePeriodStart, "
                    + "\"lineItem/UsageAmount\" AS ConsumedQuantity, \"pricing/unit\" AS ConsumedUnit, "
                    + "CAST(CASE \"lineItem/LineItemType\" WHEN 'DiscountedUsage' THEN \"reservation/EffectiveCost\" WHEN 'SavingsPlanCoveredUsage' THEN \"savingsPlan/SavingsPlanEffectiveCost\" "
                    + "WHEN 'SavingsPlanNegation' THEN '0' WHEN 'SavingsPlanRecurringFee' THEN '0' "
                    + "WHEN 'RIFee' THEN CAST(CAST(\"reservation/UnusedAmortizedUpfrontFeeForBillingPeriod\" AS DECIMAL(38,10)) + CAST(\"reservation/UnusedRecurringFee\" AS DECIMAL(38,10)) AS VARCHAR) "
                    + "ELSE \"lineItem/UnblendedCost\" END AS DECIMAL(38,10)) AS EffectiveCost, 'Amazon Web Services EMEA SARL' AS InvoiceIssuerName, "
                    + "\"pricing/publicOnDemandCost\" AS ListCost, 'AWS' AS ProviderName, 'Amazon Web Services EMEA SARL' AS PublisherName, "
                    + "\"product/region\" AS RegionId, NULLIF(\"lineItem/ResourceId\", '') AS ResourceId, \"product/ProductName\" AS ServiceName, "
                    + "\"lineItem/UsageAccountId\" AS SubAccountId, CASE WHEN \"resourceTags/user:Team\" <> '' THEN '{\"user:Team\": \"' || \"resourceTags/user:Team\" || '\"}' END AS Tags, "
                    + "\"lineItem/ProductCode\" AS x_ServiceCode, NULLIF(\"lineItem/UsageType\", '') AS x_UsageType, NULLIF(\"lineItem/Operation\", '') AS x_Operation "
                    + "FROM " + source(csv);
            copy("COPY (" + sql + ") TO " + LakeSchema.quote(data.toString()) + " (FORMAT csv, HEADER, NULLSTR 'NULL', COMPRESSION gzip)");
        } else {
            copy("COPY (SELECT " + parquetColumns(true) + " FROM " + source(csv) + ") TO " + LakeSchema.quote(data.toString()) + " (FORMAT parquet, COMPRESSION snappy)");
        }
        Path meta = Files.createDirectories(root.resolve(export + "/metadata/BILLING_PERIOD=" + month));
        String manifest = "{\"executionId\":\"" + execution + "\",\"exportName\":\"" + export + "\",\"bucket\":\"openpayer-exports\",\"billingPeriod\":{\"start\":\""
                + month.atDay(1) + "T00:00:00.000Z\",\"end\":\"" + month.plusMonths(1).atDay(1) + "T00:00:00.000Z\"},\"dataFiles\":[\"s3://openpayer-exports/"
                + export + "/data/BILLING_PERIOD=" + month + "/" + data.getFileName() + "\"]}";
        Files.writeString(meta.resolve(export + "-Manifest.json"), manifest);
        return data;
    }

    private static void copy(String sql) throws SQLException {
        try (Connection duck = DuckDb.open(null); Statement st = duck.createStatement()) {
            st.execute(sql);
        }
    }

    static Writer gzipWriter(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8));
    }
}
