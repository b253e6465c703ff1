package dev.openpayer.cur;

import java.time.Instant;
import java.util.UUID;

/** One ingestion of one delivery (a billing period of a source), readable while it runs. */
public record IngestionRun(UUID id, UUID sourceId, String kind, String billingPeriod, String deliveryId, String reportName, Status status,
        String phase, int filesTotal, int filesDone, long bytesTotal, long bytesDone, long rows, Instant startedAt, Instant finishedAt,
        Long elapsedMillis, String errorFile, String errorMessage) {

    public enum Status {
        RUNNING, SUCCEEDED, UNCHANGED, FAILED, INTERRUPTED
    }

    /** Rows per second, or null before the run ends. */
    public Double rowsPerSecond() {
        return elapsedMillis == null || elapsedMillis == 0 ? null : rows * 1000.0 / elapsedMillis;
    }

    /** Source megabytes per second, or null before the run ends. */
    public Double megabytesPerSecond() {
        return elapsedMillis == null || elapsedMillis == 0 ? null : bytesDone / 1_048_576.0 * 1000.0 / elapsedMillis;
    }
}
