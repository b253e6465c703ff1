package dev.openpayer.shared;

import java.util.List;

/**
 * Input that passed the form's syntax checks but breaks a rule of the domain (unknown parent, wrong
 * organisation type, duplicate code...). Carries the offending fields so that the API can name them
 * in its problem details and the console can show them beside the fields.
 */
public class InvalidInputException extends RuntimeException {
    public record FieldError(String field, String message) {}

    private final List<FieldError> errors;

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public InvalidInputException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid input"));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
