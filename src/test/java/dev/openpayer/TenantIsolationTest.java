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
import dev.openpayer.billing.Contract;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.CustomLineItems.CustomLineItem;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.PricingRule;
import dev.openpayer.onboarding.AccountHealth;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.ApprovalPolicies;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.onboarding.CustomerAccount.ConnectionType;
import dev.openpayer.onboarding.PayerAccount;
import dev.openpayer.onboarding.PayerAccounts;
import dev.openpayer.onboarding.Terms;
import dev.openpayer.onboarding.TermsVersion;
import dev.openpayer.cur.CurGenerator;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSources;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserStatus;
import dev.openpayer.tenancy.Viewer;
import dev.openpayer.testsupport.ApiTestSupport;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
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
 * <p>To cover a new module's endpoints: create its objects for R1, C1, R2 and C2 in {@link #world()} (adding
 * R2's and C2's ids and names to {@code foreign}), then add one line per operation to {@link #rules()}, naming
 * the objects with {@link #objects}, for example
 * {@code add(rules, rule("GET /api/v1/contracts/{id}", objects("id", p -> switch (p) {...})).all(200, 200, 404));}
 * Where a position has no object of the kind (customers own no price books, resellers no AWS accounts) the
 * rule says {@link #NONE}; a status for a position without an object fails the test.
 */
class TenantIsolationTest extends ApiTestSupport {

    enum Position {
        OWN,
        OWN_RESTRICTED,
        CHILD,
        SIBLING
    }

    /** A status for a position where the operation has no object (customers own no price books, resellers no AWS accounts). */
    static final int NONE = 0;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Autowired PriceBooks priceBooks;
    @Autowired Contracts contracts;
    @Autowired CostCenters costCenters;
    @Autowired PayerAccounts payerAccounts;
    @Autowired Terms terms;
    @Autowired ApprovalPolicies approvalPolicies;
    @Autowired AccountOnboarding onboarding;
    @Autowired AccountHealth accountHealth;
    @Autowired CurSources curSources;
    @Autowired CurIngestion curIngestion;
    @Autowired PriceBookRules priceBookRules;
    @Autowired CustomLineItems customLineItems;

    /** The month of the walk's invoices, far from other tests' months; runs started by the walk compute the next one, where it has none. */
    static final YearMonth INVOICE_MONTH = YearMonth.of(2018, 2);
    static final YearMonth RUN_MONTH = YearMonth.of(2018, 3);
    /** The month of the cost data the walk ingests. */
    static final YearMonth LAKE_MONTH = YearMonth.of(2026, 10);

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

        // Price books: visible in the owner's subtree (sellers own them, customers none); ADMIN and BILLING_MANAGER change them.
        add(rules, rule("GET /api/v1/price-books", filter(query("ownerId", this::organizationFilters))).all(200, 200, 404).check(this::priceBookList));
        add(rules, rule("POST /api/v1/price-books", referenced(this::organizations, o -> Map.of("ownerId", o, "name", unique("Walk book"), "currency", "EUR")))
                .managers(201, 400, 400).analyst(403, 403, 400));
        add(rules, rule("GET /api/v1/price-books/{id}", objects("id", priceBooks(false))).all(200, NONE, 404));
        add(rules, rule("PUT /api/v1/price-books/{id}", objects("id", priceBooks(false), id -> Map.of("name", unique("Walk book"), "currency", "EUR")))
                .managers(200, NONE, 404).analyst(403, NONE, 404));
        add(rules, rule("DELETE /api/v1/price-books/{id}", objects("id", priceBooks(true))).managers(204, NONE, 404).analyst(403, NONE, 404));

        // Contracts: visible to both sides; only the seller's ADMIN and BILLING_MANAGER change them (OWN: D→R1, CHILD: R1→C1).
        add(rules, rule("GET /api/v1/contracts", filter(query("customerId", this::organizationFilters), query("sellerId", this::organizations)))
                .all(200, 200, 404).check(this::contractList));
        add(rules, rule("POST /api/v1/contracts", newContract()).managers(201, 400, 400).analyst(403, 403, 400));
        add(rules, rule("GET /api/v1/contracts/check", query("customerId", this::organizations)).all(200, 200, 404));
        add(rules, rule("GET /api/v1/contracts/{id}", objects("id", contractsOf())).all(200, 200, 404));
        add(rules, rule("PUT /api/v1/contracts/{id}", objects("id", contractsOf(), this::sameContract)).managers(403, 200, 404).analyst(403, 403, 404));

        // Cost centers: belong to customers (a reseller is refused); ADMIN and BILLING_MANAGER change them.
        add(rules, rule("GET /api/v1/cost-centers", filter(query("customerId", this::organizationFilters))).all(200, 200, 404).check(this::costCenterList));
        add(rules, rule("POST /api/v1/cost-centers", referenced(this::organizations, c -> Map.of("customerId", c, "name", unique("Walk center"), "code", code())))
                .managers(400, 201, 400).analyst(403, 403, 400));
        add(rules, rule("GET /api/v1/cost-centers/{id}", objects("id", costCentersOf(false))).all(NONE, 200, 404));
        add(rules, rule("PUT /api/v1/cost-centers/{id}", objects("id", costCentersOf(false), id -> Map.of("name", unique("Walk center"), "code", code())))
                .managers(NONE, 200, 404).analyst(NONE, 403, 404));
        add(rules, rule("DELETE /api/v1/cost-centers/{id}", objects("id", costCentersOf(true))).managers(NONE, 204, 404).analyst(NONE, 403, 404));

        // Payer accounts: a reseller sees the payers open to it (never R2's own); only top-tenant ADMINs change or test them.
        add(rules, rule("GET /api/v1/aws/payers", caller()).all(200).check(this::payerList));
        add(rules, rule("POST /api/v1/aws/payers", caller(newPayer("Walk payer"))).all(403));
        add(rules, rule("GET /api/v1/aws/payers/{id}", objects("id", payers())).all(200, NONE, 404));
        add(rules, rule("PUT /api/v1/aws/payers/{id}", objects("id", payers(), this::currentPayer)).all(403, NONE, 404));
        add(rules, rule("POST /api/v1/aws/payers/{id}/deactivate", objects("id", payers())).all(403, NONE, 404));
        add(rules, rule("POST /api/v1/aws/payers/{id}/reactivate", objects("id", payers())).all(403, NONE, 404));
        add(rules, rule("POST /api/v1/aws/payers/{id}/test", objects("id", payers())).all(403, NONE, 404));

        // Terms: everybody reads them, top-tenant ADMINs publish; only an ADMIN of the customer itself accepts.
        add(rules, rule("GET /api/v1/terms", caller()).all(200));
        add(rules, rule("POST /api/v1/terms", caller(Map.of("territory", "LI", "title", "Walk", "body", "Terms of the walk"))).all(403));
        add(rules, rule("GET /api/v1/terms/{id}", objects("id", p -> p == OWN ? List.of(w.terms.id()) : List.of())).all(200));
        add(rules, rule("GET /api/v1/customers/{customerId}/terms", objects("customerId", this::organizations)).all(200, 200, 404));
        add(rules, rule("POST /api/v1/customers/{customerId}/terms", objects("customerId", this::organizations, c -> Map.of("termsId", w.terms.id())))
                .all(403, 403, 404));

        // Cross-account role set-up: for visible customers (a reseller is refused).
        add(rules, rule("GET /api/v1/customers/{customerId}/cross-account-access", objects("customerId", this::organizations)).all(400, 200, 404));
        add(rules, rule("GET /api/v1/customers/{customerId}/cloudformation-template", objects("customerId", this::organizations)).all(400, 200, 404));
        add(rules, rule("GET /api/v1/aws/cloudformation-template", caller()).all(200));

        // Approval policies: read in the subtree, set by ADMINs.
        add(rules, rule("GET /api/v1/aws/approval-policies/{organizationId}", objects("organizationId", this::organizations)).all(200, 200, 404));
        add(rules, rule("PUT /api/v1/aws/approval-policies/{organizationId}", objects("organizationId", this::organizations, o -> Map.of("requiresApproval", false)))
                .admin(200, 200, 404).others(403, 403, 404));

        // AWS accounts: of visible customers, and below ADMIN only on assigned billing profiles (OWN_RESTRICTED: C1's unassigned
        // profile); ADMIN and BILLING_MANAGER act on them, any role asks AWS for their state; ADMINs of the approver approve.
        add(rules, rule("GET /api/v1/aws/accounts", filter(query("customerId", this::organizationFilters))).all(200, 200, 404).check(this::accountList));
        add(rules, rule("POST /api/v1/aws/accounts", newAwsAccount("READ_ONLY")).managers(400, 201, 400).analyst(403, 403, 400).restricted(201, 400, 400));
        add(rules, rule("GET /api/v1/aws/accounts/{id}", awsAccount(AccountState.CONNECTED)).all(NONE, 200, 404).restricted(200, 404, 404));
        add(rules, rule("PUT /api/v1/aws/accounts/{id}/role", awsAccount(AccountState.CONNECTED, this::roleOf)).managers(NONE, 200, 404)
                .analyst(NONE, 403, 404).restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/accounts/{id}/role", awsAccount(AccountState.CONNECTED)).all(NONE, 200, 404).restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/accounts/{id}/health", awsAccount(AccountState.CONNECTED)).all(NONE, 200, 404).restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/accounts/{id}/sandbox/accept", awsAccount(AccountState.INVITED)).managers(NONE, 200, 404).analyst(NONE, 403, 404)
                .restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/accounts/{id}/sandbox/decline", awsAccount(AccountState.INVITED)).managers(NONE, 200, 404).analyst(NONE, 403, 404)
                .restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/accounts/{id}/sandbox/role", awsAccount(AccountState.CONNECTED, id -> Map.of("withExternalId", true)))
                .managers(NONE, 200, 404).analyst(NONE, 403, 404).restricted(200, 404, 404));
        add(rules, rule("GET /api/v1/aws/invitations", filter(query("customerId", this::organizationFilters))).all(200, 200, 404).check(this::accountList));
        add(rules, rule("POST /api/v1/aws/invitations", newAwsAccount("INVITE")).managers(400, 201, 400).analyst(403, 403, 400).restricted(201, 400, 400));
        add(rules, rule("GET /api/v1/aws/invitations/{id}", awsAccount(AccountState.CONNECTED)).all(NONE, 200, 404).restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/invitations/{id}/refresh", awsAccount(AccountState.INVITED)).all(NONE, 200, 404).restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/invitations/{id}/resend", awsAccount(AccountState.REFUSED)).managers(NONE, 200, 404).analyst(NONE, 403, 404)
                .restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/invitations/{id}/cancel", awsAccount(AccountState.INVITED)).managers(NONE, 200, 404).analyst(NONE, 403, 404)
                .restricted(200, 404, 404));
        add(rules, rule("GET /api/v1/aws/approvals", caller()).all(200).check(this::approvalList));
        add(rules, rule("POST /api/v1/aws/approvals/{id}/approve", awsAccount(AccountState.REQUESTED)).admin(NONE, 200, 404).others(NONE, 403, 404)
                .restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/aws/approvals/{id}/decline", awsAccount(AccountState.REQUESTED, id -> Map.of("reason", "Not in the contract")))
                .admin(NONE, 200, 404).others(NONE, 403, 404).restricted(200, 404, 404));

        // Cost reports: every role, summed over the accounts of its subtree (and, below ADMIN, of its billing profiles); a customer filter
        // outside the subtree is not found.
        add(rules, rule("GET /api/v1/reports/costs", costCustomerFilter()).all(200, 200, 404));
        // cost data sources: a payer's belong to the top tenant, a customer's to the customer; a reseller owns none
        add(rules, rule("GET /api/v1/cur/sources", caller()).all(200));
        add(rules, rule("POST /api/v1/cur/sources", newCurSource()).admin(403, 201, 400).billingManager(403, 201, 400).analyst(403, 403, 400));
        add(rules, rule("GET /api/v1/cur/sources/{id}", curSource(null, false)).all(NONE, 200, 404));
        add(rules, rule("POST /api/v1/cur/sources/{id}/refresh", curSource(null, false)).admin(NONE, 200, 404).billingManager(NONE, 200, 404)
                .analyst(NONE, 403, 404));
        add(rules, rule("GET /api/v1/cur/sources/{id}/reports", curSource(null, false)).all(NONE, 200, 404));
        add(rules, rule("PUT /api/v1/cur/sources/{id}/report", curSource(Map.of("reportKey", "cur/walk"), false)).admin(NONE, 200, 404)
                .billingManager(NONE, 200, 404).analyst(NONE, 403, 404));
        add(rules, rule("POST /api/v1/cur/sources/{id}/ingestions", curSource(null, true)).admin(NONE, 202, 404).billingManager(NONE, 202, 404)
                .analyst(NONE, 403, 404));
        add(rules, rule("GET /api/v1/cur/sources/{id}/ingestions", curSource(null, false)).all(NONE, 200, 404));
        add(rules, rule("GET /api/v1/cur/sources/{id}/ingestions/{runId}", curIngestionRun()).all(NONE, 200, 404));
        add(rules, rule("POST /api/v1/cur/sources/{id}/backfill", curSource(null, true)).admin(NONE, 202, 404).billingManager(NONE, 202, 404)
                .analyst(NONE, 403, 404));

        // Price book rules: read like the price book (in the owner's subtree); ADMIN and BILLING_MANAGER edit the draft and publish it.
        // R1's book has a published v1 and a draft v2; the operations that end the draft (discard, publish, remove a rule) get a fresh book.
        add(rules, rule("GET /api/v1/price-books/{id}/rules", objects("id", priceBooks(false))).all(200, NONE, 404));
        add(rules, rule("PUT /api/v1/price-books/{id}/rules", objects("id", priceBooks(false), id -> Map.of("rules", List.of(walkRule("AmazonEC2")), "note", "walk")))
                .managers(200, NONE, 404).analyst(403, NONE, 404));
        add(rules, rule("POST /api/v1/price-books/{id}/rules", objects("id", priceBooks(false), id -> walkRule("AmazonS3")))
                .managers(201, NONE, 404).analyst(403, NONE, 404));
        add(rules, rule("DELETE /api/v1/price-books/{id}/rules/{ruleId}", draftRule()).managers(200, NONE, 404).analyst(403, NONE, 404));
        add(rules, rule("DELETE /api/v1/price-books/{id}/draft", objects("id", booksWithDraft())).managers(204, NONE, 404).analyst(403, NONE, 404));
        add(rules, rule("POST /api/v1/price-books/{id}/versions", objects("id", booksWithDraft(), id -> Map.of("effectiveFrom", INVOICE_MONTH.toString())))
                .managers(201, NONE, 404).analyst(403, NONE, 404));
        add(rules, rule("GET /api/v1/price-books/{id}/versions/{version}", bookVersion()).all(200, NONE, 404));
        // A preview only reads: every role may compare the draft with the version in force.
        add(rules, rule("POST /api/v1/price-books/{id}/preview", bookPreview()).all(200, NONE, 404));

        // Custom line items are the seller's business: only the seller's side (a viewer covering the parent of the profile's organisation)
        // sees and changes them, below ADMIN only on assigned profiles. R1's own profile is billed by D: R1 sees none of its items (the list
        // is empty, an item is not found) and may add none (403: R1 sees the profile, it just does not bill it). CHILD: C1's assigned
        // profile, OWN_RESTRICTED: C1's unassigned one, SIBLING: C2's (billed by R2) and R2's (billed by D).
        add(rules, rule("GET /api/v1/custom-line-items", itemFilter()).all(200, 200, 404).restricted(200, 404, 404).check(this::itemList));
        add(rules, rule("POST /api/v1/custom-line-items", newItem()).managers(403, 201, 400).analyst(403, 403, 400).restricted(201, 400, 400));
        add(rules, rule("GET /api/v1/custom-line-items/{id}", objects("id", items(false))).all(404, 200, 404).restricted(200, 404, 404));
        add(rules, rule("PUT /api/v1/custom-line-items/{id}", objects("id", items(false), id -> itemBody(null)))
                .managers(404, 200, 404).analyst(404, 403, 404).restricted(200, 404, 404));
        add(rules, rule("DELETE /api/v1/custom-line-items/{id}", objects("id", items(true)))
                .managers(404, 204, 404).analyst(404, 403, 404).restricted(204, 404, 404));

        // Exchange rates: one set for the installation, read by everyone, recorded by the distributor only.
        add(rules, rule("GET /api/v1/exchange-rates", requests(Call.of("all months", Map.of(), Map.of(), null),
                Call.of("month=" + INVOICE_MONTH, Map.of(), Map.of("month", INVOICE_MONTH.toString()), null))).all(200));
        add(rules, rule("PUT /api/v1/exchange-rates/{month}/{from}/{to}", requests(Call.of("USD to EUR", Map.of("month", INVOICE_MONTH.toString(), "from", "USD",
                "to", "EUR"), Map.of(), Map.of("rate", 0.9, "source", "walk")))).all(403));

        // Invoice settings: read like the billing profile; set by the seller's ADMIN and BILLING_MANAGER. R1's own profiles are billed by
        // D, so R1 is refused (403) on them, even its ADMIN on the unassigned one.
        add(rules, rule("GET /api/v1/billing-profiles/{id}/invoice-settings", profile(p -> null)).all(200, 200, 404).restricted(200, 404, 404));
        add(rules, rule("PUT /api/v1/billing-profiles/{id}/invoice-settings", profile(p -> Map.of("grouping", "ACCOUNT_SERVICE", "taxMode", "PASS_THROUGH")))
                .managers(403, 200, 404).analyst(403, 403, 404).restricted(403, 404, 404));

        // Invoicing: an invoice is visible where its billing profile is (to the buyer too, without the seller's cost basis and pricing);
        // only the seller's ADMIN and BILLING_MANAGER issue, credit or discard it. OWN: D's invoices to R1 (403 for R1), CHILD: R1's to C1,
        // OWN_RESTRICTED: R1's to C1's unassigned profile, SIBLING: R2's to C2 and D's to R2. Visibility follows the profile; a buyer sees
        // only issued documents (R1 does not see D's drafts to it: InvoicingScenarioTest). A run is for a seller that R1 covers.
        add(rules, rule("POST /api/v1/invoice-runs", referenced(this::organizations, s -> Map.of("sellerId", s, "month", RUN_MONTH.toString())))
                .managers(201, 400, 400).analyst(403, 403, 400));
        add(rules, rule("GET /api/v1/invoice-runs", filter(query("sellerId", this::organizationFilters))).all(200, 200, 404).check(this::runList));
        add(rules, rule("GET /api/v1/invoice-runs/{id}", objects("id", p -> switch (p) {
            case OWN -> List.of(w.r1Run);
            case SIBLING -> List.of(w.r2Run, w.dRun2);
            case CHILD, OWN_RESTRICTED -> List.of();
        })).all(200, NONE, 404));
        add(rules, rule("GET /api/v1/invoices", filter(query("customerId", this::organizationFilters))).all(200, 200, 404).check(this::invoiceList));
        add(rules, rule("GET /api/v1/invoices/{id}", objects("id", invoices())).all(200, 200, 404).restricted(200, 404, 404).check(this::invoiceView));
        add(rules, rule("GET /api/v1/invoices/{id}/pdf", objects("id", invoices())).all(200, 200, 404).restricted(200, 404, 404).anyMediaType());
        add(rules, rule("GET /api/v1/invoices/{id}/csv", objects("id", invoices())).all(200, 200, 404).restricted(200, 404, 404).anyMediaType());
        // D's drafts to R1 are D's work in progress: R1, the buyer, cannot see them.
        add(rules, rule("POST /api/v1/invoices/{id}/issue", objects("id", freshInvoices(false)))
                .managers(404, 200, 404).analyst(404, 403, 404).restricted(200, 404, 404));
        add(rules, rule("POST /api/v1/invoices/{id}/credit-notes", objects("id", freshInvoices(true), id -> Map.of("reason", "Walk")))
                .managers(403, 201, 404).analyst(403, 403, 404).restricted(201, 404, 404));
        add(rules, rule("DELETE /api/v1/invoices/{id}", objects("id", freshInvoices(false)))
                .managers(404, 204, 404).analyst(404, 403, 404).restricted(204, 404, 404));
        // Reconciliation and margins name no object: they are the viewer's part of the month, filtered to its subtree.
        add(rules, rule("GET /api/v1/reconciliations", requests(Call.of("month=" + INVOICE_MONTH, Map.of(), Map.of("month", INVOICE_MONTH.toString()), null),
                Call.of("month=" + LAKE_MONTH, Map.of(), Map.of("month", LAKE_MONTH.toString()), null))).all(200).check(this::reconciliation));
        add(rules, rule("GET /api/v1/margins", requests(Call.of("month=" + INVOICE_MONTH, Map.of(), Map.of("month", INVOICE_MONTH.toString()), null),
                Call.of("month=" + LAKE_MONTH, Map.of(), Map.of("month", LAKE_MONTH.toString()), null))).all(200).check(this::marginReport));
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

        List<String> failures = new ArrayList<>();
        int requests = 0;
        try {
            w = world();
            requests = walk(rules, failures);
        } finally {
            if (w != null) {
                removePayers();
            }
        }
        assertThat(failures).as("%d requests, %d failed", requests, failures.size()).isEmpty();
        assertThat(requests).isGreaterThan(rules.size() * 3 * 3);
    }

    private int walk(Map<String, Rule> rules, List<String> failures) throws Exception {
        int requests = 0;
        for (Rule rule : rules.values()) {
            for (Role role : List.of(ADMIN, BILLING_MANAGER, ANALYST)) {
                TestUser actor = w.actors.get(role);
                for (Map.Entry<Position, Integer> expectation : rule.expected.get(role).entrySet()) {
                    Position position = expectation.getKey();
                    List<Call> calls = rule.target.calls(position, actor);
                    if (calls.isEmpty()) {
                        failures.add(rule.operation + " as " + role + ": the rule gives a status for " + position + " but names no object there (say NONE)");
                    }
                    for (Call call : calls) {
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
        return requests;
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
        if (rule.anyMediaType) {
            // Documents (PDF, CSV) are not JSON: ask for any type, as a browser's download does.
            return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request(rule.method, java.net.URI.create(uri))
                    .accept(MediaType.ALL).with(bearer(actor.token()))).andReturn();
        }
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
        PriceBook r1Book, r2Book, dBook;
        LocalDate contractStart;
        Contract dToR1, r1ToC1, dToR2, r2ToC2;
        CostCenter c1Center, c2Center;
        PayerAccount r1Payer, sharedPayer, r2Payer;
        TermsVersion terms;
        BillingProfile c1Unassigned;
        TestUser c1Requester, c2Requester;
        /** AWS accounts that keep their state, per position; see {@link #awsAccount}. */
        final Map<Position, Map<AccountState, UUID>> accounts = new EnumMap<>(Position.class);
        UUID c1Waiting;
        /** The rule of R2's and of D's draft (R1's book, R2's and D's have a published v1 and a draft v2). */
        UUID r2DraftRule, dDraftRule;
        /** Custom line items: of R1's own profile (billed by D), of C1's assigned and unassigned profiles, of C2's and of R2's. */
        CustomLineItem r1Item, c1Item, c1RestrictedItem, c2Item, r2Item;
        /** Invoice runs of R1, R2 and D. */
        UUID r1Run, r2Run, dRun2;
        /** Invoices (an issued one and a draft per pair) that no request changes, per position. */
        final Map<Position, List<UUID>> issuedInvoices = new EnumMap<>(Position.class);
        final Map<Position, List<UUID>> draftInvoices = new EnumMap<>(Position.class);

        UUID org(Position position) {
            return position == OWN ? r1.id() : c1.id();
        }

        List<UUID> outside() {
            return List.of(r2.id(), c2.id(), d.id());
        }

        /** OWN: R1; CHILD: C1; SIBLING: R2, C2 and D. */
        List<UUID> organizations(Position position) {
            return switch (position) {
                case OWN -> List.of(r1.id());
                case CHILD -> List.of(c1.id());
                case SIBLING -> outside();
                case OWN_RESTRICTED -> List.of();
            };
        }

        /** The same, with a request without the filter among OWN's. */
        List<UUID> organizationFilters(Position position) {
            return position == OWN ? List.of(NO_FILTER, r1.id()) : organizations(position);
        }

        /** The billing profile of the AWS accounts in a position: C1's assigned one, C1's unassigned one, C2's; resellers have none. */
        BillingProfile accountProfile(Position position) {
            return switch (position) {
                case CHILD -> c1Assigned;
                case OWN_RESTRICTED -> c1Unassigned;
                case SIBLING -> c2Profile;
                case OWN -> null;
            };
        }
    }

    private World world() {
        World w = new World();
        this.w = w;
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
        billingAndOnboarding(w);
        rebilling(w);
        for (Organization o : List.of(w.r2, w.c2)) {
            w.foreign.add(o.id().toString());
            w.foreign.add(o.name());
        }
        for (TestUser u : List.of(w.r2Admin, w.c2Admin, w.c2Requester)) {
            w.foreign.add(u.id().toString());
            w.foreign.add(u.email());
            apiTokens.mine(viewer(u.email())).forEach(t -> w.foreign.add(t.id().toString()));
        }
        for (BillingProfile p : List.of(w.r2Profile, w.c2Profile)) {
            w.foreign.add(p.id().toString());
            w.foreign.add(p.name());
        }
        w.foreign.addAll(List.of(w.r2Book.id().toString(), w.r2Book.name(), w.dToR2.id().toString(), w.r2ToC2.id().toString(),
                w.c2Center.id().toString(), w.c2Center.name(), w.r2Payer.id().toString(), w.r2Payer.name(), w.r2Payer.accountId()));
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

    /**
     * Price books of R1, R2 and D; contracts D→R1 (R1 is the customer), R1→C1, D→R2 and R2→C2, those of the
     * customers active so that they may connect accounts; cost centers of C1 and C2; a payer for R1, one for
     * R2 and one shared; a terms version; and C1's and C2's AWS accounts in the states the operations need.
     */
    private void billingAndOnboarding(World w) {
        w.r1Book = priceBooks.create(topAdmin(), w.r1.id(), new PriceBooks.Details(unique("R1 book"), "EUR", null));
        w.r2Book = priceBooks.create(topAdmin(), w.r2.id(), new PriceBooks.Details(unique("R2 book"), "EUR", null));
        w.dBook = priceBooks.create(topAdmin(), w.d.id(), new PriceBooks.Details(unique("D book"), "EUR", null));
        w.contractStart = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusMonths(1);
        w.dToR1 = contracts.create(topAdmin(), w.d.id(), w.r1.id(), new Contracts.Details(w.dBook.id(), w.contractStart, null, ContractStatus.ACTIVE));
        w.r1ToC1 = contracts.create(topAdmin(), w.r1.id(), w.c1.id(), new Contracts.Details(w.r1Book.id(), w.contractStart, null, ContractStatus.ACTIVE));
        w.dToR2 = contracts.create(topAdmin(), w.d.id(), w.r2.id(), new Contracts.Details(null, w.contractStart, null, ContractStatus.DRAFT));
        w.r2ToC2 = contracts.create(topAdmin(), w.r2.id(), w.c2.id(), new Contracts.Details(w.r2Book.id(), w.contractStart, null, ContractStatus.ACTIVE));
        w.c1Center = costCenters.create(topAdmin(), w.c1.id(), new CostCenters.Details(unique("C1 center"), code()));
        w.c2Center = costCenters.create(topAdmin(), w.c2.id(), new CostCenters.Details(unique("C2 center"), code()));
        w.r1Payer = payerAccounts.register(topAdmin(), newPayer("R1 payer", w.r1.id()));
        w.sharedPayer = payerAccounts.register(topAdmin(), newPayer("Shared payer", w.r1.id(), w.r2.id()));
        w.r2Payer = payerAccounts.register(topAdmin(), newPayer("R2 payer", w.r2.id()));
        w.terms = terms.publish(topAdmin(), "LI", unique("Walk terms"), "Terms of the walk");
        w.c1Requester = user(w.c1.id(), BILLING_MANAGER, "C1 requester");
        w.c2Requester = user(w.c2.id(), BILLING_MANAGER, "C2 requester");
        w.c1Unassigned = profile(w.c1.id(), "C1 unassigned", w.c1Requester.id());
        billingProfiles.assign(topAdmin(), w.c1Assigned.id(), List.of(w.actors.get(BILLING_MANAGER).id(), w.actors.get(ANALYST).id(), w.c1Requester.id()));
        billingProfiles.assign(topAdmin(), w.c2Profile.id(), List.of(w.c2Admin.id(), w.c2Requester.id()));
        for (TestUser admin : List.of(w.c1Admin, w.c2Admin)) {
            terms.current(w.c1Assigned.country()).ifPresent(t -> terms.accept(viewer(admin.email()), admin.organizationId(), t.id()));
        }
        for (Position position : List.of(CHILD, OWN_RESTRICTED, SIBLING)) {
            BillingProfile profile = w.accountProfile(position);
            Map<AccountState, UUID> accounts = new EnumMap<>(AccountState.class);
            accounts.put(AccountState.CONNECTED, connected(profile));
            accounts.put(AccountState.REFUSED, refused(profile));
            if (position == SIBLING) {
                accounts.put(AccountState.INVITED, invited(profile));
                accounts.put(AccountState.REQUESTED, requested(profile));
            }
            w.accounts.put(position, accounts);
        }
        w.c1Waiting = requested(w.c1Assigned);
    }

    /**
     * Rebilling: R1's, R2's and D's price books get a published v1 and a draft v2; custom line items on R1's own profile (billed by
     * D), on C1's assigned and unassigned profiles, on C2's and on R2's; invoice runs of R1, R2 and D; and for each pair of
     * {@link #billings} an issued invoice and a draft of {@link #INVOICE_MONTH}, written straight into the tables (a run without cost
     * data makes no invoices).
     */
    private void rebilling(World w) {
        withPublishedVersion(w.r1Book.id());
        w.r2DraftRule = withPublishedVersion(w.r2Book.id());
        w.dDraftRule = withPublishedVersion(w.dBook.id());
        for (PriceBook book : List.of(w.r2Book, w.dBook)) {
            for (PriceBookRules.Version version : priceBookRules.versions(book.id())) {
                w.foreign.add(version.id().toString());
                version.rules().forEach(r -> w.foreign.add(r.id().toString()));
            }
        }
        w.r1Item = item(w.r1Assigned.id());
        w.c1Item = item(w.c1Assigned.id());
        w.c1RestrictedItem = item(w.c1Unassigned.id());
        w.c2Item = item(w.c2Profile.id());
        w.r2Item = item(w.r2Profile.id());
        for (CustomLineItem item : List.of(w.c2Item, w.r2Item)) {
            w.foreign.add(item.id().toString());
            w.foreign.add(item.description());
        }
        w.r1Run = invoiceRun(w.r1);
        w.r2Run = invoiceRun(w.r2);
        w.dRun2 = invoiceRun(w.d);
        w.foreign.add(w.r2Run.toString());
        w.foreign.add(w.dRun2.toString());
        for (Position position : Position.values()) {
            List<UUID> issued = new ArrayList<>();
            List<UUID> drafts = new ArrayList<>();
            for (Billing billing : billings(position)) {
                issued.add(invoice(billing, true));
                drafts.add(invoice(billing, false));
            }
            w.issuedInvoices.put(position, issued);
            w.draftInvoices.put(position, drafts);
        }
        for (UUID id : Stream.concat(w.issuedInvoices.get(SIBLING).stream(), w.draftInvoices.get(SIBLING).stream()).toList()) {
            w.foreign.add(id.toString());
        }
        for (UUID id : w.issuedInvoices.get(SIBLING)) {
            w.foreign.add(jdbc.sql("select number from invoices where id = ?").param(id).query(String.class).single());
        }
    }

    private static PriceBookRules.RuleInput walkRule(String serviceCode) {
        return new PriceBookRules.RuleInput(unique("Walk rule"), serviceCode, null, null, null, null, null, null, null, PricingRule.Action.MARKUP, null,
                BigDecimal.TEN, null);
    }

    /** Publishes a v1 of the book, effective before the invoices' month, and starts a draft v2; returns the draft's rule. */
    private UUID withPublishedVersion(UUID bookId) {
        priceBookRules.saveDraft(topAdmin(), bookId, List.of(walkRule("AmazonEC2")), null);
        priceBookRules.publish(topAdmin(), bookId, INVOICE_MONTH.minusMonths(1));
        return withDraft(bookId);
    }

    /** Saves a draft of one rule and returns that rule. */
    private UUID withDraft(UUID bookId) {
        return priceBookRules.saveDraft(topAdmin(), bookId, List.of(walkRule("AmazonS3")), "walk").rules().get(0).id();
    }

    private CustomLineItem item(UUID profileId) {
        return customLineItems.create(topAdmin(), new CustomLineItems.Details(profileId, null, unique("Walk fee"), CustomLineItems.Kind.FEE,
                CustomLineItems.Charge.FLAT, new BigDecimal("25"), INVOICE_MONTH, INVOICE_MONTH, false));
    }

    private UUID invoiceRun(Organization seller) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        jdbc.sql("insert into invoice_runs (id, seller_id, billing_month, status, trigger_kind, started_at, finished_at) values (?, ?, ?, 'COMPLETED', 'MANUAL', ?, ?)")
                .params(id, seller.id(), INVOICE_MONTH.atDay(1), now, now)
                .update();
        return id;
    }

    /** Who bills whom on which billing profile, and the end customer whose usage the invoice's line is. */
    private record Billing(Organization seller, Organization customer, BillingProfile profile, String tier, UUID endCustomer) {}

    /** OWN: D bills R1 (R1 is the buyer); CHILD: R1 bills C1; OWN_RESTRICTED: R1 bills C1's unassigned profile; SIBLING: R2 bills C2, D bills R2. */
    private List<Billing> billings(Position position) {
        return switch (position) {
            case OWN -> List.of(new Billing(w.d, w.r1, w.r1Assigned, "WHOLESALE", w.c1.id()));
            case CHILD -> List.of(new Billing(w.r1, w.c1, w.c1Assigned, "RETAIL", w.c1.id()));
            case OWN_RESTRICTED -> List.of(new Billing(w.r1, w.c1, w.c1Unassigned, "RETAIL", w.c1.id()));
            case SIBLING -> List.of(new Billing(w.r2, w.c2, w.c2Profile, "RETAIL", w.c2.id()), new Billing(w.d, w.r2, w.r2Profile, "WHOLESALE", w.c2.id()));
        };
    }

    /** An invoice of {@link #INVOICE_MONTH} with one usage line: issued (with a number) or a draft. */
    private UUID invoice(Billing b, boolean issued) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        jdbc.sql("insert into invoices (id, seller_id, customer_id, billing_profile_id, billing_month, kind, tier, status, number, currency, source_currency, "
                        + "cost_basis, cost_converted, subtotal, tax, total, tax_label, price_books, computed_at, issue_date, due_date, issued_at, issued_by) "
                        + "values (?, ?, ?, ?, ?, 'INVOICE', ?, ?, ?, 'EUR', 'EUR', 80, 80, 100, 0, 100, 'Tax', 'Walk book v1', ?, ?, ?, ?, ?)")
                .params(id, b.seller().id(), b.customer().id(), b.profile().id(), INVOICE_MONTH.atDay(1), b.tier(), issued ? "ISSUED" : "DRAFT",
                        issued ? "WALK-" + UUID.randomUUID().toString().substring(0, 8) : null, now, issued ? today : null,
                        issued ? today.plusDays(30) : null, issued ? now : null, issued ? "walk@example.test" : null)
                .update();
        jdbc.sql("insert into invoice_lines (invoice_id, position, kind, line_key, customer_id, service_code, description, cost_basis, amount, pricing) "
                        + "values (?, 1, 'USAGE', 'walk', ?, 'AmazonEC2', 'Walk usage', 80, 100, 'Markup 25 %')")
                .params(id, b.endCustomer())
                .update();
        return id;
    }

    private static String code() {
        return "CC-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String randomAccountId() {
        return "3" + String.format("%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
    }

    private static PayerAccounts.Details newPayer(String name, UUID... resellers) {
        return new PayerAccounts.Details(randomAccountId(), unique(name), null, null, null, null, null, List.of(), false, List.of(resellers), false);
    }

    /** Payers are installation-wide: the walk removes its own, so that other tests' customers keep inviting into the sandbox. */
    private void removePayers() {
        for (PayerAccount payer : Stream.of(w.r1Payer, w.sharedPayer, w.r2Payer).filter(Objects::nonNull).toList()) {
            jdbc.sql("update aws_accounts set payer_id = null where payer_id = ?").param(payer.id()).update();
            jdbc.sql("delete from payer_account_resellers where payer_id = ?").param(payer.id()).update();
            jdbc.sql("delete from payer_accounts where id = ?").param(payer.id()).update();
        }
    }

    enum AccountState {
        /** Joined the payer organisation, role verified. */
        CONNECTED,
        /** Refused by AWS (the sandbox refuses 111111111111, a member of another organisation): may be sent again, any number of times. */
        REFUSED,
        /** Invitation pending. */
        INVITED,
        /** Waiting for the customer's approval, which R1's admins may give. */
        REQUESTED
    }

    private UUID awsAccountOf(BillingProfile profile, Viewer requester, String accountId) {
        CustomerAccount account = onboarding.request(requester, new AccountOnboarding.Request(ConnectionType.INVITE, profile.id(), accountId, null, null,
                null, null, null, null, null));
        if (profile.organizationId().equals(w.c2.id())) {
            w.foreign.add(account.id().toString());
            if (!account.accountId().equals(REFUSED_ACCOUNT)) {
                w.foreign.add(account.accountId());
            }
        }
        return account.id();
    }

    private static final String REFUSED_ACCOUNT = "111111111111";

    private UUID invited(BillingProfile profile) {
        return awsAccountOf(profile, topAdmin(), randomAccountId());
    }

    private UUID connected(BillingProfile profile) {
        UUID id = invited(profile);
        onboarding.sandboxAnswer(topAdmin(), id, true);
        accountHealth.sandboxDeployRole(topAdmin(), id, true);
        return id;
    }

    private UUID refused(BillingProfile profile) {
        return awsAccountOf(profile, topAdmin(), REFUSED_ACCOUNT);
    }

    /** A request by a billing manager of the customer, while the customer requires its approval (given by its admins or those above). */
    private UUID requested(BillingProfile profile) {
        UUID customer = profile.organizationId();
        TestUser requester = customer.equals(w.c2.id()) ? w.c2Requester : w.c1Requester;
        approvalPolicies.set(topAdmin(), customer, true);
        try {
            return awsAccountOf(profile, viewer(requester.email()), randomAccountId());
        } finally {
            approvalPolicies.set(topAdmin(), customer, false);
        }
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

    private Target costCustomerFilter() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return switch (position) {
                    case OWN -> List.of(Call.of("no filter", Map.of(), Map.of(), null),
                            Call.of("groupBy=customer", Map.of(), Map.of("groupBy", "customer"), null));
                    case CHILD -> List.of(Call.of("customerId=C1", Map.of(), Map.of("customerId", w.c1.id().toString()), null));
                    case SIBLING -> w.outside().stream().map(id -> Call.of("customerId=" + name(id), Map.of(),
                            Map.of("customerId", id.toString()), null)).toList();
                    case OWN_RESTRICTED -> List.of();
                };
            }

            public Call nonexistent(TestUser actor) {
                return Call.of("unknown", Map.of(), Map.of("customerId", UUID.randomUUID().toString()), null);
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

    private List<UUID> organizations(Position position) {
        return w.organizations(position);
    }

    private List<UUID> organizationFilters(Position position) {
        return w.organizationFilters(position);
    }

    /** One request per object of a position, made by {@code call} (naming it in the path, the query or the body). */
    private Target named(Function<Position, List<UUID>> ids, Function<UUID, Call> call) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return ids.apply(position).stream().map(call).toList();
            }

            public Call nonexistent(TestUser actor) {
                return call.apply(UUID.randomUUID());
            }
        };
    }

    /** Objects named by a path variable, with a body made for each. */
    private Target objects(String variable, Function<Position, List<UUID>> ids, Function<UUID, Object> body) {
        return named(ids, id -> Call.of(variable + "=" + name(id), Map.of(variable, id), Map.of(), body.apply(id)));
    }

    /** Objects named in the body of a request that creates something. */
    private Target referenced(Function<Position, List<UUID>> ids, Function<UUID, Object> body) {
        return named(ids, id -> Call.of("for " + name(id), Map.of(), Map.of(), body.apply(id)));
    }

    private static final UUID NO_FILTER = new UUID(0, 0);

    /** An object named by a query parameter; {@link #NO_FILTER} leaves the parameter out. */
    private Target query(String parameter, Function<Position, List<UUID>> ids) {
        return named(ids, id -> id.equals(NO_FILTER) ? Call.of("no filter", Map.of(), Map.of(), null)
                : Call.of(parameter + "=" + name(id), Map.of(), Map.of(parameter, id.toString()), null));
    }

    /** A filter of a list, by query parameters: a sibling filter may answer an empty list. */
    private Target filter(Target... queries) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return Stream.of(queries).flatMap(q -> q.calls(position, actor).stream()).toList();
            }

            public Call nonexistent(TestUser actor) {
                return queries[0].nonexistent(actor);
            }

            public boolean filter() {
                return true;
            }
        };
    }

    /** Requests per position, made by a function; {@code nonexistent} makes the request naming nothing that exists. */
    private Target target(Function<Position, List<Call>> calls, java.util.function.Supplier<Call> nonexistent) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return calls.apply(position);
            }

            public Call nonexistent(TestUser actor) {
                return nonexistent.get();
            }
        };
    }

    /** Operations that name no object, made with these requests: only OWN applies. */
    private Target requests(Call... calls) {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return List.of(calls);
            }

            public Call nonexistent(TestUser actor) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private UUID freshBook() {
        return priceBooks.create(topAdmin(), w.r1.id(), new PriceBooks.Details(unique("Walk book"), "EUR", null)).id();
    }

    /** Books with a draft: a fresh one of R1 (the request may end its draft), R2's and D's. */
    private Function<Position, List<UUID>> booksWithDraft() {
        return p -> switch (p) {
            case OWN -> {
                UUID book = freshBook();
                withDraft(book);
                yield List.of(book);
            }
            case SIBLING -> List.of(w.r2Book.id(), w.dBook.id());
            case CHILD, OWN_RESTRICTED -> List.of();
        };
    }

    /** A rule of a draft: of a fresh R1 book (OWN); of R2's and D's drafts, and R2's rule named under R1's book (SIBLING). */
    private Target draftRule() {
        return target(p -> switch (p) {
            case OWN -> {
                UUID book = freshBook();
                yield List.of(Call.of("fresh R1 book", Map.of("id", book, "ruleId", withDraft(book)), Map.of(), null));
            }
            case SIBLING -> List.of(Call.of("R2's", Map.of("id", w.r2Book.id(), "ruleId", w.r2DraftRule), Map.of(), null),
                    Call.of("D's", Map.of("id", w.dBook.id(), "ruleId", w.dDraftRule), Map.of(), null),
                    Call.of("R2's rule under R1's book", Map.of("id", w.r1Book.id(), "ruleId", w.r2DraftRule), Map.of(), null));
            case CHILD, OWN_RESTRICTED -> List.of();
        }, () -> Call.of("unknown", Map.of("id", UUID.randomUUID(), "ruleId", UUID.randomUUID()), Map.of(), null));
    }

    /** Versions 1 (published) and 2 (the draft) of R1's book; of R2's and D's (SIBLING). */
    private Target bookVersion() {
        return target(p -> switch (p) {
            case OWN -> List.of(Call.of("R1 v1", Map.of("id", w.r1Book.id(), "version", 1), Map.of(), null),
                    Call.of("R1 v2", Map.of("id", w.r1Book.id(), "version", 2), Map.of(), null));
            case SIBLING -> List.of(Call.of("R2 v1", Map.of("id", w.r2Book.id(), "version", 1), Map.of(), null),
                    Call.of("R2 v2", Map.of("id", w.r2Book.id(), "version", 2), Map.of(), null),
                    Call.of("D v1", Map.of("id", w.dBook.id(), "version", 1), Map.of(), null));
            case CHILD, OWN_RESTRICTED -> List.of();
        }, () -> Call.of("unknown", Map.of("id", UUID.randomUUID(), "version", 1), Map.of(), null));
    }

    /** A preview of a book's draft for the invoices' month. */
    private Target bookPreview() {
        Function<UUID, Call> call = id -> Call.of("id=" + id, Map.of("id", id), Map.of("month", INVOICE_MONTH.toString()), null);
        return target(p -> priceBooks(false).apply(p).stream().map(call).toList(), () -> call.apply(UUID.randomUUID()));
    }

    /** The billing profiles of custom line items: R1's own (billed by D), C1's assigned, C1's unassigned, C2's and R2's. */
    private List<UUID> itemProfiles(Position p) {
        return switch (p) {
            case OWN -> List.of(w.r1Assigned.id());
            case CHILD -> List.of(w.c1Assigned.id());
            case OWN_RESTRICTED -> List.of(w.c1Unassigned.id());
            case SIBLING -> List.of(w.c2Profile.id(), w.r2Profile.id());
        };
    }

    private String profileName(UUID id) {
        return billingProfiles.find(id).map(BillingProfile::name).orElse(id.toString());
    }

    private Target itemFilter() {
        return filter(target(p -> {
            List<Call> calls = new ArrayList<>();
            if (p == OWN) {
                calls.add(Call.of("no filter", Map.of(), Map.of(), null));
            }
            itemProfiles(p).forEach(id -> calls.add(Call.of("billingProfileId=" + profileName(id), Map.of(), Map.of("billingProfileId", id.toString()), null)));
            return calls;
        }, () -> Call.of("unknown", Map.of(), Map.of("billingProfileId", UUID.randomUUID().toString()), null)));
    }

    private Target newItem() {
        return named(this::itemProfiles, id -> Call.of("on " + profileName(id), Map.of(), Map.of(), itemBody(id)));
    }

    private Map<String, Object> itemBody(UUID profileId) {
        Map<String, Object> body = new HashMap<>(Map.of("description", unique("Walk fee"), "kind", "FEE", "charge", "FLAT", "amount", 25,
                "firstMonth", INVOICE_MONTH.toString(), "recurring", false));
        if (profileId != null) {
            body.put("billingProfileId", profileId);
        }
        return body;
    }

    /** The items of a position; with {@code fresh}, R1's are made for the request (which may delete them). */
    private Function<Position, List<UUID>> items(boolean fresh) {
        return p -> switch (p) {
            case OWN -> List.of(fresh ? item(w.r1Assigned.id()).id() : w.r1Item.id());
            case CHILD -> List.of(fresh ? item(w.c1Assigned.id()).id() : w.c1Item.id());
            case OWN_RESTRICTED -> List.of(fresh ? item(w.c1Unassigned.id()).id() : w.c1RestrictedItem.id());
            case SIBLING -> List.of(w.c2Item.id(), w.r2Item.id());
        };
    }

    /** The issued invoices and drafts of a position, which no request changes; of R1's own (where R1 is the buyer) only the issued ones. */
    private Function<Position, List<UUID>> invoices() {
        return p -> p == OWN ? w.issuedInvoices.get(p) : Stream.concat(w.issuedInvoices.get(p).stream(), w.draftInvoices.get(p).stream()).toList();
    }

    /** Invoices a request may change: made afresh (issued or drafts) in R1's positions; R2's and D's fixtures in SIBLING. */
    private Function<Position, List<UUID>> freshInvoices(boolean issued) {
        return p -> p == SIBLING ? (issued ? w.issuedInvoices : w.draftInvoices).get(SIBLING) : billings(p).stream().map(b -> invoice(b, issued)).toList();
    }

    private Function<Position, List<UUID>> priceBooks(boolean fresh) {
        return p -> switch (p) {
            case OWN -> List.of(fresh ? priceBooks.create(topAdmin(), w.r1.id(), new PriceBooks.Details(unique("Walk book"), "EUR", null)).id() : w.r1Book.id());
            case SIBLING -> List.of(w.r2Book.id(), w.dBook.id());
            case CHILD, OWN_RESTRICTED -> List.of();
        };
    }

    private Function<Position, List<UUID>> contractsOf() {
        return p -> switch (p) {
            case OWN -> List.of(w.dToR1.id());
            case CHILD -> List.of(w.r1ToC1.id());
            case SIBLING -> List.of(w.dToR2.id(), w.r2ToC2.id());
            case OWN_RESTRICTED -> List.of();
        };
    }

    /** A contract to create: OWN is sold by R1 to C1, CHILD by C1 (a customer, who sells nothing); SIBLING names a sibling as seller or customer. */
    private Target newContract() {
        return new Target() {
            public List<Call> calls(Position position, TestUser actor) {
                return switch (position) {
                    case OWN -> List.of(call(w.r1.id(), w.c1.id()));
                    case CHILD -> List.of(call(w.c1.id(), w.c1.id()));
                    case SIBLING -> List.of(call(w.r2.id(), w.c2.id()), call(w.d.id(), w.r1.id()), call(w.r1.id(), w.c2.id()));
                    case OWN_RESTRICTED -> List.of();
                };
            }

            public Call nonexistent(TestUser actor) {
                return call(UUID.randomUUID(), w.c1.id());
            }

            private Call call(UUID seller, UUID customer) {
                return Call.of(name(seller) + " sells to " + name(customer), Map.of(), Map.of(),
                        Map.of("sellerId", seller, "customerId", customer, "startDate", w.contractStart.toString()));
            }
        };
    }

    /** The details every fixture contract can keep: active since the common start, open-ended, no price book. */
    private Object sameContract(UUID id) {
        return Map.of("startDate", w.contractStart.toString(), "status", "ACTIVE");
    }

    private Function<Position, List<UUID>> costCentersOf(boolean fresh) {
        return p -> switch (p) {
            case CHILD -> List.of(fresh ? costCenters.create(topAdmin(), w.c1.id(), new CostCenters.Details(unique("Walk center"), code())).id()
                    : w.c1Center.id());
            case SIBLING -> List.of(w.c2Center.id());
            case OWN, OWN_RESTRICTED -> List.of();
        };
    }

    /** Payers R1 may use (its own and the shared one) and R2's, which R1 may not. */
    private Function<Position, List<UUID>> payers() {
        return p -> switch (p) {
            case OWN -> List.of(w.r1Payer.id(), w.sharedPayer.id());
            case SIBLING -> List.of(w.r2Payer.id());
            case CHILD, OWN_RESTRICTED -> List.of();
        };
    }

    private Object currentPayer(UUID id) {
        return payerAccounts.find(id).<Object>map(p -> new PayerAccounts.Details(p.accountId(), p.name(), p.accessMode(), p.roleArn(), p.externalId(),
                p.region(), p.endpointOverride(), p.allowedCountries(), p.requiresBusinessSupport(), p.resellerIds(), p.acceptsDemoTenants())).orElseGet(() -> newPayer("Walk payer"));
    }

    /** A new AWS account (of the given connection type) on the billing profile of a position; OWN names R1's own profile. */
    private Target newAwsAccount(String connectionType) {
        return referenced(p -> switch (p) {
            case OWN -> List.of(w.r1Assigned.id());
            case CHILD, OWN_RESTRICTED -> List.of(w.accountProfile(p).id());
            case SIBLING -> List.of(w.r2Profile.id(), w.c2Profile.id());
        }, profile -> Map.of("connectionType", connectionType, "billingProfileId", profile, "accountId", randomAccountId()));
    }

    private Target awsAccount(AccountState state) {
        return awsAccount(state, id -> null);
    }

    /**
     * An AWS account of C1 (CHILD: on the profile assigned to the actor; OWN_RESTRICTED: on the one that is not) or
     * of C2 (SIBLING); resellers have none. INVITED and REQUESTED accounts of C1 are made afresh for every request,
     * which may close or decide them; C2's are never changed by R1.
     */
    private Target awsAccount(AccountState state, Function<UUID, Object> body) {
        return objects("id", p -> switch (p) {
            case OWN -> List.of();
            case SIBLING -> List.of(w.accounts.get(SIBLING).get(state));
            case CHILD, OWN_RESTRICTED -> List.of(switch (state) {
                case INVITED -> invited(w.accountProfile(p));
                case REQUESTED -> requested(w.accountProfile(p));
                case CONNECTED, REFUSED -> w.accounts.get(p).get(state);
            });
        }, body);
    }

    private Object roleOf(UUID id) {
        String accountId = jdbc.sql("select account_id from aws_accounts where id = ?").param(id).query(String.class).optional().orElse("123456789012");
        return Map.of("roleArn", "arn:aws:iam::" + accountId + ":role/OpenPayerReadOnly");
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

    private void priceBookList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        if (!subtreeOfR1().containsAll(a.ids("$[*].ownerId"))) {
            failures.accept(a.where("GET /api/v1/price-books") + ": lists price books owned outside R1's subtree");
        }
        if (a.call().label().equals("no filter") && !a.ids("$[*].id").contains(w.r1Book.id().toString())) {
            failures.accept(a.where("GET /api/v1/price-books") + ": misses R1's price book");
        }
    }

    private void contractList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        List<String> sellers = a.ids("$[*].sellerId");
        List<String> customers = a.ids("$[*].customerId");
        Set<String> subtree = subtreeOfR1();
        for (int i = 0; i < sellers.size(); i++) {
            if (!subtree.contains(sellers.get(i)) && !subtree.contains(customers.get(i))) {
                failures.accept(a.where("GET /api/v1/contracts") + ": lists a contract between " + sellers.get(i) + " and " + customers.get(i));
            }
        }
        if (a.call().label().equals("no filter") && !a.ids("$[*].id").containsAll(List.of(w.dToR1.id().toString(), w.r1ToC1.id().toString()))) {
            failures.accept(a.where("GET /api/v1/contracts") + ": misses D→R1 or R1→C1");
        }
    }

    private void costCenterList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        if (!subtreeOfR1().containsAll(a.ids("$[*].customerId"))) {
            failures.accept(a.where("GET /api/v1/cost-centers") + ": lists cost centers outside R1's subtree");
        }
        if (!a.call().label().equals("customerId=R1") && !a.ids("$[*].id").contains(w.c1Center.id().toString())) {
            failures.accept(a.where("GET /api/v1/cost-centers") + ": misses C1's cost center");
        }
    }

    private void payerList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        List<String> ids = a.ids("$[*].id");
        if (!ids.containsAll(List.of(w.r1Payer.id().toString(), w.sharedPayer.id().toString())) || ids.contains(w.r2Payer.id().toString())) {
            failures.accept(a.where("GET /api/v1/aws/payers") + ": expected R1's and the shared payer, not R2's, got " + ids);
        }
        if (!subtreeOfR1().containsAll(a.ids("$[*].resellerIds[*]"))) {
            failures.accept(a.where("GET /api/v1/aws/payers") + ": names resellers outside R1's subtree");
        }
    }

    private void accountList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        String where = a.where(a.result().getRequest().getRequestURI());
        if (!subtreeOfR1().containsAll(a.ids("$[*].account.customerId"))) {
            failures.accept(where + ": lists AWS accounts outside R1's subtree");
        }
        boolean admin = a.role() == ADMIN;
        if (!admin && a.ids("$[*].account.billingProfileId").contains(w.c1Unassigned.id().toString())) {
            failures.accept(where + ": lists an AWS account of a billing profile the user is not assigned to");
        }
        List<String> expected = new ArrayList<>();
        if (!a.call().label().equals("customerId=R1")) {
            expected.add(w.accounts.get(CHILD).get(AccountState.CONNECTED).toString());
            if (admin) {
                expected.add(w.accounts.get(OWN_RESTRICTED).get(AccountState.CONNECTED).toString());
            }
        }
        if (!a.ids("$[*].account.id").containsAll(expected)) {
            failures.accept(where + ": expected " + expected + " among the accounts");
        }
    }

    private void approvalList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        List<String> ids = a.ids("$[*].account.id");
        if (a.role() != ADMIN && !ids.isEmpty()) {
            failures.accept(a.where("GET /api/v1/aws/approvals") + ": only ADMINs approve, but the inbox lists " + ids);
        }
        if (a.role() == ADMIN && (!ids.contains(w.c1Waiting.toString()) || !subtreeOfR1().containsAll(a.ids("$[*].account.customerId")))) {
            failures.accept(a.where("GET /api/v1/aws/approvals") + ": expected C1's request, and requests of R1's subtree only, got " + ids);
        }
    }

    private void itemList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        String where = a.where("GET /api/v1/custom-line-items");
        List<String> sellers = a.ids("$[*].sellerId");
        if (!sellers.stream().allMatch(w.r1.id().toString()::equals)) {
            failures.accept(where + ": lists items that R1 does not bill: sellers " + sellers);
        }
        List<String> ids = a.ids("$[*].id");
        if (ids.contains(w.r1Item.id().toString())) {
            failures.accept(where + ": lists an item of R1's own profile, which D bills");
        }
        if (a.role() != ADMIN && ids.contains(w.c1RestrictedItem.id().toString())) {
            failures.accept(where + ": lists an item of a billing profile the user is not assigned to");
        }
        String profile = a.call().query().get("billingProfileId");
        if ((profile == null || profile.equals(w.c1Assigned.id().toString())) && !ids.contains(w.c1Item.id().toString())) {
            failures.accept(where + ": misses C1's item");
        }
    }

    private void runList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        if (!subtreeOfR1().containsAll(a.ids("$[*].sellerId"))) {
            failures.accept(a.where("GET /api/v1/invoice-runs") + ": lists runs of sellers outside R1's subtree");
        }
        if (a.call().label().equals("no filter") && !a.ids("$[*].id").contains(w.r1Run.toString())) {
            failures.accept(a.where("GET /api/v1/invoice-runs") + ": misses R1's run");
        }
    }

    private void invoiceList(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        String where = a.where("GET /api/v1/invoices");
        Set<String> subtree = subtreeOfR1();
        if (!subtree.containsAll(a.ids("$[*].customerId"))) {
            failures.accept(where + ": lists invoices to customers outside R1's subtree");
        }
        if (a.role() != ADMIN && a.ids("$[*].billingProfileId").contains(w.c1Unassigned.id().toString())) {
            failures.accept(where + ": lists an invoice of a billing profile the user is not assigned to");
        }
        List<Map<String, Object>> invoices = JsonPath.read(a.body(), "$[*]");
        for (Map<String, Object> invoice : invoices) {
            if (!subtree.contains(invoice.get("sellerId")) && (invoice.get("costBasis") != null || Boolean.TRUE.equals(invoice.get("sellerView")))) {
                failures.accept(where + ": shows the seller's cost basis of " + invoice.get("id") + " to the buyer");
            }
        }
        if (a.call().label().equals("no filter")
                && !a.ids("$[*].id").containsAll(List.of(w.issuedInvoices.get(OWN).get(0).toString(), w.issuedInvoices.get(CHILD).get(0).toString()))) {
            failures.accept(where + ": misses D's invoice to R1 or R1's to C1");
        }
    }

    @SuppressWarnings("unchecked")
    private void invoiceView(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        Map<String, Object> invoice = JsonPath.read(a.body(), "$");
        boolean seller = a.position() != OWN;
        String where = a.where("GET /api/v1/invoices/{id}");
        if (Boolean.TRUE.equals(invoice.get("sellerView")) != seller) {
            failures.accept(where + ": sellerView is " + invoice.get("sellerView") + " for " + (seller ? "the seller" : "the buyer"));
        }
        List<Map<String, Object>> lines = (List<Map<String, Object>>) invoice.get("lines");
        if (!seller && (invoice.get("costBasis") != null || invoice.get("costConverted") != null
                || lines.stream().anyMatch(l -> l.get("costBasis") != null || l.get("pricing") != null))) {
            failures.accept(where + ": shows the seller's cost basis or pricing to the buyer");
        }
    }

    private void reconciliation(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        String where = a.where("GET /api/v1/reconciliations");
        Set<String> subtree = subtreeOfR1();
        if (!subtree.containsAll(a.ids("$.customers[*].customerId")) || !subtree.containsAll(a.ids("$.customers[*].sellerId"))) {
            failures.accept(where + ": reconciles customers outside R1's subtree");
        }
        List<Object> unassigned = JsonPath.read(a.body(), "$.unassigned");
        if (Boolean.TRUE.equals(JsonPath.read(a.body(), "$.wholePayer")) || !unassigned.isEmpty()) {
            failures.accept(where + ": shows whole payers' bills or their unassigned accounts to a reseller");
        }
    }

    private void marginReport(Answered a, java.util.function.Consumer<String> failures) throws Exception {
        String where = a.where("GET /api/v1/margins");
        Set<String> subtree = subtreeOfR1();
        if (!subtree.containsAll(a.ids("$.rows[*].sellerId")) || !subtree.containsAll(a.ids("$.totals[*].sellerId"))) {
            failures.accept(where + ": shows margins of sellers outside R1's subtree");
        }
        if (INVOICE_MONTH.toString().equals(a.call().query().get("month"))) {
            // One row per billing profile billed: C1's assigned profile, and for ADMINs its unassigned one too.
            long c1 = a.ids("$.rows[*].customerId").stream().filter(w.c1.id().toString()::equals).count();
            long expected = a.role() == ADMIN ? 2 : 1;
            if (c1 != expected) {
                failures.accept(where + ": expected " + expected + " row(s) for C1, one per billing profile the user may see, but got " + c1);
            }
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
        boolean anyMediaType;

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
            List<Position> positions = List.of(OWN, CHILD, SIBLING);
            int[] statuses = {own, child, sibling};
            for (int i = 0; i < statuses.length; i++) {
                if (statuses[i] != NONE) {
                    e.put(positions.get(i), statuses[i]);
                }
            }
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

        /** ADMIN and BILLING_MANAGER, who change billing data and onboard accounts. */
        Rule managers(int own, int child, int sibling) {
            return admin(own, child, sibling).billingManager(own, child, sibling);
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

        /** The operation answers a document, not JSON: the request accepts any media type. */
        Rule anyMediaType() {
            this.anyMediaType = true;
            return this;
        }
    }

}
