package dev.openpayer.cur;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public sample report in {@code ../shared/data/cur} is discovered, normalised and written to the
 * lake; the totals per billing period and line item type in the lake equal those computed straight
 * from the file, to the tenth decimal.
 */
class CurSampleFilesTest {
    static final Path SAMPLES = Path.of("..", "shared", "data", "cur");

    @TempDir
    Path data;

    @BeforeAll
    static void samplesPresent() {
        Assumptions.assumeTrue(Files.isDirectory(SAMPLES), "public sample data not found at " + SAMPLES.toAbsolutePath() + ": sample tests skipped");
    }

    /** Discovers the location, stages and publishes every delivery; returns the lake totals "period|type" → billed cost. */
    private Map<String, BigDecimal> ingest(Path location, int expectedReports) throws Exception {
        FileCurStorage storage = new FileCurStorage(location);
        List<DiscoveredReport> reports = new CurDiscovery(storage, data.resolve("staging")).discover();
        assertThat(reports).hasSize(expectedReports);
        LakeWriter writer = new LakeWriter(data);
        UUID source = UUID.randomUUID();
        for (DiscoveredReport report : reports) {
            assertThat(report.ingestible()).as(report.problems().toString()).isTrue();
            for (Delivery d : report.deliveries()) {
                for (LakeWriter.Staged s : writer.stage(storage, d, writer.stagingFor(UUID.randomUUID()), p -> {})) {
                    writer.publish(source, s);
                }
            }
        }
        return query("SELECT strftime(billing_period_start, '%Y-%m') || '|' || coalesce(line_item_type, ''), sum(billed_cost) FROM read_parquet("
                + LakeSchema.quote(writer.lake().resolve("cost").toString() + "/*/*/*.parquet") + ") GROUP BY 1");
    }

