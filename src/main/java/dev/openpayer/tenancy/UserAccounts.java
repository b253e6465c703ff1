package dev.openpayer.tenancy;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.MailRequested;
import dev.openpayer.shared.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users: invitation by email with a single-use activation link, resend, revoke, deactivation, role
 * changes, and the viewer behind each request.
 */
@Service
public class UserAccounts {
    public static final String OBJECT_TYPE = "User";
    public static final int MIN_PASSWORD_LENGTH = 12;
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private final Users users;
    private final Activations activations;
    private final Organizations organizations;
    private final Tenancy tenancy;
    private final PasswordEncoder passwordEncoder;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final String baseUrl;
    private final Duration activationValidity;

    UserAccounts(Users users, Activations activations, Organizations organizations, Tenancy tenancy, PasswordEncoder passwordEncoder,
            ApplicationEventPublisher events, Clock clock, @Value("${openpayer.base-url}") String baseUrl,
            @Value("${openpayer.users.activation-validity}") Duration activationValidity) {
        this.users = users;
        this.activations = activations;
        this.organizations = organizations;
        this.tenancy = tenancy;
        this.passwordEncoder = passwordEncoder;
        this.events = events;
        this.clock = clock;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.activationValidity = activationValidity;
    }

    /** The viewer for a signed-in email: empty when the user or an organisation above him is no longer active. */
    @Transactional(readOnly = true)
    public Optional<Viewer> viewer(String email) {
        return users.findByEmail(email)
                .filter(u -> u.status() == UserStatus.ACTIVE)
                .flatMap(u -> organizations.find(u.organizationId())
                        .filter(organizations::activeWithAncestors)
                        .map(o -> new Viewer(u.id(), u.email(), u.role(), o.id(), o.name(), o.type(), o.path())));
    }

    @Transactional(readOnly = true)
    public List<UserAccount> inOrganization(Viewer viewer, UUID organizationId) {
        tenancy.visible(viewer, organizationId);
        viewer.requireRole(Role.ADMIN);
        return users.inOrganization(organizationId);
    }

    /** Every user the viewer may manage: those of his subtree. */
    @Transactional(readOnly = true)
    public List<UserAccount> inScope(Viewer viewer) {
        viewer.requireRole(Role.ADMIN);
        return users.inSubtree(viewer.organizationPath());
    }

    /** The active admins of an organisation (for notifications sent by the system). */
    @Transactional(readOnly = true)
    public List<UserAccount> activeAdmins(UUID organizationId) {
        return users.inOrganization(organizationId).stream().filter(u -> u.status() == UserStatus.ACTIVE && u.role() == Role.ADMIN).toList();
    }

    /** A user of the given organisation, visible to the viewer, else 404. */
    @Transactional(readOnly = true)
    public UserAccount visible(Viewer viewer, UUID organizationId, UUID userId) {
        Organization organization = tenancy.visible(viewer, organizationId);
        UserAccount user = users.find(userId)
                .filter(u -> u.organizationId().equals(organization.id()))
                .orElseThrow(() -> new NotFoundException(OBJECT_TYPE, userId));
        viewer.requireRole(Role.ADMIN);
        return user;
    }

    /** Any user in the viewer's subtree by id (for assignments made elsewhere). */
    @Transactional(readOnly = true)
    public Optional<UserAccount> inScope(Viewer viewer, UUID userId) {
        return users.find(userId).filter(u -> organizations.find(u.organizationId()).filter(viewer::covers).isPresent());
    }

    @Transactional
    public UserAccount invite(Viewer viewer, UUID organizationId, String email, String displayName, Role role) {
        Organization organization = tenancy.visible(viewer, organizationId);
        viewer.requireRole(Role.ADMIN);
        String cleanEmail = validEmail(email);
        if (role == null) {
            throw new InvalidInputException("role", "must be ADMIN, BILLING_MANAGER or ANALYST");
        }
        String cleanName = cleanDisplayName(displayName);
        if (!organization.active()) {
            throw new InvalidInputException("organizationId", "the organisation is deactivated");
        }
        Instant now = clock.instant();
        Optional<UserAccount> existing = users.findByEmail(cleanEmail);
        UUID id;
        if (existing.isPresent()) {
            UserAccount user = existing.get();
            boolean reusable = user.status() == UserStatus.REVOKED && inScope(viewer, user.id()).isPresent();
            if (!reusable) {
                throw new ConflictException("email", "the address " + cleanEmail + " already belongs to a user of OpenPayer");
            }
            id = user.id();
            users.reinvite(id, organization.id(), cleanName, role);
        } else {
            id = UUID.randomUUID();
            users.insert(new UserAccount(id, organization.id(), cleanEmail, cleanName, role, UserStatus.INVITED, null, now, null, null));
        }
        UserAccount invited = users.find(id).orElseThrow();
        sendActivation(viewer, invited, organization, false);
        record(viewer, invited, "user.invited", "Invited " + invited.summary() + " into " + organization.name(), null, invited.summary());
        return invited;
    }

