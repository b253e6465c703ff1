package dev.openpayer.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import dev.openpayer.testsupport.OpenPayerTest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;

/** Onboarding through the API against the sandbox organisation: the whole flow, every refusal path, approvals, bulk, races. */
@OpenPayerTest
class OnboardingApiTest extends ApiTestSupport {
    @Autowired Contracts contracts;
    @Autowired PriceBooks priceBooks;
    @Autowired Terms terms;
    @Autowired AccountOnboarding onboarding;

    Organization reseller;
    Organization customer;
    Organization sibling;
    BillingProfile profile;
    TestUser resellerAdmin;
    TestUser billingManager;
    TestUser analyst;
    TestUser customerAdmin;
    TestUser siblingAdmin;

    @BeforeEach
    void tree() {
        reseller = reseller("Onboarding reseller");
        customer = customer(reseller.id(), "Onboarding customer");
        sibling = reseller("Sibling reseller");
        resellerAdmin = user(reseller.id(), Role.ADMIN, "reseller admin");
        billingManager = user(reseller.id(), Role.BILLING_MANAGER, "billing manager");
        analyst = user(reseller.id(), Role.ANALYST, "analyst");
        customerAdmin = user(customer.id(), Role.ADMIN, "customer admin");
        siblingAdmin = user(sibling.id(), Role.ADMIN, "sibling admin");
        profile = profile(customer.id(), "Onboarding profile", billingManager.id(), analyst.id());
        activeContract(customer);
    }

    private void activeContract(Organization organization) {
        LocalDate start = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusMonths(1);
        contracts.create(topAdmin(), organization.parentId(), organization.id(), new Contracts.Details(null, start, null, ContractStatus.ACTIVE));
    }

