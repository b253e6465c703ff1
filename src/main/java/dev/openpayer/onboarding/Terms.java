package dev.openpayer.onboarding;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Terms and conditions: the top tenant publishes versions per territory; a customer's admin accepts
 * the version that applies to the customer's country before its first AWS account is invited.
 */
@Service
public class Terms {
    public static final String OBJECT_TYPE = "Terms";
    /** The territory of terms that apply wherever a country has none of its own. */
    public static final String ALL_TERRITORIES = "ALL";
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final String COLUMNS = "id, territory, version, title, body, published_at, published_by";

    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Terms(JdbcClient jdbc, Tenancy tenancy, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.events = events;
        this.clock = clock;
    }

    /** A customer's acceptance of a terms version. */
    public record Acceptance(UUID customerId, UUID termsId, String territory, int version, String acceptedBy, Instant acceptedAt) {}

    /** Where a customer stands with the terms that apply to a country. */
    public record Status(UUID customerId, String country, TermsVersion current, Acceptance acceptance) {
        /** True when no terms are published for the territory, or the current version is accepted. */
        public boolean satisfied() {
            return current == null || (acceptance != null && acceptance.termsId().equals(current.id()));
        }
    }

    private static TermsVersion map(ResultSet rs, int row) throws SQLException {
        return new TermsVersion(rs.getObject("id", UUID.class), rs.getString("territory"), rs.getInt("version"), rs.getString("title"),
                rs.getString("body"), fromDb(rs, "published_at"), rs.getString("published_by"));
    }

    /** Every published version, newest first (everyone may read the terms). */
    @Transactional(readOnly = true)
    public List<TermsVersion> list() {
        return jdbc.sql("select " + COLUMNS + " from terms_versions order by territory, version desc").query(Terms::map).list();
    }

    @Transactional(readOnly = true)
    public TermsVersion find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from terms_versions where id = ?").param(id).query(Terms::map).optional()
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
    }

    /** The version in force for a country: its own latest, else the latest for all territories. */
    @Transactional(readOnly = true)
    public Optional<TermsVersion> current(String country) {
        Optional<TermsVersion> own = country == null ? Optional.empty() : latest(country.toUpperCase(Locale.ROOT));
        return own.isPresent() ? own : latest(ALL_TERRITORIES);
    }

    private Optional<TermsVersion> latest(String territory) {
        return jdbc.sql("select " + COLUMNS + " from terms_versions where territory = ? order by version desc limit 1")
                .param(territory)
                .query(Terms::map)
                .optional();
    }

    /** Publishes a new version for a territory; top-tenant admins only. */
    @Transactional
    public TermsVersion publish(Viewer viewer, String territory, String title, String body) {
        if (!viewer.isTopTenantAdmin()) {
            throw new ForbiddenException("Only admins of the top tenant publish terms and conditions.");
        }
        List<FieldError> errors = new ArrayList<>();
        String t = territory == null || territory.isBlank() ? ALL_TERRITORIES : territory.strip().toUpperCase(Locale.ROOT);
        if (!t.equals(ALL_TERRITORIES) && !COUNTRIES.contains(t)) {
            errors.add(new FieldError("territory", "must be an ISO 3166-1 alpha-2 country code, or ALL"));
        }
        String cleanTitle = title == null ? "" : title.strip();
        if (cleanTitle.isEmpty() || cleanTitle.length() > 200) {
            errors.add(new FieldError("title", "must be 1 to 200 characters"));
        }
        String cleanBody = body == null ? "" : body.strip();
        if (cleanBody.isEmpty() || cleanBody.length() > 20000) {
            errors.add(new FieldError("body", "must be 1 to 20000 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        int version = jdbc.sql("select coalesce(max(version), 0) from terms_versions where territory = ?").param(t).query(Integer.class).single() + 1;
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("insert into terms_versions (id, territory, version, title, body, published_at, published_by) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, t, version, cleanTitle, cleanBody, toDb(now), viewer.email())
                .update();
        TermsVersion published = find(id);
        events.publishEvent(new ChangeRecorded(now, viewer.userId(), viewer.email(), viewer.organizationId(), "terms.published", OBJECT_TYPE,
                id.toString(), "Published version " + version + " of the terms for " + t + ": \"" + cleanTitle + "\"", null, "v" + version));
        return published;
    }

    /** Where the customer (visible to the viewer) stands with the terms of the given country. */
    @Transactional(readOnly = true)
    public Status status(Viewer viewer, UUID customerId, String country) {
        Organization customer = tenancy.visible(viewer, customerId);
        return status(customer, country);
    }

    @Transactional(readOnly = true)
    public Status status(Organization customer, String country) {
        Optional<TermsVersion> current = current(country);
        Acceptance acceptance = current.flatMap(v -> acceptance(customer.id(), v.id())).orElse(null);
        return new Status(customer.id(), country, current.orElse(null), acceptance);
    }

    /** The customer's own admin accepts a version; recorded with who and when. */
    @Transactional
    public Acceptance accept(Viewer viewer, UUID customerId, UUID termsId) {
        Organization customer = tenancy.visible(viewer, customerId);
        if (customer.type() != OrganizationType.CUSTOMER || !customer.id().equals(viewer.organizationId()) || viewer.role() != Role.ADMIN) {
            throw new ForbiddenException("Terms are accepted by an admin of the customer itself.");
        }
        TermsVersion terms = find(termsId);
        Optional<Acceptance> existing = acceptance(customer.id(), terms.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant now = clock.instant();
        jdbc.sql("insert into terms_acceptances (id, customer_id, terms_id, accepted_by, accepted_email, accepted_at) values (?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID(), customer.id(), terms.id(), viewer.userId(), viewer.email(), toDb(now))
                .update();
        events.publishEvent(new ChangeRecorded(now, viewer.userId(), viewer.email(), customer.id(), "terms.accepted", OBJECT_TYPE,
                terms.id().toString(), customer.name() + " accepted version " + terms.version() + " of the terms for " + terms.territory(), null,
                "v" + terms.version()));
        return acceptance(customer.id(), terms.id()).orElseThrow();
    }

    private Optional<Acceptance> acceptance(UUID customerId, UUID termsId) {
        return jdbc.sql("select a.customer_id, a.terms_id, t.territory, t.version, a.accepted_email, a.accepted_at from terms_acceptances a "
                        + "join terms_versions t on t.id = a.terms_id where a.customer_id = ? and a.terms_id = ?")
                .params(customerId, termsId)
                .query((rs, i) -> new Acceptance(rs.getObject("customer_id", UUID.class), rs.getObject("terms_id", UUID.class),
                        rs.getString("territory"), rs.getInt("version"), rs.getString("accepted_email"), fromDb(rs, "accepted_at")))
                .optional();
    }
}
