package dev.openpayer.tenancy;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Personal API tokens: created and revoked by their owner, presented as {@code Authorization: Bearer op_…}. */
@Service
public class ApiTokens {
    public static final String OBJECT_TYPE = "ApiToken";
    public static final String PREFIX = "op_";
    private static final String COLUMNS = "id, user_id, name, token_prefix, created_at, expires_at, last_used_at, revoked_at";

    /** A new token with its secret, which is never shown again. */
    public record CreatedToken(ApiToken token, String secret) {}

    private final JdbcClient jdbc;
    private final UserAccounts userAccounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ApiTokens(JdbcClient jdbc, UserAccounts userAccounts, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.userAccounts = userAccounts;
        this.events = events;
        this.clock = clock;
    }

    private static ApiToken map(ResultSet rs, int row) throws SQLException {
        return new ApiToken(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("name"),
                rs.getString("token_prefix"), fromDb(rs, "created_at"), fromDb(rs, "expires_at"), fromDb(rs, "last_used_at"),
                fromDb(rs, "revoked_at"));
    }

    @Transactional(readOnly = true)
    public List<ApiToken> mine(Viewer viewer) {
        return jdbc.sql("select " + COLUMNS + " from api_tokens where user_id = ? order by created_at desc")
                .param(viewer.userId())
                .query(ApiTokens::map)
                .list();
    }

    @Transactional
    public CreatedToken create(Viewer viewer, String name, Integer expiresInDays) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) {
            throw new InvalidInputException("name", "must not be empty");
        }
        if (clean.length() > 100) {
            throw new InvalidInputException("name", "must be at most 100 characters");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
            throw new InvalidInputException("expiresInDays", "must be between 1 and 3650, or empty for a token that does not expire");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String secret = PREFIX + Secrets.randomToken(30);
        UUID id = UUID.randomUUID();
        Instant expires = expiresInDays == null ? null : now.plus(expiresInDays, ChronoUnit.DAYS);
        String prefix = secret.substring(0, 10);
        jdbc.sql("insert into api_tokens (id, user_id, name, token_hash, token_prefix, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, viewer.userId(), clean, Secrets.sha256(secret), prefix, toDb(now), toDb(expires))
                .update();
        ApiToken token = find(viewer, id);
        events.publishEvent(new ChangeRecorded(now, viewer.userId(), viewer.email(), viewer.organizationId(), "api-token.created",
                OBJECT_TYPE, id.toString(), "Created API token \"" + clean + "\" (" + prefix + "…)", null, clean));
        return new CreatedToken(token, secret);
    }

    @Transactional
    public ApiToken revoke(Viewer viewer, UUID id) {
        ApiToken token = find(viewer, id);
        if (token.revokedAt() == null) {
            jdbc.sql("update api_tokens set revoked_at = ? where id = ?").params(toDb(clock.instant()), id).update();
            events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), viewer.organizationId(),
                    "api-token.revoked", OBJECT_TYPE, id.toString(), "Revoked API token \"" + token.name() + "\"", token.name(), null));
        }
        return find(viewer, id);
    }

    @Transactional(readOnly = true)
    public ApiToken find(Viewer viewer, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from api_tokens where id = ? and user_id = ?")
                .params(id, viewer.userId())
                .query(ApiTokens::map)
                .optional()
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    /** The viewer a bearer secret stands for, if the token is valid and its user may still sign in. */
    @Transactional
    public Optional<Viewer> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Viewer> viewer = jdbc.sql("select t.id, t.user_id, t.name, t.token_prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, u.email "
                                + "from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?")
                .param(Secrets.sha256(secret))
                .query((rs, i) -> new Object[] {map(rs, i), rs.getString("email")})
                .optional()
                .filter(row -> ((ApiToken) row[0]).usableAt(now))
                .flatMap(row -> {
                    jdbc.sql("update api_tokens set last_used_at = ? where id = ?").params(toDb(now), ((ApiToken) row[0]).id()).update();
                    return userAccounts.viewer((String) row[1]);
                });
        return viewer;
    }
}
