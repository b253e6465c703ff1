package dev.openpayer.onboarding;

import dev.openpayer.aws.AwsAccount;
import dev.openpayer.aws.AwsRefusal;
import dev.openpayer.aws.RoleAssumption;
import dev.openpayer.aws.StsGateway;
import dev.openpayer.onboarding.CustomerAccount.ConnectionType;
import dev.openpayer.onboarding.CustomerAccount.HealthStatus;
import dev.openpayer.shared.Actor;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cross-account role of each account and the account's health: HEALTHY when OpenPayer can assume
 * the role with the customer's external ID (and only with it) and the account is where it should be;
 * CRITICAL with the reason and the fix otherwise; UNKNOWN when never checked or AWS is unreachable.
 */
@Service
public class AccountHealth {
    static final String SESSION_NAME = "openpayer-health";
    private static final Logger log = LoggerFactory.getLogger(AccountHealth.class);
    private static final Set<AccountStatus> CHECKED = Set.of(AccountStatus.JOINED, AccountStatus.CONNECTED, AccountStatus.ACTIVE, AccountStatus.AWAITING_ROLE);

    private final AccountOnboarding onboarding;
    private final CustomerAccounts accounts;
    private final Payers payers;
    private final CrossAccountAccess access;
    private final Tenancy tenancy;
    private final Clock clock;
    private final TransactionTemplate tx;

