package dev.openpayer.cur;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.analytics.CostExplorer;
import dev.openpayer.analytics.CostQuery;
import dev.openpayer.analytics.CostRow;
import dev.openpayer.testsupport.OpenPayerTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Generated reports of every format go through discovery and ingestion into the lake and come out of the query engine with exact totals. */
@OpenPayerTest
class CurIngestionTest {
    @Autowired
    CurSources sources;

    @Autowired
    CurIngestion ingestion;

    @Autowired
    CostExplorer explorer;

    final CurGenerator generator = new CurGenerator();

    private CurSource source(Path root) {
        return sources.create(null, CurGenerator.PAYER, "gen-" + UUID.randomUUID(), "file:" + root.toAbsolutePath());
    }

    private static Path tempDir() throws IOException {
        return Files.createTempDirectory("cur-gen");
    }

    private Map<String, BigDecimal> byTypeAndMonth(Set<String> accounts, CostQuery.Metric metric) {
        Map<String, BigDecimal> result = new TreeMap<>();
        for (CostRow r : explorer.query(new CostQuery(accounts, metric, CostQuery.Dimension.LINE_ITEM_TYPE, null, CostQuery.Granularity.MONTH, null, null, Map.of()))) {
            result.put(r.period() + "|" + r.group(), r.cost());
        }
        return result;
    }

    private static Map<String, BigDecimal> expected(CurGenerator.Generated g, boolean amortized) {
        Map<String, BigDecimal> result = new TreeMap<>();
        g.totals().forEach((month, types) -> types.forEach((type, t) -> result.put(month + "|" + type,
                (amortized ? t.amortized() : t.unblended()).setScale(10))));
        return result;
    }

