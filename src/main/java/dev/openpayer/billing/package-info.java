/**
 * Billing: price books owned by a distributor or reseller, contracts between a seller and the
 * organisation it bills (with the price book applied and the active-contract check that onboarding
 * relies on), and cost centers of a customer. Invoicing and pricing rules build on these.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Billing", allowedDependencies = {"shared", "tenancy"})
package dev.openpayer.billing;