    private static Map<String, BigDecimal> query(String sql) throws Exception {
        Map<String, BigDecimal> totals = new TreeMap<>();
        try (Connection duck = DuckDb.open(null); Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                totals.put(rs.getString(1), rs.getBigDecimal(2).setScale(10, RoundingMode.UNNECESSARY));
            }
        }
        return totals;
    }

    /** Totals straight from a CSV file: text parsed by BigDecimal, rounded to 10 decimals per line as the lake does. */
    private static Map<String, BigDecimal> csvTotals(Path file, String periodColumn, String typeColumn, String costColumn, String nullText) throws Exception {
        Map<String, BigDecimal> totals = new TreeMap<>();
        String sql = "SELECT " + q(periodColumn) + ", " + q(typeColumn) + ", " + q(costColumn) + " FROM read_csv(" + LakeSchema.quote(file.toString())
                + ", all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"', null_padding = true, strict_mode = false)";
        try (Connection duck = DuckDb.open(null); Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String cost = rs.getString(3);
                if (cost == null || cost.isBlank() || cost.equals(nullText)) {
                    continue;
                }
                String key = rs.getString(1).substring(0, 7) + "|" + rs.getString(2);
                totals.merge(key, new BigDecimal(cost.strip()).setScale(10, RoundingMode.HALF_UP), BigDecimal::add);
            }
        }
        return totals;
    }

    private static String q(String name) {
        return LakeSchema.ident(name);
    }

    @Test
    void wellArchitectedParquetInAthenaLayout() throws Exception {
        Path location = data.resolve("athena");
        Path folder = Files.createDirectories(location.resolve("workshop/workshop/year=2018/month=10"));
        Path file = SAMPLES.resolve("aws-well-architected-labs/Oct2018-WorkshopCUR-00001.snappy.parquet").toAbsolutePath();
        Files.createSymbolicLink(folder.resolve("workshop-00001.snappy.parquet"), file);
        Map<String, BigDecimal> lake = ingest(location, 1);
        Map<String, BigDecimal> expected = query("SELECT strftime(bill_billing_period_start_date, '%Y-%m') || '|' || line_item_line_item_type, "
                + "sum(CAST(line_item_unblended_cost AS DECIMAL(38,10))) FROM read_parquet(" + LakeSchema.quote(file.toString()) + ") GROUP BY 1");
        assertThat(lake).isEqualTo(expected).containsKeys("2018-10|Usage", "2018-10|RIFee", "2018-10|DiscountedUsage");
    }

    @Test
    void focusSampleWithLiteralNulls() throws Exception {
        Path file = SAMPLES.resolve("focus-sample/focus_sample.csv").toAbsolutePath();
        Path location = Files.createDirectories(data.resolve("focus"));
        Files.createSymbolicLink(location.resolve("focus_sample.csv"), file);
        Map<String, BigDecimal> lake = ingest(location, 1);
        assertThat(lake).isEqualTo(csvTotals(file, "BillingPeriodStart", "ChargeCategory", "BilledCost", "NULL"));
    }

    @Test
    void kokuLegacyLayoutsWithManifests() throws Exception {
        for (Path layout : List.of(SAMPLES.resolve("koku-nise/legacy-layout"), SAMPLES.resolve("koku-nise/prefixed-layout"))) {
            Path gz;
            try (var files = Files.walk(layout)) {
                gz = files.filter(p -> p.toString().endsWith(".csv.gz")).findFirst().orElseThrow();
            }
            Map<String, BigDecimal> lake = ingest(layout.toAbsolutePath(), 1);
            // the delivery belongs to the manifest's billing period (2018-08), whatever the lines' own dates
            Map<String, BigDecimal> expected = new TreeMap<>();
            csvTotals(gz.toAbsolutePath(), "bill/BillingPeriodStartDate", "lineItem/LineItemType", "lineItem/UnblendedCost", null)
                    .forEach((k, v) -> expected.merge("2018-08|" + k.substring(8), v, BigDecimal::add));
            assertThat(lake).isEqualTo(expected);
            data = Files.createTempDirectory(data, "next");
        }
    }

    @Test
    void kokuFixturesEachLooseFile() throws Exception {
        for (String name : List.of("2023-06-01.csv", "2023-06-01-not-final.csv", "test_cur.csv.gz", "empty_frame.csv")) {
            Path file = SAMPLES.resolve("koku-fixtures").resolve(name).toAbsolutePath();
            Path location = Files.createDirectories(data.resolve(name.replace('.', '_')));
            Files.createSymbolicLink(location.resolve(name), file);
            Map<String, BigDecimal> lake = name.equals("empty_frame.csv") ? Map.of() : ingest(location, 1);
            assertThat(lake).as(name).isEqualTo(csvTotals(file, "bill/BillingPeriodStartDate", "lineItem/LineItemType", "lineItem/UnblendedCost", null));
            data = Files.createTempDirectory(data, "next");
        }
        Path alt = SAMPLES.resolve("koku-fixtures/2022-07-01-alt-columns.csv").toAbsolutePath();
        Path location = Files.createDirectories(data.resolve("alt"));
        Files.createSymbolicLink(location.resolve("2022-07-01-alt-columns.csv"), alt);
        assertThat(ingest(location, 1)).isEqualTo(csvTotals(alt, "bill_billing_period_start_date", "line_item_line_item_type", "line_item_unblended_cost", null));
    }

    @Test
    void realManifestParses() throws Exception {
        Manifest m = Manifest.parse(Files.newInputStream(SAMPLES.resolve("manifests/test-quicksight-Manifest.json")), "test-quicksight-Manifest.json");
        assertThat(m.deliveryId()).isEqualTo("afe8b092-dc87-405a-a0b7-fc743e14adff");
        assertThat(m.billingPeriod()).hasToString("2018-05");
        assertThat(m.columns()).hasSize(99).contains("lineItem/UnblendedCost");
        assertThat(m.dataKeys()).isNotEmpty();
    }
}
