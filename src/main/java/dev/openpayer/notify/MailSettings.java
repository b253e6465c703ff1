package dev.openpayer.notify;

import java.time.Duration;
import java.util.Properties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/** SMTP settings ({@code openpayer.mail.*}); delivery is on when a host is set. */
@Component
class MailSettings {
    final String from;
    final int maxAttempts;
    final Duration initialBackoff;
    private final JavaMailSenderImpl sender;

    MailSettings(@Value("${openpayer.mail.from}") String from, @Value("${openpayer.mail.max-attempts}") int maxAttempts,
            @Value("${openpayer.mail.initial-backoff}") Duration initialBackoff, @Value("${openpayer.mail.smtp.host}") String host,
            @Value("${openpayer.mail.smtp.port}") int port, @Value("${openpayer.mail.smtp.username}") String username,
            @Value("${openpayer.mail.smtp.password}") String password, @Value("${openpayer.mail.smtp.starttls}") boolean starttls,
            @Value("${openpayer.mail.smtp.timeout}") Duration timeout) {
        this.from = from;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        if (host == null || host.isBlank()) {
            this.sender = null;
            return;
        }
        JavaMailSenderImpl impl = new JavaMailSenderImpl();
        impl.setHost(host.strip());
        impl.setPort(port);
        if (username != null && !username.isBlank()) {
            impl.setUsername(username);
            impl.setPassword(password);
        }
        Properties props = impl.getJavaMailProperties();
        String millis = Long.toString(timeout.toMillis());
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        props.put("mail.smtp.auth", Boolean.toString(username != null && !username.isBlank()));
        props.put("mail.smtp.starttls.enable", Boolean.toString(starttls));
        this.sender = impl;
    }

    boolean deliveryEnabled() {
        return sender != null;
    }

    JavaMailSenderImpl sender() {
        return sender;
    }
}
