package dev.openpayer.shared;

/** The request is valid but clashes with the current state (409), for example an email already in use. */
public class ConflictException extends RuntimeException {
    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
