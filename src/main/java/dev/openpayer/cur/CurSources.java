package dev.openpayer.cur;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.NotFoundException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Report sources and what they hold: create, list, discover, pick the report. */
@Service
public class CurSources {
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Path dataDir;

    CurSources(JdbcClient jdbc, Clock clock, @Value("${openpayer.data-dir}") Path dataDir) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.dataDir = dataDir;
    }

    private static CurSource map(ResultSet rs, int row) throws SQLException {
        return new CurSource(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), rs.getString("payer_account_id"),
                rs.getString("name"), rs.getString("location"), rs.getString("report_key"), fromDb(rs, "created_at"));
    }

    public CurSource create(UUID organizationId, String payerAccountId, String name, String location) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("name", "must not be empty");
        }
        if (location == null || !(location.startsWith("file:") || location.startsWith("s3://"))) {
            throw new InvalidInputException("location", "use s3://bucket/prefix or file:/directory");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("insert into cur_sources (id, organization_id, payer_account_id, name, location, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, organizationId, payerAccountId, name.strip(), location.strip(), toDb(now), toDb(now)).update();
        return get(id);
    }

    public CurSource get(UUID id) {
        return jdbc.sql("select * from cur_sources where id = ?").param(id).query(CurSources::map).optional()
                .orElseThrow(() -> new NotFoundException("CurSource", id.toString()));
    }

    public List<CurSource> list() {
        return jdbc.sql("select * from cur_sources order by created_at, name").query(CurSources::map).list();
    }

    /** The report to ingest, among those discovered. */
    public void pickReport(UUID id, String reportKey) {
        get(id);
        jdbc.sql("update cur_sources set report_key = ?, updated_at = ? where id = ?").params(reportKey, toDb(clock.instant()), id).update();
    }

    /** Reads the location: its reports, their deliveries and every reason a report is not usable. */
    public List<DiscoveredReport> discover(UUID id) {
        CurSource source = get(id);
        return new CurDiscovery(storage(source), dataDir.resolve("lake-staging").resolve("discovery-" + id)).discover();
    }

    CurStorage storage(CurSource source) {
        if (source.location().startsWith("file:")) {
            return FileCurStorage.of(source.location());
        }
        throw new InvalidInputException("location", "reading s3:// locations is not available in this version: download the reports and use a file: location");
    }
}
