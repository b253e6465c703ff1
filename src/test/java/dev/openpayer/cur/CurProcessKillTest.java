package dev.openpayer.cur;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real ingesting process mid-run: the lake keeps the previous delivery of the month, readable and
 * exact, and the next run replaces it completely.
 */
class CurProcessKillTest {
    static final YearMonth MONTH = YearMonth.of(2026, 10);

    @TempDir
    Path work;

    @Test
    void killingTheIngestingProcessLeavesThePreviousDeliveryAndTheRerunCompletes() throws Exception {
        CurGenerator generator = new CurGenerator();
        CurGenerator.Generated first = generator.write(work.resolve("first"), "kill", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(1, 3, 5, MONTH.atDay(1), 1));
        CurGenerator.Generated second = generator.write(work.resolve("second"), "kill", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(2, 600, 30, MONTH.atDay(1), 2));
        Path dataDir = work.resolve("data");
        UUID source = UUID.randomUUID();

        CurBench.openpayer(work.resolve("first"), dataDir, source);
        assertThat(lakeTotal(dataDir, source)).isEqualByComparingTo(first.total(MONTH).unblended());

        Process child = new ProcessBuilder(javaExecutable(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.openpayer.cur.CurBench", "openpayer", work.resolve("second").toString(), dataDir.toString(), source.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("child.log").toFile())
                .start();
        try {
            Path staging = dataDir.resolve("lake-staging");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !child.isAlive() || stagedBytes(staging) > 0);
            assertThat(child.isAlive()).as("the child must still be ingesting when it is killed: " + Files.readString(work.resolve("child.log"))).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor()).isNotZero();
        } finally {
            child.destroyForcibly();
        }
        assertThat(Files.readString(work.resolve("child.log"))).doesNotContain("rows=");
        assertThat(lakeTotal(dataDir, source)).as("the previous delivery stays whole and readable").isEqualByComparingTo(first.total(MONTH).unblended());

        long rows = CurBench.openpayer(work.resolve("second"), dataDir, source);
        assertThat(rows).isEqualTo(second.total(MONTH).rows());
        assertThat(lakeTotal(dataDir, source)).isEqualByComparingTo(second.total(MONTH).unblended());
        try (Stream<Path> files = Files.walk(dataDir.resolve("lake"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")).toList()).hasSize(1);
        }
    }

    private static long stagedBytes(Path staging) throws Exception {
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(staging)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            long bytes = 0;
            for (Path p : all) {
                bytes += Files.exists(p) ? Files.size(p) : 0;
            }
            return bytes;
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    private static BigDecimal lakeTotal(Path dataDir, UUID source) throws Exception {
        Path partition = dataDir.resolve("lake").resolve("cost").resolve("source=" + source).resolve("billing_period=" + MONTH).resolve("data.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT sum(billed_cost) FROM read_parquet('" + partition.toString().replace("'", "''") + "')")) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }
}
