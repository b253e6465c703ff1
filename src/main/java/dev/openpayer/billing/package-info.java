/**
 * Billing: price books owned by a distributor or reseller, contracts between a seller and the
 * organisation it bills (with the price book applied and the active-contract check that onboarding
 * relies on), cost centers of a customer, the versioned pricing rules of price books and the pricing engine that
 * applies them, custom line items, monthly exchange rates and the invoice settings of billing profiles. The
 * invoicing module builds on these.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Billing", allowedDependencies = {"shared", "tenancy"})
package dev.openpayer.billing;
