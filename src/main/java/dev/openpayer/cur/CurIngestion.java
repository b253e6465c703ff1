package dev.openpayer.cur;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Viewer;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ingests the deliveries of a source into the lake. Each billing period is replaced atomically by the
 * current delivery (see {@link LakeWriter}); the {@code cur_partitions} row records which delivery the
 * partition holds and is written right after the switch. A run that dies before the switch leaves the
 * previous file in place; one that dies between the switch and the row leaves the new file with the old
 * row, and the next run writes the same delivery again. A delivery already held is not read again.
 *
 * <p>One ingestion per source at a time, across instances: an ingestion holds a lease on the source's row,
 * renewed while it works and released at its end; a lease left by a process that died expires. Ingestions
 * started through the API run on a bounded pool of threads.
 */
@Service
public class CurIngestion {
    public static final String OBJECT_TYPE = "CurIngestion";
    private static final Logger log = LoggerFactory.getLogger(CurIngestion.class);

    private final JdbcClient jdbc;
    private final CurSources sources;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final LakeWriter writer;
    private final Duration lease;
    private final ThreadPoolExecutor executor;
    private final Set<UUID> activeRuns = ConcurrentHashMap.newKeySet();

    /** Called with each staged file right before it is switched in; tests inject failures here. */
    volatile Consumer<Path> beforeSwitch = p -> {};

