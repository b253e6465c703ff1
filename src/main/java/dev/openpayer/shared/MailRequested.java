package dev.openpayer.shared;

import java.util.UUID;

/**
 * Asks for an email to be sent. The notify module writes it to the outbox in the same transaction as
 * the change that asked for it, and delivers it afterwards.
 *
 * @param organizationId the tenant the mail concerns, for the "Sent mail" page
 */
public record MailRequested(UUID organizationId, String recipient, String subject, String body) {}
