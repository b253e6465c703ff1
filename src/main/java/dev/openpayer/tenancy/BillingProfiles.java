package dev.openpayer.tenancy;

import static dev.openpayer.shared.FieldChecks.text;
import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.Currencies;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Billing profiles and who is assigned to them. Admins act on every profile of their subtree; billing
 * managers and analysts see only the profiles assigned to them, and billing managers may edit those.
 */
@Service
public class BillingProfiles {
    public static final String OBJECT_TYPE = "BillingProfile";
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final String COLUMNS = "b.id, b.organization_id, b.name, b.legal_name, b.address_line1, b.address_line2, b.city, "
            + "b.postal_code, b.region, b.country, b.currency, b.payment_terms_days, b.contact_emails, b.active, b.created_at, b.updated_at";

    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final UserAccounts userAccounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    BillingProfiles(JdbcClient jdbc, Tenancy tenancy, UserAccounts userAccounts, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.userAccounts = userAccounts;
        this.events = events;
        this.clock = clock;
    }

    private static BillingProfile map(ResultSet rs, int row) throws SQLException {
        String emails = rs.getString("contact_emails");
        return new BillingProfile(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), rs.getString("name"),
                rs.getString("legal_name"), rs.getString("address_line1"), rs.getString("address_line2"), rs.getString("city"),
                rs.getString("postal_code"), rs.getString("region"), rs.getString("country"), rs.getString("currency"),
                rs.getInt("payment_terms_days"), emails == null || emails.isEmpty() ? List.of() : List.of(emails.split(",")),
                rs.getBoolean("active"), fromDb(rs, "created_at"), fromDb(rs, "updated_at"));
    }

    /** Profiles the viewer may see, optionally of one organisation. */
    @Transactional(readOnly = true)
    public List<BillingProfile> list(Viewer viewer, UUID organizationId) {
        String path = organizationId == null ? viewer.organizationPath() : tenancy.visible(viewer, organizationId).path();
        String sql = "select " + COLUMNS + " from billing_profiles b join organizations o on o.id = b.organization_id where o.path like :path"
                + (organizationId == null ? "" : " and b.organization_id = :org")
                + (viewer.isAdmin() ? "" : " and exists (select 1 from billing_profile_assignments a where a.billing_profile_id = b.id and a.user_id = :user)")
                + " order by b.name";
        var spec = jdbc.sql(sql).param("path", Organization.subtreePattern(path));
        if (organizationId != null) {
            spec = spec.param("org", organizationId);
        }
        if (!viewer.isAdmin()) {
            spec = spec.param("user", viewer.userId());
        }
        return spec.query(BillingProfiles::map).list();
    }

    /** The profile if the viewer may see it, else 404. */
    @Transactional(readOnly = true)
    public BillingProfile visible(Viewer viewer, UUID id) {
        return jdbc.sql("select " + COLUMNS + ", o.path from billing_profiles b join organizations o on o.id = b.organization_id where b.id = ?")
                .param(id)
                .query((rs, i) -> viewer.covers(rs.getString("path")) ? map(rs, i) : null)
                .optional()
                .filter(p -> viewer.isAdmin() || assigned(p.id(), viewer.userId()))
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    /** Whether the viewer may act (not only read) on the profile: admins in scope, billing managers assigned to it. */
    @Transactional(readOnly = true)
    public BillingProfile actionable(Viewer viewer, UUID id) {
        BillingProfile profile = visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        return profile;
    }

    @Transactional
    public BillingProfile create(Viewer viewer, UUID organizationId, BillingProfile.Details details) {
        Organization organization = tenancy.referenced(viewer, organizationId, "organizationId");
        viewer.requireRole(Role.ADMIN);
        if (organization.type() == OrganizationType.DISTRIBUTOR) {
            throw new InvalidInputException("organizationId", "billing profiles belong to resellers and customers, who are billed; the distributor is not");
        }
        BillingProfile.Details clean = validate(details);
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into billing_profiles (id, organization_id, name, legal_name, address_line1, address_line2, city, postal_code, region, "
                        + "country, currency, payment_terms_days, contact_emails, active, created_at, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, ?)")
                .params(id, organization.id(), clean.name(), clean.legalName(), clean.addressLine1(), clean.addressLine2(), clean.city(),
                        clean.postalCode(), clean.region(), clean.country(), clean.currency(), clean.paymentTermsDays(),
                        String.join(",", clean.contactEmails()), toDb(now), toDb(now))
                .update();
        BillingProfile created = findExisting(id);
        record(viewer, created, "billing-profile.created", "Created billing profile " + created.summary(), null, created.summary());
        return created;
    }

    @Transactional
    public BillingProfile update(Viewer viewer, UUID id, BillingProfile.Details details) {
        BillingProfile current = actionable(viewer, id);
        BillingProfile.Details clean = validate(details);
        jdbc.sql("update billing_profiles set name = ?, legal_name = ?, address_line1 = ?, address_line2 = ?, city = ?, postal_code = ?, "
                        + "region = ?, country = ?, currency = ?, payment_terms_days = ?, contact_emails = ?, updated_at = ? where id = ?")
                .params(clean.name(), clean.legalName(), clean.addressLine1(), clean.addressLine2(), clean.city(), clean.postalCode(),
                        clean.region(), clean.country(), clean.currency(), clean.paymentTermsDays(), String.join(",", clean.contactEmails()),
                        toDb(clock.instant()), id)
                .update();
        BillingProfile updated = findExisting(id);
        record(viewer, updated, "billing-profile.updated", "Updated billing profile " + updated.summary(), current.summary(), updated.summary());
        return updated;
    }

    @Transactional
    public BillingProfile setActive(Viewer viewer, UUID id, boolean active) {
        BillingProfile current = visible(viewer, id);
        viewer.requireRole(Role.ADMIN);
        jdbc.sql("update billing_profiles set active = ?, updated_at = ? where id = ?").params(active, toDb(clock.instant()), id).update();
        BillingProfile changed = findExisting(id);
        record(viewer, changed, active ? "billing-profile.reactivated" : "billing-profile.deactivated",
                (active ? "Reactivated" : "Deactivated") + " billing profile " + current.summary(), current.summary(), changed.summary());
        return changed;
    }

    /** The users assigned to a profile (who has access to what). */
    @Transactional(readOnly = true)
    public List<UserAccount> assignees(Viewer viewer, UUID id) {
        visible(viewer, id);
        return jdbc.sql("select " + "u.id, u.organization_id, u.email, u.display_name, u.role, u.status, u.locked_until, u.created_at, u.activated_at, u.last_login_at"
                        + " from users u join billing_profile_assignments a on a.user_id = u.id where a.billing_profile_id = ? order by u.email")
                .param(id)
                .query(Users::map)
                .list();
    }

    /** The profiles a user is assigned to, restricted to what the viewer sees. */
    @Transactional(readOnly = true)
    public List<BillingProfile> assignedTo(Viewer viewer, UUID userId) {
        return jdbc.sql("select " + COLUMNS + ", o.path from billing_profiles b join organizations o on o.id = b.organization_id "
                        + "join billing_profile_assignments a on a.billing_profile_id = b.id where a.user_id = ? order by b.name")
                .param(userId)
                .query((rs, i) -> viewer.covers(rs.getString("path")) ? map(rs, i) : null)
                .list()
                .stream()
                .filter(p -> p != null)
                .toList();
    }

    /**
     * Replaces the profile's assignees. Each must be a user of the viewer's subtree whose organisation is
     * the profile's or one above it (a reseller's billing manager may look after his customers' profiles).
     */
    @Transactional
    public List<UserAccount> assign(Viewer viewer, UUID id, List<UUID> userIds) {
        BillingProfile profile = visible(viewer, id);
        viewer.requireRole(Role.ADMIN);
        Organization owner = tenancy.find(profile.organizationId()).orElseThrow();
        Set<UUID> wanted = new LinkedHashSet<>(userIds == null ? List.of() : userIds);
        List<FieldError> errors = new ArrayList<>();
        for (UUID userId : wanted) {
            var user = userAccounts.inScope(viewer, userId);
            if (user.isEmpty()) {
                errors.add(new FieldError("userIds", "no user with id " + userId + " in your scope"));
            } else if (!tenancy.find(user.get().organizationId()).map(o -> o.covers(owner)).orElse(false)) {
                errors.add(new FieldError("userIds", user.get().email() + " belongs to an organisation that does not include " + "this profile's organisation"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<String> before = assignees(viewer, id).stream().map(UserAccount::email).toList();
        jdbc.sql("delete from billing_profile_assignments where billing_profile_id = ?").param(id).update();
        for (UUID userId : wanted) {
            jdbc.sql("insert into billing_profile_assignments (billing_profile_id, user_id) values (?, ?)").params(id, userId).update();
        }
        List<UserAccount> after = assignees(viewer, id);
        record(viewer, profile, "billing-profile.assigned", "Assigned billing profile \"" + profile.name() + "\" to "
                + (after.isEmpty() ? "nobody" : after.stream().map(UserAccount::email).collect(Collectors.joining(", "))),
                String.join(", ", before), after.stream().map(UserAccount::email).collect(Collectors.joining(", ")));
        return after;
    }

    private boolean assigned(UUID profileId, UUID userId) {
        return jdbc.sql("select count(*) from billing_profile_assignments where billing_profile_id = ? and user_id = ?")
                        .params(profileId, userId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private BillingProfile findExisting(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from billing_profiles b where b.id = ?").param(id).query(BillingProfiles::map).single();
    }

    /** A profile by id without a scope check, for other modules' own policies and notifications. */
    @Transactional(readOnly = true)
    public java.util.Optional<BillingProfile> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from billing_profiles b where b.id = ?").param(id).query(BillingProfiles::map).optional();
    }

    private void record(Viewer viewer, BillingProfile profile, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), profile.organizationId(), action,
                OBJECT_TYPE, profile.id().toString(), summary, before, after));
    }

    /** Checks every field and reports all problems at once. */
    static BillingProfile.Details validate(BillingProfile.Details d) {
        if (d == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = text(d.name(), "name", 200, true, errors);
        String legalName = text(d.legalName(), "legalName", 300, true, errors);
        String line1 = text(d.addressLine1(), "addressLine1", 300, true, errors);
        String line2 = text(d.addressLine2(), "addressLine2", 300, false, errors);
        String city = text(d.city(), "city", 200, true, errors);
        String postalCode = text(d.postalCode(), "postalCode", 40, false, errors);
        String region = text(d.region(), "region", 200, false, errors);
        String country = d.country() == null ? "" : d.country().strip().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(country)) {
            errors.add(new FieldError("country", "must be an ISO 3166-1 alpha-2 country code such as DE, FR or US"));
        }
        String currency = d.currency() == null ? "" : d.currency().strip().toUpperCase(Locale.ROOT);
        if (!Currencies.isIso4217(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 currency code such as EUR, USD or GBP"));
        }
        Integer terms = d.paymentTermsDays();
        if (terms == null || terms < 0 || terms > 365) {
            errors.add(new FieldError("paymentTermsDays", "must be a number of days between 0 and 365"));
        }
        List<String> emails = new ArrayList<>();
        List<String> given = d.contactEmails() == null ? List.of() : d.contactEmails().stream()
                .flatMap(e -> e == null ? java.util.stream.Stream.empty() : Arrays.stream(e.split("[,;\\s]+")))
                .filter(e -> !e.isBlank())
                .toList();
        if (given.isEmpty()) {
            errors.add(new FieldError("contactEmails", "needs at least one billing contact email"));
        } else if (given.size() > 20) {
            errors.add(new FieldError("contactEmails", "at most 20 billing contacts"));
        }
        for (String email : given) {
            try {
                String clean = UserAccounts.validEmail(email);
                if (!emails.contains(clean)) {
                    emails.add(clean);
                }
            } catch (InvalidInputException e) {
                errors.add(new FieldError("contactEmails", "\"" + email + "\" is not a valid email address"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new BillingProfile.Details(name, legalName, line1, line2, city, postalCode, region, country, currency, terms, emails);
    }
}
