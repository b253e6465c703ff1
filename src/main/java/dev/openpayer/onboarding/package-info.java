/**
 * Onboarding of AWS accounts: the partner's payer accounts, terms and conditions per territory and
 * their acceptance, the per-customer external ID and the CloudFormation template of the read-only
 * cross-account role, and the approval policy of each tenant.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Onboarding", allowedDependencies = {"shared", "tenancy", "billing", "aws", "cur"})
package dev.openpayer.onboarding;