    /** Each format is ingested by a source of its own; the lake only holds generated accounts of that payer, so a fresh account set per format keeps them apart. */
    @Test
    void everyGeneratedFormatRoundTripsWithExactTotals() throws Exception {
        CurGenerator.Output[] outputs = CurGenerator.Output.values();
        for (int i = 0; i < outputs.length; i++) {
            Path root = tempDir();
            CurGenerator.Generated g = generator.write(root, "report" + i, outputs[i], new CurGenerator.Options(100 + i, 2, 40, LocalDate.of(2026, 9, 10), 1));
            CurSource source = source(root);
            List<DiscoveredReport> reports = sources.discover(source.id());
            assertThat(reports).as(outputs[i].name()).hasSize(1);
            assertThat(reports.get(0).problems()).as(outputs[i] + " " + reports.get(0).problems()).isEmpty();
            List<IngestionRun> runs = ingestion.backfill(source.id());
            assertThat(runs).as(outputs[i].name()).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
            List<LakePartition> partitions = ingestion.partitions(source.id());
            assertThat(partitions).extracting(LakePartition::billingPeriod).containsExactly("2026-09", "2026-10");
            for (LakePartition p : partitions) {
                YearMonth month = YearMonth.parse(p.billingPeriod());
                assertThat(p.billedCost()).as(outputs[i] + " " + month).isEqualByComparingTo(g.total(month).unblended());
                assertThat(p.rows()).isEqualTo(g.total(month).rows());
                assertThat(p.isFinal()).isEqualTo(month.equals(YearMonth.of(2026, 9)) && outputs[i] != CurGenerator.Output.FOCUS_CSV);
            }
            // the query engine, restricted to the generated accounts of this source's lake partitions
            Set<String> accounts = new HashSet<>(CurGenerator.accounts(2));
            accounts.add(CurGenerator.PAYER);
            Map<String, BigDecimal> lake = lakeTotals(source.id(), false);
            assertThat(lake).as(outputs[i].name()).isEqualTo(expected(g, false));
            assertThat(lakeTotals(source.id(), true)).as(outputs[i] + " amortized").isEqualTo(expected(g, true));
            // ingesting again changes nothing
            assertThat(ingestion.ingest(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.UNCHANGED);
        }
    }

    /** Totals of one source's partitions straight from its lake files. */
    private Map<String, BigDecimal> lakeTotals(UUID source, boolean amortized) throws Exception {
        Map<String, BigDecimal> result = new TreeMap<>();
        String sql = "SELECT strftime(billing_period_start, '%Y-%m') || '|' || line_item_type, sum(" + (amortized ? "effective_cost" : "billed_cost")
                + ") FROM read_parquet(" + LakeSchema.quote(ingestion.lake().resolve("cost/source=" + source) + "/*/*.parquet") + ") GROUP BY 1";
        try (var duck = DuckDb.open(null); var st = duck.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getBigDecimal(2));
            }
        }
        return result;
    }

    @Test
    void fiveRedeliveriesEndWithTheLastDeliveryAndTheQueryEngineAgrees() throws Exception {
        Path root = tempDir();
        CurSource source = source(root);
        CurGenerator.Generated last = null;
        for (int delivery = 1; delivery <= 5; delivery++) {
            last = generator.write(root, "daily", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(7, 3, 5, LocalDate.of(2026, 11, 1), delivery));
            List<IngestionRun> runs = ingestion.ingest(source.id());
            assertThat(runs).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(IngestionRun.Status.SUCCEEDED);
                assertThat(r.rows()).isPositive();
                assertThat(r.filesDone()).isEqualTo(1);
                assertThat(r.elapsedMillis()).isNotNull();
            });
            assertThat(lakeTotals(source.id(), false)).isEqualTo(expected(last, false));
        }
        CurGenerator.Generated lastDelivery = last;
        assertThat(ingestion.partitions(source.id())).singleElement().satisfies(p -> assertThat(p.rows()).isEqualTo(lastDelivery.total(YearMonth.of(2026, 11)).rows()));
        assertThat(ingestion.runs(source.id())).hasSize(5);
        // the query engine sees exactly the last delivery, restricted to the accounts asked for
        Set<String> oneAccount = Set.of(CurGenerator.accounts(3).get(1));
        List<CostRow> rows = explorer.query(new CostQuery(oneAccount, CostQuery.Metric.UNBLENDED, CostQuery.Dimension.ACCOUNT, null, CostQuery.Granularity.TOTAL,
                null, null, Map.of()));
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.group()).isEqualTo(CurGenerator.accounts(3).get(1)));
        List<CostRow> byTeam = explorer.query(new CostQuery(oneAccount, CostQuery.Metric.UNBLENDED, CostQuery.Dimension.TAG, "user_team",
                CostQuery.Granularity.DAY, LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 3), Map.of("SERVICE", "AmazonEC2")));
        assertThat(byTeam).extracting(CostRow::period).containsOnly("2026-11-02");
        assertThat(byTeam).extracting(CostRow::group).contains("search");
        assertThat(explorer.query(new CostQuery(Set.of(), CostQuery.Metric.UNBLENDED, CostQuery.Dimension.NONE, null, CostQuery.Granularity.TOTAL, null, null, Map.of())))
                .isEmpty();
    }

    @Test
    void aCrashBeforeTheSwitchLeavesThePreviousVersionAndTheNextRunCompletes() throws Exception {
        Path root = tempDir();
        CurSource source = source(root);
        CurGenerator.Generated first = generator.write(root, "crash", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(9, 2, 3, LocalDate.of(2026, 10, 1), 1));
        assertThat(ingestion.ingest(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
        CurGenerator.Generated second = generator.write(root, "crash", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(9, 2, 3, LocalDate.of(2026, 10, 1), 2));
        ingestion.beforeSwitch = staged -> {
            assertThat(staged).exists();
            throw new IllegalStateException("process killed after the staged file was written");
        };
        try {
            IngestionRun crashed = ingestion.ingest(source.id()).get(0);
            assertThat(crashed.status()).isEqualTo(IngestionRun.Status.FAILED);
            assertThat(crashed.errorMessage()).contains("process killed");
        } finally {
            ingestion.beforeSwitch = p -> {};
        }
        assertThat(lakeTotals(source.id(), false)).isEqualTo(expected(first, false));
        assertThat(ingestion.ingest(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
        assertThat(lakeTotals(source.id(), false)).isEqualTo(expected(second, false));
        try (var files = Files.list(ingestion.lake().resolve("cost/source=" + source.id() + "/billing_period=2026-10"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("data.parquet");
        }
    }

    @Test
    void badInputFailsNamingTheFileAndKeepsThePreviousData() throws Exception {
        Path root = tempDir();
        CurSource source = source(root);
        CurGenerator.Generated good = generator.write(root, "bad", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(11, 1, 2, LocalDate.of(2026, 8, 1), 1));
        ingestion.ingest(source.id());
        Path data = good.files().get(0);
        byte[] original = Files.readAllBytes(data);
        generator.write(root, "bad", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(11, 1, 2, LocalDate.of(2026, 8, 1), 2));
        Path next;
        try (var files = Files.walk(root)) {
            next = files.filter(p -> p.toString().endsWith(".csv.gz") && !p.equals(data)).findFirst().orElseThrow();
        }
        // truncated gzip
        byte[] bytes = Files.readAllBytes(next);
        Files.write(next, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertFailsKeepingPrevious(source, good, next.getFileName().toString());
        // empty file
        Files.write(next, new byte[0]);
        assertFailsKeepingPrevious(source, good, next.getFileName().toString());
        // garbage where Parquet is expected
        Path athena = tempDir();
        CurSource parquetSource = source(athena);
        CurGenerator.Generated pq = generator.write(athena, "pq", CurGenerator.Output.LEGACY_PARQUET, new CurGenerator.Options(12, 1, 2, LocalDate.of(2026, 8, 1), 1));
        ingestion.ingest(parquetSource.id());
        Files.writeString(pq.files().get(0), "this is not parquet at all");
        IngestionRun garbage = ingestion.ingest(parquetSource.id()).get(0);
        assertThat(garbage.status()).isEqualTo(IngestionRun.Status.FAILED);
        assertThat(garbage.errorFile()).endsWith(pq.files().get(0).getFileName().toString());
        assertThat(lakeTotals(parquetSource.id(), false)).isEqualTo(expected(pq, false));
        // a manifest listing a missing object
        Files.delete(next);
        assertFailsKeepingPrevious(source, good, "-Manifest.json");
        assertThat(original).isNotEmpty();
    }

    private void assertFailsKeepingPrevious(CurSource source, CurGenerator.Generated previous, String fileNamed) throws Exception {
        IngestionRun run = ingestion.ingest(source.id()).get(0);
        assertThat(run.status()).isEqualTo(IngestionRun.Status.FAILED);
        assertThat(run.errorFile()).endsWith(fileNamed);
        assertThat(run.errorMessage()).isNotBlank();
        assertThat(lakeTotals(source.id(), false)).isEqualTo(expected(previous, false));
    }

    @Test
    void headerDriftBetweenMonthsLoadsSideBySide() throws Exception {
        Path root = tempDir();
        CurSource source = source(root);
        generator.write(root, "drift", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(13, 1, 1, LocalDate.of(2026, 6, 30), 1));
        generator.write(root, "drift", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(13, 1, 1, LocalDate.of(2026, 7, 1), 1));
        // July's file loses the cost category and split columns and gains a new tag column
        Path july;
        try (var files = Files.walk(root)) {
            july = files.filter(p -> p.toString().contains("20260701-20260801") && p.toString().endsWith(".csv.gz")).findFirst().orElseThrow();
        }
        List<String> lines;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(july))) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        int drop = CurGenerator.HEADER.indexOf("costCategory/BusinessUnit");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(july))) {
            for (int i = 0; i < lines.size(); i++) {
                List<String> cells = new java.util.ArrayList<>(List.of(lines.get(i).split(",", -1)));
                cells.remove(drop);
                cells.add(i == 0 ? "resourceTags/user:Owner" : "alice");
                out.write((String.join(",", cells) + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertThat(ingestion.backfill(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
        List<CostRow> owners = explorer.query(new CostQuery(Set.copyOf(CurGenerator.accounts(1)), CostQuery.Metric.UNBLENDED, CostQuery.Dimension.TAG, "user_owner",
                CostQuery.Granularity.MONTH, null, null, Map.of()));
        assertThat(owners.stream().map(r -> r.period() + "=" + r.group()).collect(Collectors.toSet())).contains("2026-07=alice");
    }
}