    @Transactional
    public UserAccount resendInvitation(Viewer viewer, UUID organizationId, UUID userId) {
        UserAccount user = visible(viewer, organizationId, userId);
        if (user.status() != UserStatus.INVITED) {
            throw new ConflictException("status", "only a pending invitation can be resent; this user is " + user.status());
        }
        activations.revokeOpen(user.id(), clock.instant());
        sendActivation(viewer, user, tenancy.visible(viewer, organizationId), true);
        record(viewer, user, "user.invitation-resent", "Resent the invitation to " + user.email() + "; the previous link no longer works",
                null, null);
        return user;
    }

    @Transactional
    public UserAccount revokeInvitation(Viewer viewer, UUID organizationId, UUID userId) {
        UserAccount user = visible(viewer, organizationId, userId);
        if (user.status() != UserStatus.INVITED) {
            throw new ConflictException("status", "only a pending invitation can be revoked; this user is " + user.status());
        }
        activations.revokeOpen(user.id(), clock.instant());
        users.setStatus(user.id(), UserStatus.REVOKED);
        UserAccount revoked = users.find(user.id()).orElseThrow();
        record(viewer, revoked, "user.invitation-revoked", "Revoked the invitation of " + user.email(), user.summary(), revoked.summary());
        return revoked;
    }

    @Transactional
    public UserAccount setActive(Viewer viewer, UUID organizationId, UUID userId, boolean active) {
        UserAccount user = visible(viewer, organizationId, userId);
        if (user.id().equals(viewer.userId())) {
            throw new ForbiddenException("You cannot deactivate or reactivate yourself.");
        }
        UserStatus from = active ? UserStatus.DEACTIVATED : UserStatus.ACTIVE;
        if (user.status() != from) {
            throw new ConflictException("status", "only " + from + " users can be " + (active ? "reactivated" : "deactivated") + "; this user is " + user.status());
        }
        users.setStatus(user.id(), active ? UserStatus.ACTIVE : UserStatus.DEACTIVATED);
        UserAccount changed = users.find(user.id()).orElseThrow();
        record(viewer, changed, active ? "user.reactivated" : "user.deactivated",
                (active ? "Reactivated " : "Deactivated ") + user.email(), user.summary(), changed.summary());
        return changed;
    }

    @Transactional
    public UserAccount update(Viewer viewer, UUID organizationId, UUID userId, Role role, String displayName) {
        UserAccount user = visible(viewer, organizationId, userId);
        if (role != null && role != user.role()) {
            if (user.id().equals(viewer.userId())) {
                throw new ForbiddenException("You cannot change your own role.");
            }
            users.setRole(user.id(), role);
        }
        if (displayName != null) {
            users.setDisplayName(user.id(), cleanDisplayName(displayName));
        }
        UserAccount changed = users.find(user.id()).orElseThrow();
        record(viewer, changed, "user.updated", "Updated " + changed.email(), user.summary(), changed.summary());
        return changed;
    }

    /** What an activation link shows before the password is set; empty when the link is not usable. */
    @Transactional(readOnly = true)
    public Optional<UserAccount> pendingActivation(String token) {
        return usableActivation(token).flatMap(a -> users.find(a.userId())).filter(u -> u.status() == UserStatus.INVITED);
    }

