package dev.openpayer.shared;

import dev.openpayer.shared.InvalidInputException.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Field errors for a console form, gathered from input errors, conflicts and the form's own parsing. */
public final class FormErrors {
    private final List<FieldError> errors = new ArrayList<>();

    public static FormErrors none() {
        return new FormErrors();
    }

    public static FormErrors of(RuntimeException e) {
        FormErrors result = new FormErrors();
        switch (e) {
            case InvalidInputException invalid -> result.errors.addAll(invalid.errors());
            case ConflictException conflict -> result.add(conflict.field() == null ? "form" : conflict.field(), conflict.getMessage());
            default -> result.add("form", e.getMessage());
        }
        return result;
    }

    public FormErrors add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public boolean has(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** The messages for one field. */
    public List<String> of(String field) {
        return errors.stream().filter(e -> e.field().equals(field)).map(FieldError::message).toList();
    }

    /** Errors about fields the form does not show (or about the form as a whole). */
    public List<FieldError> except(List<String> shownFields) {
        return errors.stream().filter(e -> !shownFields.contains(e.field())).toList();
    }

    /** A form's choice among an enum's constants (any case); empty is null; anything else is an error of the field. */
    public <E extends Enum<E>> E choice(Class<E> type, String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            add(field, "\"" + value.strip() + "\" is not one of the choices");
            return null;
        }
    }

    /** A form's decimal number, exactly as typed (spaces between digit groups allowed); empty is null; anything else is an error of the field. */
    public java.math.BigDecimal number(String value, String field, String example) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new java.math.BigDecimal(value.strip().replace(" ", ""));
        } catch (NumberFormatException e) {
            add(field, "\"" + value.strip() + "\" is not a number: write it like " + example);
            return null;
        }
    }

    /** Throws the gathered errors as one input error, if there are any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