    static String randomAccountId() {
        return "3" + String.format("%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
    }

    private MvcResult invite(TestUser user, String accountId) throws Exception {
        return call(user, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", accountId, "notes", "Welcome aboard"));
    }

    private String status(TestUser user, UUID id) throws Exception {
        return read(call(user, GET, "/api/v1/aws/accounts/" + id, null), "$.account.status");
    }

    private static UUID accountId(MvcResult result) throws Exception {
        return UUID.fromString(read(result, "$.account.id"));
    }

    @Test
    void anAccountIsInvitedAcceptedConnectedAndHealthy() throws Exception {
        String awsId = randomAccountId();
        MvcResult invited = invite(billingManager, awsId.substring(0, 4) + "-" + awsId.substring(4, 8) + "-" + awsId.substring(8));
        assertThat(invited.getResponse().getStatus()).as(invited.getResponse().getContentAsString()).isEqualTo(201);
        UUID id = accountId(invited);
        assertThat((String) read(invited, "$.account.accountId")).isEqualTo(awsId);
        assertThat((String) read(invited, "$.account.status")).isEqualTo("INVITED");
        assertThat((String) read(invited, "$.account.invitation.handshakeId")).startsWith("h-");
        assertThat((String) read(invited, "$.payer")).isEqualTo("Sandbox");

        assertThat(call(analyst, POST, "/api/v1/aws/accounts/" + id + "/sandbox/accept", null).getResponse().getStatus()).isEqualTo(403);
        MvcResult accepted = call(billingManager, POST, "/api/v1/aws/accounts/" + id + "/sandbox/accept", null);
        assertThat((String) read(accepted, "$.account.status")).isEqualTo("JOINED");
        assertThat((String) read(accepted, "$.account.membership.joinedAt")).isNotBlank();
        List<String> mails = jdbc.sql("select recipient from mail_outbox where subject like ?").param("AWS account " + awsId + " joined%").query(String.class).list();
        assertThat(mails).containsExactly("billing@example.test");

        MvcResult wrongAccount = call(billingManager, PUT, "/api/v1/aws/accounts/" + id + "/role", Map.of("roleArn", "arn:aws:iam::123456789012:role/X"));
        assertThat(assertProblem(wrongAccount, 400)).containsExactly("roleArn");
        MvcResult malformed = call(billingManager, PUT, "/api/v1/aws/accounts/" + id + "/role", Map.of("roleArn", "arn:aws:iam::12:role"));
        assertThat(assertProblem(malformed, 400)).containsExactly("roleArn");

        MvcResult missingRole = call(billingManager, PUT, "/api/v1/aws/accounts/" + id + "/role", Map.of("roleArn", "arn:aws:iam::" + awsId + ":role/OpenPayerReadOnly"));
        assertThat((String) read(missingRole, "$.account.health.status")).isEqualTo("CRITICAL");
        assertThat((String) read(missingRole, "$.account.status")).isEqualTo("JOINED");

        MvcResult open = call(billingManager, POST, "/api/v1/aws/accounts/" + id + "/sandbox/role", Map.of("withExternalId", false));
        assertThat((String) read(open, "$.account.health.status")).isEqualTo("CRITICAL");
        assertThat((String) read(open, "$.account.health.reason")).contains("sts:ExternalId");

        MvcResult connected = call(billingManager, POST, "/api/v1/aws/accounts/" + id + "/sandbox/role", Map.of("withExternalId", true));
        assertThat((String) read(connected, "$.account.status")).isEqualTo("CONNECTED");
        assertThat((String) read(connected, "$.account.health.status")).isEqualTo("HEALTHY");

        MvcResult details = call(analyst, GET, "/api/v1/aws/accounts/" + id, null);
        List<String> kinds = read(details, "$.timeline[*].kind");
        assertThat(kinds).containsSubsequence("requested", "invited", "accepted", "joined", "role-set", "role-verified");
        List<Boolean> done = read(details, "$.checklist[?(@.step == 'Read-only cross-account role verified')].done");
        assertThat(done).containsExactly(true);

        assertThat(call(siblingAdmin, GET, "/api/v1/aws/accounts/" + id, null).getResponse().getStatus()).isEqualTo(404);
        List<String> siblingList = read(call(siblingAdmin, GET, "/api/v1/aws/accounts", null), "$[*].account.id");
        assertThat(siblingList).doesNotContain(id.toString());

        assertThat(assertProblem(invite(resellerAdmin, awsId), 409)).containsExactly("accountId");
    }

    @Test
    void accountIdsAreNormalisedOrRefusedWithAClearMessage() throws Exception {
        for (String bad : List.of("12345", "1234567890123", "abcd-efgh-ijkl", "1234 5678 9012", "")) {
            MvcResult result = invite(billingManager, bad);
            assertThat(assertProblem(result, 400)).as(bad).containsExactly("accountId");
        }
        MvcResult notes = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", randomAccountId(),
                "notes", "x".repeat(1025)));
        assertThat(assertProblem(notes, 400)).containsExactly("notes");
        assertThat(call(analyst, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", randomAccountId()))
                .getResponse().getStatus()).isEqualTo(403);
        MvcResult foreignProfile = call(siblingAdmin, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", randomAccountId()));
        assertThat(assertProblem(foreignProfile, 400)).containsExactly("billingProfileId");
        assertThat(jdbc.sql("select count(*) from aws_accounts where customer_id = ?").param(customer.id()).query(Long.class).single()).isZero();
    }

    @Test
    void awsRefusalsBecomeActionableMessages() throws Exception {
        MvcResult member = invite(billingManager, "111111111111");
        assertThat((String) read(member, "$.account.status")).isEqualTo("REFUSED");
        assertThat((String) read(member, "$.account.refusal.code")).isEqualTo("ALREADY_IN_AN_ORGANIZATION");
        assertThat((String) read(member, "$.account.refusal.remedy")).contains("leave");

        MvcResult management = invite(billingManager, "222222222222");
        assertThat((String) read(management, "$.account.refusal.code")).isEqualTo("ALREADY_IN_AN_ORGANIZATION");
        assertThat((String) read(management, "$.account.refusal.remedy")).containsIgnoringCase("delete").containsIgnoringCase("member");

        MvcResult itself = invite(billingManager, "999999999999");
        assertThat((String) read(itself, "$.account.refusal.code")).isEqualTo("SOURCE_AND_TARGET_CANNOT_MATCH");

        // a refused account holds no claim: it can be requested again once the owner fixed the cause
        assertThat((String) read(invite(billingManager, "111111111111"), "$.account.status")).isEqualTo("REFUSED");
    }

    @Test
    void preconditionsAreContractTermsAndPayerEligibility() throws Exception {
        Organization noContract = customer(reseller.id(), "No contract");
        BillingProfile noContractProfile = profile(noContract.id(), "No contract profile", billingManager.id());
        MvcResult refused = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", noContractProfile.id(),
                "accountId", randomAccountId()));
        assertProblem(refused, 409);
        assertThat((String) read(refused, "$.detail")).contains("no active contract");

        Organization french = customer(reseller.id(), "French customer");
        activeContract(french);
        BillingProfile frenchProfile = billingProfiles.create(topAdmin(), french.id(), new BillingProfile.Details(unique("FR"), "Client SAS",
                "1 rue de Rivoli", null, "Paris", "75001", null, "FR", "EUR", 30, List.of("compta@example.test")));
        billingProfiles.assign(topAdmin(), frenchProfile.id(), List.of(billingManager.id()));
        TermsVersion fr = terms.publish(topAdmin(), "FR", "Conditions générales", "Les présentes conditions…");
        MvcResult needsTerms = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", frenchProfile.id(), "accountId", randomAccountId()));
        assertProblem(needsTerms, 409);
        assertThat((String) read(needsTerms, "$.detail")).contains("version " + fr.version()).contains("FR");

        TestUser frenchAdmin = user(french.id(), Role.ADMIN, "french admin");
        assertThat(call(billingManager, POST, "/api/v1/customers/" + french.id() + "/terms", Map.of("termsId", fr.id())).getResponse().getStatus())
                .isEqualTo(403);
        assertThat(call(frenchAdmin, POST, "/api/v1/customers/" + french.id() + "/terms", Map.of("termsId", fr.id())).getResponse().getStatus())
                .isEqualTo(200);
        MvcResult status = call(billingManager, GET, "/api/v1/customers/" + french.id() + "/terms?country=FR", null);
        assertThat((String) read(status, "$.acceptance.acceptedBy")).isEqualTo(frenchAdmin.email());
        MvcResult invited = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", frenchProfile.id(), "accountId", randomAccountId()));
        assertThat(invited.getResponse().getStatus()).as(invited.getResponse().getContentAsString()).isEqualTo(201);
    }

