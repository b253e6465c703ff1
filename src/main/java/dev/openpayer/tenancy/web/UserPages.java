package dev.openpayer.tenancy.web;

import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.UserStatus;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Users: who is in which organisation with which role, invitations, and what each may access. Admins only. */
@Controller
@ConsolePage
class UserPages {
    private final Tenancy tenancy;
    private final UserAccounts userAccounts;
    private final BillingProfiles billingProfiles;

    UserPages(Tenancy tenancy, UserAccounts userAccounts, BillingProfiles billingProfiles) {
        this.tenancy = tenancy;
        this.userAccounts = userAccounts;
        this.billingProfiles = billingProfiles;
    }

    /** A user with his organisation, the expiry of a pending invitation and the names of his billing profiles. */
    record UserRow(UserAccount user, Organization organization, Instant invitationExpiry, List<String> profiles) {}

    record InviteForm(UUID organizationId, String email, String displayName, String role) {}

    @GetMapping("/users")
    String all(Viewer viewer, @RequestParam(required = false) String q, @RequestParam(required = false) UserStatus status,
            @RequestParam(required = false) Role role, Model model) {
        Map<UUID, Organization> organizations = organizations(viewer);
        String needle = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        List<UserRow> rows = userAccounts.inScope(viewer).stream()
                .filter(u -> status == null || u.status() == status)
                .filter(u -> role == null || u.role() == role)
                .filter(u -> needle.isEmpty() || u.email().contains(needle)
                        || u.displayName() != null && u.displayName().toLowerCase(Locale.ROOT).contains(needle))
                .map(u -> row(viewer, u, organizations.get(u.organizationId())))
                .toList();
        model.addAttribute("rows", rows);
        model.addAttribute("q", q);
        model.addAttribute("status", status);
        model.addAttribute("role", role);
        model.addAttribute("statuses", UserStatus.values());
        model.addAttribute("roles", Role.values());
        model.addAttribute("organization", null);
        return "users/list";
    }

    @GetMapping("/organizations/{organizationId}/users")
    String ofOrganization(Viewer viewer, @PathVariable UUID organizationId, Model model) {
        Organization organization = tenancy.visible(viewer, organizationId);
        List<UserRow> rows = userAccounts.inOrganization(viewer, organizationId).stream().map(u -> row(viewer, u, organization)).toList();
        model.addAttribute("rows", rows);
        model.addAttribute("organization", organization);
        model.addAttribute("chain", tenancy.chain(viewer, organization));
        return "users/list";
    }

    @GetMapping("/users/invite")
    String inviteForm(Viewer viewer, @RequestParam(required = false) UUID organizationId, Model model) {
        viewer.requireRole(Role.ADMIN);
        UUID preset = organizationId == null ? viewer.organizationId() : tenancy.visible(viewer, organizationId).id();
        return inviteForm(viewer, new InviteForm(preset, "", "", Role.ANALYST.name()), FormErrors.none(), model);
    }

    private String inviteForm(Viewer viewer, InviteForm form, FormErrors errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("roles", Role.values());
        model.addAttribute("organizations", tenancy.list(viewer, OrganizationQuery.ALL).stream().filter(Organization::active)
                .sorted(Comparator.comparing((Organization o) -> o.type()).thenComparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .toList());
        return "users/invite";
    }

    @PostMapping("/users/invite")
    String invite(Viewer viewer, InviteForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN);
        try {
            FormErrors errors = FormErrors.none();
            if (form.organizationId() == null) {
                errors.add("organizationId", "choose the organisation the user belongs to");
            }
            Role role = parseRole(form.role(), errors);
            errors.throwIfAny();
            UserAccount invited = userAccounts.invite(viewer, form.organizationId(), form.email(), form.displayName(), role);
            redirect.addFlashAttribute("notice", "Invited " + invited.email() + ". The activation link is valid for a limited time.");
            return "redirect:/organizations/" + invited.organizationId() + "/users/" + invited.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return inviteForm(viewer, form, FormErrors.of(e), model);
        }
    }

    @GetMapping("/organizations/{organizationId}/users/{userId}")
    String show(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId, Model model) {
        UserAccount user = userAccounts.visible(viewer, organizationId, userId);
        return show(viewer, user, user.role().name(), user.displayName(), FormErrors.none(), model);
    }

