/**
 * Invoicing: monthly invoice runs per seller (the distributor bills its resellers at their wholesale price
 * book and its direct customers; each reseller bills its end customers), draft invoices that follow AWS's
 * restatements, issuing with gapless numbers, PDF and CSV documents, credit notes, the reconciliation of each
 * payer's AWS bill with the customers' cost basis, and the margin report. It sits above {@code onboarding}
 * (which AWS accounts belong to which billing profile) and {@code cur} (the lake), which is why it is not
 * part of {@code billing}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Invoicing", allowedDependencies = {"shared", "tenancy", "billing", "onboarding", "cur"})
package dev.openpayer.invoicing;
