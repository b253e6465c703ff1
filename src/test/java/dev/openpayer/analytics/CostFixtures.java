package dev.openpayer.analytics;

import dev.openpayer.shared.Timestamps;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Onboarded AWS accounts for report tests, written straight into the table (the generator's account IDs recur across tests). */
public final class CostFixtures {
    private CostFixtures() {}

    public static UUID account(JdbcClient jdbc, String accountId, UUID customerId, UUID billingProfileId, UUID costCenterId) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.sql("""
                insert into aws_accounts (id, account_id, customer_id, billing_profile_id, connection_type, status, account_type, cost_center_id,
                  created_at, updated_at) values (?, ?, ?, ?, 'INVITE', 'ACTIVE', 'RESALE', ?, ?, ?)""")
                .params(id, accountId, customerId, billingProfileId, costCenterId, Timestamps.toDb(now), Timestamps.toDb(now)).update();
        return id;
    }
}
