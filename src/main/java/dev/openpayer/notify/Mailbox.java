package dev.openpayer.notify;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.MailRequested;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Viewer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The mail outbox: queued with the change that asked for it, delivered by SMTP with retries, listed for top-tenant admins. */
@Service
public class Mailbox {
    private static final Logger log = LoggerFactory.getLogger(Mailbox.class);
    private static final String COLUMNS = "id, organization_id, recipient, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at";
    private final JdbcClient jdbc;
    private final MailSettings settings;
    private final Clock clock;

    Mailbox(JdbcClient jdbc, MailSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    private static OutboxMail map(ResultSet rs, int row) throws SQLException {
        return new OutboxMail(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), rs.getString("recipient"),
                rs.getString("subject"), rs.getString("body"), OutboxMail.Status.valueOf(rs.getString("status")), rs.getInt("attempts"),
                fromDb(rs, "next_attempt_at"), rs.getString("last_error"), fromDb(rs, "created_at"), fromDb(rs, "sent_at"));
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(MailRequested mail) {
        Instant now = clock.instant();
        jdbc.sql("insert into mail_outbox (id, organization_id, recipient, subject, body, status, attempts, next_attempt_at, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, 0, ?, ?)")
                .params(UUID.randomUUID(), mail.organizationId(), mail.recipient(), mail.subject(), mail.body(),
                        settings.deliveryEnabled() ? "PENDING" : "LOGGED", toDb(now), toDb(now))
                .update();
    }

    /** Whether mail leaves the installation (SMTP configured) or stays on the "Sent mail" page. */
    public boolean deliveryEnabled() {
        return settings.deliveryEnabled();
    }

    /** The newest mail, for the "Sent mail" page: top-tenant admins only. */
    @Transactional(readOnly = true)
    public List<OutboxMail> latest(Viewer viewer, String recipient, int limit) {
        requireTopAdmin(viewer);
        boolean filter = recipient != null && !recipient.isBlank();
        return jdbc.sql("select " + COLUMNS + " from mail_outbox" + (filter ? " where lower(recipient) like :r" : "")
                        + " order by created_at desc limit " + Math.max(1, Math.min(limit, 500)))
                .params(filter ? java.util.Map.of("r", "%" + recipient.strip().toLowerCase() + "%") : java.util.Map.of())
                .query(Mailbox::map)
                .list();
    }

    @Transactional(readOnly = true)
    public OutboxMail find(Viewer viewer, UUID id) {
        requireTopAdmin(viewer);
        return jdbc.sql("select " + COLUMNS + " from mail_outbox where id = ?").param(id).query(Mailbox::map).optional()
                .orElseThrow(() -> new NotFoundException("Mail", id));
    }

    /** Tries every due mail once; failures are retried with exponential backoff until the last attempt. */
    @Scheduled(fixedDelayString = "${openpayer.mail.poll-interval}", initialDelayString = "${openpayer.mail.poll-interval}")
    @SchedulerLock(name = "mail-delivery", lockAtMostFor = "PT5M")
    public void deliverDue() {
        if (!settings.deliveryEnabled()) {
            return;
        }
        List<OutboxMail> due = jdbc.sql("select " + COLUMNS + " from mail_outbox where status = 'PENDING' and next_attempt_at <= ? order by created_at limit 100")
                .param(toDb(clock.instant()))
                .query(Mailbox::map)
                .list();
        for (OutboxMail mail : due) {
            deliver(mail);
        }
    }

    private void deliver(OutboxMail mail) {
        Instant now = clock.instant();
        try {
            SimpleMailMessage message = new SimpleMailMessage();
            message.setFrom(settings.from);
            message.setTo(mail.recipient());
            message.setSubject(mail.subject());
            message.setText(mail.body());
            settings.sender().send(message);
            jdbc.sql("update mail_outbox set status = 'SENT', attempts = attempts + 1, sent_at = ?, last_error = null where id = ?")
                    .params(toDb(now), mail.id())
                    .update();
        } catch (RuntimeException e) {
            int attempts = mail.attempts() + 1;
            boolean giveUp = attempts >= settings.maxAttempts;
            Duration backoff = settings.initialBackoff.multipliedBy(1L << Math.min(attempts - 1, 20));
            String error = String.valueOf(e.getMessage());
            log.warn("Mail {} to {} failed (attempt {} of {}): {}", mail.id(), mail.recipient(), attempts, settings.maxAttempts, error);
            jdbc.sql("update mail_outbox set status = ?, attempts = ?, next_attempt_at = ?, last_error = ? where id = ?")
                    .params(giveUp ? "FAILED" : "PENDING", attempts, toDb(now.plus(backoff)),
                            error.length() > 2000 ? error.substring(0, 2000) : error, mail.id())
                    .update();
        }
    }

    private static void requireTopAdmin(Viewer viewer) {
        if (!viewer.isTopTenantAdmin()) {
            throw new ForbiddenException("Only admins of the top tenant see the mail sent by this installation.");
        }
    }
}
