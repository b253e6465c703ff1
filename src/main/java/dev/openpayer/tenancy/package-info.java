/**
 * Tenancy: the organisation tree (distributor, resellers, end customers), users and their roles,
 * activation of invited users, personal API tokens, billing profiles with their user assignments, and
 * the access policy that confines every viewer to his subtree. Depends on shared only.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Tenancy",
        allowedDependencies = {"shared"})
package dev.openpayer.tenancy;