    CurIngestion(JdbcClient jdbc, CurSources sources, Clock clock, ApplicationEventPublisher events, TransactionTemplate tx,
            @Value("${openpayer.data-dir}") Path dataDir, @Value("${openpayer.cur.ingestion-threads:2}") int threads,
            @Value("${openpayer.cur.ingestion-queue:20}") int queue, @Value("${openpayer.cur.ingestion-lease:15m}") Duration lease) {
        this.jdbc = jdbc;
        this.sources = sources;
        this.clock = clock;
        this.events = events;
        this.tx = tx;
        this.writer = new LakeWriter(dataDir);
        this.lease = lease;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "cur-ingestion-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }

    /** Ingests every billing period whose current delivery the lake does not hold yet (new, re-delivered or restated months). */
    public List<IngestionRun> ingest(UUID sourceId) {
        return runNow(sourceId, "INGEST", "SYSTEM");
    }

    /** Ingests every historical billing period present in the source; periods already current are recorded as unchanged. */
    public List<IngestionRun> backfill(UUID sourceId) {
        return runNow(sourceId, "BACKFILL", "SYSTEM");
    }

    /** Starts an ingestion (kind INGEST) or backfill (BACKFILL) of a source the viewer may change; it runs in the background. */
    public Ingestion start(Viewer viewer, UUID sourceId, String kind) {
        CurSource source = sources.changeable(viewer, sourceId);
        return submit(source, kind, "USER", viewer);
    }

    /** Starts an ingestion for the schedule (a newer delivery was discovered); empty when the source is busy. */
    Optional<Ingestion> startScheduled(UUID sourceId) {
        try {
            return Optional.of(submit(sources.get(sourceId), "INGEST", "SCHEDULE", null));
        } catch (ConflictException busy) {
            return Optional.empty();
        }
    }

    private Ingestion submit(CurSource source, String kind, String trigger, Viewer viewer) {
        UUID id = open(source, kind, trigger, viewer);
        try {
            executor.execute(() -> execute(source.id(), id, viewer));
        } catch (RejectedExecutionException e) {
            String message = "too many ingestions are waiting; start it again later";
            tx.executeWithoutResult(s -> {
                close(id, Ingestion.Status.FAILED, 0, null, message);
                release(source.id(), id);
            });
            throw new ConflictException("source", message);
        }
        return ingestion(id);
    }

    private List<IngestionRun> runNow(UUID sourceId, String kind, String trigger) {
        CurSource source = sources.get(sourceId);
        UUID id = open(source, kind, trigger, null);
        execute(sourceId, id, null);
        return runsOf(id);
    }

    /** Takes the source's lease and records the ingestion as queued; 409 while another holds the source. */
    private UUID open(CurSource source, String kind, String trigger, Viewer viewer) {
        UUID id = UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            int taken = jdbc.sql("""
                    update cur_sources set ingestion_id = ?, ingestion_lease_until = ? where id = ?
                      and (ingestion_id is null or ingestion_lease_until is null or ingestion_lease_until < ?)""")
                    .params(id, toDb(now.plus(lease)), source.id(), toDb(now)).update();
            if (taken == 0) {
                throw new ConflictException("source", "an ingestion of this source is already running");
            }
            jdbc.sql("""
                    insert into cur_ingestions (id, source_id, kind, trigger_type, status, actor_email, periods_total, files_total, bytes_total, started_at)
                      values (?, ?, ?, ?, 'QUEUED', ?, 0, 0, 0, ?)""")
                    .params(id, source.id(), kind, trigger, viewer == null ? null : viewer.email(), toDb(now)).update();
            sources.audit(viewer, source, kind.equals("BACKFILL") ? "cur-backfill.started" : "cur-ingestion.started",
                    (kind.equals("BACKFILL") ? "Started a backfill of " : "Started an ingestion of ") + source.name()
                            + (trigger.equals("SCHEDULE") ? " (a new delivery was discovered)" : ""), null, id.toString());
        });
        return id;
    }

    /** Runs an opened ingestion to its end; failures are recorded on it, never thrown. */
    private void execute(UUID sourceId, UUID id, Viewer viewer) {
        long t0 = System.nanoTime();
        CurSource source = sources.get(sourceId);
        String failedFile = null;
        String failure = null;
        Ingestion.Status status;
        try {
            jdbc.sql("update cur_ingestions set status = 'RUNNING' where id = ?").param(id).update();
            interruptAbandoned(sourceId, id);
            DiscoveredReport report = chosenReport(source);
            List<Delivery> deliveries = report.deliveries().stream()
                    .sorted(Comparator.comparing((Delivery d) -> d.billingPeriod() == null ? "" : d.billingPeriod().toString())).toList();
            jdbc.sql("update cur_ingestions set periods_total = ?, files_total = ?, bytes_total = ? where id = ?")
                    .params(deliveries.size(), deliveries.stream().mapToInt(d -> d.dataKeys().size()).sum(), deliveries.stream().mapToLong(Delivery::bytes).sum(),
                            id).update();
            jdbc.sql("update cur_sources set last_discovered_at = ?, last_delivery_seen = coalesce(?, last_delivery_seen) where id = ?")
                    .params(toDb(clock.instant()), deliveries.stream().map(Delivery::deliveredAt).filter(java.util.Objects::nonNull)
                            .max(Comparator.naturalOrder()).map(dev.openpayer.shared.Timestamps::toDb).orElse(null), sourceId).update();
            List<IngestionRun> runs = new ArrayList<>();
            String kind = jdbc.sql("select kind from cur_ingestions where id = ?").param(id).query(String.class).single();
            for (Delivery delivery : deliveries) {
                renew(sourceId, id);
                runs.add(ingest(source, delivery, kind, report, id));
            }
            Optional<IngestionRun> failed = runs.stream().filter(r -> r.status() == IngestionRun.Status.FAILED).findFirst();
            if (failed.isPresent()) {
                status = Ingestion.Status.FAILED;
                failedFile = failed.get().errorFile();
                failure = (failed.get().billingPeriod() == null ? "" : failed.get().billingPeriod() + ": ") + failed.get().errorMessage();
            } else if (!runs.isEmpty() && runs.stream().allMatch(r -> r.status() == IngestionRun.Status.UNCHANGED)) {
                status = Ingestion.Status.UNCHANGED;
            } else {
                status = Ingestion.Status.SUCCEEDED;
            }
        } catch (CurException e) {
            status = Ingestion.Status.FAILED;
            failedFile = e.file();
            failure = e.getMessage();
        } catch (RuntimeException e) {
            status = Ingestion.Status.FAILED;
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!(e instanceof ConflictException)) {
                log.warn("Ingestion {} of source {} failed", id, sourceId, e);
            }
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        Ingestion.Status end = status;
        String file = failedFile;
        String message = failure;
        try {
            tx.executeWithoutResult(s -> {
                close(id, end, elapsed, file, message);
                release(sourceId, id);
                Ingestion done = ingestion(id);
                String what = done.kind().equals("BACKFILL") ? "backfill" : "ingestion";
                if (end == Ingestion.Status.FAILED) {
                    sources.audit(viewer, source, "cur-" + what + ".failed", "The " + what + " of " + source.name() + " failed: " + truncate(message, 500),
                            null, id.toString());
                } else {
                    sources.audit(viewer, source, "cur-" + what + ".finished", "The " + what + " of " + source.name() + " ended " + end + ": "
                            + done.rows() + " rows from " + done.filesDone() + " files", null, id.toString());
                }
            });
        } catch (RuntimeException e) {
            log.error("Could not record the end of ingestion {} of source {}", id, sourceId, e);
            release(sourceId, id);
        }
    }

    private void close(UUID id, Ingestion.Status status, long elapsed, String errorFile, String error) {
        jdbc.sql("update cur_ingestions set status = ?, finished_at = ?, elapsed_ms = ?, error_file = ?, error_message = ? where id = ?")
                .params(status.name(), toDb(clock.instant()), elapsed, truncate(errorFile, 2000), truncate(error, 4000), id).update();
    }

    private void renew(UUID sourceId, UUID id) {
        jdbc.sql("update cur_sources set ingestion_lease_until = ? where id = ? and ingestion_id = ?")
                .params(toDb(clock.instant().plus(lease)), sourceId, id).update();
    }

    private void release(UUID sourceId, UUID id) {
        jdbc.sql("update cur_sources set ingestion_id = null, ingestion_lease_until = null where id = ? and ingestion_id = ?").params(sourceId, id).update();
    }

    private DiscoveredReport chosenReport(CurSource source) {
        Path staging = writer.stagingRoot().resolve("discovery-" + source.id() + "-" + UUID.randomUUID());
        List<DiscoveredReport> reports;
        try {
            reports = new CurDiscovery(sources.storage(source), staging).discover();
        } finally {
            LakeWriter.deleteTree(staging);
        }
        if (source.reportKey() != null) {
            return reports.stream().filter(r -> r.key().equals(source.reportKey())).findFirst()
                    .orElseThrow(() -> new ConflictException("report", "the chosen report " + source.reportKey() + " is no longer in " + source.location()));
        }
        List<DiscoveredReport> found = reports.stream().filter(r -> !r.layout().equals("NONE")).toList();
        if (found.size() != 1) {
            Optional<Problem> unreadable = reports.stream().flatMap(r -> r.problems().stream()).findFirst();
            if (found.isEmpty() && unreadable.isPresent()) {
                throw new CurException(unreadable.get().object(), unreadable.get().message());
            }
            throw new ConflictException("report", found.isEmpty() ? "no report found in " + source.location()
                    : found.size() + " reports found in " + source.location() + ": pick the one to use");
        }
        return found.get(0);
    }

    /** Ingests one delivery into the source's lake partition(s). Failures are recorded on the run, never thrown. */
    IngestionRun ingest(CurSource source, Delivery delivery, String kind, DiscoveredReport report, UUID ingestionId) {
        UUID runId = UUID.randomUUID();
        String period = delivery.billingPeriod() == null ? null : delivery.billingPeriod().toString();
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        jdbc.sql("""
                insert into cur_ingestion_runs (id, source_id, kind, billing_period, delivery_id, report_name, status, phase, files_total, files_done,
                  bytes_total, bytes_done, row_count, started_at, ingestion_id) values (?, ?, ?, ?, ?, ?, 'RUNNING', 'starting', ?, 0, ?, 0, 0, ?, ?)""")
                .params(runId, source.id(), kind, period, delivery.deliveryId(), delivery.reportName(), delivery.dataKeys().size(), delivery.bytes(),
                        toDb(started), ingestionId).update();
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
            AtomicInteger filesRead = new AtomicInteger();
            List<LakeWriter.Staged> staged = writer.stage(storage, delivery, staging, phase -> {
                if (phase.startsWith("reading header of ")) {
                    jdbc.sql("update cur_ingestion_runs set files_done = ? where id = ?").params(filesRead.getAndIncrement(), runId).update();
                    renew(source.id(), ingestionId);
                }
                phase(runId, phase);
            });
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
                tx.executeWithoutResult(s -> {
                    record(source.id(), delivery, partition, file);
                    events.publishEvent(new CostDataIngested(source.id(), p, delivery.deliveryId(), partition.rows(), partition.isFinal(), source.owner(),
                            source.organizationId(), source.payerId(), partition.accountsWithSpend()));
                });
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

    /**
     * Runs and ingestions left RUNNING by a process that died are marked interrupted and their staging removed. Called
     * while holding the source's lease, so nothing else can be working on the source.
     */
    private void interruptAbandoned(UUID sourceId, UUID current) {
        List<UUID> running = jdbc.sql("select id from cur_ingestion_runs where source_id = ? and status = 'RUNNING'").param(sourceId)
                .query(UUID.class).list();
        for (UUID id : running) {
            if (!activeRuns.contains(id)) {
                jdbc.sql("update cur_ingestion_runs set status = 'INTERRUPTED', phase = 'interrupted', finished_at = ? where id = ?")
                        .params(toDb(clock.instant()), id).update();
                LakeWriter.deleteTree(writer.stagingFor(id));
            }
        }
        jdbc.sql("update cur_ingestions set status = 'INTERRUPTED', finished_at = ? where source_id = ? and id <> ? and status in ('QUEUED', 'RUNNING')")
                .params(toDb(clock.instant()), sourceId, current).update();
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

    private List<IngestionRun> runsOf(UUID ingestionId) {
        return jdbc.sql("select * from cur_ingestion_runs where ingestion_id = ? order by seq").param(ingestionId).query(CurIngestion::map).list();
    }

    /** One ingestion with its progress (summed over its runs while it works). */
    public Ingestion ingestion(UUID id) {
        return jdbc.sql("select * from cur_ingestions where id = ?").param(id).query(this::mapIngestion).optional()
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id.toString()));
    }

    /** One ingestion of a source the viewer sees; 404 when it belongs to another source. */
    public Ingestion ingestion(Viewer viewer, UUID sourceId, UUID id) {
        sources.visible(viewer, sourceId);
        Ingestion ingestion = jdbc.sql("select * from cur_ingestions where id = ? and source_id = ?").params(id, sourceId).query(this::mapIngestion)
                .optional().orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id.toString()));
        return ingestion;
    }

    /** The ingestions of a source the viewer sees, newest first (at most 100). */
    public List<Ingestion> ingestions(Viewer viewer, UUID sourceId) {
        sources.visible(viewer, sourceId);
        return ingestions(sourceId);
    }

    /** The ingestions of a source, newest first (at most 100). */
    public List<Ingestion> ingestions(UUID sourceId) {
        return jdbc.sql("select * from cur_ingestions where source_id = ? order by seq desc limit 100").param(sourceId).query(this::mapIngestion).list();
    }

    private Ingestion mapIngestion(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        Ingestion.Status status = Ingestion.Status.valueOf(rs.getString("status"));
        Instant started = fromDb(rs, "started_at");
        Instant finished = fromDb(rs, "finished_at");
        long stored = rs.getLong("elapsed_ms");
        Long elapsed = rs.wasNull() ? (status.ended() ? null : Math.max(0, Duration.between(started, clock.instant()).toMillis())) : stored;
        List<IngestionRun> runs = runsOf(id);
        int filesDone = runs.stream().mapToInt(IngestionRun::filesDone).sum();
        long bytesDone = runs.stream().mapToLong(IngestionRun::bytesDone).sum();
        long rows = runs.stream().mapToLong(IngestionRun::rows).sum();
        int periodsDone = (int) runs.stream().filter(r -> r.status() != IngestionRun.Status.RUNNING).count();
        String phase = status.ended() ? status.name().toLowerCase(java.util.Locale.ROOT)
                : runs.stream().filter(r -> r.status() == IngestionRun.Status.RUNNING).map(IngestionRun::phase).reduce((a, b) -> b)
                        .orElse(status == Ingestion.Status.QUEUED ? "queued" : "discovering");
        Double rowsPerSecond = elapsed == null || elapsed == 0 ? null : rows * 1000.0 / elapsed;
        Double mbPerSecond = elapsed == null || elapsed == 0 ? null : bytesDone / 1_048_576.0 * 1000.0 / elapsed;
        return new Ingestion(id, rs.getObject("source_id", UUID.class), rs.getString("kind"), rs.getString("trigger_type"), status,
                rs.getString("actor_email"), rs.getInt("periods_total"), periodsDone, rs.getInt("files_total"), filesDone, rs.getLong("bytes_total"),
                bytesDone, rows, started, finished, elapsed, rowsPerSecond, mbPerSecond,
                Ingestion.percent(status, filesDone, rs.getInt("files_total")), phase, rs.getString("error_file"), rs.getString("error_message"),
                runs);
    }

    /** What the lake holds for a source, by billing period. */
    public List<LakePartition> partitions(UUID sourceId) {
        return jdbc.sql("select * from cur_partitions where source_id = ? order by billing_period").param(sourceId).query((rs, n) -> new LakePartition(
                rs.getObject("source_id", UUID.class), rs.getString("billing_period"), rs.getString("delivery_id"), rs.getString("report_name"),
                CurFormat.valueOf(rs.getString("format")), rs.getString("lake_path"), rs.getLong("row_count"), rs.getBigDecimal("billed_cost"),
                rs.getBoolean("is_final"), fromDb(rs, "delivered_at"), fromDb(rs, "ingested_at"))).list();
    }

    /** The deliveries of the source's report that the lake does not hold yet (what the schedule ingests). */
    List<Delivery> newDeliveries(CurSource source) {
        DiscoveredReport report = chosenReport(source);
        return report.deliveries().stream().filter(d -> d.billingPeriod() == null
                ? jdbc.sql("select count(*) from cur_partitions where source_id = ? and delivery_id = ?").params(source.id(), d.deliveryId())
                        .query(Long.class).single() == 0
                : !d.deliveryId().equals(currentDelivery(source.id(), d.billingPeriod().toString()).orElse(null))).toList();
    }

    /** The lake directory the analytics module reads ({@code <data-dir>/lake}). */
    public Path lake() {
        return writer.lake();
    }
}
