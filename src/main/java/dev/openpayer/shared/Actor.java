package dev.openpayer.shared;

import java.util.UUID;

/** Who makes a change: a signed-in user, or the system itself (id and email null). */
public record Actor(UUID id, String email) {
    public static final Actor SYSTEM = new Actor(null, null);
}
