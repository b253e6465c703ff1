package dev.openpayer.cur;

import java.io.IOException;

/** The location refused access or answered from elsewhere; the message names the permission or region that fixes it. */
public class CurAccessException extends IOException {
    private final Problem.Reason reason;

    public CurAccessException(Problem.Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Problem.Reason reason() {
        return reason;
    }
}
