package dev.openpayer.cur;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes deliveries into the lake: {@code <data-dir>/lake/cost/source=<id>/billing_period=YYYY-MM/data.parquet}.
 * A partition is first written completely under {@code <data-dir>/lake-staging/<run>/}, then switched
 * with one atomic rename over the previous file; readers (DuckDB, Spark, Trino, Athena) see either the
 * old or the new file, never both and never a partial one.
 */
final class LakeWriter {
    static final String FILE_NAME = "data.parquet";

    /** A partition written to staging, not yet visible. */
    record Staged(YearMonth period, Path file, long rows, BigDecimal billedCost, long withoutInvoice, List<String> accountsWithSpend) {
        boolean isFinal() {
            return rows > 0 && withoutInvoice == 0;
        }
    }

    private final Path lake;
    private final Path staging;

    LakeWriter(Path dataDir) {
        this.lake = dataDir.resolve("lake").toAbsolutePath();
        this.staging = dataDir.resolve("lake-staging").toAbsolutePath();
    }

    Path lake() {
        return lake;
    }

    Path stagingFor(UUID run) {
        return staging.resolve(run.toString());
    }

    Path stagingRoot() {
        return staging;
    }

    Path partition(UUID source, YearMonth period) {
        return lake.resolve("cost").resolve("source=" + source).resolve("billing_period=" + period).resolve(FILE_NAME);
    }

    /**
     * Normalises the delivery's files into one Parquet file per billing period under {@code runStaging}.
     * Failures are {@link CurException}s naming the object at fault.
     */
    List<Staged> stage(CurStorage storage, Delivery delivery, Path runStaging, Consumer<String> phase) {
        try {
            Files.createDirectories(runStaging);
        } catch (IOException e) {
            throw new CurException(runStaging.toString(), "staging directory cannot be created: " + e.getMessage(), e);
        }
        try (Connection duck = DuckDb.open(runStaging)) {
            List<Path> files = new ArrayList<>();
            Map<String, String> columns = new java.util.LinkedHashMap<>();
            for (String key : delivery.dataKeys()) {
                phase.accept("reading header of " + storage.describe(key));
                Map<String, String> header = CurValidation.header(storage, key, delivery.format(), duck, runStaging);
                List<String> missing = LakeSchema.missingRequired(delivery.format(), header);
                if (!missing.isEmpty()) {
                    throw new CurException(storage.describe(key), "required column(s) missing: " + String.join(", ", missing));
                }
                files.add(CurValidation.localFile(storage, key, runStaging));
                header.forEach(columns::putIfAbsent);
            }
            if (files.isEmpty()) {
                throw new CurException(delivery.manifestKey() == null ? delivery.reportName() : storage.describe(delivery.manifestKey()),
                        "the delivery has no data files");
            }
            String relation = LakeSchema.relation(delivery.format(), files);
            String select = LakeSchema.select(delivery.format(), relation, columns, delivery.billingPeriod(), delivery.deliveryId());
            List<YearMonth> periods = delivery.billingPeriod() != null ? List.of(delivery.billingPeriod()) : periods(duck, select, storage, delivery);
            List<Staged> staged = new ArrayList<>();
            for (YearMonth period : periods) {
                phase.accept("writing billing period " + period);
                Path target = runStaging.resolve("billing_period=" + period + ".parquet");
                String rows = delivery.billingPeriod() != null ? select
                        : "SELECT * FROM (" + select + ") WHERE billing_period_start = " + LakeSchema.periodLiteral(period);
                execute(duck, "COPY (" + rows + ") TO " + LakeSchema.quote(target.toString()) + " (FORMAT parquet, COMPRESSION zstd)", storage, delivery);
                staged.add(stats(duck, period, target));
            }
            return staged;
        } catch (SQLException e) {
            throw new CurException(delivery.reportName(), "the embedded DuckDB failed: " + CurValidation.firstLine(e), e);
        }
    }

    private List<YearMonth> periods(Connection duck, String select, CurStorage storage, Delivery delivery) throws SQLException {
        List<YearMonth> periods = new ArrayList<>();
        String sql = "SELECT DISTINCT strftime(billing_period_start, '%Y-%m') FROM (" + select + ") WHERE billing_period_start IS NOT NULL ORDER BY 1";
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                periods.add(YearMonth.parse(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw culprit(duck, storage, delivery, e);
        }
        return periods;
    }

    private void execute(Connection duck, String sql, CurStorage storage, Delivery delivery) throws SQLException {
        try (Statement st = duck.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw culprit(duck, storage, delivery, e);
        }
    }

    /** Finds which file of a failed multi-file read is at fault, by reading each alone. */
    private CurException culprit(Connection duck, CurStorage storage, Delivery delivery, SQLException failure) {
        if (delivery.dataKeys().size() > 1) {
            for (String key : delivery.dataKeys()) {
                Path file = CurValidation.localFile(storage, key, stagingRoot());
                try (Statement st = duck.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + LakeSchema.relation(delivery.format(), List.of(file)))) {
                    rs.next();
                } catch (SQLException e) {
                    return new CurException(storage.describe(key), "cannot be read: " + CurValidation.firstLine(e), e);
                }
            }
        }
        return new CurException(storage.describe(delivery.dataKeys().get(0)), "cannot be read: " + CurValidation.firstLine(failure), failure);
    }

    private Staged stats(Connection duck, YearMonth period, Path file) throws SQLException {
        String relation = "read_parquet(" + LakeSchema.quote(file.toString()) + ")";
        String sql = "SELECT count(*), coalesce(sum(billed_cost), 0), count(*) FILTER (WHERE invoice_id IS NULL) FROM " + relation;
        List<String> accounts = new ArrayList<>();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT sub_account_id FROM " + relation
                        + " WHERE sub_account_id IS NOT NULL GROUP BY 1 HAVING sum(billed_cost) <> 0 ORDER BY 1")) {
            while (rs.next()) {
                accounts.add(rs.getString(1));
            }
        }
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new Staged(period, file, rs.getLong(1), rs.getBigDecimal(2), rs.getLong(3), List.copyOf(accounts));
        }
    }

    /** Makes a staged partition the current one: one atomic rename over the previous file. */
    Path publish(UUID source, Staged staged) throws IOException {
        Path target = partition(source, staged.period());
        Files.createDirectories(target.getParent());
        Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Deletes a staging directory with everything in it. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover is removed by the next run's clean-up
                }
            });
        } catch (IOException ignored) {
            // a leftover is removed by the next run's clean-up
        }
    }
}
