package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.ApprovalPolicies;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Comparator;
import java.util.List;
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

/** The approvals inbox of a tenant's admins, and the tenant's approval policy. */
@Controller
@ConsolePage
class ApprovalPages {
    private final AccountOnboarding onboarding;
    private final ApprovalPolicies policies;
    private final Tenancy tenancy;
    private final BillingProfiles billingProfiles;

    ApprovalPages(AccountOnboarding onboarding, ApprovalPolicies policies, Tenancy tenancy, BillingProfiles billingProfiles) {
        this.onboarding = onboarding;
        this.policies = policies;
        this.tenancy = tenancy;
        this.billingProfiles = billingProfiles;
    }

    /** One request waiting for approval. */
    record Request(CustomerAccount account, String customer, String profile, String approver, String payer) {}

    @GetMapping("/aws/approvals")
    String inbox(Viewer viewer, Model model) {
        return inbox(viewer, null, "", FormErrors.none(), model);
    }

    private String inbox(Viewer viewer, UUID failed, String reason, FormErrors errors, Model model) {
        viewer.requireRole(Role.ADMIN);
        Map<UUID, Organization> organizations = tenancy.list(viewer, OrganizationQuery.ALL).stream()
                .collect(Collectors.toMap(Organization::id, Function.identity()));
        Map<UUID, BillingProfile> profiles = billingProfiles.list(viewer, null).stream().collect(Collectors.toMap(BillingProfile::id, Function.identity()));
        List<Request> requests = onboarding.approvals(viewer).stream()
                .sorted(Comparator.comparing(CustomerAccount::createdAt))
                .map(a -> new Request(a, name(organizations.get(a.customerId())),
                        profiles.containsKey(a.billingProfileId()) ? profiles.get(a.billingProfileId()).name() : "",
                        name(organizations.get(a.approverId())), onboarding.payerLabel(a)))
                .toList();
        model.addAttribute("requests", requests);
        model.addAttribute("failed", failed);
        model.addAttribute("reason", reason);
        model.addAttribute("errors", errors);
        return "aws/approvals";
    }

    @PostMapping("/aws/approvals/{id}/approve")
    String approve(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN);
        try {
            CustomerAccount account = onboarding.approve(viewer, id);
            redirect.addFlashAttribute("notice", "Approved AWS account " + account.label() + ": " + new AccountWords().status(account.status()) + ".");
            return "redirect:/aws/approvals";
        } catch (ConflictException e) {
            response.setStatus(409);
            return inbox(viewer, id, "", FormErrors.none().add("form", e.getMessage()), model);
        }
    }

    @PostMapping("/aws/approvals/{id}/decline")
    String decline(Viewer viewer, @PathVariable UUID id, @RequestParam(required = false) String reason, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN);
        try {
            CustomerAccount account = onboarding.decline(viewer, id, reason);
            redirect.addFlashAttribute("notice", "Declined the request for AWS account " + account.label() + "; the requester is told why.");
            return "redirect:/aws/approvals";
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return inbox(viewer, id, reason, FormErrors.of(e), model);
        }
    }

    /** The switch on the organisation's page (shown there by {@link OrganizationPageAdditions}). */
    @PostMapping("/aws/approval-policies/{organizationId}")
    String setPolicy(Viewer viewer, @PathVariable UUID organizationId, @RequestParam(defaultValue = "false") boolean requiresApproval,
            RedirectAttributes redirect) {
        Organization organization = tenancy.visible(viewer, organizationId);
        boolean now = policies.set(viewer, organizationId, requiresApproval);
        redirect.addFlashAttribute("notice", now ? "Accounts requested below " + organization.name() + " now wait for its approval."
                : "Accounts requested below " + organization.name() + " no longer need its approval.");
        return "redirect:/organizations/" + organizationId;
    }

    private static String name(Organization organization) {
        return organization == null ? "" : organization.name();
    }
}
