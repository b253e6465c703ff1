package dev.openpayer.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.openpayer.aws.AwsRefusal.Reason;
import dev.openpayer.aws.emulator.AwsEmulator;
import dev.openpayer.aws.emulator.AwsEmulator.Call;
import dev.openpayer.aws.emulator.AwsEmulator.Fault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Drives the real SDK clients through the real adapter against the in-process emulator. */
class SdkGatewayEmulatorTest {
    static final String PAYER = "123456789012";
    static final String CUSTOMER = "210987654321";
    static final String ROLE = "arn:aws:iam::" + CUSTOMER + ":role/OpenPayerAccess";
    static final AwsClientSettings FAST = new AwsClientSettings("standard", 3, Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));

    AwsEmulator emulator;
    AwsClientFactory factory;
    OrganizationsGateway organizations;
    StsGateway sts;

    @BeforeEach
    void start() {
        emulator = AwsEmulator.start(PAYER);
        factory = factory(FAST);
        PayerConnection payer = new PayerConnection(PAYER, "eu-west-1", emulator.endpoint(), null, null);
        organizations = factory.organizations(payer);
        sts = factory.sts(payer);
    }

    @AfterEach
    void stop() {
        factory.close();
        emulator.close();
    }

    static AwsClientFactory factory(AwsClientSettings settings) {
        return new AwsClientFactory(settings, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    }

    @Test
    void describesTheOrganizationSignedForUsEast1() {
        OrganizationInfo info = organizations.describeOrganization();

        assertThat(info.id()).isEqualTo(AwsEmulator.ORGANIZATION_ID);
        assertThat(info.managementAccountId()).isEqualTo(PAYER);
        assertThat(info.managementAccountEmail()).isEqualTo("payer@emulator.invalid");
        assertThat(info.featureSet()).isEqualTo("ALL");
        assertThat(info.sandbox()).isFalse();
        Call call = emulator.calls().getFirst();
        assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/us-east-1/organizations/aws4_request");
    }

    @Test
    void invitationIsAnOpenHandshakeWithNotesAndTags() {
        Handshake handshake = organizations.inviteAccount(CUSTOMER, "Welcome to consolidated billing", Map.of("customer", "acme"));

        assertThat(handshake.id()).matches("h-[0-9a-z]{8,32}");
        assertThat(handshake.arn()).endsWith("/invite/" + handshake.id());
        assertThat(handshake.state()).isEqualTo(Handshake.State.OPEN);
        assertThat(handshake.pending()).isTrue();
        assertThat(handshake.targetAccountId()).isEqualTo(CUSTOMER);
        assertThat(Duration.between(handshake.requestedAt(), handshake.expiresAt())).isEqualTo(Duration.ofDays(15));
        Map<String, Object> request = emulator.calls().getFirst().json();
        assertThat(request).containsEntry("Target", Map.of("Id", CUSTOMER, "Type", "ACCOUNT"))
                .containsEntry("Notes", "Welcome to consolidated billing")
                .containsEntry("Tags", List.of(Map.of("Key", "customer", "Value", "acme")));
        assertThat(organizations.describeHandshake(handshake.id())).isEqualTo(handshake);
    }

    @Test
    void invalidInputIsRefusedBeforeCallingAws() {
        assertRefused(() -> organizations.inviteAccount("12345", null, null), Reason.INVALID_INPUT);
        assertRefused(() -> organizations.inviteAccount(CUSTOMER, "x".repeat(1025), null), Reason.INVALID_INPUT);
        assertRefused(() -> organizations.inviteAccount(CUSTOMER, null, Map.of("k".repeat(129), "v")), Reason.INVALID_INPUT);
        assertRefused(() -> organizations.describeHandshake("handshake-1"), Reason.INVALID_INPUT);
        assertThat(emulator.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"ACCOUNT_NUMBER_LIMIT_EXCEEDED", "HANDSHAKE_RATE_LIMIT_EXCEEDED", "ALREADY_IN_AN_ORGANIZATION",
            "ORGANIZATION_ALREADY_HAS_ALL_FEATURES", "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
            "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES", "PAYMENT_INSTRUMENT_REQUIRED", "ORGANIZATION_FROM_DIFFERENT_SELLER_OF_RECORD",
            "ORGANIZATION_MEMBERSHIP_CHANGE_RATE_LIMIT_EXCEEDED", "MANAGEMENT_ACCOUNT_EMAIL_NOT_VERIFIED", "RESPONSIBILITY_TRANSFER_ALREADY_EXISTS",
            "SOURCE_AND_TARGET_CANNOT_MATCH", "UNUSED_PREPAYMENT_BALANCE", "LEGACY_PERMISSIONS_STILL_IN_USE"})
    void everyHandshakeConstraintReasonSurfaces(Reason reason) {
        emulator.refuseInvitationsOf(CUSTOMER, "HandshakeConstraintViolationException", reason.name());

        AwsRefusal refusal = assertRefused(() -> organizations.inviteAccount(CUSTOMER, null, null), reason);

        assertThat(refusal.awsErrorCode()).isEqualTo("HandshakeConstraintViolationException");
        assertThat(refusal.awsMessage()).contains("refused by the emulator");
        assertThat(emulator.calls("InviteAccountToOrganization")).as("refusals are not retried").isOne();
        assertThat(emulator.handshakeCount()).isZero();
    }

    static Stream<Arguments> errorTypes() {
        return Stream.of(
                Arguments.of("DuplicateHandshakeException", null, Reason.DUPLICATE_HANDSHAKE),
                Arguments.of("AccountOwnerNotVerifiedException", null, Reason.ACCOUNT_OWNER_NOT_VERIFIED),
                Arguments.of("AccessDeniedException", null, Reason.ACCESS_DENIED),
                Arguments.of("AWSOrganizationsNotInUseException", null, Reason.ORGANIZATIONS_NOT_IN_USE),
                Arguments.of("ConstraintViolationException", "ACCOUNT_NUMBER_LIMIT_EXCEEDED", Reason.CONSTRAINT_VIOLATION),
                Arguments.of("InvalidInputException", "INVALID_PARTY_TYPE_TARGET", Reason.INVALID_INPUT),
                Arguments.of("ConcurrentModificationException", null, Reason.CONCURRENT_MODIFICATION),
                Arguments.of("FinalizingOrganizationException", null, Reason.FINALIZING_ORGANIZATION),
                Arguments.of("HandshakeNotFoundException", null, Reason.HANDSHAKE_NOT_FOUND),
                Arguments.of("AccountNotFoundException", null, Reason.ACCOUNT_NOT_FOUND),
                Arguments.of("InvalidHandshakeTransitionException", null, Reason.INVALID_HANDSHAKE_TRANSITION),
                Arguments.of("HandshakeAlreadyInStateException", null, Reason.HANDSHAKE_ALREADY_IN_STATE),
                Arguments.of("MasterCannotLeaveOrganizationException", null, Reason.MASTER_CANNOT_LEAVE_ORGANIZATION),
                Arguments.of("SomethingNewException", null, Reason.SERVICE_ERROR));
    }

    @ParameterizedTest
    @MethodSource("errorTypes")
    void everyErrorTypeSurfaces(String type, String awsReason, Reason expected) {
        emulator.failNext(1, new Fault(null, 400, type, awsReason, "emulated " + type));

        AwsRefusal refusal = assertRefused(() -> organizations.inviteAccount(CUSTOMER, null, null), expected);

        assertThat(refusal.awsErrorCode()).isEqualTo(type);
        if (awsReason != null) {
            assertThat(refusal.awsMessage()).contains(awsReason);
        }
    }

    @Test
    void theEmulatedOrganizationRefusesLikeAws() {
        assertRefused(() -> organizations.inviteAccount(PAYER, null, null), Reason.SOURCE_AND_TARGET_CANNOT_MATCH);
        Handshake first = organizations.inviteAccount(CUSTOMER, null, null);
        assertRefused(() -> organizations.inviteAccount(CUSTOMER, null, null), Reason.DUPLICATE_HANDSHAKE);
        emulator.accept(first.id());
        assertThat(organizations.describeHandshake(first.id()).state()).isEqualTo(Handshake.State.ACCEPTED);
        assertRefused(() -> organizations.cancelHandshake(first.id()), Reason.INVALID_HANDSHAKE_TRANSITION);
        assertRefused(() -> organizations.inviteAccount(CUSTOMER, null, null), Reason.ALREADY_IN_AN_ORGANIZATION);
        assertRefused(() -> organizations.describeHandshake("h-0000000000"), Reason.HANDSHAKE_NOT_FOUND);

        Handshake other = organizations.inviteAccount("333333333333", null, null);
        assertThat(organizations.cancelHandshake(other.id()).state()).isEqualTo(Handshake.State.CANCELED);
        assertRefused(() -> organizations.cancelHandshake(other.id()), Reason.HANDSHAKE_ALREADY_IN_STATE);
    }

    @Test
    void resendCancelsAPendingInvitationFoundInTheListing() {
        Handshake first = organizations.inviteAccount(CUSTOMER, null, null);
        organizations.inviteAccount("333333333333", null, null);

        Handshake resent = organizations.resendInvitation(CUSTOMER, "again", null);

        assertThat(resent.id()).isNotEqualTo(first.id());
        assertThat(organizations.describeHandshake(first.id()).state()).isEqualTo(Handshake.State.CANCELED);
        assertThat(emulator.calls()).extracting(Call::operation).containsSubsequence("ListHandshakesForOrganization", "CancelHandshake",
                "InviteAccountToOrganization");
        assertThat(emulator.handshakeCount()).isEqualTo(3);
    }

    @Test
    void throttlingIsRetriedByTheSdkAndConverges() {
        emulator.throttleNext(2, "InviteAccountToOrganization");

        Handshake handshake = organizations.inviteAccount(CUSTOMER, null, null);

        assertThat(handshake.state()).isEqualTo(Handshake.State.OPEN);
        assertThat(emulator.calls("InviteAccountToOrganization")).isEqualTo(3);
        assertThat(emulator.handshakeCount()).isOne();
    }

    @Test
    void serverErrorsAreRetriedByTheSdkAndConverge() {
        emulator.serverErrorNext(2, "InviteAccountToOrganization");

        Handshake handshake = organizations.inviteAccount(CUSTOMER, null, null);

        assertThat(handshake.state()).isEqualTo(Handshake.State.OPEN);
        assertThat(emulator.calls("InviteAccountToOrganization")).isEqualTo(3);
        assertThat(emulator.handshakeCount()).isOne();
    }

    @Test
    void persistentThrottlingEndsAsTooManyRequestsAfterEveryAttempt() {
        emulator.throttleNext(3, null);

        assertRefused(() -> organizations.inviteAccount(CUSTOMER, null, null), Reason.TOO_MANY_REQUESTS);

        assertThat(emulator.calls("InviteAccountToOrganization")).isEqualTo(FAST.maxAttempts());
        assertThat(emulator.handshakeCount()).isZero();
    }

    @Test
    void persistentServerErrorsEndAsServiceError() {
        emulator.serverErrorNext(3, null);

        assertRefused(() -> organizations.describeOrganization(), Reason.SERVICE_ERROR);

        assertThat(emulator.calls("DescribeOrganization")).isEqualTo(3);
    }

    @Test
    void anAttemptThatTimesOutIsRetried() {
        try (AwsClientFactory impatient = factory(new AwsClientSettings("standard", 3, Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(5)))) {
            emulator.delayNext(1, Duration.ofSeconds(5));

            OrganizationInfo info = impatient.organizations(new PayerConnection(PAYER, null, emulator.endpoint(), null, null)).describeOrganization();

            assertThat(info.managementAccountId()).isEqualTo(PAYER);
            assertThat(emulator.calls("DescribeOrganization")).isEqualTo(2);
        }
    }

    @Test
    void aCallThatNeverAnswersIsUnreachable() {
        try (AwsClientFactory impatient = factory(new AwsClientSettings("adaptive", 2, Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5)))) {
            emulator.delayNext(5, Duration.ofSeconds(5));

            AwsRefusal refusal = assertRefused(
                    () -> impatient.organizations(new PayerConnection(PAYER, null, emulator.endpoint(), null, null)).describeOrganization(),
                    Reason.UNREACHABLE);

            assertThat(refusal.awsErrorCode()).isNull();
        }
    }

    @Test
    void aClosedPortIsUnreachable() {
        URI closed = emulator.endpoint();
        emulator.close();

        assertRefused(() -> factory.organizations(new PayerConnection(PAYER, null, closed, null, null)).describeOrganization(),
                Reason.UNREACHABLE);
    }

    @Test
    void listFollowsEveryPageIncludingEmptyOnes() {
        for (int i = 0; i < 7; i++) {
            organizations.inviteAccount("30000000000" + i, null, null);
        }
        emulator.pageSize(2);
        emulator.emptyPagesBetween(true);

        List<Handshake> all = organizations.listHandshakesForOrganization();

        assertThat(all).hasSize(7).extracting(Handshake::targetAccountId)
                .containsExactly("300000000000", "300000000001", "300000000002", "300000000003", "300000000004", "300000000005",
                        "300000000006");
        // 4 pages of handshakes and 3 empty pages between them
        assertThat(emulator.calls("ListHandshakesForOrganization")).isEqualTo(7);
        List<Call> lists = emulator.calls().stream().filter(c -> c.operation().equals("ListHandshakesForOrganization")).toList();
        assertThat(lists.getFirst().json()).containsEntry("Filter", Map.of("ActionType", "INVITE")).doesNotContainKey("NextToken");
        assertThat(lists.get(1).json()).containsEntry("NextToken", "t2e");
        assertThat(lists.get(2).json()).containsEntry("NextToken", "t2");
    }

    @Test
    void listOfAnEmptyOrganizationIsOneCall() {
        assertThat(organizations.listHandshakesForOrganization()).isEmpty();
        assertThat(emulator.calls("ListHandshakesForOrganization")).isOne();
    }

    @Test
    void describesAccountsAndCreatesThem() {
        AccountCreation started = organizations.createAccount("new@example.com", "New account");
        assertThat(started.id()).matches("car-[a-z0-9]{8,32}");
        assertThat(started.state()).isEqualTo(AccountCreation.State.IN_PROGRESS);
        assertThat(started.requestedAt()).isNotNull();

        AccountCreation done = organizations.describeCreateAccountStatus(started.id());
        assertThat(done.state()).isEqualTo(AccountCreation.State.SUCCEEDED);
        assertThat(done.accountId()).matches("\\d{12}");
        assertThat(done.completedAt()).isNotNull();

        AwsAccount account = organizations.describeAccount(done.accountId());
        assertThat(account.email()).isEqualTo("new@example.com");
        assertThat(account.name()).isEqualTo("New account");
        assertThat(account.state()).isEqualTo(AwsAccount.State.ACTIVE);
        assertThat(account.joinedMethod()).isEqualTo(AwsAccount.JoinedMethod.CREATED);
        assertThat(account.joinedAt()).isNotNull();
        assertThat(account.arn()).endsWith("/" + done.accountId());

        assertRefused(() -> organizations.describeAccount("444444444444"), Reason.ACCOUNT_NOT_FOUND);
        assertRefused(() -> organizations.describeCreateAccountStatus("car-0000000000"), Reason.CREATE_ACCOUNT_STATUS_NOT_FOUND);
    }

    @Test
    void assumeRoleWithTheRightExternalIdSucceeds() {
        emulator.role(ROLE, "op-ext-7f3a9c");

        RoleAssumption result = sts.assumeRole(ROLE, "op-ext-7f3a9c", "openpayer-check");

        assertThat(result.assumed()).isTrue();
        assertThat(result.accountId()).isEqualTo(CUSTOMER);
        assertThat(result.assumedRoleArn()).isEqualTo("arn:aws:sts::" + CUSTOMER + ":assumed-role/OpenPayerAccess/openpayer-check");
        Call call = emulator.calls().getFirst();
        assertThat(call.form()).containsEntry("Action", "AssumeRole").containsEntry("Version", "2011-06-15")
                .containsEntry("RoleArn", ROLE).containsEntry("ExternalId", "op-ext-7f3a9c").containsEntry("DurationSeconds", "900");
        assertThat(call.authorization()).contains("/eu-west-1/sts/aws4_request");
    }

    @Test
    void assumeRoleWithAWrongOrMissingExternalIdIsAccessDenied() {
        emulator.role(ROLE, "op-ext-7f3a9c");

        RoleAssumption wrong = sts.assumeRole(ROLE, "op-ext-other", "openpayer-check");
        RoleAssumption missing = sts.assumeRole(ROLE, null, "openpayer-check");
        RoleAssumption unknownRole = sts.assumeRole("arn:aws:iam::" + CUSTOMER + ":role/Other", "op-ext-7f3a9c", "openpayer-check");

        for (RoleAssumption refused : List.of(wrong, missing, unknownRole)) {
            assertThat(refused.assumed()).isFalse();
            assertThat(refused.failure()).isEqualTo(Reason.ACCESS_DENIED);
            assertThat(refused.failureMessage()).contains("not authorized to perform: sts:AssumeRole");
        }
        assertThat(emulator.calls().get(1).form()).doesNotContainKey("ExternalId");
        assertThat(emulator.calls("AssumeRole")).as("access denied is not retried").isEqualTo(3);
    }

    @Test
    void stsThrottlingIsRetriedAndPersistentThrottlingIsClassified() {
        emulator.role(ROLE, "op-ext-7f3a9c");
        emulator.failNext(1, new Fault("AssumeRole", 400, "Throttling", null, "Rate exceeded"));

        assertThat(sts.assumeRole(ROLE, "op-ext-7f3a9c", "openpayer-check").assumed()).isTrue();
        assertThat(emulator.calls("AssumeRole")).isEqualTo(2);

        emulator.failNext(3, new Fault("AssumeRole", 400, "Throttling", null, "Rate exceeded"));
        RoleAssumption throttled = sts.assumeRole(ROLE, "op-ext-7f3a9c", "openpayer-check");
        assertThat(throttled.failure()).isEqualTo(Reason.TOO_MANY_REQUESTS);
        assertThat(throttled.failure().transientFailure()).isTrue();
        assertThat(emulator.calls("AssumeRole")).isEqualTo(5);
    }

    @Test
    void malformedRoleArnIsInvalidInputWithoutCallingSts() {
        RoleAssumption result = sts.assumeRole("arn:aws:iam::12345:role/X", "op-ext-7f3a9c", "openpayer-check");

        assertThat(result.failure()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(sts.assumeRole(ROLE, "x", "openpayer-check").failure()).as("external ID too short").isEqualTo(Reason.INVALID_INPUT);
        assertThat(sts.assumeRole(ROLE, null, "a b").failure()).as("session name").isEqualTo(Reason.INVALID_INPUT);
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void aPayerRoleIsAssumedWithItsExternalIdBeforeCallingOrganizations() {
        String payerRole = "arn:aws:iam::" + PAYER + ":role/OpenPayerPayer";
        emulator.role(payerRole, "payer-ext-1");

        OrganizationsGateway viaRole = factory.organizations(new PayerConnection(PAYER, null, emulator.endpoint(), payerRole, "payer-ext-1"));
        viaRole.describeOrganization();
        viaRole.describeOrganization();

        List<Call> calls = emulator.calls();
        assertThat(calls).extracting(Call::operation).containsExactly("AssumeRole", "DescribeOrganization", "DescribeOrganization");
        assertThat(calls.getFirst().form()).containsEntry("RoleArn", payerRole).containsEntry("ExternalId", "payer-ext-1");
        assertThat(calls.getFirst().authorization()).contains("Credential=AKIDEXAMPLE/");
        String sessionKey = emulator.issuedAccessKeys().iterator().next();
        assertThat(calls.get(1).authorization()).contains("Credential=" + sessionKey + "/");
        assertThat(calls.get(1).securityToken()).isNotBlank();
    }

    @Test
    void aPayerRoleWithTheWrongExternalIdIsAccessDenied() {
        String payerRole = "arn:aws:iam::" + PAYER + ":role/OpenPayerPayer";
        emulator.role(payerRole, "payer-ext-1");

        OrganizationsGateway viaRole = factory.organizations(new PayerConnection(PAYER, null, emulator.endpoint(), payerRole, "wrong-ext"));

        assertRefused(viaRole::describeOrganization, Reason.ACCESS_DENIED);
        assertThat(emulator.calls("DescribeOrganization")).isZero();
    }

    @Test
    void organizationsIsSignedInThePartitionsHomeRegion() {
        assertThat(AwsClientFactory.organizationsRegion(new PayerConnection(PAYER, "eu-central-1", null, null, null)).id()).isEqualTo("us-east-1");
        assertThat(AwsClientFactory.organizationsRegion(new PayerConnection(PAYER, null, null, null, null)).id()).isEqualTo("us-east-1");
        assertThat(AwsClientFactory.organizationsRegion(new PayerConnection(PAYER, "cn-north-1", null, null, null)).id()).isEqualTo("cn-northwest-1");
        assertThat(AwsClientFactory.organizationsRegion(new PayerConnection(PAYER, "us-gov-east-1", null, null, null)).id()).isEqualTo("us-gov-west-1");
        assertThat(new PayerConnection(PAYER, null, null, "arn:aws:iam::" + PAYER + ":role/R", "secret-ext").toString()).doesNotContain("secret-ext");
    }

    @Test
    void aPayerWithAMalformedAccountOrRoleIsInvalidInput() {
        assertThatThrownBy(() -> factory.organizations(new PayerConnection("1", null, null, null, null)))
                .isInstanceOfSatisfying(AwsRefusal.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_INPUT));
        assertThatThrownBy(() -> factory.organizations(new PayerConnection(PAYER, null, null, "arn:aws:iam::1:role/R", null)))
                .isInstanceOfSatisfying(AwsRefusal.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_INPUT));
    }

    static AwsRefusal assertRefused(Runnable call, Reason reason) {
        AwsRefusal refusal = catchThrowableOfType(AwsRefusal.class, call::run);
        assertThat(refusal).as("expected a refusal " + reason).isNotNull();
        assertThat(refusal.reason()).as(refusal.getMessage()).isEqualTo(reason);
        return refusal;
    }
}
