package dev.openpayer.analytics.web;

import dev.openpayer.cur.CurIngestion;
import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs the ingestions and backfills the console starts in the background, so that the page answers at once
 * and follows the runs' progress. {@link CurIngestion} records each run (and its failure) itself; a refusal
 * before any run starts (another ingestion of the source running, no report chosen) is kept here and shown
 * on the source's page.
 */
@Component
class IngestionLauncher {
    private static final Logger log = LoggerFactory.getLogger(IngestionLauncher.class);

    private final CurIngestion ingestion;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("console-ingestion-", 0).factory());
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<UUID, String> refusals = new ConcurrentHashMap<>();

    IngestionLauncher(CurIngestion ingestion) {
        this.ingestion = ingestion;
    }

    /** Starts an ingestion (or backfill) of the source; false when the console is already running one for it. */
    boolean start(UUID sourceId, boolean backfill) {
        if (!inFlight.add(sourceId)) {
            return false;
        }
        refusals.remove(sourceId);
        executor.execute(() -> {
            try {
                if (backfill) {
                    ingestion.backfill(sourceId);
                } else {
                    ingestion.ingest(sourceId);
                }
            } catch (RuntimeException e) {
                log.info("ingestion of source {} refused: {}", sourceId, e.getMessage());
                refusals.put(sourceId, e.getMessage() == null ? e.toString() : e.getMessage());
            } finally {
                inFlight.remove(sourceId);
            }
        });
        return true;
    }

    boolean running(UUID sourceId) {
        return inFlight.contains(sourceId);
    }

    /** Why the last ingestion the console started for the source did not start, or null. */
    String refusal(UUID sourceId) {
        return refusals.get(sourceId);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
