package dev.openpayer.cur;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One ingestion or backfill of a source as the user starts and follows it: one run per delivery (billing
 * period), with the progress summed over them while it runs.
 *
 * @param trigger USER (the API or console), SCHEDULE (a new delivery was discovered) or SYSTEM (the sandbox demo, tests)
 * @param elapsedMillis so far while it runs, in total once it ended
 * @param percent files done as a share of the files to read, 0–100 (100 once it ended)
 * @param phase what the current run is doing
 * @param errorFile the object at fault when it failed
 */
public record Ingestion(UUID id, UUID sourceId, String kind, String trigger, Status status, String actorEmail, int periodsTotal, int periodsDone,
        int filesTotal, int filesDone, long bytesTotal, long bytesDone, long rows, Instant startedAt, Instant finishedAt, Long elapsedMillis,
        Double rowsPerSecond, Double megabytesPerSecond, int percent, String phase, String errorFile, String errorMessage, List<IngestionRun> runs) {

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, UNCHANGED, FAILED, INTERRUPTED;

        public boolean ended() {
            return this != QUEUED && this != RUNNING;
        }
    }

    static int percent(Status status, int filesDone, int filesTotal) {
        if (status.ended()) {
            return 100;
        }
        return filesTotal == 0 ? 0 : (int) Math.min(99, filesDone * 100L / filesTotal);
    }
}
