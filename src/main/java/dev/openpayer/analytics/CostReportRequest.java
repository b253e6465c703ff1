package dev.openpayer.analytics;

import dev.openpayer.shared.InvalidInputException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A cost report as asked for, every value as typed (query parameters, form fields). {@link #parse} checks
 * it and names each parameter in error.
 *
 * @param metric unblended (default), amortized or net
 * @param groupBy service (default), account, region, usage-type, line-item-type, tag, cost-center, customer or none
 * @param tag the tag key grouped by when {@code groupBy} is tag ({@code user:Team} or its normalised form {@code user_team})
 * @param granularity daily or monthly (default)
 * @param from first usage day, ISO date; default the first day of the current month
 * @param to last usage day (inclusive), ISO date; default today
 * @param customerId only the accounts of this customer (which must be in the viewer's scope)
 */
public record CostReportRequest(String metric, String groupBy, String tag, String granularity, String from, String to, String service,
        String account, String region, String lineItemType, String customerId) {

    /** The longest range a report covers, and the longest a daily report covers. */
    static final int MAX_DAYS = 3 * 366;

    static final int MAX_DAILY_DAYS = 366;

    public static CostReportRequest defaults() {
        return new CostReportRequest(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** What can be grouped by. */
    public enum Grouping {
        SERVICE("Service", CostQuery.Dimension.SERVICE),
        ACCOUNT("Account", CostQuery.Dimension.ACCOUNT),
        REGION("Region", CostQuery.Dimension.REGION),
        USAGE_TYPE("Usage type", CostQuery.Dimension.USAGE_TYPE),
        LINE_ITEM_TYPE("Line item type", CostQuery.Dimension.LINE_ITEM_TYPE),
        TAG("Tag", CostQuery.Dimension.TAG),
        COST_CENTER("Cost center", CostQuery.Dimension.ACCOUNT),
        CUSTOMER("Customer", CostQuery.Dimension.ACCOUNT),
        NONE("Nothing", CostQuery.Dimension.NONE);

        private final String label;
        final CostQuery.Dimension dimension;

        Grouping(String label, CostQuery.Dimension dimension) {
            this.label = label;
            this.dimension = dimension;
        }

        public String label() {
            return label;
        }

        /** The value of the {@code groupBy} parameter: {@code usage-type}. */
        public String parameter() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The metrics, as the {@code metric} parameter names them. */
    public enum Metric {
        UNBLENDED("Unblended cost", CostQuery.Metric.UNBLENDED),
        AMORTIZED("Amortized cost", CostQuery.Metric.AMORTIZED),
        NET("Net unblended cost", CostQuery.Metric.NET_UNBLENDED);

        private final String label;
        final CostQuery.Metric metric;

        Metric(String label, CostQuery.Metric metric) {
            this.label = label;
            this.metric = metric;
        }

        public String label() {
            return label;
        }

        public String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Granularity {
        DAILY(CostQuery.Granularity.DAY),
        MONTHLY(CostQuery.Granularity.MONTH);

        final CostQuery.Granularity granularity;

        Granularity(CostQuery.Granularity granularity) {
            this.granularity = granularity;
        }

        public String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The checked request. */
    public record Parsed(Metric metric, Grouping groupBy, String tagKey, Granularity granularity, LocalDate from, LocalDate to, String service,
            String account, String region, String lineItemType, UUID customerId) {}

    Parsed parse(LocalDate today) {
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        Metric m = choice(Metric.class, "metric", metric, Metric.UNBLENDED, errors);
        Grouping g = choice(Grouping.class, "groupBy", groupBy, Grouping.SERVICE, errors);
        Granularity gr = choice(Granularity.class, "granularity", granularity, Granularity.MONTHLY, errors);
        String tagKey = blank(tag) ? null : normaliseTagKey(tag);
        if (g == Grouping.TAG && (tagKey == null || tagKey.isEmpty())) {
            errors.add(new InvalidInputException.FieldError("tag", "name the tag key to group by, for example tag=user:Team"));
        }
        LocalDate f = date("from", from, today.withDayOfMonth(1), errors);
        LocalDate t = date("to", to, today, errors);
        if (f != null && t != null) {
            long days = ChronoUnit.DAYS.between(f, t) + 1;
            if (days < 1) {
                errors.add(new InvalidInputException.FieldError("to", "must not be before from (" + f + ")"));
            } else if (days > MAX_DAYS) {
                errors.add(new InvalidInputException.FieldError("from", "a report covers at most " + MAX_DAYS + " days"));
            } else if (gr == Granularity.DAILY && days > MAX_DAILY_DAYS) {
                errors.add(new InvalidInputException.FieldError("granularity", "a daily report covers at most " + MAX_DAILY_DAYS + " days: use monthly"));
            }
        }
        String acct = blank(account) ? null : account.strip().replace("-", "");
        if (acct != null && !acct.matches("[0-9]{12}")) {
            errors.add(new InvalidInputException.FieldError("account", "must be a 12-digit AWS account ID"));
        }
        UUID customer = null;
        if (!blank(customerId)) {
            try {
                customer = UUID.fromString(customerId.strip());
            } catch (IllegalArgumentException e) {
                errors.add(new InvalidInputException.FieldError("customerId", "must be the ID of a customer organisation"));
            }
        }
        for (String[] text : new String[][] {{"service", service}, {"region", region}, {"lineItemType", lineItemType}, {"tag", tag}}) {
            if (text[1] != null && text[1].length() > 200) {
                errors.add(new InvalidInputException.FieldError(text[0], "at most 200 characters"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Parsed(m, g, g == Grouping.TAG ? tagKey : null, gr, f, t, trimmed(service), acct, trimmed(region), trimmed(lineItemType), customer);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trimmed(String s) {
        return blank(s) ? null : s.strip();
    }

    private static LocalDate date(String name, String value, LocalDate fallback, List<InvalidInputException.FieldError> errors) {
        if (blank(value)) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new InvalidInputException.FieldError(name, "\"" + value + "\" is not a date (YYYY-MM-DD)"));
            return null;
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String name, String value, E fallback, List<InvalidInputException.FieldError> errors) {
        if (blank(value)) {
            return fallback;
        }
        String key = value.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(key)) {
                return e;
            }
        }
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        errors.add(new InvalidInputException.FieldError(name, "\"" + value + "\" is not one of " + String.join(", ", allowed)));
        return null;
    }

    /**
     * The lake's form of a tag key: AWS's Parquet naming without the {@code resourceTags/} prefix ({@code user:Team} →
     * {@code user_team}, {@code resourceTags/user:Team} → {@code user_team}).
     */
    static String normaliseTagKey(String key) {
        String k = key.strip();
        if (k.startsWith("resourceTags/")) {
            k = k.substring("resourceTags/".length());
        }
        StringBuilder b = new StringBuilder(k.length() + 8);
        for (char ch : k.toCharArray()) {
            if (ch >= 'A' && ch <= 'Z') {
                b.append('_').append((char) (ch + 32));
            } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                b.append(ch);
            } else {
                b.append('_');
            }
        }
        String result = b.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
        return result.startsWith("resource_tags_") ? result.substring("resource_tags_".length()) : result;
    }
}
