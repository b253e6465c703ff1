package dev.openpayer.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Formatting helpers for templates, used as {@code ${@fmt.time(instant)}}. Times are shown in UTC. */
@Component("fmt")
class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant) + " UTC";
    }

    public String date(Instant instant) {
        return instant == null ? "" : DATE.format(instant);
    }

    /** {@code BILLING_MANAGER} → "Billing manager". */
    public String label(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString().replace('_', ' ').toLowerCase(Locale.ROOT);
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Lower-case CSS modifier for a status or type, {@code BILLING_MANAGER} → "billing-manager". */
    public String css(Object value) {
        return value == null ? "" : value.toString().replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
