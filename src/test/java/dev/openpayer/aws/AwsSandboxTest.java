package dev.openpayer.aws;

import static dev.openpayer.aws.SdkGatewayEmulatorTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.aws.AwsRefusal.Detail;
import dev.openpayer.aws.AwsRefusal.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The sandbox organisation on the real schema (H2 in PostgreSQL mode, migrated by Flyway). */
class AwsSandboxTest {
    static final String CUSTOMER = "210987654321";
    static final String ROLE = "arn:aws:iam::" + CUSTOMER + ":role/OpenPayerAccess";

    MovableClock clock = new MovableClock(Instant.parse("2026-11-01T09:00:00Z"));
    AwsSandbox sandbox;

    @BeforeEach
    void migrate() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:sandbox-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        sandbox = new AwsSandbox(JdbcClient.create(dataSource), clock, SandboxProperties.defaults());
    }

    @Test
    void theOrganisationIsLabelledSandbox() {
        OrganizationInfo info = sandbox.describeOrganization();

        assertThat(info.sandbox()).isTrue();
        assertThat(info.label()).isEqualTo("Sandbox");
        assertThat(info.managementAccountId()).isEqualTo("999999999999");
        assertThat(info.id()).matches("o-[a-z0-9]{10,32}");
    }

    @Test
    void anInvitationStaysOpenUntilTheOwnerAccepts() {
        Handshake invited = sandbox.inviteAccount(CUSTOMER, "Welcome", Map.of("customer", "acme"));

        assertThat(invited.id()).matches("h-[0-9a-z]{8,32}");
        assertThat(invited.state()).isEqualTo(Handshake.State.OPEN);
        assertThat(invited.targetAccountId()).isEqualTo(CUSTOMER);
        assertThat(invited.requestedAt()).isEqualTo(clock.instant());
        assertThat(invited.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(15)));
        assertRefused(() -> sandbox.describeAccount(CUSTOMER), Reason.ACCOUNT_NOT_FOUND);

        clock.advance(Duration.ofDays(3));
        assertThat(sandbox.describeHandshake(invited.id()).state()).isEqualTo(Handshake.State.OPEN);
        Handshake accepted = sandbox.acceptAsAccountOwner(invited.id());

        assertThat(accepted.state()).isEqualTo(Handshake.State.ACCEPTED);
        assertThat(sandbox.listHandshakesForOrganization()).containsExactly(accepted);
        AwsAccount account = sandbox.describeAccount(CUSTOMER);
        assertThat(account.state()).isEqualTo(AwsAccount.State.ACTIVE);
        assertThat(account.joinedMethod()).isEqualTo(AwsAccount.JoinedMethod.INVITED);
        assertThat(account.joinedAt()).isEqualTo(clock.instant());
        assertRefused(() -> sandbox.cancelHandshake(invited.id()), Reason.INVALID_HANDSHAKE_TRANSITION);
        assertRefused(() -> sandbox.acceptAsAccountOwner(invited.id()), Reason.HANDSHAKE_ALREADY_IN_STATE);
        assertRefused(() -> sandbox.decline(invited.id()), Reason.INVALID_HANDSHAKE_TRANSITION);

        AwsRefusal again = assertRefused(() -> sandbox.inviteAccount(CUSTOMER, null, null), Reason.ALREADY_IN_AN_ORGANIZATION);
        assertThat(again.detail()).isEqualTo(Detail.MEMBER_OF_THIS_ORGANIZATION);
    }

    @Test
    void declinedAndCancelledInvitationsAreClosed() {
        Handshake declined = sandbox.decline(sandbox.inviteAccount(CUSTOMER, null, null).id());
        assertThat(declined.state()).isEqualTo(Handshake.State.DECLINED);
        assertRefused(() -> sandbox.cancelHandshake(declined.id()), Reason.INVALID_HANDSHAKE_TRANSITION);

        Handshake resent = sandbox.inviteAccount(CUSTOMER, null, null);
        Handshake cancelled = sandbox.cancelHandshake(resent.id());
        assertThat(cancelled.state()).isEqualTo(Handshake.State.CANCELED);
        assertRefused(() -> sandbox.cancelHandshake(resent.id()), Reason.HANDSHAKE_ALREADY_IN_STATE);
        assertRefused(() -> sandbox.acceptAsAccountOwner(resent.id()), Reason.INVALID_HANDSHAKE_TRANSITION);
        assertRefused(() -> sandbox.describeHandshake("h-0000000000"), Reason.HANDSHAKE_NOT_FOUND);
        assertRefused(() -> sandbox.cancelHandshake("nonsense"), Reason.INVALID_INPUT);
    }

    @Test
    void anUnansweredInvitationExpiresAfterFifteenDaysAndDisappearsThirtyDaysLater() {
        Handshake invited = sandbox.inviteAccount(CUSTOMER, null, null);

        clock.advance(Duration.ofDays(15).minusSeconds(1));
        assertThat(sandbox.describeHandshake(invited.id()).state()).isEqualTo(Handshake.State.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sandbox.describeHandshake(invited.id()).state()).isEqualTo(Handshake.State.EXPIRED);
        assertRefused(() -> sandbox.acceptAsAccountOwner(invited.id()), Reason.INVALID_HANDSHAKE_TRANSITION);
        assertRefused(() -> sandbox.cancelHandshake(invited.id()), Reason.INVALID_HANDSHAKE_TRANSITION);

        Handshake second = sandbox.inviteAccount(CUSTOMER, null, null);
        assertThat(second.state()).as("an expired invitation no longer blocks a new one").isEqualTo(Handshake.State.OPEN);

        clock.advance(Duration.ofDays(30));
        assertThat(sandbox.listHandshakesForOrganization()).extracting(Handshake::id).containsExactly(invited.id(), second.id());
        clock.advance(Duration.ofSeconds(1));
        // the first expired 30 days and a second ago; the second expired 15 days ago and is still listed
        assertThat(sandbox.listHandshakesForOrganization()).extracting(Handshake::id, Handshake::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(second.id(), Handshake.State.EXPIRED));
        assertRefused(() -> sandbox.describeHandshake(invited.id()), Reason.HANDSHAKE_NOT_FOUND);
    }

    @Test
    void refusesLikeAws() {
        AwsRefusal self = assertRefused(() -> sandbox.inviteAccount("999999999999", null, null), Reason.SOURCE_AND_TARGET_CANNOT_MATCH);
        assertThat(self.awsErrorCode()).isEqualTo("HandshakeConstraintViolationException");

        AwsRefusal member = assertRefused(() -> sandbox.inviteAccount("111111111111", null, null), Reason.ALREADY_IN_AN_ORGANIZATION);
        assertThat(member.managementAccountWithMembers()).isFalse();
        assertThat(member.remedy()).isEqualTo(Reason.ALREADY_IN_AN_ORGANIZATION.remedy());

        AwsRefusal management = assertRefused(() -> sandbox.inviteAccount("222222222222", null, null), Reason.ALREADY_IN_AN_ORGANIZATION);
        assertThat(management.managementAccountWithMembers()).isTrue();
        assertThat(management.remedy()).contains("delete the organisation");

        sandbox.inviteAccount(CUSTOMER, null, null);
        AwsRefusal duplicate = assertRefused(() -> sandbox.inviteAccount(CUSTOMER, null, null), Reason.DUPLICATE_HANDSHAKE);
        assertThat(duplicate.awsErrorCode()).isEqualTo("DuplicateHandshakeException");

        assertRefused(() -> sandbox.inviteAccount("12345678901", null, null), Reason.INVALID_INPUT);
        assertRefused(() -> sandbox.inviteAccount(CUSTOMER + "0", null, null), Reason.INVALID_INPUT);
        assertRefused(() -> sandbox.inviteAccount("333333333333", "n".repeat(1025), null), Reason.INVALID_INPUT);
        assertRefused(() -> sandbox.inviteAccount("333333333333", null, Map.of("aws:internal", "x")), Reason.INVALID_INPUT);
        assertThat(sandbox.listHandshakesForOrganization()).hasSize(1);
    }

    @Test
    void resendCancelsThePendingInvitationAndSendsANewOne() {
        Handshake first = sandbox.inviteAccount(CUSTOMER, null, null);
        clock.advance(Duration.ofDays(2));

        Handshake resent = sandbox.resendInvitation(CUSTOMER, "Second try", Map.of());

        assertThat(resent.id()).isNotEqualTo(first.id());
        assertThat(resent.state()).isEqualTo(Handshake.State.OPEN);
        assertThat(resent.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(15)));
        assertThat(sandbox.describeHandshake(first.id()).state()).isEqualTo(Handshake.State.CANCELED);
        assertThat(sandbox.findPendingInvitation(CUSTOMER)).contains(resent);
        assertThat(sandbox.findPendingInvitation("333333333333")).isEmpty();
        assertThat(sandbox.resendInvitation("333333333333", null, null).state()).as("nothing to cancel").isEqualTo(Handshake.State.OPEN);
    }

    @Test
    void atMostTwentyInvitationsIn24Hours() {
        for (int i = 0; i < 20; i++) {
            sandbox.inviteAccount(String.format("4000000000%02d", i), null, null);
            clock.advance(Duration.ofMinutes(30));
        }
        // 20 invitations over the last 10 hours
        assertRefused(() -> sandbox.inviteAccount("500000000000", null, null), Reason.HANDSHAKE_RATE_LIMIT_EXCEEDED);

        clock.advance(Duration.ofHours(14));
        // the first invitation, sent 24 hours ago, left the window
        assertThat(sandbox.inviteAccount("500000000000", null, null).state()).isEqualTo(Handshake.State.OPEN);
        assertRefused(() -> sandbox.inviteAccount("500000000001", null, null), Reason.HANDSHAKE_RATE_LIMIT_EXCEEDED);
        assertThat(sandbox.listHandshakesForOrganization()).hasSize(21);
    }

    @Test
    void createsAccounts() {
        AccountCreation started = sandbox.createAccount("team@example.com", "Team account");
        assertThat(started.state()).isEqualTo(AccountCreation.State.IN_PROGRESS);
        assertThat(started.id()).matches("car-[a-z0-9]{8,32}");

        AccountCreation done = sandbox.describeCreateAccountStatus(started.id());
        assertThat(done.state()).isEqualTo(AccountCreation.State.SUCCEEDED);
        assertThat(done.completedAt()).isEqualTo(clock.instant());
        AwsAccount account = sandbox.describeAccount(done.accountId());
        assertThat(account.joinedMethod()).isEqualTo(AwsAccount.JoinedMethod.CREATED);
        assertThat(account.email()).isEqualTo("team@example.com");
        assertThat(sandbox.describeCreateAccountStatus(started.id())).isEqualTo(done);

        AccountCreation clash = sandbox.describeCreateAccountStatus(sandbox.createAccount("TEAM@example.com", "Again").id());
        assertThat(clash.state()).isEqualTo(AccountCreation.State.FAILED);
        assertThat(clash.failureReason()).isEqualTo("EMAIL_ALREADY_EXISTS");
        assertThat(clash.accountId()).isNull();

        assertRefused(() -> sandbox.createAccount("not-an-email", "X"), Reason.INVALID_INPUT);
        assertRefused(() -> sandbox.describeCreateAccountStatus("car-0000000000"), Reason.CREATE_ACCOUNT_STATUS_NOT_FOUND);
    }

    @Test
    void aRoleIsAssumableOnlyInAMemberAccountOnceDeployedWithTheMatchingExternalId() {
        sandbox.deployRole(ROLE, "op-ext-123");
        assertThat(sandbox.assumeRole(ROLE, "op-ext-123", "check").failure())
                .as("the account is not a member yet").isEqualTo(Reason.ACCESS_DENIED);

        sandbox.acceptAsAccountOwner(sandbox.inviteAccount(CUSTOMER, null, null).id());

        RoleAssumption assumed = sandbox.assumeRole(ROLE, "op-ext-123", "check");
        assertThat(assumed.assumed()).isTrue();
        assertThat(assumed.accountId()).isEqualTo(CUSTOMER);
        assertThat(assumed.assumedRoleArn()).isEqualTo("arn:aws:sts::" + CUSTOMER + ":assumed-role/OpenPayerAccess/check");
        assertThat(sandbox.assumeRole(ROLE, "op-ext-999", "check").failure()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(sandbox.assumeRole(ROLE, null, "check").failure()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(sandbox.assumeRole("arn:aws:iam::" + CUSTOMER + ":role/Other", "op-ext-123", "check").failure())
                .as("never deployed").isEqualTo(Reason.ACCESS_DENIED);
        assertThat(sandbox.assumeRole("arn:aws:iam::" + CUSTOMER + ":user/Bob", "op-ext-123", "check").failure())
                .isEqualTo(Reason.INVALID_INPUT);

        sandbox.deployRole(ROLE, null);
        assertThat(sandbox.assumeRole(ROLE, "anything", "check").assumed()).as("no external-ID condition").isTrue();
        assertThat(sandbox.assumeRole(ROLE, null, "check").assumed()).isTrue();

        sandbox.removeRole(ROLE);
        assertThat(sandbox.assumeRole(ROLE, null, "check").failure()).isEqualTo(Reason.ACCESS_DENIED);
    }

    @Test
    void theManagementAccountIsAMember() {
        assertThat(sandbox.describeAccount("999999999999").joinedMethod()).isEqualTo(AwsAccount.JoinedMethod.CREATED);
        sandbox.deployRole("arn:aws:iam::999999999999:role/path/OpenPayerPayer", "payer-ext");
        assertThat(sandbox.assumeRole("arn:aws:iam::999999999999:role/path/OpenPayerPayer", "payer-ext", "s1").assumedRoleArn())
                .isEqualTo("arn:aws:sts::999999999999:assumed-role/OpenPayerPayer/s1");
        assertThat(sandbox.listHandshakesForOrganization()).isEqualTo(List.of());
    }
}
