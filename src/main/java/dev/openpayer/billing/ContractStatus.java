package dev.openpayer.billing;

/** A contract is drafted, then active, then ended. */
public enum ContractStatus {
    DRAFT,
    ACTIVE,
    ENDED
}
