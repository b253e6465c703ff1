package dev.openpayer.onboarding;

import dev.openpayer.cur.CostDataIngested;
import dev.openpayer.cur.CurSource;
import dev.openpayer.shared.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Moves an invited, joined or connected account to ACTIVE at its first non-zero spend in the cost data,
 * with a "first-data" step on its timeline. A payer's report activates the accounts onboarded into that
 * payer's organisation; a customer's own report activates that customer's accounts.
 */
@Component
class FirstSpend {
    static final Set<AccountStatus> WAITING = Set.of(AccountStatus.INVITED, AccountStatus.JOINED, AccountStatus.CONNECTED, AccountStatus.AWAITING_ROLE);
    private final CustomerAccounts accounts;
    private final AccountOnboarding onboarding;
    private final Clock clock;

    FirstSpend(CustomerAccounts accounts, AccountOnboarding onboarding, Clock clock) {
        this.accounts = accounts;
        this.onboarding = onboarding;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(CostDataIngested ingested) {
        if (ingested.accountsWithSpend() == null || ingested.accountsWithSpend().isEmpty()) {
            return;
        }
        List<CustomerAccount> waiting = accounts.withStatus(WAITING.toArray(AccountStatus[]::new));
        for (CustomerAccount account : waiting) {
            if (account.accountId() == null || !ingested.accountsWithSpend().contains(account.accountId()) || !covers(ingested, account)) {
                continue;
            }
            Instant now = clock.instant();
            accounts.setStatus(account.id(), AccountStatus.ACTIVE, now);
            accounts.event(account.id(), now, null, null, "first-data", "First non-zero spend in the cost data (billing period "
                    + ingested.billingPeriod() + "); costs are flowing");
            onboarding.audit(Actor.SYSTEM, account, "aws-account.active", "First spend of " + account.accountId() + " in the cost data",
                    account.status().name(), AccountStatus.ACTIVE.name());
        }
    }

    private static boolean covers(CostDataIngested ingested, CustomerAccount account) {
        if (ingested.owner() == CurSource.Owner.CUSTOMER) {
            return Objects.equals(ingested.organizationId(), account.customerId());
        }
        return Objects.equals(ingested.payerId(), account.payerId());
    }
}
