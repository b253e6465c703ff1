package dev.openpayer.cur;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.aws.AwsGateways;
import dev.openpayer.aws.S3Access;
import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Report sources and what they hold: create, list, discover, pick the report. A payer's source belongs to the
 * top tenant (its report covers every member account); a customer's source belongs to the customer. Whoever's
 * subtree holds the owner sees the source; ADMIN and BILLING_MANAGER change it, ANALYST reads.
 */
@Service
public class CurSources {
    public static final String OBJECT_TYPE = "CurSource";
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws(-cn|-us-gov)?:iam::(\\d{12}):role/(?:[\\x21-\\x7E]+/)?[\\w+=,.@-]{1,64}$");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final String SELECT = """
            select s.*, (select max(p.ingested_at) from cur_partitions p where p.source_id = s.id) as last_ingested_at from cur_sources s""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Path dataDir;
    private final Tenancy tenancy;
    private final AwsGateways aws;
    private final SourceOwners owners;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;

    CurSources(JdbcClient jdbc, Clock clock, @Value("${openpayer.data-dir}") Path dataDir, Tenancy tenancy, AwsGateways aws,
            SourceOwners owners, ApplicationEventPublisher events, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.dataDir = dataDir;
        this.tenancy = tenancy;
        this.aws = aws;
        this.owners = owners;
        this.events = events;
        this.tx = tx;
    }

    /**
     * What a new source names.
     *
     * @param customerId the customer whose own management account's report it is; null for a payer's report
     * @param payerId the registered payer account (payer's reports only); null for the configured payer or the sandbox
     * @param roleArn the customer's cross-account role that reads an {@code s3://} location (customer's reports only)
     * @param region the bucket's region (default us-east-1)
     * @param endpointOverride an S3-compatible endpoint (emulators), null for AWS
     * @param pathStyle path-style addressing, as emulators need
     */
    public record Details(String name, String location, UUID customerId, UUID payerId, String roleArn, String region, String endpointOverride,
            Boolean pathStyle) {}

