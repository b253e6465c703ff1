package dev.openpayer.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.http.HttpMethod.POST;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.openpayer.shared.Timestamps;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.testsupport.ApiTestSupport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The outbox delivered by the scheduled job to a real SMTP server (GreenMail), with retries and
 * exponential backoff on the test clock while the server is down.
 */
class MailDeliveryTest extends ApiTestSupport {
    static final int MAX_ATTEMPTS = 3;
    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(30);
    static final ServerSetup SMTP = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);

    GreenMail smtp;
    TestUser admin;
    Organization organization;

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("openpayer.mail.smtp.host", SMTP::getBindAddress);
        registry.add("openpayer.mail.smtp.port", SMTP::getPort);
        registry.add("openpayer.mail.smtp.timeout", () -> "5s");
        registry.add("openpayer.mail.max-attempts", () -> MAX_ATTEMPTS);
        registry.add("openpayer.mail.initial-backoff", INITIAL_BACKOFF::toString);
        registry.add("openpayer.mail.poll-interval", () -> "100ms");
    }

    @BeforeEach
    void setUp() {
        startSmtp();
        admin = topAdminUser();
        organization = customer(top().id(), "Mail customer");
    }

    @AfterEach
    void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
            smtp = null;
        }
    }

    private void startSmtp() {
        smtp = new GreenMail(SMTP);
        smtp.start();
    }

    record Outbox(String status, int attempts, Instant nextAttemptAt, String lastError, Instant sentAt) {}

    private Outbox outbox(String recipient) {
        return jdbc.sql("select status, attempts, next_attempt_at, last_error, sent_at from mail_outbox where recipient = ?")
                .param(recipient)
                .query((rs, i) -> new Outbox(rs.getString("status"), rs.getInt("attempts"), Timestamps.fromDb(rs, "next_attempt_at"),
                        rs.getString("last_error"), Timestamps.fromDb(rs, "sent_at")))
                .single();
    }

    private String invite() throws Exception {
        String email = uniqueEmail("mailed");
        var result = call(admin, POST, "/api/v1/organizations/" + organization.id() + "/users", Map.of("email", email, "role", "ANALYST"));
        assertThat(result.getResponse().getStatus()).isEqualTo(201);
        return email;
    }

    private List<MimeMessage> received(String recipient) {
        if (smtp == null) {
            return List.of();
        }
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> GreenMailUtil.getAddressList(
                uncheckedRecipients(m)).contains(recipient)).toList();
    }

    private static jakarta.mail.Address[] uncheckedRecipients(MimeMessage message) {
        try {
            return message.getAllRecipients();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deliversTheInvitationBySmtp() throws Exception {
        String email = invite();
        await().atMost(Duration.ofSeconds(20)).until(() -> received(email).size() == 1);
        MimeMessage message = received(email).getFirst();
        assertThat(message.getSubject()).contains(organization.name());
        assertThat(GreenMailUtil.getBody(message)).contains("https://openpayer.test/activate?token=");
        assertThat(message.getFrom()[0].toString()).isEqualTo("openpayer@localhost");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Outbox mail = outbox(email);
            assertThat(mail.status()).isEqualTo("SENT");
            assertThat(mail.attempts()).isEqualTo(1);
            assertThat(mail.sentAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void retriesWithExponentialBackoffWhileTheServerIsDownThenDelivers() throws Exception {
        stopSmtp();
        String email = invite();
        Instant first = clock.instant();
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox(email).attempts() == 1);
        Outbox afterFirst = outbox(email);
        assertThat(afterFirst.status()).isEqualTo("PENDING");
        assertThat(afterFirst.nextAttemptAt()).isEqualTo(first.plus(INITIAL_BACKOFF));
        assertThat(afterFirst.lastError()).isNotBlank();

        clock.advance(INITIAL_BACKOFF.minusSeconds(1));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> outbox(email).attempts() == 1);

        Instant second = clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox(email).attempts() == 2);
        assertThat(outbox(email).nextAttemptAt()).isEqualTo(second.plus(INITIAL_BACKOFF.multipliedBy(2)));
        assertThat(outbox(email).status()).isEqualTo("PENDING");

        startSmtp();
        clock.advance(INITIAL_BACKOFF.multipliedBy(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox(email).status().equals("SENT"));
        assertThat(outbox(email).attempts()).isEqualTo(3);
        assertThat(outbox(email).lastError()).isNull();
        assertThat(received(email)).hasSize(1);
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        stopSmtp();
        String email = invite();
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox(email).attempts() == 1);
        clock.advance(INITIAL_BACKOFF);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox(email).attempts() == 2);
        clock.advance(INITIAL_BACKOFF.multipliedBy(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox(email).status().equals("FAILED"));
        assertThat(outbox(email).attempts()).isEqualTo(MAX_ATTEMPTS);

        startSmtp();
        clock.advance(Duration.ofDays(1));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> outbox(email).status().equals("FAILED"));
        assertThat(received(email)).isEmpty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
