package dev.openpayer.analytics;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * A cost question.
 *
 * @param accounts the usage accounts the viewer may see; nothing else is ever summed (empty → no rows)
 * @param from first usage day (inclusive), or null
 * @param to last usage day (exclusive), or null
 * @param tagKey the normalised tag key grouped by when {@code groupBy} is TAG
 * @param filters dimension → required value (for TAG, the key {@code tag:<key>})
 */
public record CostQuery(Set<String> accounts, Metric metric, Dimension groupBy, String tagKey, Granularity granularity, LocalDate from, LocalDate to,
        Map<String, String> filters) {

    public enum Metric {
        UNBLENDED("billed_cost"), AMORTIZED("effective_cost"), NET_UNBLENDED("net_unblended_cost");

        final String column;

        Metric(String column) {
            this.column = column;
        }
    }

    public enum Dimension {
        SERVICE("service_code"), ACCOUNT("sub_account_id"), REGION("region_id"), USAGE_TYPE("usage_type"), LINE_ITEM_TYPE("line_item_type"), TAG(null), NONE(null);

        final String column;

        Dimension(String column) {
            this.column = column;
        }
    }

    /** DAY groups by usage day; MONTH by billing period (the invoice month); TOTAL not at all. */
    public enum Granularity {
        DAY, MONTH, TOTAL
    }

    public static CostQuery unblendedByService(Set<String> accounts) {
        return new CostQuery(accounts, Metric.UNBLENDED, Dimension.SERVICE, null, Granularity.MONTH, null, null, Map.of());
    }
}
