package dev.openpayer.billing.web;

import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
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

/** Cost centers of end customers: list by customer, create, edit and delete. */
@Controller
@ConsolePage
class CostCenterPages {
    private final CostCenters costCenters;
    private final Scope scope;

    CostCenterPages(CostCenters costCenters, Scope scope) {
        this.costCenters = costCenters;
        this.scope = scope;
    }

    /** The form as typed. */
    record CostCenterForm(UUID customerId, String name, String code) {
        static CostCenterForm of(CostCenter c) {
            return new CostCenterForm(c.customerId(), c.name(), c.code());
        }

        CostCenters.Details details() {
            return new CostCenters.Details(name, code);
        }
    }

    @GetMapping("/cost-centers")
    String list(Viewer viewer, @RequestParam(required = false) UUID customerId, Model model) {
        model.addAttribute("centers", costCenters.list(viewer, customerId));
        model.addAttribute("organizations", scope.byId(viewer));
        model.addAttribute("customer", customerId == null ? null : scope.visible(viewer, customerId));
        model.addAttribute("customers", scope.customers(viewer));
        model.addAttribute("mayEdit", viewer.mayWrite());
        return "cost-centers/list";
    }

    @GetMapping("/cost-centers/new")
    String createForm(Viewer viewer, @RequestParam(required = false) UUID customerId, Model model) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        UUID customer = customerId != null ? scope.visible(viewer, customerId).id()
                : viewer.organizationType() == OrganizationType.CUSTOMER ? viewer.organizationId() : null;
        return createForm(viewer, new CostCenterForm(customer, "", ""), FormErrors.none(), model);
    }

    private String createForm(Viewer viewer, CostCenterForm form, FormErrors errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("customers", scope.customers(viewer));
        model.addAttribute("organizations", scope.byId(viewer));
        return "cost-centers/new";
    }

    @PostMapping("/cost-centers")
    String create(Viewer viewer, CostCenterForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        try {
            CostCenter created = costCenters.create(viewer, form.customerId(), form.details());
            redirect.addFlashAttribute("notice", "Created cost center " + created.summary() + ".");
            return "redirect:/cost-centers/" + created.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return createForm(viewer, form, FormErrors.of(e), model);
        }
    }

    @GetMapping("/cost-centers/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        CostCenter center = costCenters.visible(viewer, id);
        return show(viewer, center, CostCenterForm.of(center), FormErrors.none(), model);
    }

    private String show(Viewer viewer, CostCenter center, CostCenterForm form, FormErrors errors, Model model) {
        Organization customer = scope.visible(viewer, center.customerId());
        model.addAttribute("center", center);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("customer", customer);
        model.addAttribute("chain", scope.chain(viewer, customer));
        model.addAttribute("mayEdit", viewer.mayWrite());
        return "cost-centers/show";
    }

    @PostMapping("/cost-centers/{id}")
    String update(Viewer viewer, @PathVariable UUID id, CostCenterForm form, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        CostCenter current = costCenters.visible(viewer, id);
        try {
            CostCenter updated = costCenters.update(viewer, id, form.details());
            redirect.addFlashAttribute("notice", "Saved cost center " + updated.summary() + ".");
            return "redirect:/cost-centers/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return show(viewer, current, new CostCenterForm(current.customerId(), form.name(), form.code()), FormErrors.of(e), model);
        }
    }

    @PostMapping("/cost-centers/{id}/delete")
    String delete(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        CostCenter current = costCenters.visible(viewer, id);
        costCenters.delete(viewer, id);
        redirect.addFlashAttribute("notice", "Deleted cost center " + current.summary() + ".");
        return "redirect:/cost-centers?customerId=" + current.customerId();
    }
}
