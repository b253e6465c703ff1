package dev.openpayer.cur;

import dev.openpayer.aws.PayerConnection;
import java.util.Optional;
import java.util.UUID;

/**
 * What cost data needs to know of the accounts that own sources, provided by the module that registers
 * payer accounts and customers' cross-account roles.
 */
public interface SourceOwners {

    /** A registered payer account: its 12-digit ID and how to reach it; empty when there is none with this id. */
    Optional<Payer> payer(UUID payerId);

    /** The payer that stands in when a source names none: the configured payer, or the sandbox organisation. */
    Payer defaultPayer();

    /** The external ID the customer's cross-account role requires (created on first use). */
    String customerExternalId(UUID customerId);

    /**
     * @param connection how to reach it, or null for the application's own credentials (the sandbox or the configured payer)
     */
    record Payer(UUID id, String accountId, String name, PayerConnection connection) {}
}
