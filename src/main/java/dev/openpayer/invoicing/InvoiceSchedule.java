package dev.openpayer.invoicing;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The monthly invoice run: during the first days of each month, every selling organisation's invoices for the month
 * that ended are drafted (or brought up to date) once a day, in one read of the lake. Nothing is issued: a billing
 * manager checks the drafts and issues them. One instance at a time (ShedLock).
 */
@Component
class InvoiceSchedule {
    private static final Logger log = LoggerFactory.getLogger(InvoiceSchedule.class);

    private final Invoicing invoicing;
    private final Tenancy tenancy;
    private final Clock clock;
    private final int draftDays;

    InvoiceSchedule(Invoicing invoicing, Tenancy tenancy, Clock clock, @Value("${openpayer.invoicing.draft-days:10}") int draftDays) {
        this.invoicing = invoicing;
        this.tenancy = tenancy;
        this.clock = clock;
        this.draftDays = draftDays;
    }

    @Scheduled(cron = "${openpayer.invoicing.draft-schedule:0 30 5 * * *}", zone = "UTC")
    @SchedulerLock(name = "invoice-drafts", lockAtMostFor = "PT1H")
    void draftLastMonth() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (today.getDayOfMonth() <= draftDays) {
            draft(YearMonth.from(today).minusMonths(1));
        }
    }

    /** Drafts a month for the distributor and every active reseller; returns their runs. */
    List<InvoiceRun> draft(YearMonth month) {
        List<Organization> sellers = new ArrayList<>();
        tenancy.top().ifPresent(sellers::add);
        sellers.addAll(tenancy.list(tenancy.system(), new Tenancy.OrganizationQuery(null, OrganizationType.RESELLER, null, true)).stream()
                .filter(tenancy::activeWithAncestors).toList());
        List<InvoiceRun> runs = invoicing.run(sellers, month, "SCHEDULE", null);
        log.info("Invoice drafts of {}: {} seller(s), {} document(s), {} draft(s) changed, {} correction(s)", month, runs.size(),
                runs.stream().mapToInt(InvoiceRun::invoices).sum(), runs.stream().mapToInt(InvoiceRun::drafts).sum(),
                runs.stream().mapToInt(InvoiceRun::corrections).sum());
        return runs;
    }
}
