package dev.openpayer.cur;

/** A report object that cannot be read or used; the message names the object and the reason. */
public class CurException extends RuntimeException {
    private final String file;

    public CurException(String file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    public CurException(String file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The object (key or path) the problem is about. */
    public String file() {
        return file;
    }
}
