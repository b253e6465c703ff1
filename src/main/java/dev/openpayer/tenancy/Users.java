package dev.openpayer.tenancy;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users, their password hashes and sign-in failures. Emails are stored lower-cased. */
@Repository
class Users {
    private static final String COLUMNS =
            "u.id, u.organization_id, u.email, u.display_name, u.role, u.status, u.locked_until, u.created_at, u.activated_at, u.last_login_at";
    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static UserAccount map(ResultSet rs, int row) throws SQLException {
        return new UserAccount(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getString("email"),
                rs.getString("display_name"),
                Role.valueOf(rs.getString("role")),
                UserStatus.valueOf(rs.getString("status")),
                fromDb(rs, "locked_until"),
                fromDb(rs, "created_at"),
                fromDb(rs, "activated_at"),
                fromDb(rs, "last_login_at"));
    }

    Optional<UserAccount> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from users u where u.id = ?").param(id).query(Users::map).optional();
    }

    Optional<UserAccount> findByEmail(String email) {
        return jdbc.sql("select " + COLUMNS + " from users u where u.email = ?").param(email.toLowerCase()).query(Users::map).optional();
    }

    Optional<String> passwordHash(UUID id) {
        return jdbc.sql("select password_hash from users where id = ?").param(id).query(String.class).optional();
    }

    List<UserAccount> inOrganization(UUID organizationId) {
        return jdbc.sql("select " + COLUMNS + " from users u where u.organization_id = ? order by u.email")
                .param(organizationId)
                .query(Users::map)
                .list();
    }

    /** Users of organisations in the subtree of {@code path}. */
    List<UserAccount> inSubtree(String path) {
        return jdbc.sql("select " + COLUMNS + " from users u join organizations o on o.id = u.organization_id where o.path like ? order by u.email")
                .param(Organization.subtreePattern(path))
                .query(Users::map)
                .list();
    }

    void insert(UserAccount u) {
        jdbc.sql("insert into users (id, organization_id, email, display_name, role, status, created_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(u.id(), u.organizationId(), u.email(), u.displayName(), u.role().name(), u.status().name(), toDb(u.createdAt()))
                .update();
    }

    void reinvite(UUID id, UUID organizationId, String displayName, Role role) {
        jdbc.sql("update users set organization_id = ?, display_name = ?, role = ?, status = 'INVITED', password_hash = null, activated_at = null where id = ?")
                .params(organizationId, displayName, role.name(), id)
                .update();
    }

    void setStatus(UUID id, UserStatus status) {
        jdbc.sql("update users set status = ? where id = ?").params(status.name(), id).update();
    }

    void setRole(UUID id, Role role) {
        jdbc.sql("update users set role = ? where id = ?").params(role.name(), id).update();
    }

    void setDisplayName(UUID id, String displayName) {
        jdbc.sql("update users set display_name = ? where id = ?").params(displayName, id).update();
    }

    void activate(UUID id, String passwordHash, Instant at) {
        jdbc.sql("update users set status = 'ACTIVE', password_hash = ?, activated_at = ?, failed_logins = 0, locked_until = null where id = ?")
                .params(passwordHash, toDb(at), id)
                .update();
    }

    void setPassword(UUID id, String passwordHash) {
        jdbc.sql("update users set password_hash = ? where id = ?").params(passwordHash, id).update();
    }

    /** Counts a failed sign-in; at {@code max} failures the account locks until {@code lockUntil}. */
    void recordFailure(String email, int max, Instant lockUntil) {
        jdbc.sql("update users set failed_logins = failed_logins + 1 where email = ?").param(email.toLowerCase()).update();
        jdbc.sql("update users set locked_until = ?, failed_logins = 0 where email = ? and failed_logins >= ?")
                .params(toDb(lockUntil), email.toLowerCase(), max)
                .update();
    }

    void recordSuccess(String email, Instant at) {
        jdbc.sql("update users set failed_logins = 0, locked_until = null, last_login_at = ? where email = ?")
                .params(toDb(at), email.toLowerCase())
                .update();
    }

    long count() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }
}
