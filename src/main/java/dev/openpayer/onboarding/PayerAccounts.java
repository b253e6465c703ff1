package dev.openpayer.onboarding;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.aws.AwsGateways;
import dev.openpayer.aws.AwsRefusal;
import dev.openpayer.aws.OrganizationInfo;
import dev.openpayer.shared.AwsAccountId;
import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The partner's payer (management) accounts. The top tenant's admins register and change them;
 * everyone may list the payers his organisation may invite accounts into.
 */
@Service
public class PayerAccounts {
    public static final String OBJECT_TYPE = "PayerAccount";
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final String COLUMNS = "id, account_id, name, access_mode, role_arn, external_id, region, endpoint_override, allowed_countries, "
            + "requires_business_support, accepts_demo_tenants, active, aws_organization_id, feature_set, management_email, last_test_at, last_test_ok, last_test_message, "
            + "created_at, updated_at";

    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AwsGateways gateways;
    private final TransactionTemplate transactions;

    PayerAccounts(JdbcClient jdbc, Tenancy tenancy, ApplicationEventPublisher events, Clock clock, AwsGateways gateways,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.events = events;
        this.clock = clock;
        this.gateways = gateways;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The fields an admin edits. */
    public record Details(String accountId, String name, PayerAccount.AccessMode accessMode, String roleArn, String externalId, String region,
            String endpointOverride, List<String> allowedCountries, Boolean requiresBusinessSupport, List<UUID> resellerIds,
            Boolean acceptsDemoTenants) {}

    private PayerAccount map(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        String countries = rs.getString("allowed_countries");
        Instant testedAt = fromDb(rs, "last_test_at");
        PayerAccount.ConnectionTest test = testedAt == null ? null : new PayerAccount.ConnectionTest(testedAt, rs.getBoolean("last_test_ok"),
                rs.getString("last_test_message"), rs.getString("aws_organization_id"), rs.getString("feature_set"), rs.getString("management_email"));
        return new PayerAccount(id, rs.getString("account_id"), rs.getString("name"), PayerAccount.AccessMode.valueOf(rs.getString("access_mode")),
                rs.getString("role_arn"), rs.getString("external_id"), rs.getString("region"), rs.getString("endpoint_override"),
                countries == null || countries.isBlank() ? List.of() : List.of(countries.split(",")), rs.getBoolean("requires_business_support"),
                rs.getBoolean("accepts_demo_tenants"), rs.getBoolean("active"), resellers(id), test, fromDb(rs, "created_at"), fromDb(rs, "updated_at"));
    }

    private List<UUID> resellers(UUID payerId) {
        return jdbc.sql("select reseller_id from payer_account_resellers where payer_id = ?").param(payerId).query(UUID.class).list();
    }

    /**
     * All payers for the top tenant; for anyone else, the active payers his organisation may use, naming
     * only the resellers in his own subtree (the other resellers of a shared payer are none of his business).
     */
    @Transactional(readOnly = true)
    public List<PayerAccount> list(Viewer viewer) {
        List<PayerAccount> all = jdbc.sql("select " + COLUMNS + " from payer_accounts order by name").query(this::map).list();
        if (viewer.organizationType() == OrganizationType.DISTRIBUTOR) {
            return all;
        }
        Organization own = tenancy.find(viewer.organizationId()).orElseThrow();
        return all.stream().filter(p -> p.active() && usableBy(p, own)).map(p -> withResellersSeenBy(viewer, p)).toList();
    }

    private PayerAccount withResellersSeenBy(Viewer viewer, PayerAccount p) {
        List<UUID> seen = p.resellerIds().stream().filter(id -> tenancy.find(id).filter(viewer::covers).isPresent()).toList();
        // how OpenPayer reaches the payer (role, external ID, endpoint) stays with the top tenant
        return new PayerAccount(p.id(), p.accountId(), p.name(), p.accessMode(), null, null, p.region(), null,
                p.allowedCountries(), p.requiresBusinessSupport(), p.acceptsDemoTenants(), p.active(), seen, null, p.createdAt(), p.updatedAt());
    }

    @Transactional(readOnly = true)
    public PayerAccount visible(Viewer viewer, UUID id) {
        return list(viewer).stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    /** Whether customers of this organisation's branch may be invited into the payer. */
    @Transactional(readOnly = true)
    public boolean usableBy(PayerAccount payer, Organization organization) {
        Optional<UUID> reseller = resellerOf(organization);
        return reseller.isEmpty() || payer.resellerIds().contains(reseller.get());
    }

    /** The payer a customer's invitations default to: the only usable one, or the first by name. */
    @Transactional(readOnly = true)
    public Optional<PayerAccount> defaultFor(Organization customer) {
        return jdbc.sql("select " + COLUMNS + " from payer_accounts where active = true order by name").query(this::map).list().stream()
                .filter(p -> usableBy(p, customer))
                .findFirst();
    }

    @Transactional(readOnly = true)
    public Optional<PayerAccount> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from payer_accounts where id = ?").param(id).query(this::map).optional();
    }

    @Transactional
    public PayerAccount register(Viewer viewer, Details details) {
        requireTopAdmin(viewer);
        Details clean = validate(viewer, details);
        if (jdbc.sql("select count(*) from payer_accounts where account_id = ?").param(clean.accountId()).query(Long.class).single() > 0) {
            throw new ConflictException("accountId", "payer account " + clean.accountId() + " is already registered");
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into payer_accounts (id, account_id, name, access_mode, role_arn, external_id, region, endpoint_override, allowed_countries, "
                        + "requires_business_support, accepts_demo_tenants, active, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, ?)")
                .params(id, clean.accountId(), clean.name(), clean.accessMode().name(), clean.roleArn(), clean.externalId(), clean.region(),
                        clean.endpointOverride(), String.join(",", clean.allowedCountries()), clean.requiresBusinessSupport(), clean.acceptsDemoTenants(),
                        toDb(now), toDb(now))
                .update();
        replaceResellers(id, clean.resellerIds());
        PayerAccount created = find(id).orElseThrow();
        record(viewer, created, "payer-account.registered", "Registered payer account " + summary(created), null, summary(created));
        return created;
    }

    @Transactional
    public PayerAccount update(Viewer viewer, UUID id, Details details) {
        PayerAccount current = visible(viewer, id);
        requireTopAdmin(viewer);
        Details clean = validate(viewer, details);
        if (!clean.accountId().equals(current.accountId())) {
            throw new InvalidInputException("accountId", "the account ID of a registered payer cannot change; register the other account instead");
        }
        jdbc.sql("update payer_accounts set name = ?, access_mode = ?, role_arn = ?, external_id = ?, region = ?, endpoint_override = ?, "
                        + "allowed_countries = ?, requires_business_support = ?, accepts_demo_tenants = ?, updated_at = ? where id = ?")
                .params(clean.name(), clean.accessMode().name(), clean.roleArn(), clean.externalId(), clean.region(), clean.endpointOverride(),
                        String.join(",", clean.allowedCountries()), clean.requiresBusinessSupport(), clean.acceptsDemoTenants(), toDb(clock.instant()), id)
                .update();
        replaceResellers(id, clean.resellerIds());
        PayerAccount updated = find(id).orElseThrow();
        record(viewer, updated, "payer-account.updated", "Updated payer account " + summary(updated), summary(current), summary(updated));
        return updated;
    }

    @Transactional
    public PayerAccount setActive(Viewer viewer, UUID id, boolean active) {
        PayerAccount current = visible(viewer, id);
        requireTopAdmin(viewer);
        jdbc.sql("update payer_accounts set active = ?, updated_at = ? where id = ?").params(active, toDb(clock.instant()), id).update();
        PayerAccount changed = find(id).orElseThrow();
        record(viewer, changed, active ? "payer-account.reactivated" : "payer-account.deactivated",
                (active ? "Reactivated" : "Deactivated") + " payer account " + summary(current), summary(current), summary(changed));
        return changed;
    }

    /**
     * "Test connection": DescribeOrganization as the payer, keeping the organisation ID, feature set and
     * management account email, or AWS's refusal with what to do about it. AWS is called outside any
     * database transaction.
     */
    public PayerAccount testConnection(Viewer viewer, UUID id) {
        PayerAccount payer = visible(viewer, id);
        requireTopAdmin(viewer);
        PayerAccount.ConnectionTest test;
        try {
            OrganizationInfo info = gateways.organizations(Payers.connection(payer)).describeOrganization();
            String warning = info.managementAccountId() != null && !info.managementAccountId().equals(payer.accountId())
                    ? " Warning: the credentials reach the organisation managed by " + info.managementAccountId() + ", not " + payer.accountId() + "."
                    : "";
            boolean consolidatedOnly = "CONSOLIDATED_BILLING".equals(info.featureSet());
            test = new PayerAccount.ConnectionTest(clock.instant(), warning.isEmpty(), (info.sandbox() ? "Connected to the Sandbox organisation "
                    : "Connected to organisation ") + info.id() + " (feature set " + info.featureSet() + ", management account email "
                    + info.managementAccountEmail() + ")." + warning + (consolidatedOnly ? " Invitations work with consolidated billing only." : ""),
                    info.id(), info.featureSet(), info.managementAccountEmail());
        } catch (AwsRefusal refusal) {
            test = new PayerAccount.ConnectionTest(clock.instant(), false, refusal.title() + ": " + refusal.explanation() + " What to do: "
                    + refusal.remedy() + (refusal.awsMessage() == null ? "" : " (AWS said: " + refusal.awsMessage() + ")"), null, null, null);
        }
        PayerAccount.ConnectionTest outcome = test;
        return transactions.execute(s -> recordTest(viewer, id, outcome));
    }

    /** Keeps the outcome of a connection test. */
    @Transactional
    public PayerAccount recordTest(Viewer viewer, UUID id, PayerAccount.ConnectionTest test) {
        requireTopAdmin(viewer);
        jdbc.sql("update payer_accounts set last_test_at = ?, last_test_ok = ?, last_test_message = ?, aws_organization_id = ?, feature_set = ?, "
                        + "management_email = ? where id = ?")
                .params(toDb(test.at()), test.ok(), cut(test.message()), test.organizationId(), test.featureSet(), test.managementEmail(), id)
                .update();
        PayerAccount tested = find(id).orElseThrow();
        record(viewer, tested, "payer-account.tested", "Tested the connection to payer account " + summary(tested) + ": "
                + (test.ok() ? "OK" : "failed") + " — " + test.message(), null, null);
        return tested;
    }

    private void replaceResellers(UUID payerId, List<UUID> resellerIds) {
        jdbc.sql("delete from payer_account_resellers where payer_id = ?").param(payerId).update();
        for (UUID reseller : resellerIds) {
            jdbc.sql("insert into payer_account_resellers (payer_id, reseller_id) values (?, ?)").params(payerId, reseller).update();
        }
    }

    private Optional<UUID> resellerOf(Organization organization) {
        return tenancy.find(organization.id()).flatMap(o -> {
            Organization current = o;
            while (current != null) {
                if (current.type() == OrganizationType.RESELLER) {
                    return Optional.of(current.id());
                }
                current = current.parentId() == null ? null : tenancy.find(current.parentId()).orElse(null);
            }
            return Optional.empty();
        });
    }

    private Details validate(Viewer viewer, Details d) {
        if (d == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        List<FieldError> errors = new ArrayList<>();
        String accountId = null;
        try {
            accountId = AwsAccountId.parse(d.accountId(), "accountId").value();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        String name = d.name() == null ? "" : d.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            errors.add(new FieldError("name", "must be 1 to 200 characters"));
        }
        PayerAccount.AccessMode mode = d.accessMode() == null ? PayerAccount.AccessMode.DEFAULT_CREDENTIALS : d.accessMode();
        String roleArn = null;
        if (mode == PayerAccount.AccessMode.ASSUME_ROLE) {
            try {
                roleArn = RoleArns.parse(d.roleArn(), "roleArn");
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        } else if (d.roleArn() != null && !d.roleArn().isBlank()) {
            errors.add(new FieldError("roleArn", "is used only with accessMode ASSUME_ROLE"));
        }
        String externalId = d.externalId() == null || d.externalId().isBlank() ? null : d.externalId().strip();
        if (externalId != null && !externalId.matches("[\\w+=,.@:/-]{2,1224}")) {
            errors.add(new FieldError("externalId", "must be 2 to 1224 characters of letters, digits and + = , . @ : / - _"));
        }
        String region = d.region() == null || d.region().isBlank() ? "us-east-1" : d.region().strip();
        if (!region.matches("[a-z]{2}(-gov)?-[a-z]+-\\d")) {
            errors.add(new FieldError("region", "must be an AWS region code such as us-east-1 or eu-central-1"));
        }
        String endpoint = d.endpointOverride() == null || d.endpointOverride().isBlank() ? null : d.endpointOverride().strip();
        if (endpoint != null) {
            try {
                URI uri = URI.create(endpoint);
                if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    errors.add(new FieldError("endpointOverride", "must be an http(s) URL such as http://localhost:4566"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("endpointOverride", "must be an http(s) URL such as http://localhost:4566"));
            }
        }
        Set<String> countries = new LinkedHashSet<>();
        for (String c : d.allowedCountries() == null ? List.<String>of() : d.allowedCountries()) {
            for (String part : Arrays.stream(c == null ? new String[0] : c.split("[,;\\s]+")).filter(s -> !s.isBlank()).toList()) {
                String code = part.toUpperCase(Locale.ROOT);
                if (!COUNTRIES.contains(code)) {
                    errors.add(new FieldError("allowedCountries", "\"" + part + "\" is not an ISO 3166-1 alpha-2 country code"));
                } else {
                    countries.add(code);
                }
            }
        }
        List<UUID> resellers = new ArrayList<>();
        for (UUID reseller : d.resellerIds() == null ? List.<UUID>of() : d.resellerIds()) {
            Optional<Organization> o = tenancy.find(reseller).filter(viewer::covers);
            if (o.isEmpty() || o.get().type() != OrganizationType.RESELLER) {
                errors.add(new FieldError("resellerIds", "no reseller with id " + reseller));
            } else if (!resellers.contains(reseller)) {
                resellers.add(reseller);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Details(accountId, name, mode, roleArn, externalId, region, endpoint, List.copyOf(countries),
                Boolean.TRUE.equals(d.requiresBusinessSupport()), resellers, Boolean.TRUE.equals(d.acceptsDemoTenants()));
    }

    private void record(Viewer viewer, PayerAccount payer, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), viewer.organizationId(), action, OBJECT_TYPE,
                payer.id().toString(), summary, before, after));
    }

    static String summary(PayerAccount p) {
        return p.accountId() + " \"" + p.name() + "\" (" + p.accessMode() + (p.roleArn() == null ? "" : " " + p.roleArn()) + ", " + p.region()
                + (p.endpointOverride() == null ? "" : ", endpoint " + p.endpointOverride()) + (p.active() ? "" : ", inactive") + ")";
    }

    private static String cut(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1999) + "…";
    }

    static void requireTopAdmin(Viewer viewer) {
        if (!viewer.isTopTenantAdmin()) {
            throw new ForbiddenException("Only admins of the top tenant manage payer accounts.");
        }
    }
}
