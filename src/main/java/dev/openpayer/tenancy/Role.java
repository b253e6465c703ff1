package dev.openpayer.tenancy;

/** What a user may do inside his tenant's subtree. */
public enum Role {
    /** Everything in the subtree: organisations, users, billing profiles, contracts, price books. */
    ADMIN,
    /** Invites and connects accounts, manages price books and invoices, on his billing profiles. */
    BILLING_MANAGER,
    /** Reads only. */
    ANALYST
}
