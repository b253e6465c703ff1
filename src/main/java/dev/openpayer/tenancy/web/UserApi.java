package dev.openpayer.tenancy.web;

import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.UserStatus;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/organizations/{organizationId}/users")
@Tag(name = "Users", description = "Users of an organisation: invitation, activation link, roles, deactivation (ADMIN)")
class UserApi {
    private final UserAccounts users;
    private final BillingProfiles billingProfiles;

    UserApi(UserAccounts users, BillingProfiles billingProfiles) {
        this.users = users;
        this.billingProfiles = billingProfiles;
    }

    record AssignedProfile(UUID id, String name) {}

    record UserView(UUID id, UUID organizationId, String email, String displayName, Role role, UserStatus status, Instant lockedUntil,
            Instant createdAt, Instant activatedAt, Instant lastLoginAt, Instant invitationExpiresAt, List<AssignedProfile> billingProfiles) {}

    record InviteUser(@NotBlank @Email @Size(max = 320) String email, @Size(max = 200) String displayName, @NotNull Role role) {}

    record UpdateUser(Role role, @Size(max = 200) String displayName) {}

    @GetMapping
    @Operation(summary = "Users of the organisation, with the billing profiles each is assigned to")
    List<UserView> list(Viewer viewer, @PathVariable UUID organizationId) {
        return users.inOrganization(viewer, organizationId).stream().map(u -> view(viewer, u)).toList();
    }

    @PostMapping
    @Operation(summary = "Invite a user by email; the email carries a single-use activation link")
    ResponseEntity<UserView> invite(Viewer viewer, @PathVariable UUID organizationId, @Valid @RequestBody InviteUser body) {
        UserAccount user = users.invite(viewer, organizationId, body.email(), body.displayName(), body.role());
        return ResponseEntity.created(URI.create("/api/v1/organizations/" + organizationId + "/users/" + user.id())).body(view(viewer, user));
    }

    @GetMapping("/{userId}")
    UserView get(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId) {
        return view(viewer, users.visible(viewer, organizationId, userId));
    }

    @PatchMapping("/{userId}")
    @Operation(summary = "Change a user's role or display name")
    UserView update(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId, @Valid @RequestBody UpdateUser body) {
        return view(viewer, users.update(viewer, organizationId, userId, body.role(), body.displayName()));
    }

    @PostMapping("/{userId}/resend-invitation")
    @Operation(summary = "Send a new activation link; the previous one stops working")
    UserView resend(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId) {
        return view(viewer, users.resendInvitation(viewer, organizationId, userId));
    }

    @PostMapping("/{userId}/revoke-invitation")
    UserView revoke(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId) {
        return view(viewer, users.revokeInvitation(viewer, organizationId, userId));
    }

    @PostMapping("/{userId}/deactivate")
    UserView deactivate(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId) {
        return view(viewer, users.setActive(viewer, organizationId, userId, false));
    }

    @PostMapping("/{userId}/reactivate")
    UserView reactivate(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId) {
        return view(viewer, users.setActive(viewer, organizationId, userId, true));
    }

    private UserView view(Viewer viewer, UserAccount u) {
        return new UserView(u.id(), u.organizationId(), u.email(), u.displayName(), u.role(), u.status(), u.lockedUntil(), u.createdAt(),
                u.activatedAt(), u.lastLoginAt(), u.status() == UserStatus.INVITED ? users.invitationExpiry(u.id()).orElse(null) : null,
                billingProfiles.assignedTo(viewer, u.id()).stream().map(p -> new AssignedProfile(p.id(), p.name())).toList());
    }
}
