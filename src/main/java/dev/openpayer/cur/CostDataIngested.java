package dev.openpayer.cur;

import java.util.List;
import java.util.UUID;

/**
 * Published when a billing period of a source was replaced in the lake by a newer delivery.
 *
 * @param owner whose report the source holds
 * @param organizationId the tenant owning the source (the top tenant for a payer's report, the customer for its own)
 * @param payerId the registered payer account of a payer's report, or null (the configured payer or the sandbox)
 * @param accountsWithSpend the usage accounts whose unblended cost in the period is not zero
 */
public record CostDataIngested(UUID sourceId, String billingPeriod, String deliveryId, long rows, boolean isFinal, CurSource.Owner owner,
        UUID organizationId, UUID payerId, List<String> accountsWithSpend) {

    public CostDataIngested(UUID sourceId, String billingPeriod, String deliveryId, long rows, boolean isFinal) {
        this(sourceId, billingPeriod, deliveryId, rows, isFinal, CurSource.Owner.PAYER, null, null, List.of());
    }
}
