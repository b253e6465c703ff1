package dev.openpayer.tenancy;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Single-use activation links sent to invited users; only the SHA-256 of the token is kept. */
@Repository
class Activations {
    record Activation(UUID id, UUID userId, Instant expiresAt, Instant usedAt, Instant revokedAt) {}

    private final JdbcClient jdbc;

    Activations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID userId, String tokenHash, Instant createdAt, Instant expiresAt) {
        jdbc.sql("insert into user_activations (id, user_id, token_hash, created_at, expires_at) values (?, ?, ?, ?, ?)")
                .params(UUID.randomUUID(), userId, tokenHash, toDb(createdAt), toDb(expiresAt))
                .update();
    }

    Optional<Activation> findByHash(String tokenHash) {
        return jdbc.sql("select id, user_id, expires_at, used_at, revoked_at from user_activations where token_hash = ?")
                .param(tokenHash)
                .query((rs, i) -> new Activation(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        fromDb(rs, "expires_at"), fromDb(rs, "used_at"), fromDb(rs, "revoked_at")))
                .optional();
    }

    /** Marks the link used; false when another request used it first. */
    boolean markUsed(UUID id, Instant at) {
        return jdbc.sql("update user_activations set used_at = ? where id = ? and used_at is null and revoked_at is null")
                        .params(toDb(at), id)
                        .update()
                == 1;
    }

    void revokeOpen(UUID userId, Instant at) {
        jdbc.sql("update user_activations set revoked_at = ? where user_id = ? and used_at is null and revoked_at is null")
                .params(toDb(at), userId)
                .update();
    }

    Optional<Instant> latestExpiry(UUID userId) {
        return jdbc.sql("select max(expires_at) as expires_at from user_activations where user_id = ? and used_at is null and revoked_at is null")
                .param(userId)
                .query((rs, i) -> fromDb(rs, "expires_at"))
                .optional();
    }
}
