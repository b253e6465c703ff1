package dev.openpayer.tenancy.web;

import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.UserStatus;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/** Billing profiles: who is invoiced, where and on which terms, and which users may access each profile. */
@Controller
@ConsolePage
class BillingProfilePages {
    private final BillingProfiles billingProfiles;
    private final Tenancy tenancy;
    private final UserAccounts userAccounts;

    BillingProfilePages(BillingProfiles billingProfiles, Tenancy tenancy, UserAccounts userAccounts) {
        this.billingProfiles = billingProfiles;
        this.tenancy = tenancy;
        this.userAccounts = userAccounts;
    }

    /** The form as typed; numbers stay text so that a typo is shown back as typed. */
    record ProfileForm(UUID organizationId, String name, String legalName, String addressLine1, String addressLine2, String city,
            String postalCode, String region, String country, String currency, String paymentTermsDays, String contactEmails) {

        static ProfileForm of(BillingProfile p) {
            return new ProfileForm(p.organizationId(), p.name(), p.legalName(), p.addressLine1(), p.addressLine2(), p.city(), p.postalCode(),
                    p.region(), p.country(), p.currency(), Integer.toString(p.paymentTermsDays()), String.join(", ", p.contactEmails()));
        }

        BillingProfile.Details details(FormErrors errors) {
            Integer terms = null;
            String text = paymentTermsDays == null ? "" : paymentTermsDays.strip();
            if (!text.isEmpty()) {
                try {
                    terms = Integer.valueOf(text);
                } catch (NumberFormatException e) {
                    errors.add("paymentTermsDays", "must be a whole number of days");
                }
            }
            return new BillingProfile.Details(name, legalName, addressLine1, addressLine2, city, postalCode, region, country, currency, terms,
                    contactEmails == null ? List.of() : List.of(contactEmails));
        }
    }

    /** A user who may be assigned to a profile, and whether he is. */
    record Candidate(UserAccount user, Organization organization, boolean assigned) {}

    @GetMapping("/billing-profiles")
    String list(Viewer viewer, @RequestParam(required = false) UUID organizationId, Model model) {
        Map<UUID, Organization> organizations = organizations(viewer);
        model.addAttribute("profiles", billingProfiles.list(viewer, organizationId));
        model.addAttribute("organizations", organizations);
        model.addAttribute("organization", organizationId == null ? null : tenancy.visible(viewer, organizationId));
        model.addAttribute("billable", billable(viewer));
        return "billing/list";
    }

    @GetMapping("/billing-profiles/new")
    String createForm(Viewer viewer, @RequestParam(required = false) UUID organizationId, Model model) {
        viewer.requireRole(Role.ADMIN);
        if (organizationId != null) {
            tenancy.visible(viewer, organizationId);
        }
        ProfileForm form = new ProfileForm(organizationId, "", "", "", "", "", "", "", "", "", "30", "");
        return createForm(viewer, form, FormErrors.none(), model);
    }

    private String createForm(Viewer viewer, ProfileForm form, FormErrors errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("billable", billable(viewer));
        model.addAttribute("profile", null);
        return "billing/form";
    }

