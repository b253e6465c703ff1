/**
 * The audit log: keeps every {@link dev.openpayer.shared.ChangeRecorded} (who, in which tenant, what,
 * when, before and after) and answers filtered queries within the viewer's scope.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit", allowedDependencies = {"shared", "tenancy"})
package dev.openpayer.audit;