    @Test
    void requestsBelowATenantThatRequiresApprovalWaitInItsInbox() throws Exception {
        assertThat(call(billingManager, PUT, "/api/v1/aws/approval-policies/" + reseller.id(), Map.of("requiresApproval", true))
                .getResponse().getStatus()).isEqualTo(403);
        assertThat(call(resellerAdmin, PUT, "/api/v1/aws/approval-policies/" + reseller.id(), Map.of("requiresApproval", true))
                .getResponse().getStatus()).isEqualTo(200);

        MvcResult requested = invite(billingManager, randomAccountId());
        UUID id = accountId(requested);
        assertThat((String) read(requested, "$.account.status")).isEqualTo("REQUESTED");
        assertThat(jdbc.sql("select count(*) from mail_outbox where recipient = ? and subject like 'Approval needed%'").param(resellerAdmin.email())
                .query(Long.class).single()).isEqualTo(1);
        List<String> inbox = read(call(resellerAdmin, GET, "/api/v1/aws/approvals", null), "$[*].account.id");
        assertThat(inbox).contains(id.toString());
        assertThat((List<?>) read(call(billingManager, GET, "/api/v1/aws/approvals", null), "$")).isEmpty();
        assertThat(call(billingManager, POST, "/api/v1/aws/approvals/" + id + "/approve", null).getResponse().getStatus()).isEqualTo(403);
        assertThat(call(siblingAdmin, POST, "/api/v1/aws/approvals/" + id + "/approve", null).getResponse().getStatus()).isEqualTo(404);

        MvcResult approved = call(resellerAdmin, POST, "/api/v1/aws/approvals/" + id + "/approve", null);
        assertThat((String) read(approved, "$.account.status")).isEqualTo("INVITED");
        assertThat(assertProblem(call(resellerAdmin, POST, "/api/v1/aws/approvals/" + id + "/approve", null), 409)).containsExactly("status");

        UUID other = accountId(invite(billingManager, randomAccountId()));
        assertThat(assertProblem(call(resellerAdmin, POST, "/api/v1/aws/approvals/" + other + "/decline", Map.of("reason", " ")), 400))
                .containsExactly("reason");
        MvcResult declined = call(resellerAdmin, POST, "/api/v1/aws/approvals/" + other + "/decline", Map.of("reason", "Not covered by the contract"));
        assertThat((String) read(declined, "$.account.status")).isEqualTo("DECLINED");
        List<String> bodies = jdbc.sql("select body from mail_outbox where recipient = ? and subject like 'Declined%'").param(billingManager.email())
                .query(String.class).list();
        assertThat(bodies).singleElement().asString().contains("Not covered by the contract");

        // an admin of the approving tenant needs no approval from it
        assertThat((String) read(invite(resellerAdmin, randomAccountId()), "$.account.status")).isEqualTo("INVITED");
    }

