package dev.openpayer.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
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

    /**
     * An amount with the digits of its currency (EUR 2, JPY 0, BHD 3), rounded half-even, with thousands
     * separators: {@code 1234.5, "EUR"} → "1,234.50". Exact: the BigDecimal never passes through a double.
     */
    public String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "";
        }
        int digits = digits(currency);
        DecimalFormat format = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits), DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        return format.format(amount.setScale(digits, RoundingMode.HALF_EVEN));
    }

    /** The same followed by the currency code: "1,234.50 EUR". */
    public String moneyWithCurrency(BigDecimal amount, String currency) {
        return amount == null ? "" : money(amount, currency) + (currency == null ? "" : " " + currency);
    }

    /** A percentage with up to two decimals: "12.5 %". */
    public String percent(BigDecimal value) {
        if (value == null) {
            return "";
        }
        DecimalFormat format = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        return format.format(value) + " %";
    }

    /** The minor-unit digits of an ISO 4217 currency; 2 when the code is unknown or has none (XAU). */
    static int digits(String currency) {
        if (currency == null) {
            return 2;
        }
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }
}
