package dev.openpayer.tenancy;

/** The three levels of the tenant tree. */
public enum OrganizationType {
    DISTRIBUTOR,
    RESELLER,
    CUSTOMER;

    /** Whether an organisation of this type may sit directly under one of {@code parent}'s type. */
    public boolean mayBeChildOf(OrganizationType parent) {
        return switch (this) {
            case DISTRIBUTOR -> false;
            case RESELLER -> parent == DISTRIBUTOR;
            case CUSTOMER -> parent == DISTRIBUTOR || parent == RESELLER;
        };
    }

    /** Distributors and resellers sell: they own price books and hold contracts as the seller. */
    public boolean sells() {
        return this != CUSTOMER;
    }
}