    @Test
    void bulkInvitationsGiveOneOutcomePerAccount() throws Exception {
        String a = randomAccountId();
        String b = randomAccountId();
        String csv = "account_id,name\n" + a + ",Former member A\n" + b.substring(0, 4) + "-" + b.substring(4, 8) + "-" + b.substring(8)
                + ",Former member B\n12345,broken\n111111111111,in another organisation\n" + a + ",again\n";
        MvcResult result = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountIds", csv));
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
        List<Map<String, Object>> outcomes = read(result, "$.outcomes");
        Map<String, String> byInput = new HashMap<>();
        for (Map<String, Object> o : outcomes) {
            Map<?, ?> account = (Map<?, ?>) o.get("account");
            String outcome = o.get("error") != null ? "error: " + o.get("error") : String.valueOf(account.get("status"));
            byInput.merge(String.valueOf(o.get("input")), outcome, (x, y) -> x + " | " + y);
        }
        assertThat(byInput.get(a)).startsWith("INVITED").contains("error: listed twice");
        assertThat(byInput.get(b.substring(0, 4) + "-" + b.substring(4, 8) + "-" + b.substring(8))).isEqualTo("INVITED");
        assertThat(byInput.get("12345")).startsWith("error:").contains("12 digits");
        assertThat(byInput.get("111111111111")).isEqualTo("REFUSED");
        assertThat((Integer) read(result, "$.invited")).isEqualTo(3);
    }

    @Test
    void concurrentRequestsForOneAccountCreateOneInvitation() throws Exception {
        String awsId = randomAccountId();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(() -> invite(billingManager, awsId).getResponse().getStatus());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select count(*) from aws_accounts where account_id = ?").param(awsId).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from aws_sandbox_handshakes where target_account_id = ?").param(awsId).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void resendIsRateLimitedAndReplacesTheHandshake() throws Exception {
        MvcResult invited = invite(billingManager, randomAccountId());
        UUID id = accountId(invited);
        String first = read(invited, "$.account.invitation.handshakeId");
        assertThat(assertProblem(call(billingManager, POST, "/api/v1/aws/invitations/" + id + "/resend", null), 409)).containsExactly("status");
        clock.advance(Duration.ofMinutes(6));
        MvcResult resent = call(billingManager, POST, "/api/v1/aws/invitations/" + id + "/resend", null);
        String second = read(resent, "$.account.invitation.handshakeId");
        assertThat(second).isNotEqualTo(first);
        assertThat(jdbc.sql("select state from aws_sandbox_handshakes where id = ?").param(first).query(String.class).single()).isEqualTo("CANCELED");

        MvcResult canceled = call(billingManager, POST, "/api/v1/aws/invitations/" + id + "/cancel", null);
        assertThat((String) read(canceled, "$.account.status")).isEqualTo("CANCELED");
        assertThat(assertProblem(call(billingManager, POST, "/api/v1/aws/invitations/" + id + "/cancel", null), 409)).containsExactly("status");
    }

