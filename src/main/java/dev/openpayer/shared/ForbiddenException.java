package dev.openpayer.shared;

/** The viewer may see the object but his role does not allow the action (403). */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
