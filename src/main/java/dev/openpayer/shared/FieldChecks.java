package dev.openpayer.shared;

import dev.openpayer.shared.InvalidInputException.FieldError;
import java.util.List;

/** The checks every form field shares, collecting the problems so that all of them are reported at once. */
public final class FieldChecks {
    private FieldChecks() {}

    /**
     * A text field stripped of surrounding spaces; blank counts as empty (null). A required field that is
     * empty, or a value longer than {@code max}, adds a problem naming {@code field}.
     */
    public static String text(String value, String field, int max, boolean required, List<FieldError> errors) {
        String clean = value == null ? null : value.strip();
        if (clean == null || clean.isEmpty()) {
            if (required) {
                errors.add(new FieldError(field, "must not be empty"));
            }
            return null;
        }
        if (clean.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        return clean;
    }
}