    private String show(Viewer viewer, UserAccount user, String roleValue, String displayNameValue, FormErrors errors, Model model) {
        Organization organization = tenancy.visible(viewer, user.organizationId());
        model.addAttribute("user", user);
        model.addAttribute("organization", organization);
        model.addAttribute("chain", tenancy.chain(viewer, organization));
        model.addAttribute("invitationExpiry", user.status() == UserStatus.INVITED ? userAccounts.invitationExpiry(user.id()).orElse(null) : null);
        model.addAttribute("profiles", billingProfiles.assignedTo(viewer, user.id()));
        model.addAttribute("self", user.id().equals(viewer.userId()));
        model.addAttribute("roles", Role.values());
        model.addAttribute("roleValue", roleValue);
        model.addAttribute("displayNameValue", displayNameValue);
        model.addAttribute("errors", errors);
        return "users/show";
    }

    @PostMapping("/organizations/{organizationId}/users/{userId}")
    String update(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId, @RequestParam(required = false) String role,
            @RequestParam(required = false) String displayName, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        UserAccount user = userAccounts.visible(viewer, organizationId, userId);
        try {
            FormErrors errors = FormErrors.none();
            Role parsed = parseRole(role, errors);
            errors.throwIfAny();
            UserAccount updated = userAccounts.update(viewer, organizationId, userId, parsed, displayName == null ? "" : displayName);
            redirect.addFlashAttribute("notice", "Saved the changes to " + updated.email() + ".");
            return "redirect:" + path(updated);
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return show(viewer, user, role, displayName, FormErrors.of(e), model);
        }
    }

    @PostMapping("/organizations/{organizationId}/users/{userId}/resend-invitation")
    String resend(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId, RedirectAttributes redirect) {
        UserAccount user = userAccounts.resendInvitation(viewer, organizationId, userId);
        redirect.addFlashAttribute("notice", "Sent a new activation link to " + user.email() + "; the previous link no longer works.");
        return "redirect:" + path(user);
    }

    @PostMapping("/organizations/{organizationId}/users/{userId}/revoke-invitation")
    String revoke(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId, RedirectAttributes redirect) {
        UserAccount user = userAccounts.revokeInvitation(viewer, organizationId, userId);
        redirect.addFlashAttribute("notice", "Revoked the invitation of " + user.email() + ".");
        return "redirect:" + path(user);
    }

    @PostMapping("/organizations/{organizationId}/users/{userId}/deactivate")
    String deactivate(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId, RedirectAttributes redirect) {
        UserAccount user = userAccounts.setActive(viewer, organizationId, userId, false);
        redirect.addFlashAttribute("notice", "Deactivated " + user.email() + ": he can no longer sign in.");
        return "redirect:" + path(user);
    }

    @PostMapping("/organizations/{organizationId}/users/{userId}/reactivate")
    String reactivate(Viewer viewer, @PathVariable UUID organizationId, @PathVariable UUID userId, RedirectAttributes redirect) {
        UserAccount user = userAccounts.setActive(viewer, organizationId, userId, true);
        redirect.addFlashAttribute("notice", "Reactivated " + user.email() + ".");
        return "redirect:" + path(user);
    }

    private UserRow row(Viewer viewer, UserAccount user, Organization organization) {
        Instant expiry = user.status() == UserStatus.INVITED ? userAccounts.invitationExpiry(user.id()).orElse(null) : null;
        List<String> profiles = billingProfiles.assignedTo(viewer, user.id()).stream().map(p -> p.name()).toList();
        return new UserRow(user, organization, expiry, profiles);
    }

    private Map<UUID, Organization> organizations(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream().collect(Collectors.toMap(Organization::id, Function.identity()));
    }

    private static Role parseRole(String value, FormErrors errors) {
        if (value == null || value.isBlank()) {
            errors.add("role", "choose a role");
            return null;
        }
        try {
            return Role.valueOf(value);
        } catch (IllegalArgumentException e) {
            errors.add("role", "must be ADMIN, BILLING_MANAGER or ANALYST");
            return null;
        }
    }

    private static String path(UserAccount user) {
        return "/organizations/" + user.organizationId() + "/users/" + user.id();
    }
}
