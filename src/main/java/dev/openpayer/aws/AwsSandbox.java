package dev.openpayer.aws;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.aws.AwsRefusal.Detail;
import dev.openpayer.aws.AwsRefusal.Reason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A simulated AWS Organizations payer, labelled "Sandbox", kept in the database so that it survives restarts.
 * It answers like AWS, refusals included, but nothing ever leaves the application.
 *
 * <h2>Organizations</h2>
 * <ul>
 *   <li>Invitations are OPEN until {@link #acceptAsAccountOwner(String)} or {@link #decline(String)} plays the
 *       account owner's part, {@link #cancelHandshake(String)} cancels them, or 15 days pass on the injected
 *       {@link Clock} (then EXPIRED). Closed handshakes stay visible for 30 days, like in AWS.</li>
 *   <li>Refusals: inviting the sandbox's own management account → SOURCE_AND_TARGET_CANNOT_MATCH; an account of
 *       {@code openpayer.sandbox.accounts-in-organization} → ALREADY_IN_AN_ORGANIZATION; an account of
 *       {@code openpayer.sandbox.management-accounts-with-members} → ALREADY_IN_AN_ORGANIZATION with detail
 *       MANAGEMENT_ACCOUNT_WITH_MEMBERS; an account that already joined → ALREADY_IN_AN_ORGANIZATION with detail
 *       MEMBER_OF_THIS_ORGANIZATION; a second invitation while one is pending → DUPLICATE_HANDSHAKE; more than
 *       {@code openpayer.sandbox.invitations-per-day} (20) invitations in 24 hours → HANDSHAKE_RATE_LIMIT_EXCEEDED;
 *       cancelling or answering a closed handshake → INVALID_HANDSHAKE_TRANSITION, or HANDSHAKE_ALREADY_IN_STATE
 *       when it already is in the requested state.</li>
 *   <li>{@code CreateAccount} answers IN_PROGRESS; the first {@code DescribeCreateAccountStatus} completes it
 *       (SUCCEEDED with a new account ID, or FAILED with EMAIL_ALREADY_EXISTS when a member already uses the email).</li>
 * </ul>
 *
 * <h2>STS</h2>
 * A role ARN is assumable when all of these hold:
 * <ol>
 *   <li>the ARN is well-formed and its account is a member of the sandbox organisation (joined by accepting an
 *       invitation, created, or the management account itself);</li>
 *   <li>the role was deployed with {@link #deployRole(String, String)} — the sandbox's stand-in for the customer
 *       creating the role (for example with OpenPayer's CloudFormation stack);</li>
 *   <li>when the role was deployed with an external ID, the caller passes exactly that external ID. A role deployed
 *       without one accepts any external ID, as AWS does when the trust policy has no {@code sts:ExternalId}
 *       condition.</li>
 * </ol>
 * Anything else is ACCESS_DENIED, as in AWS, which does not say which condition failed.
 */
@Component
public class AwsSandbox implements OrganizationsGateway, StsGateway {
    public static final String ORGANIZATION_ID = "o-sandbox00001";
    static final Duration HANDSHAKE_VALIDITY = Duration.ofDays(15);
    static final Duration CLOSED_VISIBILITY = Duration.ofDays(30);
    static final Duration RATE_WINDOW = Duration.ofHours(24);

    private static final String HANDSHAKE_COLUMNS = "id, target_account_id, state, requested_at, expires_at, updated_at";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SandboxProperties properties;

    AwsSandbox(JdbcClient jdbc, Clock clock, SandboxProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    public String managementAccountId() {
        return properties.managementAccountId();
    }

    @Override
    public OrganizationInfo describeOrganization() {
        return new OrganizationInfo(ORGANIZATION_ID, "arn:aws:organizations::" + managementAccountId() + ":organization/" + ORGANIZATION_ID,
                "ALL", managementAccountId(), properties.managementAccountEmail(), true);
    }

    @Override
    @Transactional
    public synchronized Handshake inviteAccount(String accountId, String notes, Map<String, String> tags) {
        String target = AwsInputs.accountId(accountId);
        String cleanNotes = AwsInputs.notes(notes);
        Map<String, String> cleanTags = AwsInputs.tags(tags);
        Instant now = clock.instant();
        expireDue(now);
        if (target.equals(managementAccountId())) {
            throw constraint(Reason.SOURCE_AND_TARGET_CANNOT_MATCH, Detail.NONE, "the sandbox management account cannot invite itself");
        }
        if (member(target).isPresent()) {
            throw constraint(Reason.ALREADY_IN_AN_ORGANIZATION, Detail.MEMBER_OF_THIS_ORGANIZATION,
                    "account " + target + " is already a member of the sandbox organisation");
        }
        if (properties.managementAccountsWithMembers().contains(target)) {
            throw constraint(Reason.ALREADY_IN_AN_ORGANIZATION, Detail.MANAGEMENT_ACCOUNT_WITH_MEMBERS,
                    "account " + target + " is the management account of an organisation that has member accounts");
        }
        if (properties.accountsInOrganization().contains(target)) {
            throw constraint(Reason.ALREADY_IN_AN_ORGANIZATION, Detail.NONE, "account " + target + " is a member of another organisation");
        }
        long pending = jdbc.sql("select count(*) from aws_sandbox_handshakes where target_account_id = ? and state in ('REQUESTED', 'OPEN')")
                .param(target)
                .query(Long.class)
                .single();
        if (pending > 0) {
            throw duplicate(target);
        }
        long recent = jdbc.sql("select count(*) from aws_sandbox_handshakes where requested_at > ?")
                .param(toDb(now.minus(RATE_WINDOW)))
                .query(Long.class)
                .single();
        if (recent >= properties.invitationsPerDay()) {
            throw constraint(Reason.HANDSHAKE_RATE_LIMIT_EXCEEDED, Detail.NONE,
                    recent + " invitations were sent in the last 24 hours; the limit is " + properties.invitationsPerDay());
        }
        String id = "h-" + randomLowerAlphanumeric(12);
        try {
            jdbc.sql("insert into aws_sandbox_handshakes (id, target_account_id, pending_target, state, notes, requested_at, expires_at, updated_at)"
                            + " values (?, ?, ?, 'OPEN', ?, ?, ?, ?)")
                    .params(id, target, target, cleanNotes, toDb(now), toDb(now.plus(HANDSHAKE_VALIDITY)), toDb(now))
                    .update();
        } catch (DuplicateKeyException concurrent) {
            throw duplicate(target);
        }
        cleanTags.forEach((key, value) -> jdbc.sql("insert into aws_sandbox_handshake_tags (handshake_id, tag_key, tag_value) values (?, ?, ?)")
                .params(id, key, value)
                .update());
        return find(id).orElseThrow();
    }

    @Override
    @Transactional
    public Handshake describeHandshake(String handshakeId) {
        String id = AwsInputs.handshakeId(handshakeId);
        expireDue(clock.instant());
        return visible(id);
    }

    @Override
    @Transactional
    public List<Handshake> listHandshakesForOrganization() {
        Instant now = clock.instant();
        expireDue(now);
        return jdbc.sql("select " + HANDSHAKE_COLUMNS + " from aws_sandbox_handshakes"
                        + " where state in ('REQUESTED', 'OPEN') or updated_at >= ? order by requested_at, id")
                .param(toDb(now.minus(CLOSED_VISIBILITY)))
                .query(this::mapHandshake)
                .list();
    }

    @Override
    @Transactional
    public synchronized Handshake cancelHandshake(String handshakeId) {
        return close(handshakeId, Handshake.State.CANCELED);
    }

    /** Plays the invited account's owner accepting the invitation: the account joins the sandbox organisation. */
    @Transactional
    public synchronized Handshake acceptAsAccountOwner(String handshakeId) {
        Handshake accepted = close(handshakeId, Handshake.State.ACCEPTED);
        String account = accepted.targetAccountId();
        jdbc.sql("insert into aws_sandbox_accounts (id, email, name, state, joined_method, joined_at) values (?, ?, ?, 'ACTIVE', 'INVITED', ?)")
                .params(account, "aws+" + account + "@sandbox.openpayer.invalid", "Sandbox account " + account, toDb(clock.instant()))
                .update();
        return accepted;
    }

    /** Plays the invited account's owner declining the invitation. */
    @Transactional
    public synchronized Handshake decline(String handshakeId) {
        return close(handshakeId, Handshake.State.DECLINED);
    }

    @Override
    @Transactional(readOnly = true)
    public AwsAccount describeAccount(String accountId) {
        String id = AwsInputs.accountId(accountId);
        return member(id).orElseThrow(() -> new AwsRefusal(Reason.ACCOUNT_NOT_FOUND, "AccountNotFoundException",
                "account " + id + " is not a member of the sandbox organisation"));
    }

    @Override
    @Transactional
    public synchronized AccountCreation createAccount(String email, String accountName) {
        String cleanEmail = AwsInputs.email(email);
        String name = AwsInputs.accountName(accountName);
        String id = "car-" + randomLowerAlphanumeric(12);
        jdbc.sql("insert into aws_sandbox_account_creations (id, email, account_name, state, requested_at) values (?, ?, ?, 'IN_PROGRESS', ?)")
                .params(id, cleanEmail, name, toDb(clock.instant()))
                .update();
        return creation(id).orElseThrow();
    }

    @Override
    @Transactional
    public synchronized AccountCreation describeCreateAccountStatus(String createAccountRequestId) {
        String id = AwsInputs.createAccountRequestId(createAccountRequestId);
        AccountCreation creation = creation(id).orElseThrow(() -> new AwsRefusal(Reason.CREATE_ACCOUNT_STATUS_NOT_FOUND,
                "CreateAccountStatusNotFoundException", "no account creation request " + id));
        if (creation.state() != AccountCreation.State.IN_PROGRESS) {
            return creation;
        }
        Instant now = clock.instant();
        String email = jdbc.sql("select email from aws_sandbox_account_creations where id = ?").param(id).query(String.class).single();
        long used = jdbc.sql("select count(*) from aws_sandbox_accounts where lower(email) = lower(?)").param(email).query(Long.class).single();
        if (used > 0 || email.equalsIgnoreCase(properties.managementAccountEmail())) {
            jdbc.sql("update aws_sandbox_account_creations set state = 'FAILED', failure_reason = 'EMAIL_ALREADY_EXISTS', completed_at = ? where id = ?")
                    .params(toDb(now), id)
                    .update();
        } else {
            String accountId = newAccountId();
            jdbc.sql("insert into aws_sandbox_accounts (id, email, name, state, joined_method, joined_at) values (?, ?, ?, 'ACTIVE', 'CREATED', ?)")
                    .params(accountId, email, creation.accountName(), toDb(now))
                    .update();
            jdbc.sql("update aws_sandbox_account_creations set state = 'SUCCEEDED', account_id = ?, completed_at = ? where id = ?")
                    .params(accountId, toDb(now), id)
                    .update();
        }
        return creation(id).orElseThrow();
    }

    /**
     * Stands for the customer creating the cross-account role in its account, trusting OpenPayer with the given
     * external ID (null: the trust policy has no external-ID condition). Deploying again replaces the role.
     */
    @Transactional
    public void deployRole(String roleArn, String externalId) {
        String account = AwsInputs.roleAccount(roleArn);
        AwsInputs.externalId(externalId);
        jdbc.sql("delete from aws_sandbox_roles where role_arn = ?").param(roleArn).update();
        jdbc.sql("insert into aws_sandbox_roles (role_arn, account_id, external_id, deployed_at) values (?, ?, ?, ?)")
                .params(roleArn, account, externalId, toDb(clock.instant()))
                .update();
    }

    /** Stands for the customer deleting the role. */
    @Transactional
    public void removeRole(String roleArn) {
        jdbc.sql("delete from aws_sandbox_roles where role_arn = ?").param(roleArn).update();
    }

    @Override
    @Transactional(readOnly = true)
    public RoleAssumption assumeRole(String roleArn, String externalId, String sessionName) {
        String account;
        try {
            account = AwsInputs.roleAccount(roleArn);
            AwsInputs.externalId(externalId);
            AwsInputs.sessionName(sessionName);
        } catch (AwsRefusal invalid) {
            return RoleAssumption.refused(roleArn, invalid.reason(), invalid.awsMessage());
        }
        String denied = "User: arn:aws:sts::" + managementAccountId() + ":assumed-role/openpayer/openpayer is not authorized to perform:"
                + " sts:AssumeRole on resource: " + roleArn;
        if (member(account).isEmpty()) {
            return RoleAssumption.refused(roleArn, Reason.ACCESS_DENIED, denied);
        }
        Optional<Optional<String>> deployed = jdbc.sql("select external_id from aws_sandbox_roles where role_arn = ?")
                .param(roleArn)
                .query((rs, row) -> Optional.ofNullable(rs.getString("external_id")))
                .optional();
        if (deployed.isEmpty()) {
            return RoleAssumption.refused(roleArn, Reason.ACCESS_DENIED, denied);
        }
        Optional<String> required = deployed.get();
        if (required.isPresent() && !required.get().equals(externalId)) {
            return RoleAssumption.refused(roleArn, Reason.ACCESS_DENIED, denied);
        }
        return RoleAssumption.assumed(roleArn, account,
                "arn:aws:sts::" + account + ":assumed-role/" + AwsInputs.roleName(roleArn) + "/" + sessionName);
    }

    private Handshake close(String handshakeId, Handshake.State target) {
        String id = AwsInputs.handshakeId(handshakeId);
        Instant now = clock.instant();
        expireDue(now);
        Handshake current = visible(id);
        if (current.state() == target) {
            throw new AwsRefusal(Reason.HANDSHAKE_ALREADY_IN_STATE, "HandshakeAlreadyInStateException",
                    "handshake " + id + " is already " + target);
        }
        if (!current.pending()) {
            throw new AwsRefusal(Reason.INVALID_HANDSHAKE_TRANSITION, "InvalidHandshakeTransitionException",
                    "handshake " + id + " is " + current.state() + " and cannot become " + target);
        }
        jdbc.sql("update aws_sandbox_handshakes set state = ?, pending_target = null, updated_at = ? where id = ?")
                .params(target.name(), toDb(now), id)
                .update();
        return find(id).orElseThrow();
    }

    private Handshake visible(String id) {
        Instant now = clock.instant();
        return find(id).filter(h -> h.pending() || !updatedAt(id).isBefore(now.minus(CLOSED_VISIBILITY)))
                .orElseThrow(() -> new AwsRefusal(Reason.HANDSHAKE_NOT_FOUND, "HandshakeNotFoundException", "no handshake " + id));
    }

    private Instant updatedAt(String id) {
        return jdbc.sql("select updated_at from aws_sandbox_handshakes where id = ?").param(id).query((rs, row) -> fromDb(rs, "updated_at")).single();
    }

    /** Marks pending handshakes whose 15 days are over as EXPIRED, at the moment they expired. */
    private void expireDue(Instant now) {
        jdbc.sql("update aws_sandbox_handshakes set state = 'EXPIRED', pending_target = null, updated_at = expires_at where state in ('REQUESTED', 'OPEN') and expires_at <= ?")
                .param(toDb(now))
                .update();
    }

    private Optional<Handshake> find(String id) {
        return jdbc.sql("select " + HANDSHAKE_COLUMNS + " from aws_sandbox_handshakes where id = ?").param(id).query(this::mapHandshake).optional();
    }

    private Handshake mapHandshake(ResultSet rs, int row) throws SQLException {
        String id = rs.getString("id");
        return new Handshake(id, "arn:aws:organizations::" + managementAccountId() + ":handshake/" + ORGANIZATION_ID + "/invite/" + id,
                Handshake.State.valueOf(rs.getString("state")), rs.getString("target_account_id"), fromDb(rs, "requested_at"),
                fromDb(rs, "expires_at"));
    }

    private Optional<AwsAccount> member(String accountId) {
        if (accountId.equals(managementAccountId())) {
            return Optional.of(new AwsAccount(accountId, accountArn(accountId), properties.managementAccountEmail(), "Sandbox payer",
                    AwsAccount.State.ACTIVE, AwsAccount.JoinedMethod.CREATED, Instant.EPOCH));
        }
        return jdbc.sql("select id, email, name, state, joined_method, joined_at from aws_sandbox_accounts where id = ?")
                .param(accountId)
                .query((rs, row) -> new AwsAccount(rs.getString("id"), accountArn(rs.getString("id")), rs.getString("email"),
                        rs.getString("name"), AwsAccount.State.valueOf(rs.getString("state")),
                        AwsAccount.JoinedMethod.valueOf(rs.getString("joined_method")), fromDb(rs, "joined_at")))
                .optional();
    }

    private String accountArn(String accountId) {
        return "arn:aws:organizations::" + managementAccountId() + ":account/" + ORGANIZATION_ID + "/" + accountId;
    }

    private Optional<AccountCreation> creation(String id) {
        return jdbc.sql("select id, account_name, state, account_id, failure_reason, requested_at, completed_at"
                        + " from aws_sandbox_account_creations where id = ?")
                .param(id)
                .query((rs, row) -> new AccountCreation(rs.getString("id"), rs.getString("account_name"),
                        AccountCreation.State.valueOf(rs.getString("state")), rs.getString("account_id"), rs.getString("failure_reason"),
                        fromDb(rs, "requested_at"), fromDb(rs, "completed_at")))
                .optional();
    }

    private String newAccountId() {
        while (true) {
            String candidate = String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000L, 1_000_000_000_000L));
            boolean reserved = candidate.equals(managementAccountId()) || properties.accountsInOrganization().contains(candidate)
                    || properties.managementAccountsWithMembers().contains(candidate);
            if (!reserved && member(candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    private static AwsRefusal duplicate(String target) {
        return new AwsRefusal(Reason.DUPLICATE_HANDSHAKE, "DuplicateHandshakeException",
                "a handshake with the same action and target already exists for account " + target);
    }

    private static AwsRefusal constraint(Reason reason, Detail detail, String message) {
        return new AwsRefusal(reason, detail, "HandshakeConstraintViolationException", message, null);
    }

    private static String randomLowerAlphanumeric(int length) {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
