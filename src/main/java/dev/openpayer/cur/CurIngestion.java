package dev.openpayer.cur;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Ingests the deliveries of a source into the lake. Each billing period is replaced atomically by the
 * current delivery (see {@link LakeWriter}); the {@code cur_partitions} row records which delivery the
 * partition holds and is written right after the switch. A run that dies before the switch leaves the
 * previous file in place; one that dies between the switch and the row leaves the new file with the old
 * row, and the next run writes the same delivery again. A delivery already held is not read again.
 */
@Service
public class CurIngestion {
    private final JdbcClient jdbc;
    private final CurSources sources;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final LakeWriter writer;
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();
    private final Set<UUID> activeRuns = ConcurrentHashMap.newKeySet();

    /** Called with each staged file right before it is switched in; tests inject failures here. */
    volatile Consumer<Path> beforeSwitch = p -> {};

    CurIngestion(JdbcClient jdbc, CurSources sources, Clock clock, ApplicationEventPublisher events, @Value("${openpayer.data-dir}") Path dataDir) {
        this.jdbc = jdbc;
        this.sources = sources;
        this.clock = clock;
        this.events = events;
        this.writer = new LakeWriter(dataDir);
    }

    /** Ingests every billing period whose current delivery the lake does not hold yet (new, re-delivered or restated months). */
    public List<IngestionRun> ingest(UUID sourceId) {
        return run(sourceId, "INGEST");
    }

    /** Ingests every historical billing period present in the source; periods already current are recorded as unchanged. */
    public List<IngestionRun> backfill(UUID sourceId) {
        return run(sourceId, "BACKFILL");
    }

    private List<IngestionRun> run(UUID sourceId, String kind) {
        CurSource source = sources.get(sourceId);
        if (!active.add(sourceId)) {
            throw new ConflictException("source", "an ingestion of this source is already running");
        }
        try {
            interruptAbandonedRuns(sourceId);
            DiscoveredReport report = chosenReport(source);
            List<IngestionRun> runs = new ArrayList<>();
            List<Delivery> deliveries = report.deliveries().stream()
                    .sorted(Comparator.comparing((Delivery d) -> d.billingPeriod() == null ? "" : d.billingPeriod().toString())).toList();
            for (Delivery delivery : deliveries) {
                runs.add(ingest(source, delivery, kind, report));
            }
            return runs;
        } finally {
            active.remove(sourceId);
        }
    }

    private DiscoveredReport chosenReport(CurSource source) {
        List<DiscoveredReport> reports = new CurDiscovery(sources.storage(source), writer.stagingRoot().resolve("discovery-" + source.id())).discover();
        if (source.reportKey() != null) {
            return reports.stream().filter(r -> r.key().equals(source.reportKey())).findFirst()
                    .orElseThrow(() -> new ConflictException("report", "the chosen report " + source.reportKey() + " is no longer in " + source.location()));
        }
        if (reports.size() != 1) {
            throw new ConflictException("report", reports.isEmpty() ? "no report found in " + source.location()
                    : reports.size() + " reports found in " + source.location() + ": pick the one to use");
        }
        return reports.get(0);
    }

