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

/** The organisation tree, stored with materialised paths. */
@Repository
class Organizations {
    private static final String COLUMNS = "id, parent_id, type, name, path, active, created_at, updated_at";
    private final JdbcClient jdbc;

    Organizations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static Organization map(ResultSet rs, int row) throws SQLException {
        return new Organization(
                rs.getObject("id", UUID.class),
                rs.getObject("parent_id", UUID.class),
                OrganizationType.valueOf(rs.getString("type")),
                rs.getString("name"),
                rs.getString("path"),
                rs.getBoolean("active"),
                fromDb(rs, "created_at"),
                fromDb(rs, "updated_at"));
    }

    Optional<Organization> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from organizations where id = ?").param(id).query(Organizations::map).optional();
    }

    Optional<Organization> top() {
        return jdbc.sql("select " + COLUMNS + " from organizations where parent_id is null").query(Organizations::map).optional();
    }

    /** Organisations under (and including) the given path, filtered, ordered by path depth and name. */
    List<Organization> inSubtree(String path, UUID parentId, OrganizationType type, String nameContains, Boolean active) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from organizations where path like :path");
        var params = new java.util.HashMap<String, Object>();
        params.put("path", Organization.subtreePattern(path));
        if (parentId != null) {
            sql.append(" and parent_id = :parentId");
            params.put("parentId", parentId);
        }
        if (type != null) {
            sql.append(" and type = :type");
            params.put("type", type.name());
        }
        if (nameContains != null && !nameContains.isBlank()) {
            sql.append(" and lower(name) like :name");
            params.put("name", "%" + escapeLike(nameContains.toLowerCase()) + "%");
        }
        if (active != null) {
            sql.append(" and active = :active");
            params.put("active", active);
        }
        sql.append(" order by length(path), name");
        return jdbc.sql(sql.toString()).params(params).query(Organizations::map).list();
    }

    List<Organization> ancestorsAndSelf(Organization organization) {
        List<UUID> ids = java.util.Arrays.stream(organization.path().split("/"))
                .filter(s -> !s.isEmpty())
                .map(UUID::fromString)
                .toList();
        List<Organization> found = jdbc.sql("select " + COLUMNS + " from organizations where id in (:ids)")
                .param("ids", ids)
                .query(Organizations::map)
                .list();
        return found.stream().sorted(java.util.Comparator.comparingInt(o -> o.path().length())).toList();
    }

    /** Whether the organisation or any organisation above it is deactivated. */
    boolean activeWithAncestors(Organization organization) {
        return ancestorsAndSelf(organization).stream().allMatch(Organization::active);
    }

    void insert(Organization o) {
        jdbc.sql("insert into organizations (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(o.id(), o.parentId(), o.type().name(), o.name(), o.path(), o.active(), toDb(o.createdAt()), toDb(o.updatedAt()))
                .update();
    }

    void update(UUID id, String name, boolean active, Instant at) {
        jdbc.sql("update organizations set name = ?, active = ?, updated_at = ? where id = ?")
                .params(name, active, toDb(at), id)
                .update();
    }

    boolean siblingNameTaken(UUID parentId, String name, UUID exceptId) {
        return jdbc.sql("select count(*) from organizations where parent_id = ? and lower(name) = lower(?) and id <> ?")
                        .params(parentId, name, exceptId == null ? new UUID(0, 0) : exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    boolean demoAmong(List<UUID> ids) {
        return !ids.isEmpty() && jdbc.sql("select count(*) from organizations where demo = true and id in (:ids)").param("ids", ids)
                .query(Long.class).single() > 0;
    }

    void markDemo(UUID id) {
        jdbc.sql("update organizations set demo = true where id = ?").param(id).update();
    }

    long count() {
        return jdbc.sql("select count(*) from organizations").query(Long.class).single();
    }

    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
