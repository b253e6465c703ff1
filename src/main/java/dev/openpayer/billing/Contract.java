package dev.openpayer.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The agreement under which a seller (the distributor or a reseller) bills an organisation directly
 * below it, at the price book applied.
 *
 * @param endDate the last day covered, or null for an open-ended contract
 */
public record Contract(
        UUID id,
        UUID sellerId,
        UUID customerId,
        UUID priceBookId,
        LocalDate startDate,
        LocalDate endDate,
        ContractStatus status,
        Instant createdAt,
        Instant updatedAt) {

    /** Whether the contract is in force on the day: active, started, not yet ended. */
    public boolean inForceOn(LocalDate day) {
        return status == ContractStatus.ACTIVE && !startDate.isAfter(day) && (endDate == null || !endDate.isBefore(day));
    }

    public String summary() {
        return status + " from " + startDate + (endDate == null ? " (open-ended)" : " to " + endDate);
    }
}
