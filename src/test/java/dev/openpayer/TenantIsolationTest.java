package dev.openpayer;

import static dev.openpayer.TenantIsolationTest.Position.CHILD;
import static dev.openpayer.TenantIsolationTest.Position.OWN;
import static dev.openpayer.TenantIsolationTest.Position.OWN_RESTRICTED;
import static dev.openpayer.TenantIsolationTest.Position.SIBLING;
import static dev.openpayer.tenancy.Role.ADMIN;
import static dev.openpayer.tenancy.Role.ANALYST;
import static dev.openpayer.tenancy.Role.BILLING_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.openpayer.cur.CurGenerator;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSources;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserStatus;
import dev.openpayer.testsupport.ApiTestSupport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Walks every {@code /api/v1} operation, found at runtime, as each role of a user of reseller R1 against
 * objects in three positions, and compares the status with the rule declared for the operation:
 *
 * <ul>
 *   <li>OWN: R1's own objects; OWN_RESTRICTED: objects in R1 that the role may still not see (a billing
 *       profile the user is not assigned to, a colleague's API token);
 *   <li>CHILD: objects of customer C1 under R1;
 *   <li>SIBLING: objects of reseller R2, of its customer C2 and of the distributor D above R1.
 * </ul>
 *
 * Besides the declared statuses it checks, for every request: a sibling object answers exactly like an
 * id that does not exist (same status, same problem type), and no answer ever contains an id, name or
 * email of R2's subtree. An operation without a rule, or a rule without an operation, fails the test.
 *
 * <p>To cover a new module's endpoints (contracts, price books, cost centers...): create its objects for
 * R1, C1, R2 and C2 in {@link #world()} (adding R2's and C2's ids and names to {@code foreign}), then add
 * one line per operation to {@link #rules()}, naming the objects with {@link #objects}, for example
 * {@code add(rules, rule("GET /api/v1/contracts/{id}", objects("id", p -> switch (p) {...})).all(200, 200, 404));}
 */
class TenantIsolationTest extends ApiTestSupport {

    enum Position {
        OWN,
        OWN_RESTRICTED,
        CHILD,
        SIBLING
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Autowired CurSources curSources;
    @Autowired CurIngestion curIngestion;

    private World w;

    // ---------------------------------------------------------------------------------------------
    // The rules: one line per operation. Statuses are given for OWN, CHILD, SIBLING in that order.
    // ---------------------------------------------------------------------------------------------

    private Map<String, Rule> rules() {
        Map<String, Rule> rules = new TreeMap<>();
        // Organisations: every role reads its subtree; changes are for ADMINs; nobody (de)activates his own organisation.
        add(rules, rule("GET /api/v1/organizations", organizationFilter()).all(200, 200, 200).check(this::organizationList));
        add(rules, rule("POST /api/v1/organizations", newOrganization()).admin(201, 400, 400).others(403, 403, 400));
        add(rules, rule("GET /api/v1/organizations/{id}", organization()).all(200, 200, 404));
        add(rules, rule("PATCH /api/v1/organizations/{id}", organization(o -> Map.of("name", o.name()))).admin(200, 200, 404).others(403, 403, 404));
        add(rules, rule("POST /api/v1/organizations/{id}/deactivate", organization()).admin(403, 200, 404).others(403, 403, 404));
        add(rules, rule("POST /api/v1/organizations/{id}/reactivate", deactivatedOrganization()).admin(403, 200, 404).others(403, 403, 404));

        // Users of an organisation: ADMIN only; 403 for other roles where the organisation is visible, 404 where it is not.
        add(rules, rule("GET /api/v1/organizations/{organizationId}/users", userOrganization(null)).admin(200, 200, 404).others(403, 403, 404)
                .check(this::userList));
        add(rules, rule("POST /api/v1/organizations/{organizationId}/users", userOrganization(
                () -> Map.of("email", uniqueEmail("invitee"), "role", "ANALYST"))).admin(201, 201, 404).others(403, 403, 404));
        add(rules, rule("GET /api/v1/organizations/{organizationId}/users/{userId}", user(UserState.ACTIVE, null)).admin(200, 200, 404).others(403, 403, 404));
        add(rules, rule("PATCH /api/v1/organizations/{organizationId}/users/{userId}", user(UserState.ACTIVE, Map.of("displayName", "Renamed")))
                .admin(200, 200, 404).others(403, 403, 404));
        add(rules, rule("POST /api/v1/organizations/{organizationId}/users/{userId}/resend-invitation", user(UserState.INVITED, null))
                .admin(200, 200, 404).others(403, 403, 404));
        add(rules, rule("POST /api/v1/organizations/{organizationId}/users/{userId}/revoke-invitation", user(UserState.INVITED, null))
                .admin(200, 200, 404).others(403, 403, 404));
        add(rules, rule("POST /api/v1/organizations/{organizationId}/users/{userId}/deactivate", user(UserState.ACTIVE, null))
                .admin(200, 200, 404).others(403, 403, 404));
        add(rules, rule("POST /api/v1/organizations/{organizationId}/users/{userId}/reactivate", user(UserState.DEACTIVATED, null))
                .admin(200, 200, 404).others(403, 403, 404));

        // Billing profiles: ADMIN sees all of the subtree, the others only the profiles assigned to them (OWN and CHILD are
        // assigned, OWN_RESTRICTED is not); a BILLING_MANAGER may update his; create, (de)activate and assignment are for ADMINs.
        add(rules, rule("GET /api/v1/billing-profiles", profileFilter()).all(200, 200, 404).check(this::profileList));
        add(rules, rule("POST /api/v1/billing-profiles", newProfile()).admin(201, 201, 400).others(403, 403, 400));
        add(rules, rule("GET /api/v1/billing-profiles/{id}", profile(p -> null)).all(200, 200, 404).restricted(200, 404, 404));
        add(rules, rule("PUT /api/v1/billing-profiles/{id}", profile(this::currentDetails)).admin(200, 200, 404)
                .billingManager(200, 200, 404).analyst(403, 403, 404).restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/billing-profiles/{id}/deactivate", profile(p -> null)).admin(200, 200, 404).others(403, 403, 404)
                .restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/billing-profiles/{id}/reactivate", profile(p -> null, true)).admin(200, 200, 404).others(403, 403, 404)
                .restricted(200, 404, 404));
        add(rules, rule("GET /api/v1/billing-profiles/{id}/assignees", profile(p -> null)).all(200, 200, 404).restricted(200, 404, 404));
        add(rules, rule("PUT /api/v1/billing-profiles/{id}/assignees", profile(this::currentAssignees)).admin(200, 200, 404)
                .others(403, 403, 404).restricted(200, 404, 404));

        // API tokens and the caller: only your own tokens exist for you.
        add(rules, rule("GET /api/v1/me", caller()).all(200).check(this::me));
        add(rules, rule("GET /api/v1/tokens", caller()).all(200).check(this::tokenList));
        add(rules, rule("POST /api/v1/tokens", caller(Map.of("name", "walk"))).all(201));
        add(rules, rule("GET /api/v1/tokens/{id}", token(false)).all(200, 404, 404).restricted(404, 404, 404));
        add(rules, rule("DELETE /api/v1/tokens/{id}", token(true)).all(200, 404, 404).restricted(404, 404, 404));

        // Audit log: every role, events of the subtree only.
        add(rules, rule("GET /api/v1/audit-events", auditFilter()).all(200, 200, 404).check(this::auditList));

        // cost data sources: a payer's belong to the top tenant, a customer's to the customer; a reseller owns none
        add(rules, rule("GET /api/v1/cur/sources", caller()).all(200));
        add(rules, rule("POST /api/v1/cur/sources", newCurSource()).admin(403, 201, 400).billingManager(403, 201, 400).analyst(403, 403, 400));
        add(rules, rule("GET /api/v1/cur/sources/{id}", curSource(null, false)).all(200, 200, 404));
        add(rules, rule("POST /api/v1/cur/sources/{id}/refresh", curSource(null, false)).admin(200, 200, 404).billingManager(200, 200, 404)
                .analyst(403, 403, 404));
        add(rules, rule("GET /api/v1/cur/sources/{id}/reports", curSource(null, false)).all(200, 200, 404));
        add(rules, rule("PUT /api/v1/cur/sources/{id}/report", curSource(Map.of("reportKey", "cur/walk"), false)).admin(200, 200, 404)
                .billingManager(200, 200, 404).analyst(403, 403, 404));
        add(rules, rule("POST /api/v1/cur/sources/{id}/ingestions", curSource(null, true)).admin(202, 202, 404).billingManager(202, 202, 404)
                .analyst(403, 403, 404));
        add(rules, rule("GET /api/v1/cur/sources/{id}/ingestions", curSource(null, false)).all(200, 200, 404));
        add(rules, rule("GET /api/v1/cur/sources/{id}/ingestions/{runId}", curIngestionRun()).all(200, 200, 404));
        add(rules, rule("POST /api/v1/cur/sources/{id}/backfill", curSource(null, true)).admin(202, 202, 404).billingManager(202, 202, 404)
                .analyst(403, 403, 404));
        return rules;
    }

    // ---------------------------------------------------------------------------------------------
    // The walk
    // ---------------------------------------------------------------------------------------------

    @Test
    void everyApiOperationKeepsEveryRoleOfAResellerInsideItsSubtree() throws Exception {
        Map<String, Rule> rules = rules();
        Set<String> operations = apiOperations();
        Set<String> undeclared = new TreeSet<>(operations);
        undeclared.removeAll(rules.keySet());
        Set<String> stale = new TreeSet<>(rules.keySet());
        stale.removeAll(operations);
        assertThat(undeclared).as("/api/v1 operations without a rule in " + getClass().getSimpleName() + " (declare who may do what)").isEmpty();
        assertThat(stale).as("rules for operations that no longer exist").isEmpty();
        for (Rule rule : rules.values()) {
            for (Role role : Role.values()) {
                Integer sibling = rule.expected.get(role).get(SIBLING);
                if (sibling != null && !rule.target.filter()) {
                    assertThat(sibling).as("rule for %s, %s: a sibling's object must look missing", rule.operation, role).isIn(400, 404);
                }
            }
        }

        w = world();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Rule rule : rules.values()) {
            for (Role role : List.of(ADMIN, BILLING_MANAGER, ANALYST)) {
                TestUser actor = w.actors.get(role);
                for (Map.Entry<Position, Integer> expectation : rule.expected.get(role).entrySet()) {
                    Position position = expectation.getKey();
                    for (Call call : rule.target.calls(position, actor)) {
                        call.setup.run();
                        MvcResult result;
                        try {
                            result = perform(rule, call, actor);
                        } finally {
                            call.cleanup.run();
                        }
                        requests++;
                        int status = result.getResponse().getStatus();
                        String where = rule.operation + " as " + role + " on " + position + " (" + call.label + ")";
                        if (status != expectation.getValue()) {
                            failures.add(where + ": expected " + expectation.getValue() + " but was " + status + " "
                                    + result.getResponse().getContentAsString());
                        }
                        String body = result.getResponse().getContentAsString();
                        String asked = result.getRequest().getRequestURI() + "?" + result.getRequest().getQueryString() + " "
                                + result.getRequest().getContentAsString();
                        for (String foreign : w.foreign) {
                            if (body.contains(foreign) && !asked.contains(foreign)) {
                                failures.add(where + ": the answer contains \"" + foreign + "\" of R2's subtree");
                            }
                        }
                        if (status / 100 == 2 && rule.check != null) {
                            rule.check.apply(new Answered(role, position, call, result), failures::add);
                        }
                        if (position == SIBLING) {
                            Call missing = rule.target.nonexistent(actor);
                            MvcResult other = perform(rule, missing, actor);
                            requests++;
                            if (other.getResponse().getStatus() != status || !problemType(other).equals(problemType(result))) {
                                failures.add(where + ": answers " + status + " " + problemType(result) + " but an unknown id answers "
                                        + other.getResponse().getStatus() + " " + problemType(other) + ": the answer reveals that the object exists");
                            }
                        }
                    }
                }
            }
        }
        assertThat(failures).as("%d requests, %d failed", requests, failures.size()).isEmpty();
        assertThat(requests).isGreaterThan(rules.size() * 3 * 3);
    }

    /** Every operation under /api/v1, as "METHOD /path/{var}". */
    private Set<String> apiOperations() {
        Set<String> operations = new TreeSet<>();
        handlerMapping.getHandlerMethods().forEach((info, method) -> {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/v1")) {
                    continue;
                }
                var methods = info.getMethodsCondition().getMethods();
                if (methods.isEmpty()) {
                    operations.add("ANY " + pattern);
                }
                methods.forEach(m -> operations.add(m.name() + " " + pattern));
            }
        });
        return operations;
    }

    private MvcResult perform(Rule rule, Call call, TestUser actor) throws Exception {
        UriComponentsBuilder builder = UriComponentsBuilder.fromPath(rule.path);
        call.query.forEach(builder::queryParam);
        String uri = builder.buildAndExpand(call.vars).encode().toUriString();
        return call(actor, rule.method, uri, call.body);
    }

    private static String problemType(MvcResult result) throws Exception {
        String body = result.getResponse().getContentAsString();
        if (result.getResponse().getStatus() < 400 || body.isEmpty()) {
            return "";
        }
        Object type = JsonPath.read(body, "$.type");
        return String.valueOf(type);
    }

    // ---------------------------------------------------------------------------------------------
    // The fixture
    // ---------------------------------------------------------------------------------------------

    /** D (the distributor) with resellers R1 and R2, customers C1 under R1 and C2 under R2. */
    private final class World {
        Organization d, r1, r2, c1, c2;
        TestUser dAdmin, r1Other, c1Admin, r2Admin, c2Admin;
        final Map<Role, TestUser> actors = new EnumMap<>(Role.class);
        BillingProfile r1Assigned, r1Unassigned, c1Assigned, r2Profile, c2Profile;
        java.nio.file.Path curDir;
        UUID c1Source, c2Source, dSource, c1Run, c2Run, dRun;
        final Set<String> foreign = new LinkedHashSet<>();

        UUID org(Position position) {
            return position == OWN ? r1.id() : c1.id();
        }

        List<UUID> outside() {
            return List.of(r2.id(), c2.id(), d.id());
        }
    }

    private World world() {
        World w = new World();
        w.d = top();
        w.r1 = reseller("R1");
        w.r2 = reseller("R2");
        w.c1 = customer(w.r1.id(), "C1");
        w.c2 = customer(w.r2.id(), "C2");
        w.dAdmin = topAdminUser();
        for (Role role : Role.values()) {
            w.actors.put(role, user(w.r1.id(), role, "R1 " + role));
        }
        w.r1Other = user(w.r1.id(), ANALYST, "R1 colleague");
        w.c1Admin = user(w.c1.id(), ADMIN, "C1 admin");
        w.r2Admin = user(w.r2.id(), ADMIN, "R2 admin");
        w.c2Admin = user(w.c2.id(), ADMIN, "C2 admin");
        UUID bm = w.actors.get(BILLING_MANAGER).id();
        UUID analyst = w.actors.get(ANALYST).id();
        w.r1Assigned = profile(w.r1.id(), "R1 assigned", bm, analyst);
        w.r1Unassigned = profile(w.r1.id(), "R1 unassigned");
        w.c1Assigned = profile(w.c1.id(), "C1 assigned", bm, analyst);
        w.r2Profile = profile(w.r2.id(), "R2 profile", w.r2Admin.id());
        w.c2Profile = profile(w.c2.id(), "C2 profile", w.c2Admin.id());
        for (Organization o : List.of(w.r2, w.c2)) {
            w.foreign.add(o.id().toString());
            w.foreign.add(o.name());
        }
        for (TestUser u : List.of(w.r2Admin, w.c2Admin)) {
            w.foreign.add(u.id().toString());
            w.foreign.add(u.email());
            apiTokens.mine(viewer(u.email())).forEach(t -> w.foreign.add(t.id().toString()));
        }
        for (BillingProfile p : List.of(w.r2Profile, w.c2Profile)) {
            w.foreign.add(p.id().toString());
            w.foreign.add(p.name());
        }
        try {
            w.curDir = java.nio.file.Files.createTempDirectory("walk-cur");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        new CurGenerator().write(w.curDir, "walk", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(1, 1, 1, java.time.LocalDate.of(2026, 10, 1), 1));
        String location = "file:" + w.curDir.toAbsolutePath();
        w.c1Source = curSources.create(topAdmin(), new CurSources.Details(unique("walk C1 source"), location, w.c1.id(), null, null, null, null, null)).id();
        w.c2Source = curSources.create(topAdmin(), new CurSources.Details(unique("walk C2 source"), location, w.c2.id(), null, null, null, null, null)).id();
        w.dSource = curSources.create(topAdmin(), new CurSources.Details(unique("walk payer source"), location, null, null, null, null, null, null)).id();
        curIngestion.ingest(w.c1Source);
        curIngestion.ingest(w.c2Source);
        curIngestion.ingest(w.dSource);
        w.c1Run = curIngestion.ingestions(w.c1Source).get(0).id();
        w.c2Run = curIngestion.ingestions(w.c2Source).get(0).id();
        w.dRun = curIngestion.ingestions(w.dSource).get(0).id();
        for (UUID id : List.of(w.c2Source, w.dSource, w.c2Run, w.dRun)) {
            w.foreign.add(id.toString());
        }
        for (UUID id : List.of(w.c2Source, w.dSource)) {
            w.foreign.add(curSources.get(id).name());
        }
        return w;
    }

    // ---------------------------------------------------------------------------------------------
    // Targets: which objects a request names in each position
    // ---------------------------------------------------------------------------------------------

    /** One request: path variables, query, body, and what to prepare and undo around it. */
    record Call(String label, Map<String, Object> vars, Map<String, String> query, Object body, Runnable setup, Runnable cleanup) {
        static Call of(String label, Map<String, Object> vars, Map<String, String> query, Object body) {
            return new Call(label, vars, query, body, () -> {}, () -> {});
        }

        Call around(Runnable setup, Runnable cleanup) {
            return new Call(label, vars, query, body, setup, cleanup);
        }
    }

    interface Target {
        /** The requests that name objects in this position, as seen by the actor. */
        List<Call> calls(Position position, TestUser actor);

        /** The same request naming objects that do not exist. */
        Call nonexistent(TestUser actor);

        /** Whether the object is only a filter of a list (a sibling filter may answer an empty list). */
        default boolean filter() {
            return false;
        }
    }

    /**
     * Objects named by one path variable, per position; SIBLING lists the objects of R2's subtree (and of D where
     * it has some). The request has no body.
     */
    private Target objects(String variable, Function<Position, List<UUID>> ids) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return ids.apply(position).stream().map(id -> Call.of(variable + "=" + id, Map.of(variable, id), Map.of(), null)).toList();
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of(variable, UUID.randomUUID()), Map.of(), null);
            }
        };
    }

    /** A new source: the payer's (OWN: a reseller connects none) or a customer's (CHILD C1, SIBLING C2). */
    private Target newCurSource() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                String location = "file:" + w.curDir.toAbsolutePath();
                return switch (position) {
                    case OWN -> List.of(Call.of("payer source", Map.of(), Map.of(), Map.of("name", unique("walk"), "location", location)));
                    case CHILD -> List.of(Call.of("C1", Map.of(), Map.of(), Map.of("name", unique("walk"), "location", location, "customerId", w.c1.id())));
                    case SIBLING -> List.of(Call.of("C2", Map.of(), Map.of(), Map.of("name", unique("walk"), "location", location, "customerId", w.c2.id())),
                            Call.of("D", Map.of(), Map.of(), Map.of("name", unique("walk"), "location", location, "customerId", w.d.id())));
                    case OWN_RESTRICTED -> List.of();
                };
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of(), Map.of(), Map.of("name", unique("walk"), "location", "file:" + w.curDir.toAbsolutePath(),
                        "customerId", UUID.randomUUID()));
            }
        };
    }

    /** A source: C1's (CHILD), C2's and the payer's of D (SIBLING); an ingestion started is awaited before the next request. */
    private Target curSource(Object body, boolean startsIngestion) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                List<UUID> ids = switch (position) {
                    case CHILD -> List.of(w.c1Source);
                    case SIBLING -> List.of(w.c2Source, w.dSource);
                    case OWN, OWN_RESTRICTED -> List.of();
                };
                return ids.stream().map(id -> {
                    Call call = Call.of("id=" + id, Map.of("id", id), Map.of(), body);
                    return startsIngestion ? call.around(() -> {}, () -> org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                            .until(() -> curSources.get(id).runningIngestion() == null)) : call;
                }).toList();
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of("id", UUID.randomUUID()), Map.of(), body);
            }
        };
    }

    /** An ingestion of a source: C1's (CHILD), C2's, D's and C2's named under C1's source (SIBLING). */
    private Target curIngestionRun() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return switch (position) {
                    case CHILD -> List.of(Call.of("C1 run", Map.of("id", w.c1Source, "runId", w.c1Run), Map.of(), null));
                    case SIBLING -> List.of(Call.of("C2 run", Map.of("id", w.c2Source, "runId", w.c2Run), Map.of(), null),
                            Call.of("D run", Map.of("id", w.dSource, "runId", w.dRun), Map.of(), null),
                            Call.of("C2 run under C1", Map.of("id", w.c1Source, "runId", w.c2Run), Map.of(), null));
                    case OWN, OWN_RESTRICTED -> List.of();
                };
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of("id", UUID.randomUUID(), "runId", UUID.randomUUID()), Map.of(), null);
            }
        };
    }

    private Target caller() {
        return caller(null);
    }

    /** Operations on the caller himself: no object is named, only OWN applies. */
    private Target caller(Object body) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return List.of(Call.of("the caller", Map.of(), Map.of(), body));
            }

            public Call nonexistent(TestUser actor) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private Target organization() {
        return organization(o -> null);
    }

    private Target organization(Function<Organization, Object> body) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                List<UUID> ids = switch (position) {
                    case OWN -> List.of(w.r1.id());
                    case CHILD -> List.of(w.c1.id());
                    case SIBLING -> w.outside();
                    case OWN_RESTRICTED -> List.of();
                };
                return ids.stream().map(id -> Call.of(name(id), Map.of("id", id), Map.of(), body.apply(tenancy.find(id).orElseThrow()))
                        .around(() -> {}, () -> reactivateOrganization(id))).toList();
            }

            public Call nonexistent(TestUser actor) {
                UUID id = UUID.randomUUID();
                Organization fake = new Organization(id, null, null, "nowhere", "/", true, null, null);
                return Call.of("unknown", Map.of("id", id), Map.of(), body.apply(fake));
            }
        };
    }

    private Target deactivatedOrganization() {
        Target plain = organization();
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return plain.calls(position, actor).stream().map(c -> {
                    UUID id = (UUID) c.vars().get("id");
                    boolean deactivatable = !id.equals(w.d.id()) && !id.equals(w.r1.id());
                    return c.around(() -> {
                        if (deactivatable) {
                            tenancy.setActive(topAdmin(), id, false);
                        }
                    }, () -> reactivateOrganization(id));
                }).toList();
            }

            public Call nonexistent(TestUser actor) {
                return plain.nonexistent(actor);
            }
        };
    }

    private void reactivateOrganization(UUID id) {
        if (!id.equals(w.d.id()) && !tenancy.find(id).orElseThrow().active()) {
            tenancy.setActive(topAdmin(), id, true);
        }
    }

    private Target organizationFilter() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return switch (position) {
                    case OWN -> List.of(Call.of("no filter", Map.of(), Map.of(), null),
                            Call.of("parentId=D", Map.of(), Map.of("parentId", w.d.id().toString()), null));
                    case CHILD -> List.of(Call.of("parentId=R1", Map.of(), Map.of("parentId", w.r1.id().toString()), null));
                    case SIBLING -> List.of(Call.of("parentId=R2", Map.of(), Map.of("parentId", w.r2.id().toString()), null),
                            Call.of("parentId=C2", Map.of(), Map.of("parentId", w.c2.id().toString()), null),
                            Call.of("name=R2", Map.of(), Map.of("name", w.r2.name()), null));
                    case OWN_RESTRICTED -> List.of();
                };
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of(), Map.of("parentId", UUID.randomUUID().toString()), null);
            }

            public boolean filter() {
                return true;
            }
        };
    }

    private Target newOrganization() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                List<UUID> parents = switch (position) {
                    case OWN -> List.of(w.r1.id());
                    case CHILD -> List.of(w.c1.id());
                    case SIBLING -> w.outside();
                    case OWN_RESTRICTED -> List.of();
                };
                return parents.stream().map(p -> Call.of("parent " + name(p), Map.of(), Map.of(), body(p))).toList();
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown parent", Map.of(), Map.of(), body(UUID.randomUUID()));
            }

            private Map<String, Object> body(UUID parentId) {
                return Map.of("type", "CUSTOMER", "name", unique("Walk customer"), "parentId", parentId);
            }
        };
    }

    /** The organisation of a users request, with an optional body. */
    private Target userOrganization(java.util.function.Supplier<Object> body) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                List<UUID> ids = switch (position) {
                    case OWN -> List.of(w.r1.id());
                    case CHILD -> List.of(w.c1.id());
                    case SIBLING -> w.outside();
                    case OWN_RESTRICTED -> List.of();
                };
                return ids.stream().map(id -> Call.of(name(id), Map.of("organizationId", id), Map.of(), body == null ? null : body.get()))
                        .toList();
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of("organizationId", UUID.randomUUID()), Map.of(), body == null ? null : body.get());
            }
        };
    }

    enum UserState {
        ACTIVE,
        INVITED,
        DEACTIVATED
    }

    /**
     * A user named with his organisation. SIBLING also names a sibling's user under R1's own
     * organisation id. INVITED users are invited afresh for each request; DEACTIVATED ones are
     * deactivated before it; every user is made active again afterwards.
     */
    private Target user(UserState state, Object body) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                List<Call> calls = new ArrayList<>();
                switch (position) {
                    case OWN -> calls.add(call(w.r1.id(), w.r1Other));
                    case CHILD -> calls.add(call(w.c1.id(), w.c1Admin));
                    case SIBLING -> {
                        calls.add(call(w.r2.id(), w.r2Admin));
                        calls.add(call(w.c2.id(), w.c2Admin));
                        calls.add(call(w.d.id(), w.dAdmin));
                        calls.add(call(w.r1.id(), w.r2Admin));
                    }
                    case OWN_RESTRICTED -> {}
                }
                return calls;
            }

            private Call call(UUID organizationId, TestUser fixed) {
                String label = name(organizationId) + " / user of " + name(fixed.organizationId());
                if (state == UserState.INVITED) {
                    UserAccount invited = userAccounts.invite(topAdmin(), fixed.organizationId(), uniqueEmail("walk invitee"), null, ANALYST);
                    return Call.of(label + " (invited)", Map.of("organizationId", organizationId, "userId", invited.id()), Map.of(), body);
                }
                Call call = Call.of(label, Map.of("organizationId", organizationId, "userId", fixed.id()), Map.of(), body);
                boolean mayDeactivate = !fixed.id().equals(w.dAdmin.id());
                return call.around(() -> {
                    if (state == UserState.DEACTIVATED && mayDeactivate) {
                        userAccounts.setActive(topAdmin(), fixed.organizationId(), fixed.id(), false);
                    }
                }, () -> {
                    if (mayDeactivate && userAccounts.inScope(topAdmin(), fixed.id()).orElseThrow().status() == UserStatus.DEACTIVATED) {
                        userAccounts.setActive(topAdmin(), fixed.organizationId(), fixed.id(), true);
                    }
                });
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of("organizationId", UUID.randomUUID(), "userId", UUID.randomUUID()), Map.of(), body);
            }
        };
    }

    private Target profile(Function<BillingProfile, Object> body) {
        return profile(body, false);
    }

    /** A billing profile; with {@code deactivated} it is deactivated before the request. It is active again afterwards. */
    private Target profile(Function<BillingProfile, Object> body, boolean deactivated) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                List<BillingProfile> profiles = switch (position) {
                    case OWN -> List.of(w.r1Assigned);
                    case OWN_RESTRICTED -> List.of(w.r1Unassigned);
                    case CHILD -> List.of(w.c1Assigned);
                    case SIBLING -> List.of(w.r2Profile, w.c2Profile);
                };
                return profiles.stream().map(p -> Call.of(p.name(), Map.of("id", p.id()), Map.of(), body.apply(current(p.id())))
                        .around(() -> {
                            if (deactivated) {
                                billingProfiles.setActive(topAdmin(), p.id(), false);
                            }
                        }, () -> {
                            if (!current(p.id()).active()) {
                                billingProfiles.setActive(topAdmin(), p.id(), true);
                            }
                        })).toList();
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of("id", UUID.randomUUID()), Map.of(), body.apply(w.r2Profile));
            }
        };
    }

    private BillingProfile current(UUID id) {
        return billingProfiles.visible(topAdmin(), id);
    }

    private Object currentDetails(BillingProfile p) {
        return new BillingProfile.Details(p.name(), p.legalName(), p.addressLine1(), p.addressLine2(), p.city(), p.postalCode(),
                p.region(), p.country(), p.currency(), p.paymentTermsDays(), p.contactEmails());
    }

    private Object currentAssignees(BillingProfile p) {
        return Map.of("userIds", billingProfiles.assignees(topAdmin(), p.id()).stream().map(UserAccount::id).toList());
    }

    private Target profileFilter() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return switch (position) {
                    case OWN -> List.of(Call.of("no filter", Map.of(), Map.of(), null),
                            Call.of("organizationId=R1", Map.of(), Map.of("organizationId", w.r1.id().toString()), null));
                    case CHILD -> List.of(Call.of("organizationId=C1", Map.of(), Map.of("organizationId", w.c1.id().toString()), null));
                    case SIBLING -> w.outside().stream().map(id -> Call.of("organizationId=" + name(id), Map.of(),
                            Map.of("organizationId", id.toString()), null)).toList();
                    case OWN_RESTRICTED -> List.of();
                };
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of(), Map.of("organizationId", UUID.randomUUID().toString()), null);
            }

            public boolean filter() {
                return true;
            }
        };
    }

    private Target newProfile() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                List<UUID> owners = switch (position) {
                    case OWN -> List.of(w.r1.id());
                    case CHILD -> List.of(w.c1.id());
                    case SIBLING -> w.outside();
                    case OWN_RESTRICTED -> List.of();
                };
                return owners.stream().map(o -> Call.of("for " + name(o), Map.of(), Map.of(), body(o))).toList();
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown organisation", Map.of(), Map.of(), body(UUID.randomUUID()));
            }

            private Map<String, Object> body(UUID organizationId) {
                Map<String, Object> body = new HashMap<>(json.convertValue(details(unique("Walk profile")), Map.class));
                body.put("organizationId", organizationId);
                return body;
            }
        };
    }

    /** An API token: the caller's own (a fresh one when the request revokes it), a colleague's, or other tenants' users'. */
    private Target token(boolean fresh) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return objects("id", p -> switch (p) {
                    case OWN -> List.of(fresh ? apiTokens.create(viewer(actor.email()), "to revoke", null).token().id() : tokenOf(actor));
                    case OWN_RESTRICTED -> List.of(tokenOf(w.r1Other));
                    case CHILD -> List.of(tokenOf(w.c1Admin));
                    case SIBLING -> List.of(tokenOf(w.r2Admin), tokenOf(w.c2Admin), tokenOf(w.dAdmin));
                }).calls(position, actor);
            }

            public Call nonexistent(TestUser actor) {
                return objects("id", p -> List.of()).nonexistent(actor);
            }
        };
    }

    private UUID tokenOf(TestUser user) {
        return apiTokens.mine(viewer(user.email())).stream().filter(t -> t.revokedAt() == null).findFirst().orElseThrow().id();
    }

    private Target auditFilter() {
        Target profiles = profileFilter();
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return profiles.calls(position, actor);
            }

            public Call nonexistent(TestUser actor) {
                return profiles.nonexistent(actor);
            }

            public boolean filter() {
                return true;
            }
        };
    }

    private String name(UUID organizationId) {
        if (organizationId.equals(w.d.id())) {
            return "D";
        }
        return tenancy.find(organizationId).map(o -> o.name().split(" ")[0]).orElse(organizationId.toString());
    }

    // ---------------------------------------------------------------------------------------------
    // Checks of successful answers
    // ---------------------------------------------------------------------------------------------

    record Answered(Role role, Position position, Call call, MvcResult result) {
        String body() throws Exception {
            return result.getResponse().getContentAsString();
        }

        List<String> ids(String path) throws Exception {
            return JsonPath.read(body(), path);
        }

        String where(String operation) {
            return operation + " as " + role + " (" + call.label() + ")";
        }
    }

    interface Check {
        void apply(Answered answer, java.util.function.Consumer<String> failures) throws Exception;
    }

    private Set<String> subtreeOfR1() {
        return jdbc.sql("select id from organizations where path like ?").param(w.r1.path() + "%").query(UUID.class).list().stream()
                .map(UUID::toString).collect(Collectors.toSet());
    }

    private void organizationList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        List<String> ids = a.ids("$[*].id");
        if (!subtreeOfR1().containsAll(ids)) {
            failures.accept(a.where("GET /api/v1/organizations") + ": lists organisations outside R1's subtree: " + ids);
        }
        if (a.call().label().equals("no filter") && !ids.containsAll(List.of(w.r1.id().toString(), w.c1.id().toString()))) {
            failures.accept(a.where("GET /api/v1/organizations") + ": misses R1 or C1: " + ids);
        }
    }

    private void userList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        UUID organizationId = (UUID) a.call().vars().get("organizationId");
        List<String> organizations = a.ids("$[*].organizationId");
        if (organizations.isEmpty() || !organizations.stream().allMatch(organizationId.toString()::equals)) {
            failures.accept(a.where("GET users") + ": expected only users of " + organizationId + " but got " + organizations);
        }
    }

    private void profileList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        List<String> ids = a.ids("$[*].id");
        Set<String> expected = new TreeSet<>();
        boolean admin = a.role() == ADMIN;
        switch (a.call().label()) {
            case "no filter" -> {
                expected.add(w.r1Assigned.id().toString());
                expected.add(w.c1Assigned.id().toString());
                if (admin) {
                    expected.add(w.r1Unassigned.id().toString());
                }
            }
            case "organizationId=R1" -> {
                expected.add(w.r1Assigned.id().toString());
                if (admin) {
                    expected.add(w.r1Unassigned.id().toString());
                }
            }
            default -> expected.add(w.c1Assigned.id().toString());
        }
        if (!ids.containsAll(expected)) {
            failures.accept(a.where("GET /api/v1/billing-profiles") + ": expected " + expected + " among " + ids);
        }
        if (!admin && ids.contains(w.r1Unassigned.id().toString())) {
            failures.accept(a.where("GET /api/v1/billing-profiles") + ": lists a profile the user is not assigned to");
        }
        List<String> owners = a.ids("$[*].organizationId");
        if (!subtreeOfR1().containsAll(owners)) {
            failures.accept(a.where("GET /api/v1/billing-profiles") + ": lists profiles outside R1's subtree");
        }
    }

    private void me(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        String userId = JsonPath.read(a.body(), "$.userId");
        if (!w.actors.get(a.role()).id().toString().equals(userId)) {
            failures.accept(a.where("GET /api/v1/me") + ": answers for " + userId);
        }
    }

    private void tokenList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        List<String> owners = a.ids("$[*].userId");
        String actor = w.actors.get(a.role()).id().toString();
        if (owners.isEmpty() || !owners.stream().allMatch(actor::equals)) {
            failures.accept(a.where("GET /api/v1/tokens") + ": lists tokens of other users: " + owners);
        }
    }

    private void auditList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        List<String> organizations = a.ids("$[*].organizationId");
        if (organizations.isEmpty() || !subtreeOfR1().containsAll(organizations)) {
            failures.accept(a.where("GET /api/v1/audit-events") + ": expected events of R1's subtree only, got " + new TreeSet<>(organizations));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The rule builder
    // ---------------------------------------------------------------------------------------------

    private static void add(Map<String, Rule> rules, Rule rule) {
        if (rules.put(rule.operation, rule) != null) {
            throw new IllegalStateException("two rules for " + rule.operation);
        }
        for (Role role : Role.values()) {
            if (rule.expected.get(role).isEmpty()) {
                throw new IllegalStateException("the rule for " + rule.operation + " says nothing about " + role);
            }
        }
    }

    private static Rule rule(String operation, Target target) {
        return new Rule(operation, target);
    }

    static final class Rule {
        final String operation;
        final HttpMethod method;
        final String path;
        final Target target;
        final Map<Role, Map<Position, Integer>> expected = new EnumMap<>(Role.class);
        Check check;

        Rule(String operation, Target target) {
            this.operation = operation;
            String[] parts = operation.split(" ", 2);
            this.method = HttpMethod.valueOf(parts[0]);
            this.path = parts[1];
            this.target = target;
            for (Role role : Role.values()) {
                expected.put(role, new LinkedHashMap<>());
            }
        }

        private Rule expect(Role role, int own, int child, int sibling) {
            Map<Position, Integer> e = expected.get(role);
            e.put(OWN, own);
            e.put(CHILD, child);
            e.put(SIBLING, sibling);
            return this;
        }

        Rule all(int own, int child, int sibling) {
            return admin(own, child, sibling).others(own, child, sibling);
        }

        /** Operations that name no object: only the caller's own position applies. */
        Rule all(int status) {
            for (Role role : Role.values()) {
                expected.get(role).put(OWN, status);
            }
            return this;
        }

        Rule admin(int own, int child, int sibling) {
            return expect(ADMIN, own, child, sibling);
        }

        Rule billingManager(int own, int child, int sibling) {
            return expect(BILLING_MANAGER, own, child, sibling);
        }

        Rule analyst(int own, int child, int sibling) {
            return expect(ANALYST, own, child, sibling);
        }

        Rule others(int own, int child, int sibling) {
            return billingManager(own, child, sibling).analyst(own, child, sibling);
        }

        /** Statuses for OWN_RESTRICTED objects, for ADMIN, BILLING_MANAGER and ANALYST. */
        Rule restricted(int admin, int billingManager, int analyst) {
            expected.get(ADMIN).put(OWN_RESTRICTED, admin);
            expected.get(BILLING_MANAGER).put(OWN_RESTRICTED, billingManager);
            expected.get(ANALYST).put(OWN_RESTRICTED, analyst);
            return this;
        }

        Rule check(Check check) {
            this.check = check;
            return this;
        }
    }

}
