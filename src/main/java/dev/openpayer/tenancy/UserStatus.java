package dev.openpayer.tenancy;

/** Where a user is in his life: invited (activation link sent), active, deactivated, or invitation revoked. */
public enum UserStatus {
    INVITED,
    ACTIVE,
    DEACTIVATED,
    REVOKED
}