    @Test
    void unansweredInvitationsExpireAfterFifteenDaysAndTheSyncNoticesDeclines() throws Exception {
        UUID expiring = accountId(invite(billingManager, randomAccountId()));
        UUID declining = accountId(invite(billingManager, randomAccountId()));
        String handshake = read(call(billingManager, GET, "/api/v1/aws/invitations/" + declining, null), "$.account.invitation.handshakeId");
        call(billingManager, POST, "/api/v1/aws/accounts/" + declining + "/sandbox/decline", null);
        assertThat(status(billingManager, declining)).isEqualTo("INVITATION_DECLINED");
        assertThat(jdbc.sql("select state from aws_sandbox_handshakes where id = ?").param(handshake).query(String.class).single()).isEqualTo("DECLINED");

        clock.advance(Duration.ofDays(16));
        onboarding.synchronize();
        assertThat(status(billingManager, expiring)).isEqualTo("INVITATION_EXPIRED");
        List<String> kinds = read(call(billingManager, GET, "/api/v1/aws/accounts/" + expiring, null), "$.timeline[*].kind");
        assertThat(kinds).contains("invitation-expired");
    }

    @Test
    void readOnlyConnectionsAndNewAccounts() throws Exception {
        MvcResult readOnly = call(billingManager, POST, "/api/v1/aws/accounts", Map.of("connectionType", "READ_ONLY", "billingProfileId", profile.id(),
                "accountId", randomAccountId()));
        assertThat((String) read(readOnly, "$.account.status")).isEqualTo("AWAITING_ROLE");
        assertThat((String) read(readOnly, "$.payer")).isEqualTo("N/A");

        MvcResult noEmail = call(billingManager, POST, "/api/v1/aws/accounts", Map.of("connectionType", "CREATE", "billingProfileId", profile.id()));
        assertThat(assertProblem(noEmail, 400)).contains("rootEmail", "accountName");
        MvcResult created = call(billingManager, POST, "/api/v1/aws/accounts", Map.of("connectionType", "CREATE", "billingProfileId", profile.id(),
                "rootEmail", uniqueEmail("new account"), "accountName", "Data lake"));
        assertThat(created.getResponse().getStatus()).as(created.getResponse().getContentAsString()).isEqualTo(201);
        assertThat((String) read(created, "$.account.status")).isEqualTo("JOINED");
        assertThat((String) read(created, "$.account.accountId")).matches("[0-9]{12}");
    }

    @Test
    void theTemplateTrustsThePlatformWithTheCustomersExternalId() throws Exception {
        MvcResult setup = call(analyst, GET, "/api/v1/customers/" + customer.id() + "/cross-account-access?curBucket=acme-cur", null);
        String externalId = read(setup, "$.externalId");
        assertThat(externalId).startsWith("op-").hasSizeGreaterThanOrEqualTo(40);
        assertThat((String) read(call(analyst, GET, "/api/v1/customers/" + customer.id() + "/cross-account-access", null), "$.externalId"))
                .isEqualTo(externalId);
        MvcResult template = call(analyst, GET, "/api/v1/customers/" + customer.id() + "/cloudformation-template?curBucket=acme-cur", null);
        String yaml = template.getResponse().getContentAsString();
        assertThat(yaml).contains("AWS::IAM::Role", "sts:ExternalId", externalId, "acme-cur", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(template.getResponse().getHeader("Content-Disposition")).contains("attachment");
        assertThat(assertProblem(call(analyst, GET, "/api/v1/customers/" + customer.id() + "/cloudformation-template?curBucket=Not_A_Bucket", null), 400))
                .containsExactly("curBucket");
        assertThat(call(siblingAdmin, GET, "/api/v1/customers/" + customer.id() + "/cloudformation-template", null).getResponse().getStatus()).isEqualTo(404);
        Organization other = customer(reseller.id(), "Other customer");
        assertThat((String) read(call(resellerAdmin, GET, "/api/v1/customers/" + other.id() + "/cross-account-access", null), "$.externalId"))
                .isNotEqualTo(externalId);
    }
}
