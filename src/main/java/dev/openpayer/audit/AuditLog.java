package dev.openpayer.audit;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps every change in the same transaction as the change itself (a change that rolls back leaves no
 * audit entry, and no change commits without one) and lists them within the viewer's scope.
 */
@Service
public class AuditLog {
    private static final int MAX_TEXT = 8000;
    private final JdbcClient jdbc;
    private final Tenancy tenancy;

    AuditLog(JdbcClient jdbc, Tenancy tenancy) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
    }

    /** Filters for {@link #list}; every field optional. */
    public record Query(String action, String objectType, String objectId, UUID organizationId, String actor, Instant from, Instant to,
            Integer limit) {
        public static final Query LATEST = new Query(null, null, null, null, null, null, null, null);
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(ChangeRecorded change) {
        String path = change.organizationId() == null ? null : tenancy.find(change.organizationId()).map(Organization::path).orElse(null);
        jdbc.sql("insert into audit_events (id, occurred_at, actor_id, actor_email, organization_id, organization_path, action, object_type, "
                        + "object_id, summary, before_state, after_state) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID(), toDb(change.occurredAt()), change.actorId(), change.actorEmail(), change.organizationId(), path,
                        change.action(), change.objectType(), change.objectId(), cut(change.summary(), 1000), cut(change.before(), MAX_TEXT),
                        cut(change.after(), MAX_TEXT))
                .update();
    }

    /** Newest first, at most {@code limit} (default 100, at most 1000). */
    @Transactional(readOnly = true)
    public List<AuditEvent> list(Viewer viewer, Query query) {
        int limit = query.limit() == null ? 100 : query.limit();
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", "must be between 1 and 1000");
        }
        if (query.from() != null && query.to() != null && query.from().isAfter(query.to())) {
            throw new InvalidInputException("from", "must not be after \"to\"");
        }
        String path = query.organizationId() == null ? viewer.organizationPath() : tenancy.visible(viewer, query.organizationId()).path();
        StringBuilder sql = new StringBuilder("select a.*, o.name as organization_name from audit_events a left join organizations o on o.id = a.organization_id "
                + "where a.organization_path like :path");
        Map<String, Object> params = new HashMap<>();
        params.put("path", Organization.subtreePattern(path));
        if (query.organizationId() != null) {
            sql.append(" and a.organization_id = :org");
            params.put("org", query.organizationId());
        }
        if (present(query.action())) {
            sql.append(" and a.action like :action");
            params.put("action", query.action().strip() + "%");
        }
        if (present(query.objectType())) {
            sql.append(" and a.object_type = :objectType");
            params.put("objectType", query.objectType().strip());
        }
        if (present(query.objectId())) {
            sql.append(" and a.object_id = :objectId");
            params.put("objectId", query.objectId().strip());
        }
        if (present(query.actor())) {
            sql.append(" and lower(a.actor_email) like :actor");
            params.put("actor", "%" + query.actor().strip().toLowerCase() + "%");
        }
        if (query.from() != null) {
            sql.append(" and a.occurred_at >= :from");
            params.put("from", toDb(query.from()));
        }
        if (query.to() != null) {
            sql.append(" and a.occurred_at < :to");
            params.put("to", toDb(query.to()));
        }
        sql.append(" order by a.occurred_at desc, a.id limit " + limit);
        return jdbc.sql(sql.toString()).params(params).query((rs, i) -> new AuditEvent(rs.getObject("id", UUID.class),
                fromDb(rs, "occurred_at"), rs.getObject("actor_id", UUID.class), rs.getString("actor_email"),
                rs.getObject("organization_id", UUID.class), rs.getString("organization_name"), rs.getString("action"),
                rs.getString("object_type"), rs.getString("object_id"), rs.getString("summary"), rs.getString("before_state"),
                rs.getString("after_state"))).list();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