    /** Sets the password of an invited user from his activation link; the link works once. */
    @Transactional
    public UserAccount activate(String token, String password) {
        Activations.Activation activation = usableActivation(token)
                .orElseThrow(() -> new InvalidInputException("token", "this activation link is invalid, already used, revoked or expired; ask your administrator to resend the invitation"));
        UserAccount user = users.find(activation.userId()).filter(u -> u.status() == UserStatus.INVITED)
                .orElseThrow(() -> new InvalidInputException("token", "this invitation is no longer pending"));
        validatePassword(password, user.email());
        Instant now = clock.instant();
        if (!activations.markUsed(activation.id(), now)) {
            throw new InvalidInputException("token", "this activation link has already been used");
        }
        users.activate(user.id(), passwordEncoder.encode(password), now);
        UserAccount active = users.find(user.id()).orElseThrow();
        events.publishEvent(new ChangeRecorded(now, user.id(), user.email(), user.organizationId(), "user.activated", OBJECT_TYPE,
                user.id().toString(), user.email() + " activated his account", user.summary(), active.summary()));
        return active;
    }

    /** First start and demo seeding: an active user with a known password, created by the system. */
    @Transactional
    public UserAccount createActive(UUID organizationId, String email, String displayName, Role role, String password) {
        String cleanEmail = validEmail(email);
        validatePassword(password, cleanEmail);
        if (users.findByEmail(cleanEmail).isPresent()) {
            throw new ConflictException("email", "the address " + cleanEmail + " already belongs to a user");
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        users.insert(new UserAccount(id, organizationId, cleanEmail, cleanDisplayName(displayName), role, UserStatus.INVITED, null, now, null, null));
        users.activate(id, passwordEncoder.encode(password), now);
        UserAccount user = users.find(id).orElseThrow();
        events.publishEvent(new ChangeRecorded(now, null, null, organizationId, "user.created", OBJECT_TYPE, id.toString(),
                "Created " + user.summary(), null, user.summary()));
        return user;
    }

    @Transactional(readOnly = true)
    public long count() {
        return users.count();
    }

    @Transactional(readOnly = true)
    public Optional<Instant> invitationExpiry(UUID userId) {
        return activations.latestExpiry(userId);
    }

    private Optional<Activations.Activation> usableActivation(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return activations.findByHash(Secrets.sha256(token))
                .filter(a -> a.usedAt() == null && a.revokedAt() == null && a.expiresAt().isAfter(now));
    }

    private void sendActivation(Viewer viewer, UserAccount user, Organization organization, boolean resent) {
        String token = Secrets.randomToken(32);
        Instant now = clock.instant();
        Instant expires = now.plus(activationValidity);
        activations.insert(user.id(), Secrets.sha256(token), now, expires);
        String link = baseUrl + "/activate?token=" + token;
        String body = """
                Hello%s,

                %s invited you to OpenPayer as %s of %s.

                Set your password and activate your account here (the link works once and expires on %s UTC):
                %s

                If you did not expect this invitation, you can ignore this email.
                """.formatted(
                user.displayName() == null ? "" : " " + user.displayName(),
                viewer.email(), user.role(), organization.name(),
                expires.toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "").replace("Z", ""), link);
        events.publishEvent(new MailRequested(organization.id(), user.email(),
                (resent ? "Reminder: " : "") + "Your OpenPayer invitation to " + organization.name(), body));
    }

    private void record(Viewer viewer, UserAccount user, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), user.organizationId(), action,
                OBJECT_TYPE, user.id().toString(), summary, before, after));
    }

    /** The address lower-cased and checked, or a field error naming "email". */
    public static String validEmailAddress(String email) {
        return validEmail(email);
    }

    static String validEmail(String email) {
        String clean = email == null ? "" : email.strip().toLowerCase();
        if (clean.isEmpty()) {
            throw new InvalidInputException("email", "must not be empty");
        }
        if (clean.length() > 320 || !EMAIL.matcher(clean).matches()) {
            throw new InvalidInputException("email", "is not a valid email address");
        }
        return clean;
    }

    private static String cleanDisplayName(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return null;
        }
        String clean = displayName.strip();
        if (clean.length() > 200) {
            throw new InvalidInputException("displayName", "must be at most 200 characters");
        }
        return clean;
    }

    static void validatePassword(String password, String email) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 128) {
            throw new InvalidInputException("password", "must be at most 128 characters");
        }
        if (password.equalsIgnoreCase(email)) {
            throw new InvalidInputException("password", "must not be your email address");
        }
    }
}
