package dev.openpayer.billing;

import java.time.Instant;
import java.util.UUID;

/** A named price list owned by a distributor or reseller; its versioned rules are kept by {@link PriceBookRules}. */
public record PriceBook(UUID id, UUID ownerId, String name, String currency, String description, Instant createdAt, Instant updatedAt) {

    public String summary() {
        return "\"" + name + "\" (" + currency + ")";
    }
}