    AccountHealth(AccountOnboarding onboarding, CustomerAccounts accounts, Payers payers, CrossAccountAccess access, Tenancy tenancy, Clock clock,
            PlatformTransactionManager transactionManager) {
        this.onboarding = onboarding;
        this.accounts = accounts;
        this.payers = payers;
        this.access = access;
        this.tenancy = tenancy;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactionManager);
    }

    /** Records the role ARN the customer created (checked against the IAM grammar and the account), then verifies it. */
    public CustomerAccount setRole(Viewer viewer, UUID id, String roleArn) {
        CustomerAccount account = onboarding.actionable(viewer, id);
        String arn = RoleArns.parse(roleArn, "roleArn");
        if (account.accountId() == null) {
            throw new ConflictException("status", "the account is still being created; its role comes afterwards");
        }
        if (!RoleArns.accountOf(arn).equals(account.accountId())) {
            throw new InvalidInputException("roleArn", "the role belongs to account " + RoleArns.accountOf(arn) + ", but this is account "
                    + account.accountId() + "; create the role in account " + account.accountId());
        }
        if (!CHECKED.contains(account.status())) {
            throw new ConflictException("status", "the role is set up once the account has joined (it is " + account.status() + ")");
        }
        tx.executeWithoutResult(s -> {
            accounts.setRole(id, arn, clock.instant());
            accounts.event(id, clock.instant(), viewer.userId(), viewer.email(), "role-set", "Role " + arn + " entered");
            onboarding.audit(viewer.actor(), account, "aws-account.role-set", "Set the cross-account role of " + account.accountId() + " to " + arn,
                    account.roleArn(), arn);
        });
        return verify(viewer, id);
    }

    /** Verifies the role now: assumable with the external ID, refused without it. */
    public CustomerAccount verify(Viewer viewer, UUID id) {
        CustomerAccount account = onboarding.visible(viewer, id);
        if (account.roleArn() == null) {
            throw new ConflictException("roleArn", "no role ARN yet: create the role with the CloudFormation template, then enter its ARN");
        }
        check(viewer.actor(), account);
        return accounts.find(id).orElseThrow();
    }

    /** Recomputes the account's health now. */
    public CustomerAccount check(Viewer viewer, UUID id) {
        CustomerAccount account = onboarding.visible(viewer, id);
        check(viewer.actor(), account);
        return accounts.find(id).orElseThrow();
    }

    /** Recomputes the health of every account that has joined or is connected; run by the schedule. */
    public int checkAll() {
        int checked = 0;
        for (CustomerAccount account : accounts.withStatus(AccountStatus.JOINED, AccountStatus.CONNECTED, AccountStatus.ACTIVE, AccountStatus.AWAITING_ROLE)) {
            try {
                check(Actor.SYSTEM, account);
                checked++;
            } catch (RuntimeException e) {
                log.warn("Health check of AWS account {} failed: {}", account.label(), e.getMessage());
            }
        }
        return checked;
    }

    private void check(Actor actor, CustomerAccount account) {
        Verdict verdict = verdict(account);
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            CustomerAccount current = accounts.find(account.id()).orElseThrow();
            boolean changed = current.health().status() != verdict.status() || !java.util.Objects.equals(current.health().reason(), verdict.reason());
            accounts.setHealth(account.id(), verdict.status(), verdict.reason(), now);
            if (verdict.roleVerified() && (current.status() == AccountStatus.JOINED || current.status() == AccountStatus.AWAITING_ROLE)) {
                accounts.setStatus(account.id(), AccountStatus.CONNECTED, now);
                accounts.event(account.id(), now, actor.id(), actor.email(), "role-verified", "OpenPayer assumed " + current.roleArn()
                        + " with the customer's external ID; the account is connected");
                onboarding.audit(actor, current, "aws-account.connected", "Verified the cross-account role of " + current.accountId(), current.status().name(),
                        "CONNECTED");
            }
            if (changed) {
                accounts.event(account.id(), now, actor.id(), actor.email(), "health", verdict.status() + ": " + verdict.reason());
            }
        });
    }

    private record Verdict(HealthStatus status, String reason, boolean roleVerified) {}

    private Verdict verdict(CustomerAccount account) {
        if (account.roleArn() == null) {
            return new Verdict(HealthStatus.UNKNOWN, "Never checked: the cross-account role is not set up yet. Create it with the CloudFormation template"
                    + " on this page and enter its ARN.", false);
        }
        Organization customer = tenancy.find(account.customerId()).orElseThrow();
        String externalId = tx.execute(s -> access.externalId(customer));
        StsGateway sts = payers.sts(account.payerId());
        RoleAssumption withId = sts.assumeRole(account.roleArn(), externalId, SESSION_NAME);
        if (!withId.assumed()) {
            if (transientFailure(withId.failure())) {
                return new Verdict(HealthStatus.UNKNOWN, "AWS could not be reached to check the role (" + withId.failure() + ": " + withId.failureMessage()
                        + "). The check runs again automatically.", false);
            }
            return new Verdict(HealthStatus.CRITICAL, "OpenPayer cannot assume " + account.roleArn() + " (" + withId.failure() + "). Fix: make sure the"
                    + " stack created from OpenPayer's CloudFormation template exists in account " + account.accountId() + ", that the role trusts "
                    + "OpenPayer's AWS account and requires the external ID " + externalId + ", then press Verify.", false);
        }
        RoleAssumption withoutId = sts.assumeRole(account.roleArn(), null, SESSION_NAME);
        if (withoutId.assumed()) {
            return new Verdict(HealthStatus.CRITICAL, "The role can be assumed without the external ID: its trust policy lacks the"
                    + " sts:ExternalId condition, which leaves it open to the confused-deputy problem. Fix: update the stack with OpenPayer's template"
                    + " (Condition StringEquals sts:ExternalId " + externalId + ").", true);
        }
        if (account.connectionType() != ConnectionType.READ_ONLY) {
            try {
                AwsAccount member = payers.organizations(account.payerId()).describeAccount(account.accountId());
                if (member.state() == AwsAccount.State.SUSPENDED || member.state() == AwsAccount.State.PENDING_CLOSURE
                        || member.state() == AwsAccount.State.CLOSED) {
                    return new Verdict(HealthStatus.CRITICAL, "AWS reports the account as " + member.state() + ". Fix: the account owner reopens"
                            + " or reinstates it with AWS Support.", true);
                }
            } catch (AwsRefusal refusal) {
                if (refusal.reason() == AwsRefusal.Reason.ACCOUNT_NOT_FOUND) {
                    return new Verdict(HealthStatus.CRITICAL, "The account left the payer organisation " + payers.label(account.payerId())
                            + ". Fix: invite it again, or connect it read-only if its owner now pays AWS directly.", true);
                }
                if (refusal.reason().transientFailure()) {
                    return new Verdict(HealthStatus.UNKNOWN, "AWS Organizations could not be reached (" + refusal.title() + ").", true);
                }
                return new Verdict(HealthStatus.CRITICAL, refusal.title() + ". " + refusal.remedy(), true);
            }
        }
        String payer = onboarding.payerLabel(account);
        return new Verdict(HealthStatus.HEALTHY, "Role assumable with the external ID (and refused without it); payer account: " + payer
                + (payer.equals("N/A") ? " — the payer of a read-only account is not known, so reservation and organisation-wide reports are"
                        + " not available for it" : ""), true);
    }

    private static boolean transientFailure(AwsRefusal.Reason reason) {
        return reason != null && reason.transientFailure();
    }

    /** Sandbox only: plays the customer creating the role from the template (with or without the external-ID condition). */
    public CustomerAccount sandboxDeployRole(Viewer viewer, UUID id, boolean withExternalId) {
        CustomerAccount account = onboarding.actionable(viewer, id);
        if (!onboarding.usesSandbox(account)) {
            throw new ConflictException("payerId", "only accounts of the sandbox organisation can have their role simulated");
        }
        if (account.accountId() == null || !CHECKED.contains(account.status())) {
            throw new ConflictException("status", "the account has not joined the sandbox organisation yet");
        }
        Organization customer = tenancy.find(account.customerId()).orElseThrow();
        String externalId = tx.execute(s -> access.externalId(customer));
        String arn = "arn:aws:iam::" + account.accountId() + ":role/" + CrossAccountAccess.DEFAULT_ROLE_NAME;
        payers.sandboxGateway().deployRole(arn, withExternalId ? externalId : null);
        tx.executeWithoutResult(s -> accounts.event(id, clock.instant(), viewer.userId(), viewer.email(), "sandbox",
                "Sandbox: created the role " + arn + (withExternalId ? " trusting OpenPayer with the external ID" : " WITHOUT the external-ID condition")));
        return setRole(viewer, id, arn);
    }
}
