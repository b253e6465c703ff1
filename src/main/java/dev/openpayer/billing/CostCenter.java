package dev.openpayer.billing;

import java.time.Instant;
import java.util.UUID;

/** A customer's internal cost center, to which accounts and invoice lines are attributed. */
public record CostCenter(UUID id, UUID customerId, String name, String code, Instant createdAt, Instant updatedAt) {

    public String summary() {
        return code + " \"" + name + "\"";
    }
}
