package dev.openpayer.cur;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks for new deliveries in every source and ingests them; one instance at a time (ShedLock), and each
 * source's own lease keeps a user's ingestion and the schedule's apart.
 */
@Component
class CurSchedule {
    private static final Logger log = LoggerFactory.getLogger(CurSchedule.class);
    private final CurSources sources;
    private final CurIngestion ingestion;

    CurSchedule(CurSources sources, CurIngestion ingestion) {
        this.sources = sources;
        this.ingestion = ingestion;
    }

    @Scheduled(fixedDelayString = "${openpayer.cur.discovery-interval:1h}", initialDelayString = "${openpayer.cur.discovery-interval:1h}")
    @SchedulerLock(name = "cur-discovery", lockAtMostFor = "PT30M")
    void discoverDeliveries() {
        discoverAll();
    }

    /** Checks every source once; returns how many ingestions were started. */
    int discoverAll() {
        int started = 0;
        for (CurSource source : sources.list()) {
            if (source.organizationId() == null) {
                continue;
            }
            try {
                sources.refresh(source.id());
                if (source.runningIngestion() == null && !ingestion.newDeliveries(source).isEmpty() && ingestion.startScheduled(source.id()).isPresent()) {
                    started++;
                }
            } catch (RuntimeException e) {
                log.info("Discovery of source {} ({}) found nothing to ingest: {}", source.name(), source.location(), e.getMessage());
            }
        }
        return started;
    }
}