    @PostMapping("/billing-profiles")
    String create(Viewer viewer, ProfileForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN);
        FormErrors parsing = FormErrors.none();
        BillingProfile.Details details = form.details(parsing);
        try {
            BillingProfile created = billingProfiles.create(viewer, form.organizationId(), details);
            redirect.addFlashAttribute("notice", "Created billing profile \"" + created.name() + "\".");
            return "redirect:/billing-profiles/" + created.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return createForm(viewer, form, merged(parsing, e), model);
        }
    }

    @GetMapping("/billing-profiles/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        BillingProfile profile = billingProfiles.visible(viewer, id);
        return show(viewer, profile, ProfileForm.of(profile), FormErrors.none(), FormErrors.none(), null, model);
    }

    private String show(Viewer viewer, BillingProfile profile, ProfileForm form, FormErrors errors, FormErrors assignmentErrors,
            Set<UUID> selected, Model model) {
        Organization organization = tenancy.visible(viewer, profile.organizationId());
        List<UserAccount> assignees = billingProfiles.assignees(viewer, profile.id());
        model.addAttribute("profile", profile);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("assignmentErrors", assignmentErrors);
        model.addAttribute("organization", organization);
        model.addAttribute("chain", tenancy.chain(viewer, organization));
        model.addAttribute("assignees", assignees);
        model.addAttribute("mayEdit", viewer.isAdmin() || viewer.role() == Role.BILLING_MANAGER);
        if (viewer.isAdmin()) {
            Set<UUID> chosen = selected != null ? selected : assignees.stream().map(UserAccount::id).collect(Collectors.toSet());
            model.addAttribute("candidates", candidates(viewer, organization, chosen));
        }
        return "billing/show";
    }

    @PostMapping("/billing-profiles/{id}")
    String update(Viewer viewer, @PathVariable UUID id, ProfileForm form, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        BillingProfile current = billingProfiles.visible(viewer, id);
        FormErrors parsing = FormErrors.none();
        BillingProfile.Details details = form.details(parsing);
        try {
            BillingProfile updated = billingProfiles.update(viewer, id, details);
            redirect.addFlashAttribute("notice", "Saved billing profile \"" + updated.name() + "\".");
            return "redirect:/billing-profiles/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return show(viewer, current, form, merged(parsing, e), FormErrors.none(), null, model);
        }
    }

    @PostMapping("/billing-profiles/{id}/assignments")
    String assign(Viewer viewer, @PathVariable UUID id, @RequestParam(name = "userIds", required = false) List<UUID> userIds, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        BillingProfile profile = billingProfiles.visible(viewer, id);
        List<UUID> wanted = userIds == null ? List.of() : userIds;
        try {
            List<UserAccount> assigned = billingProfiles.assign(viewer, id, wanted);
            redirect.addFlashAttribute("notice", assigned.isEmpty() ? "Nobody is assigned to \"" + profile.name() + "\" now."
                    : "Assigned \"" + profile.name() + "\" to " + assigned.stream().map(UserAccount::email).collect(Collectors.joining(", ")) + ".");
            return "redirect:/billing-profiles/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return show(viewer, profile, ProfileForm.of(profile), FormErrors.none(), FormErrors.of(e), Set.copyOf(wanted), model);
        }
    }

    @PostMapping("/billing-profiles/{id}/deactivate")
    String deactivate(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        BillingProfile changed = billingProfiles.setActive(viewer, id, false);
        redirect.addFlashAttribute("notice", "Deactivated billing profile \"" + changed.name() + "\".");
        return "redirect:/billing-profiles/" + id;
    }

    @PostMapping("/billing-profiles/{id}/reactivate")
    String reactivate(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        BillingProfile changed = billingProfiles.setActive(viewer, id, true);
        redirect.addFlashAttribute("notice", "Reactivated billing profile \"" + changed.name() + "\".");
        return "redirect:/billing-profiles/" + id;
    }

    /**
     * The service's errors, with the form's own message for a number it could not read (the service, given no
     * number, refuses the request too, so that nothing is stored and every other problem shows at once).
     */
    private static FormErrors merged(FormErrors parsing, RuntimeException e) {
        FormErrors service = FormErrors.of(e);
        if (parsing.isEmpty()) {
            return service;
        }
        FormErrors result = FormErrors.none();
        service.except(List.of("paymentTermsDays")).forEach(f -> result.add(f.field(), f.message()));
        parsing.of("paymentTermsDays").forEach(m -> result.add("paymentTermsDays", m));
        return result;
    }

    /** Users of the profile's organisation or an organisation above it, within the viewer's scope. */
    private List<Candidate> candidates(Viewer viewer, Organization owner, Set<UUID> chosen) {
        Map<UUID, Organization> organizations = organizations(viewer);
        return userAccounts.inScope(viewer).stream()
                .filter(u -> u.status() != UserStatus.REVOKED || chosen.contains(u.id()))
                .filter(u -> organizations.containsKey(u.organizationId()) && organizations.get(u.organizationId()).covers(owner))
                .map(u -> new Candidate(u, organizations.get(u.organizationId()), chosen.contains(u.id())))
                .sorted(Comparator.comparing((Candidate c) -> c.organization().path().length()).thenComparing(c -> c.user().email()))
                .toList();
    }

    private Map<UUID, Organization> organizations(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream().collect(Collectors.toMap(Organization::id, Function.identity()));
    }

    /** Organisations that may own a billing profile: active resellers and customers in scope. */
    private List<Organization> billable(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream()
                .filter(o -> o.active() && o.type() != OrganizationType.DISTRIBUTOR)
                .sorted(Comparator.comparing((Organization o) -> o.type()).thenComparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }
}
