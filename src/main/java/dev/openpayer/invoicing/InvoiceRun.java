package dev.openpayer.invoicing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * One computation of a seller's invoices for a month: drafts created or updated, issued invoices compared with
 * the newest data (differences become draft credit notes or supplementary invoices), and what could not be billed.
 *
 * @param trigger MANUAL (a user), RESTATEMENT (AWS re-delivered the month) or DEMO
 * @param costRows the lake lines read
 */
public record InvoiceRun(UUID id, UUID sellerId, String sellerName, YearMonth month, Status status, String trigger, String requestedBy, Instant startedAt,
        Instant finishedAt, int invoices, int drafts, int corrections, int unchanged, long costRows, List<String> warnings, String error) {

    public enum Status {
        RUNNING,
        COMPLETED,
        FAILED
    }
}
