package dev.openpayer.cur;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The benchmark's steps, each run in its own JVM by {@code bench/run.sh} so that each process's peak memory is
 * its own:
 *
 * <ul>
 *   <li>{@code generate <dir> <accounts> <days>}: one legacy CUR month as gzip CSV ({@code <dir>/csv}) and Parquet
 *       ({@code <dir>/parquet}) with the generator;
 *   <li>{@code openpayer <location> <data-dir> [source-id]}: OpenPayer's ingestion of the location's report (discovery,
 *       validation, staging into the lake schema, the atomic switch), without the database bookkeeping;
 *   <li>{@code duckdb <location> <out>}: bare DuckDB reading the same files and writing the same columns to Parquet
 *       in one statement with its default settings.
 * </ul>
 *
 * Each prints {@code rows=<n> seconds=<s>} as its last line.
 */
public final class CurBench {
    private CurBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "openpayer" -> openpayer(Path.of(args[1]), Path.of(args[2]), args.length > 3 ? UUID.fromString(args[3]) : UUID.randomUUID());
            case "duckdb" -> duckdb(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("generate | openpayer | duckdb");
        }
    }

    private static void generate(Path dir, int accounts, int days) {
        long t0 = System.nanoTime();
        LocalDate first = LocalDate.of(2026, 10, 1);
        CurGenerator.Options options = new CurGenerator.Options(42, accounts, days, first, 1);
        CurGenerator generator = new CurGenerator();
        CurGenerator.Generated csv = generator.write(dir.resolve("csv"), "bench", CurGenerator.Output.LEGACY_CSV_GZIP, options);
        generator.write(dir.resolve("parquet"), "bench", CurGenerator.Output.LEGACY_PARQUET, options);
        System.out.printf("rows=%d seconds=%.3f%n", csv.total(YearMonth.from(first)).rows(), (System.nanoTime() - t0) / 1e9);
    }

    static long openpayer(Path location, Path dataDir, UUID source) {
        long t0 = System.nanoTime();
        LakeWriter writer = new LakeWriter(dataDir);
        FileCurStorage storage = new FileCurStorage(location);
        List<DiscoveredReport> reports = new CurDiscovery(storage, writer.stagingRoot().resolve("discovery")).discover();
        DiscoveredReport report = reports.stream().filter(DiscoveredReport::ingestible).findFirst()
                .orElseThrow(() -> new IllegalStateException("no ingestible report: " + reports));
        long rows = 0;
        for (Delivery delivery : report.deliveries()) {
            Path staging = writer.stagingFor(UUID.randomUUID());
            try {
                for (LakeWriter.Staged staged : writer.stage(storage, delivery, staging, phase -> {})) {
                    writer.publish(source, staged);
                    rows += staged.rows();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                LakeWriter.deleteTree(staging);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("rows=%d seconds=%.3f%n", rows, seconds);
        return rows;
    }

    private static void duckdb(Path location, Path out) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(location)) {
            files = walk.filter(p -> p.toString().endsWith(".csv.gz") || p.toString().endsWith(".parquet")).sorted().toList();
        }
        CurFormat format = files.get(0).toString().endsWith(".parquet") ? CurFormat.LEGACY_PARQUET : CurFormat.LEGACY_CSV;
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            String relation = LakeSchema.relation(format, files);
            Map<String, String> columns = LakeSchema.describe(duck, relation);
            String select = LakeSchema.select(format, relation, columns, YearMonth.of(2026, 10), "bench");
            Path target = out.resolve("duckdb-" + UUID.randomUUID() + ".parquet");
            st.execute("COPY (" + select + ") TO " + LakeSchema.quote(target.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
            double seconds = (System.nanoTime() - t0) / 1e9;
            long rows;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet(" + LakeSchema.quote(target.toString()) + ")")) {
                rs.next();
                rows = rs.getLong(1);
            }
            System.out.printf("rows=%d seconds=%.3f%n", rows, seconds);
        }
        List<Path> written = new ArrayList<>();
        try (Stream<Path> walk = Files.list(out)) {
            walk.forEach(written::add);
        }
        written.forEach(p -> p.toFile().delete());
    }
}
