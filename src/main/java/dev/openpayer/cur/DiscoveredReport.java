package dev.openpayer.cur;

import java.util.List;

/**
 * A report found under a location, with the current delivery of each billing period and every reason
 * it is not usable.
 *
 * @param key a stable identifier of the report within the location (its folder)
 * @param layout LEGACY (period folders and manifests), ATHENA (year=/month= Parquet), DATA_EXPORT (CUR 2.0 or FOCUS) or FILE (a loose file)
 */
public record DiscoveredReport(String key, String name, String layout, CurFormat format, List<Delivery> deliveries, List<Problem> problems) {

    /** Usable for rebilling: no reason at all against it. */
    public boolean usable() {
        return problems.isEmpty();
    }

    /** Ingestible: no blocking reason. */
    public boolean ingestible() {
        return problems.stream().noneMatch(p -> p.reason().blocking());
    }
}
