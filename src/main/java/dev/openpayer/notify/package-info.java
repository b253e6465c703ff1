/**
 * Email: every mail asked for with {@link dev.openpayer.shared.MailRequested} goes into an outbox table
 * in the same transaction as the change that asked for it; a scheduled job delivers it by SMTP with
 * retries and exponential backoff. Without SMTP settings mail stays readable on the "Sent mail" page.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notify", allowedDependencies = {"shared", "tenancy"})
package dev.openpayer.notify;
