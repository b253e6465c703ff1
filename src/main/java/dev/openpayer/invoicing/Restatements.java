package dev.openpayer.invoicing;

import dev.openpayer.cur.CostDataIngested;
import dev.openpayer.cur.CurSource;
import java.time.YearMonth;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** When AWS re-delivers a month of a payer's report, every seller that invoiced the month runs it again: drafts follow, issued invoices get corrections. */
@Component
class Restatements {
    private final Invoicing invoicing;

    Restatements(Invoicing invoicing) {
        this.invoicing = invoicing;
    }

    @ApplicationModuleListener
    void on(CostDataIngested event) {
        if (event.owner() == CurSource.Owner.PAYER && event.billingPeriod() != null) {
            invoicing.recompute(YearMonth.parse(event.billingPeriod()), "RESTATEMENT");
        }
    }
}
