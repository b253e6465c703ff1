package dev.openpayer.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.openpayer.aws.emulator.AwsEmulator;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import dev.openpayer.testsupport.OpenPayerTest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The onboarding flow with a registered payer whose endpoint is an AWS-protocol emulator: the real SDK
 * clients speak Organizations JSON 1.1 and STS Query over HTTP, with throttling and refusals injected.
 */
@OpenPayerTest
@TestPropertySource(properties = {"openpayer.aws.mode=aws", "openpayer.aws.client.max-attempts=4", "openpayer.aws.client.api-call-attempt-timeout=5s"})
class OnboardingAgainstAwsProtocolTest extends ApiTestSupport {
    static final String PAYER = "555555555555";
    static AwsEmulator emulator;

    @Autowired Contracts contracts;
    @Autowired AccountOnboarding onboarding;

    Organization customer;
    BillingProfile profile;
    TestUser billingManager;
    TestUser topAdmin;
    UUID payerId;

    @BeforeAll
    static void startEmulator() {
        System.setProperty("aws.accessKeyId", "AKIDOPENPAYERTEST");
        System.setProperty("aws.secretAccessKey", "emulator-secret");
        emulator = AwsEmulator.start(PAYER);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void tree() throws Exception {
        Organization reseller = reseller("Protocol reseller");
        customer = customer(reseller.id(), "Protocol customer");
        contracts.create(topAdmin(), reseller.id(), customer.id(),
                new Contracts.Details(null, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), null, ContractStatus.ACTIVE));
        billingManager = user(reseller.id(), Role.BILLING_MANAGER, "protocol billing manager");
        profile = profile(customer.id(), "Protocol profile", billingManager.id());
        topAdmin = topAdminUser();
        MvcResult payers = call(topAdmin, GET, "/api/v1/aws/payers", null);
        java.util.List<String> existing = read(payers, "$[?(@.accountId == '" + PAYER + "')].id");
        if (existing.isEmpty()) {
            MvcResult registered = call(topAdmin, POST, "/api/v1/aws/payers", Map.of("accountId", PAYER, "name", "Emulated payer",
                    "region", "eu-west-1", "endpointOverride", emulator.endpoint().toString()));
            assertThat(registered.getResponse().getStatus()).as(registered.getResponse().getContentAsString()).isEqualTo(201);
            payerId = id(registered);
        } else {
            payerId = UUID.fromString(existing.getFirst());
        }
        call(topAdmin, PUT, "/api/v1/aws/payers/" + payerId, Map.of("accountId", PAYER, "name", "Emulated payer", "region", "eu-west-1",
                "endpointOverride", emulator.endpoint().toString(), "resellerIds", java.util.List.of(reseller.id())));
    }

