package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.Terms;
import dev.openpayer.onboarding.TermsVersion;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Terms and conditions: the top tenant's admins publish versions per territory; a customer's admin accepts the version in force. */
@Controller
@ConsolePage
class TermsPages {
    private final Terms terms;
    private final Tenancy tenancy;
    private final OrganizationPageAdditions additions;

    TermsPages(Terms terms, Tenancy tenancy, OrganizationPageAdditions additions) {
        this.terms = terms;
        this.tenancy = tenancy;
        this.additions = additions;
    }

    record TermsForm(String territory, String title, String body) {}

    @GetMapping("/aws/terms")
    String list(Viewer viewer, Model model) {
        return list(viewer, new TermsForm(Terms.ALL_TERRITORIES, "", ""), FormErrors.none(), model);
    }

    private String list(Viewer viewer, TermsForm form, FormErrors errors, Model model) {
        model.addAttribute("versions", terms.list());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("mayPublish", viewer.isTopTenantAdmin());
        model.addAttribute("ownCustomer", viewer.organizationType() == OrganizationType.CUSTOMER ? viewer.organizationId() : null);
        return "aws/terms";
    }

    @PostMapping("/aws/terms")
    String publish(Viewer viewer, TermsForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        if (!viewer.isTopTenantAdmin()) {
            throw new ForbiddenException("Only admins of the top tenant publish terms and conditions.");
        }
        try {
            TermsVersion published = terms.publish(viewer, form.territory(), form.title(), form.body());
            redirect.addFlashAttribute("notice", "Published version " + published.version() + " for " + published.territory()
                    + ". Customers billed there must accept it before further accounts are connected.");
            return "redirect:/aws/terms";
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return list(viewer, form, FormErrors.of(e), model);
        }
    }

    @GetMapping("/aws/terms/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        model.addAttribute("terms", terms.find(id));
        return "aws/terms-version";
    }

    /** The terms that apply to a customer, per country of its billing profiles, with "I accept" for its own admins. */
    @GetMapping("/aws/terms/accept")
    String acceptance(Viewer viewer, @RequestParam(required = false) UUID customerId, Model model) {
        UUID id = customerId != null ? customerId : viewer.organizationId();
        Organization customer = tenancy.visible(viewer, id);
        if (customer.type() != OrganizationType.CUSTOMER) {
            throw new ForbiddenException("Terms are accepted by customers; " + customer.name() + " is not a customer.");
        }
        model.addAttribute("organization", customer);
        model.addAttribute("termsStatuses", additions.statuses(viewer, customer));
        model.addAttribute("mayAcceptTerms", viewer.isAdmin() && customer.id().equals(viewer.organizationId()));
        return "aws/terms-accept";
    }

    @PostMapping("/aws/terms/accept")
    String accept(Viewer viewer, @RequestParam UUID customerId, @RequestParam UUID termsId, RedirectAttributes redirect) {
        Terms.Acceptance acceptance = terms.accept(viewer, customerId, termsId);
        redirect.addFlashAttribute("notice", "Accepted version " + acceptance.version() + " of the terms for " + acceptance.territory() + ".");
        return "redirect:/organizations/" + customerId;
    }
}
