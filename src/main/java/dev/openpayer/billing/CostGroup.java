package dev.openpayer.billing;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * One aggregated slice of the cost lake that is priced as a whole: the dimensions pricing rules match on and
 * the summed amounts (unrounded). Missing amounts count as zero, missing tags as none.
 */
public record CostGroup(String usageAccountId, String serviceCode, String usageType, String operation, String regionId,
        String lineItemType, String chargeCategory, Map<String, String> tags, String currency,
        BigDecimal unblended, BigDecimal amortized, BigDecimal publicOnDemand, BigDecimal quantity) {

    public CostGroup {
        tags = copyOf(tags);
        unblended = unblended == null ? BigDecimal.ZERO : unblended;
        amortized = amortized == null ? BigDecimal.ZERO : amortized;
        publicOnDemand = publicOnDemand == null ? BigDecimal.ZERO : publicOnDemand;
        quantity = quantity == null ? BigDecimal.ZERO : quantity;
    }

    /** An unmodifiable copy without null keys or values: a tag without a value is treated as absent. */
    private static Map<String, String> copyOf(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        if (tags.keySet().stream().noneMatch(k -> k == null) && tags.values().stream().noneMatch(v -> v == null)) {
            return Map.copyOf(tags);
        }
        Map<String, String> clean = new HashMap<>();
        tags.forEach((k, v) -> {
            if (k != null && v != null) {
                clean.put(k, v);
            }
        });
        return Map.copyOf(clean);
    }
}