    @Test
    void payerEligibilityRefusesDemoTenantsAndOtherCountries() throws Exception {
        tenancy.markDemo(customer.id());
        MvcResult demo = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId",
                OnboardingApiTest.randomAccountId()));
        assertThat(assertProblem(demo, 409)).containsExactly("payerId");
        assertThat((String) read(demo, "$.detail")).contains("demo");

        Organization reseller = tenancy.find(customer.parentId()).orElseThrow();
        Organization other = customer(reseller.id(), "Protocol customer FR");
        contracts.create(topAdmin(), reseller.id(), other.id(),
                new Contracts.Details(null, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), null, ContractStatus.ACTIVE));
        BillingProfile french = billingProfiles.create(topAdmin(), other.id(), new BillingProfile.Details(unique("FR"), "Client SAS", "1 rue de Rivoli",
                null, "Paris", "75001", null, "FR", "EUR", 30, java.util.List.of("compta@example.test")));
        billingProfiles.assign(topAdmin(), french.id(), java.util.List.of(billingManager.id()));
        call(topAdmin, PUT, "/api/v1/aws/payers/" + payerId, Map.of("accountId", PAYER, "name", "Emulated payer", "region", "eu-west-1",
                "endpointOverride", emulator.endpoint().toString(), "resellerIds", java.util.List.of(reseller.id()), "allowedCountries", java.util.List.of("DE")));
        MvcResult country = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", french.id(), "accountId",
                OnboardingApiTest.randomAccountId()));
        assertThat(assertProblem(country, 409)).containsExactly("payerId");
        assertThat((String) read(country, "$.detail")).contains("DE").contains("FR");
    }

    @Test
    void testConnectionShowsTheOrganisation() throws Exception {
        MvcResult tested = call(topAdmin, POST, "/api/v1/aws/payers/" + payerId + "/test", null);
        assertThat((Boolean) read(tested, "$.lastTest.ok")).as(tested.getResponse().getContentAsString()).isTrue();
        assertThat((String) read(tested, "$.lastTest.organizationId")).startsWith("o-");
        assertThat((String) read(tested, "$.lastTest.featureSet")).isNotBlank();
        assertThat(call(billingManager, POST, "/api/v1/aws/payers/" + payerId + "/test", null).getResponse().getStatus()).isEqualTo(403);
    }

    @Test
    void throttledInvitationsConvergeOnOneHandshakeAndTheAccountConnects() throws Exception {
        String awsId = OnboardingApiTest.randomAccountId();
        int before = emulator.handshakeCount();
        emulator.throttleNext(2, "InviteAccountToOrganization");
        MvcResult invited = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", awsId));
        assertThat(invited.getResponse().getStatus()).as(invited.getResponse().getContentAsString()).isEqualTo(201);
        assertThat((String) read(invited, "$.account.status")).isEqualTo("INVITED");
        assertThat((String) read(invited, "$.payer")).isEqualTo("Emulated payer (" + PAYER + ")");
        assertThat(emulator.handshakeCount()).isEqualTo(before + 1);
        UUID id = UUID.fromString(read(invited, "$.account.id"));

        emulator.accept(read(invited, "$.account.invitation.handshakeId"));
        emulator.serverErrorNext(1, "ListHandshakesForOrganization");
        onboarding.synchronize();
        MvcResult joined = call(billingManager, GET, "/api/v1/aws/accounts/" + id, null);
        assertThat((String) read(joined, "$.account.status")).isEqualTo("JOINED");
        assertThat((String) read(joined, "$.account.membership.joinedAt")).isNotBlank();

        String roleArn = "arn:aws:iam::" + awsId + ":role/OpenPayerReadOnly";
        String externalId = read(call(billingManager, GET, "/api/v1/customers/" + customer.id() + "/cross-account-access", null), "$.externalId");
        emulator.role(roleArn, externalId);
        MvcResult connected = call(billingManager, PUT, "/api/v1/aws/accounts/" + id + "/role", Map.of("roleArn", roleArn));
        assertThat((String) read(connected, "$.account.status")).as(connected.getResponse().getContentAsString()).isEqualTo("CONNECTED");
        assertThat((String) read(connected, "$.account.health.status")).isEqualTo("HEALTHY");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> refusals() {
        java.util.List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
        for (dev.openpayer.aws.AwsRefusal.Reason reason : dev.openpayer.aws.AwsRefusal.Reason.values()) {
            if (dev.openpayer.aws.AwsRefusal.Reason.ofHandshakeConstraint(reason.name()).isPresent()) {
                cases.add(org.junit.jupiter.params.provider.Arguments.of("HandshakeConstraintViolationException", reason.name(), reason));
            }
        }
        cases.add(org.junit.jupiter.params.provider.Arguments.of("DuplicateHandshakeException", null, dev.openpayer.aws.AwsRefusal.Reason.DUPLICATE_HANDSHAKE));
        cases.add(org.junit.jupiter.params.provider.Arguments.of("AccountOwnerNotVerifiedException", null, dev.openpayer.aws.AwsRefusal.Reason.ACCOUNT_OWNER_NOT_VERIFIED));
        cases.add(org.junit.jupiter.params.provider.Arguments.of("AccessDeniedException", null, dev.openpayer.aws.AwsRefusal.Reason.ACCESS_DENIED));
        cases.add(org.junit.jupiter.params.provider.Arguments.of("AWSOrganizationsNotInUseException", null, dev.openpayer.aws.AwsRefusal.Reason.ORGANIZATIONS_NOT_IN_USE));
        cases.add(org.junit.jupiter.params.provider.Arguments.of("ConstraintViolationException", "ACCOUNT_NUMBER_LIMIT_EXCEEDED", dev.openpayer.aws.AwsRefusal.Reason.CONSTRAINT_VIOLATION));
        cases.add(org.junit.jupiter.params.provider.Arguments.of("FinalizingOrganizationException", null, dev.openpayer.aws.AwsRefusal.Reason.FINALIZING_ORGANIZATION));
        return cases.stream();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("refusals")
    void eachAwsRefusalShowsItsOwnMessage(String type, String reason, dev.openpayer.aws.AwsRefusal.Reason expected) throws Exception {
        String awsId = OnboardingApiTest.randomAccountId();
        emulator.refuseInvitationsOf(awsId, type, reason);
        MvcResult refused = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", awsId));
        assertThat((String) read(refused, "$.account.status")).as(refused.getResponse().getContentAsString()).isEqualTo("REFUSED");
        assertThat((String) read(refused, "$.account.refusal.code")).isEqualTo(expected.name());
        assertThat((String) read(refused, "$.account.refusal.title")).isEqualTo(expected.title());
        assertThat((String) read(refused, "$.account.refusal.remedy")).isNotBlank();
        assertThat((String) read(refused, "$.account.refusal.awsMessage")).contains(awsId);
    }

    @Test
    void everyRefusalReachesTheUserWithItsRemedy() throws Exception {
        String limit = OnboardingApiTest.randomAccountId();
        emulator.refuseInvitationsOf(limit, "HandshakeConstraintViolationException", "ACCOUNT_NUMBER_LIMIT_EXCEEDED");
        MvcResult refused = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", limit));
        assertThat((String) read(refused, "$.account.status")).isEqualTo("REFUSED");
        assertThat((String) read(refused, "$.account.refusal.code")).isEqualTo("ACCOUNT_NUMBER_LIMIT_EXCEEDED");
        assertThat((String) read(refused, "$.account.refusal.remedy")).contains("quota");

        String unverified = OnboardingApiTest.randomAccountId();
        emulator.refuseInvitationsOf(unverified, "AccountOwnerNotVerifiedException", null);
        assertThat((String) read(call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", unverified)),
                "$.account.refusal.code")).isEqualTo("ACCOUNT_OWNER_NOT_VERIFIED");

        String duplicate = OnboardingApiTest.randomAccountId();
        emulator.refuseInvitationsOf(duplicate, "DuplicateHandshakeException", null);
        MvcResult dup = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", duplicate));
        assertThat((String) read(dup, "$.account.refusal.code")).isEqualTo("DUPLICATE_HANDSHAKE");
        assertThat((String) read(dup, "$.account.refusal.remedy")).containsIgnoringCase("resend");

        String throttled = OnboardingApiTest.randomAccountId();
        emulator.throttleNext(10, "InviteAccountToOrganization");
        MvcResult gaveUp = call(billingManager, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", throttled));
        assertThat((String) read(gaveUp, "$.account.refusal.code")).isEqualTo("TOO_MANY_REQUESTS");
        emulator.failNext(0, null);
    }
}
