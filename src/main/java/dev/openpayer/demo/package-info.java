/**
 * The demo: with {@code OPENPAYER_DEMO=true} or {@code --demo}, an empty installation is seeded with a
 * believable distributor, two resellers, five end customers, billing profiles, price books,
 * contracts, cost centers and one user of each role, whose passwords are printed once; in the sandbox
 * organisation one account is connected and healthy, one invitation is pending, and the reseller
 * Cirrus Partners approves the accounts its billing manager requests. Price books carry published rules, exchange rates
 * are recorded, and last month is invoiced at both tiers (Acme Retail's and Cirrus Partners' invoices issued), so the
 * reseller sees its customers' invoices, their PDFs, its margin and a reconciliation that balances to the cent.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo", allowedDependencies = {"shared", "tenancy", "billing", "onboarding", "cur", "invoicing"})
package dev.openpayer.demo;