    private static CurSource map(ResultSet rs, int row) throws SQLException {
        return new CurSource(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), rs.getString("payer_account_id"),
                rs.getString("name"), rs.getString("location"), rs.getString("report_key"), fromDb(rs, "created_at"),
                CurSource.Owner.valueOf(rs.getString("owner_type")), rs.getObject("payer_id", UUID.class), rs.getString("role_arn"),
                rs.getString("region"), rs.getString("endpoint_override"), rs.getBoolean("path_style"), fromDb(rs, "last_discovered_at"),
                fromDb(rs, "last_delivery_seen"), fromDb(rs, "last_ingested_at"), rs.getObject("ingestion_id", UUID.class));
    }

    /** A payer's source without a viewer (tests, the sandbox demo). */
    public CurSource create(UUID organizationId, String payerAccountId, String name, String location) {
        return insert(organizationId, payerAccountId, name, location, CurSource.Owner.PAYER, null, null, null, null, false);
    }

    /** Creates a source in the viewer's scope; the location is checked for form only (refresh reads it). */
    public CurSource create(Viewer viewer, Details d) {
        return tx.execute(s -> doCreate(viewer, d));
    }

    private CurSource doCreate(Viewer viewer, Details d) {
        if (d == null) {
            throw new InvalidInputException("name", "must not be empty");
        }
        String region = blankToNull(d.region());
        if (region != null && !REGION.matcher(region).matches()) {
            throw new InvalidInputException("region", "not an AWS region code such as us-east-1");
        }
        String endpoint = blankToNull(d.endpointOverride());
        if (endpoint != null) {
            try {
                URI uri = URI.create(endpoint);
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                    throw new IllegalArgumentException("scheme");
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("endpointOverride", "must be an http(s) URL");
            }
        }
        String roleArn = blankToNull(d.roleArn());
        CurSource created;
        if (d.customerId() != null) {
            Organization customer = tenancy.referenced(viewer, d.customerId(), "customerId");
            if (customer.type() != OrganizationType.CUSTOMER) {
                throw new InvalidInputException("customerId", "is not a customer");
            }
            requireWrite(viewer);
            if (d.payerId() != null) {
                throw new InvalidInputException("payerId", "a customer's source is read through the customer's role, not a payer's credentials");
            }
            String account = null;
            if (roleArn != null) {
                var m = ROLE_ARN.matcher(roleArn);
                if (!m.matches()) {
                    throw new InvalidInputException("roleArn", "not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)");
                }
                account = m.group(2);
            } else if (d.location() != null && d.location().startsWith("s3://")) {
                throw new InvalidInputException("roleArn", "a customer's bucket is read through the customer's cross-account role: give its ARN");
            }
            created = insert(customer.id(), account, d.name(), d.location(), CurSource.Owner.CUSTOMER, null, roleArn, region, endpoint,
                    Boolean.TRUE.equals(d.pathStyle()));
        } else {
            if (viewer.organizationType() != OrganizationType.DISTRIBUTOR) {
                throw new ForbiddenException("Only the top tenant connects a payer account's reports; give customerId for a customer's own report.");
            }
            requireWrite(viewer);
            if (roleArn != null) {
                throw new InvalidInputException("roleArn", "a payer's report is read with the payer's credentials: register the role on the payer account");
            }
            SourceOwners.Payer payer = d.payerId() == null ? owners.defaultPayer()
                    : owners.payer(d.payerId()).orElseThrow(() -> new InvalidInputException("payerId", "no payer account with id " + d.payerId()));
            created = insert(viewer.organizationId(), payer.accountId(), d.name(), d.location(), CurSource.Owner.PAYER, d.payerId(), null, region,
                    endpoint, Boolean.TRUE.equals(d.pathStyle()));
        }
        audit(viewer, created, "cur-source.created", "Connected the report source " + created.name() + " (" + created.location() + ")", null,
                created.location());
        return created;
    }

    private CurSource insert(UUID organizationId, String accountId, String name, String location, CurSource.Owner owner, UUID payerId, String roleArn,
            String region, String endpoint, boolean pathStyle) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("name", "must not be empty");
        }
        if (name.strip().length() > 200) {
            throw new InvalidInputException("name", "at most 200 characters");
        }
        if (location == null || !(location.startsWith("file:") || location.startsWith("s3://"))) {
            throw new InvalidInputException("location", "use s3://bucket/prefix or file:/directory");
        }
        if (location.startsWith("s3://")) {
            try {
                S3CurStorage.parse(location.strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("location", e.getMessage());
            }
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into cur_sources (id, organization_id, payer_account_id, name, location, created_at, updated_at, owner_type, payer_id, role_arn,
                  region, endpoint_override, path_style) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, organizationId, accountId, name.strip(), location.strip(), toDb(now), toDb(now), owner.name(), payerId, roleArn, region,
                        endpoint, pathStyle)
                .update();
        return get(id);
    }

    public CurSource get(UUID id) {
        return jdbc.sql(SELECT + " where s.id = ?").param(id).query(CurSources::map).optional()
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id.toString()));
    }

    /** Every source (schedules). */
    public List<CurSource> list() {
        return jdbc.sql(SELECT + " order by s.created_at, s.name").query(CurSources::map).list();
    }

    /** The sources whose owner lies in the viewer's subtree. */
    public List<CurSource> list(Viewer viewer) {
        return jdbc.sql(SELECT + " join organizations o on o.id = s.organization_id where o.path like ? order by s.created_at, s.name")
                .param(dev.openpayer.tenancy.Organization.subtreePattern(viewer.organizationPath())).query(CurSources::map).list();
    }

    /** The source if its owner lies in the viewer's subtree, else 404 whether or not it exists. */
    public CurSource visible(Viewer viewer, UUID id) {
        CurSource source = jdbc.sql(SELECT + " where s.id = ?").param(id).query(CurSources::map).optional()
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id.toString()));
        if (source.organizationId() == null || tenancy.find(source.organizationId()).filter(viewer::covers).isEmpty()) {
            throw new NotFoundException(OBJECT_TYPE, id.toString());
        }
        return source;
    }

    /** Like {@link #visible}, and the viewer may change it (ADMIN or BILLING_MANAGER), else 403. */
    public CurSource changeable(Viewer viewer, UUID id) {
        CurSource source = visible(viewer, id);
        requireWrite(viewer);
        return source;
    }

    private static void requireWrite(Viewer viewer) {
        if (!viewer.mayWrite()) {
            throw new ForbiddenException("Report sources are changed by ADMIN or BILLING_MANAGER; you are " + viewer.role() + ".");
        }
    }

    /** The report to ingest, among those discovered. */
    public void pickReport(UUID id, String reportKey) {
        get(id);
        jdbc.sql("update cur_sources set report_key = ?, updated_at = ? where id = ?").params(reportKey, toDb(clock.instant()), id).update();
    }

    /** Picks the report to ingest; it must be one of those the location holds now. */
    public CurSource pickReport(Viewer viewer, UUID id, String reportKey) {
        CurSource source = changeable(viewer, id);
        if (reportKey == null) {
            throw new InvalidInputException("reportKey", "must not be empty");
        }
        List<DiscoveredReport> reports = discover(id);
        DiscoveredReport report = reports.stream().filter(r -> r.key().equals(reportKey)).findFirst().orElseThrow(() -> new InvalidInputException(
                "reportKey", "no report " + reportKey + " in " + source.location() + "; found: "
                        + String.join(", ", reports.stream().map(DiscoveredReport::key).filter(k -> !k.isEmpty()).toList())));
        if (!report.ingestible()) {
            throw new ConflictException("reportKey", "the report " + reportKey + " cannot be ingested: "
                    + String.join("; ", report.problems().stream().filter(p -> p.reason().blocking()).map(Problem::message).toList()));
        }
        tx.executeWithoutResult(s -> {
            pickReport(id, reportKey);
            audit(viewer, source, "cur-source.report-chosen", "Chose the report " + reportKey + " of " + source.name(), source.reportKey(), reportKey);
        });
        return get(id);
    }

    /** Reads the location: its reports, their deliveries and every reason a report is not usable. */
    public List<DiscoveredReport> discover(UUID id) {
        CurSource source = get(id);
        Path staging = dataDir.resolve("lake-staging").resolve("discovery-" + id + "-" + UUID.randomUUID());
        try {
            return new CurDiscovery(storage(source), staging).discover();
        } finally {
            LakeWriter.deleteTree(staging);
        }
    }

    /** Re-reads the location and records when, and the newest delivery seen. */
    public List<DiscoveredReport> refresh(UUID id) {
        List<DiscoveredReport> reports = discover(id);
        Instant newest = reports.stream().flatMap(r -> r.deliveries().stream()).map(Delivery::deliveredAt).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        jdbc.sql("update cur_sources set last_discovered_at = ?, last_delivery_seen = coalesce(?, last_delivery_seen) where id = ?")
                .params(toDb(clock.instant()), newest == null ? null : toDb(newest), id).update();
        return reports;
    }

    CurStorage storage(CurSource source) {
        if (source.location().startsWith("file:")) {
            return FileCurStorage.of(source.location());
        }
        return new S3CurStorage(aws.s3(access(source)), source.location(), source.region());
    }

    private S3Access access(CurSource source) {
        URI endpoint = source.endpointOverride() == null ? null : URI.create(source.endpointOverride());
        if (source.owner() == CurSource.Owner.CUSTOMER) {
            if (source.roleArn() == null) {
                throw new CurException(source.location(), "a customer's bucket is read through the customer's cross-account role, and the source names none");
            }
            return new S3Access(null, source.region(), endpoint, source.pathStyle(), source.roleArn(), owners.customerExternalId(source.organizationId()));
        }
        SourceOwners.Payer payer = source.payerId() == null ? owners.defaultPayer()
                : owners.payer(source.payerId()).orElseThrow(() -> new CurException(source.location(), "the payer account of the source is no longer registered"));
        return new S3Access(payer.connection(), source.region(), endpoint, source.pathStyle(), null, null);
    }

    void audit(Viewer viewer, CurSource source, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer == null ? null : viewer.userId(), viewer == null ? null : viewer.email(),
                source.organizationId(), action, OBJECT_TYPE, source.id().toString(), summary, before, after));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