    /** Ingests one delivery into the source's lake partition(s). Failures are recorded on the run, never thrown. */
    IngestionRun ingest(CurSource source, Delivery delivery, String kind, DiscoveredReport report) {
        UUID runId = UUID.randomUUID();
        String period = delivery.billingPeriod() == null ? null : delivery.billingPeriod().toString();
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        jdbc.sql("""
                insert into cur_ingestion_runs (id, source_id, kind, billing_period, delivery_id, report_name, status, phase, files_total, files_done,
                  bytes_total, bytes_done, row_count, started_at) values (?, ?, ?, ?, ?, ?, 'RUNNING', 'starting', ?, 0, ?, 0, 0, ?)""")
                .params(runId, source.id(), kind, period, delivery.deliveryId(), delivery.reportName(), delivery.dataKeys().size(), delivery.bytes(),
                        toDb(started)).update();
        activeRuns.add(runId);
        Path staging = writer.stagingFor(runId);
        try {
            Optional<Problem> blocking = report.problems().stream().filter(p -> p.reason().blocking()).findFirst();
            if (blocking.isPresent()) {
                throw new CurException(blocking.get().object(), blocking.get().message().startsWith(blocking.get().object())
                        ? blocking.get().message().substring(blocking.get().object().length() + 2) : blocking.get().message());
            }
            if (period != null && delivery.deliveryId().equals(currentDelivery(source.id(), period).orElse(null))
                    && Files.exists(writer.partition(source.id(), delivery.billingPeriod()))) {
                return finish(runId, IngestionRun.Status.UNCHANGED, "the lake already holds this delivery", 0, 0, t0, null, null);
            }
            CurStorage storage = sources.storage(source);
            List<LakeWriter.Staged> staged = writer.stage(storage, delivery, staging, phase -> phase(runId, phase));
            long rows = staged.stream().mapToLong(LakeWriter.Staged::rows).sum();
            jdbc.sql("update cur_ingestion_runs set files_done = ?, bytes_done = ?, row_count = ?, phase = ? where id = ?")
                    .params(delivery.dataKeys().size(), delivery.bytes(), rows, "switching", runId).update();
            for (LakeWriter.Staged partition : staged) {
                String p = partition.period().toString();
                if (delivery.deliveryId().equals(currentDelivery(source.id(), p).orElse(null))
                        && Files.exists(writer.partition(source.id(), partition.period()))) {
                    continue;
                }
                beforeSwitch.accept(partition.file());
                Path file = writer.publish(source.id(), partition);
                record(source.id(), delivery, partition, file);
                events.publishEvent(new CostDataIngested(source.id(), p, delivery.deliveryId(), partition.rows(), partition.isFinal()));
            }
            return finish(runId, IngestionRun.Status.SUCCEEDED, "done", rows, delivery.bytes(), t0, null, null);
        } catch (CurException e) {
            return finish(runId, IngestionRun.Status.FAILED, "failed", 0, 0, t0, e.file(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            return finish(runId, IngestionRun.Status.FAILED, "failed", 0, 0, t0, null, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            activeRuns.remove(runId);
            LakeWriter.deleteTree(staging);
        }
    }

    private void record(UUID sourceId, Delivery delivery, LakeWriter.Staged partition, Path file) {
        String p = partition.period().toString();
        Instant now = clock.instant();
        int updated = jdbc.sql("""
                update cur_partitions set delivery_id = ?, report_name = ?, format = ?, lake_path = ?, row_count = ?, billed_cost = ?, is_final = ?,
                  delivered_at = ?, ingested_at = ? where source_id = ? and billing_period = ?""")
                .params(delivery.deliveryId(), delivery.reportName(), delivery.format().name(), file.toString(), partition.rows(), partition.billedCost(),
                        partition.isFinal(), toDb(delivery.deliveredAt()), toDb(now), sourceId, p).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into cur_partitions (source_id, billing_period, delivery_id, report_name, format, lake_path, row_count, billed_cost, is_final,
                      delivered_at, ingested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(sourceId, p, delivery.deliveryId(), delivery.reportName(), delivery.format().name(), file.toString(), partition.rows(),
                            partition.billedCost(), partition.isFinal(), toDb(delivery.deliveredAt()), toDb(now)).update();
        }
    }

    private Optional<String> currentDelivery(UUID sourceId, String period) {
        return jdbc.sql("select delivery_id from cur_partitions where source_id = ? and billing_period = ?").params(sourceId, period)
                .query(String.class).optional();
    }

    private void phase(UUID runId, String phase) {
        jdbc.sql("update cur_ingestion_runs set phase = ? where id = ?").params(phase.length() > 200 ? phase.substring(0, 200) : phase, runId).update();
    }

    private IngestionRun finish(UUID runId, IngestionRun.Status status, String phase, long rows, long bytes, long t0, String errorFile, String error) {
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        jdbc.sql("""
                update cur_ingestion_runs set status = ?, phase = ?, row_count = ?, bytes_done = ?, finished_at = ?, elapsed_ms = ?, error_file = ?,
                  error_message = ? where id = ?""")
                .params(status.name(), phase, rows, bytes, toDb(clock.instant()), elapsed, truncate(errorFile, 2000), truncate(error, 4000), runId).update();
        return run(runId);
    }

    /** Runs left RUNNING by a process that died are marked interrupted and their staging removed. */
    private void interruptAbandonedRuns(UUID sourceId) {
        List<UUID> running = jdbc.sql("select id from cur_ingestion_runs where source_id = ? and status = 'RUNNING'").param(sourceId)
                .query(UUID.class).list();
        for (UUID id : running) {
            if (!activeRuns.contains(id)) {
                jdbc.sql("update cur_ingestion_runs set status = 'INTERRUPTED', phase = 'interrupted', finished_at = ? where id = ?")
                        .params(toDb(clock.instant()), id).update();
                LakeWriter.deleteTree(writer.stagingFor(id));
            }
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static IngestionRun map(ResultSet rs, int row) throws SQLException {
        long elapsed = rs.getLong("elapsed_ms");
        Long elapsedMs = rs.wasNull() ? null : elapsed;
        return new IngestionRun(rs.getObject("id", UUID.class), rs.getObject("source_id", UUID.class), rs.getString("kind"),
                rs.getString("billing_period"), rs.getString("delivery_id"), rs.getString("report_name"),
                IngestionRun.Status.valueOf(rs.getString("status")), rs.getString("phase"), rs.getInt("files_total"), rs.getInt("files_done"),
                rs.getLong("bytes_total"), rs.getLong("bytes_done"), rs.getLong("row_count"), fromDb(rs, "started_at"), fromDb(rs, "finished_at"),
                elapsedMs, rs.getString("error_file"), rs.getString("error_message"));
    }

    /** One run, current state (progress while it runs). */
    public IngestionRun run(UUID runId) {
        return jdbc.sql("select * from cur_ingestion_runs where id = ?").param(runId).query(CurIngestion::map).single();
    }

    /** The runs of a source, newest first. */
    public List<IngestionRun> runs(UUID sourceId) {
        return jdbc.sql("select * from cur_ingestion_runs where source_id = ? order by seq desc").param(sourceId).query(CurIngestion::map).list();
    }

    /** What the lake holds for a source, by billing period. */
    public List<LakePartition> partitions(UUID sourceId) {
        return jdbc.sql("select * from cur_partitions where source_id = ? order by billing_period").param(sourceId).query((rs, n) -> new LakePartition(
                rs.getObject("source_id", UUID.class), rs.getString("billing_period"), rs.getString("delivery_id"), rs.getString("report_name"),
                CurFormat.valueOf(rs.getString("format")), rs.getString("lake_path"), rs.getLong("row_count"), rs.getBigDecimal("billed_cost"),
                rs.getBoolean("is_final"), fromDb(rs, "delivered_at"), fromDb(rs, "ingested_at"))).list();
    }

    /** The lake directory the analytics module reads ({@code <data-dir>/lake}). */
    public Path lake() {
        return writer.lake();
    }
}
