package dev.openpayer.tenancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Password sign-in for the console (form) and the API (HTTP Basic): who may sign in, and the lock-out
 * after {@code openpayer.security.max-failed-logins} failures in a row.
 */
@Service
public class SignIn implements UserDetailsService {
    private final Users users;
    private final Organizations organizations;
    private final Clock clock;
    private final int maxFailures;
    private final Duration lockout;

    SignIn(Users users, Organizations organizations, Clock clock,
            @Value("${openpayer.security.max-failed-logins}") int maxFailures,
            @Value("${openpayer.security.lockout-duration}") Duration lockout) {
        this.users = users;
        this.organizations = organizations;
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.lockout = lockout;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String email) {
        UserAccount user = users.findByEmail(email == null ? "" : email.strip())
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
        String hash = users.passwordHash(user.id()).orElse(null);
        boolean organizationActive = organizations.find(user.organizationId()).map(organizations::activeWithAncestors).orElse(false);
        Instant now = clock.instant();
        return User.withUsername(user.email())
                .password(hash == null ? "{noop}" + Secrets.randomToken(24) : hash)
                .authorities("ROLE_" + user.role().name())
                .disabled(user.status() != UserStatus.ACTIVE || !organizationActive)
                .accountLocked(user.lockedUntil() != null && user.lockedUntil().isAfter(now))
                .build();
    }

    public Duration lockoutDuration() {
        return lockout;
    }

    @EventListener
    @Transactional
    void onFailure(AuthenticationFailureBadCredentialsEvent event) {
        String name = event.getAuthentication().getName();
        if (name != null && !name.isBlank()) {
            users.recordFailure(name.strip(), maxFailures, clock.instant().plus(lockout));
        }
    }

    @EventListener
    @Transactional
    void onSuccess(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof UserDetails details) {
            users.recordSuccess(details.getUsername(), clock.instant());
        }
    }
}
