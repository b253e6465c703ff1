package dev.openpayer.shared;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/** Billing months as users type them: {@code YYYY-MM}. */
public final class Months {
    private Months() {}

    /** Parses {@code 2026-10}; null or blank gives null; anything else is refused naming {@code field}. */
    public static YearMonth parse(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return YearMonth.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "\"" + value.strip() + "\" is not a billing month: use YYYY-MM, for example 2026-10");
        }
    }

    /** The same, but the month is required. */
    public static YearMonth required(String value, String field) {
        YearMonth month = parse(value, field);
        if (month == null) {
            throw new InvalidInputException(field, "is required: a billing month as YYYY-MM, for example 2026-10");
        }
        return month;
    }
}
