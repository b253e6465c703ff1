package dev.openpayer.tenancy.web;

import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
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

/** The organisation tree: list with filters, one organisation with its chain, children, users and billing profiles. */
@Controller
@ConsolePage
class OrganizationPages {
    private final Tenancy tenancy;
    private final UserAccounts userAccounts;
    private final BillingProfiles billingProfiles;

    OrganizationPages(Tenancy tenancy, UserAccounts userAccounts, BillingProfiles billingProfiles) {
        this.tenancy = tenancy;
        this.userAccounts = userAccounts;
        this.billingProfiles = billingProfiles;
    }

    /** One line of the tree: the organisation, its depth below the viewer's and its parent's name. */
    record TreeRow(Organization organization, int depth, String parentName) {}

    record OrganizationForm(String type, String name, UUID parentId) {}

    @GetMapping("/organizations")
    String list(Viewer viewer, @RequestParam(required = false) String name, @RequestParam(required = false) OrganizationType type,
            @RequestParam(required = false) String status, Model model) {
        Boolean active = "active".equals(status) ? Boolean.TRUE : "inactive".equals(status) ? Boolean.FALSE : null;
        List<Organization> all = tenancy.list(viewer, OrganizationQuery.ALL);
        List<UUID> shown = tenancy.list(viewer, new OrganizationQuery(null, type, name, active)).stream().map(Organization::id).toList();
        model.addAttribute("rows", tree(all).stream().filter(r -> shown.contains(r.organization().id())).toList());
        model.addAttribute("filtered", name != null && !name.isBlank() || type != null || active != null);
        model.addAttribute("name", name);
        model.addAttribute("type", type);
        model.addAttribute("status", status);
        model.addAttribute("types", OrganizationType.values());
        return "organizations/list";
    }

    @GetMapping("/organizations/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        Organization organization = tenancy.visible(viewer, id);
        return show(viewer, organization, organization.name(), FormErrors.none(), model);
    }

    private String show(Viewer viewer, Organization organization, String renameValue, FormErrors errors, Model model) {
        model.addAttribute("organization", organization);
        model.addAttribute("chain", tenancy.chain(viewer, organization));
        model.addAttribute("children", tenancy.list(viewer, new OrganizationQuery(organization.id(), null, null, null)));
        model.addAttribute("users", viewer.isAdmin() ? userAccounts.inOrganization(viewer, organization.id()) : null);
        model.addAttribute("profiles", billingProfiles.list(viewer, organization.id()));
        model.addAttribute("childTypes", childTypes(organization));
        model.addAttribute("own", organization.id().equals(viewer.organizationId()));
        model.addAttribute("renameValue", renameValue);
        model.addAttribute("errors", errors);
        return "organizations/show";
    }

    @GetMapping("/organizations/new")
    String createForm(Viewer viewer, @RequestParam(required = false) UUID parentId, @RequestParam(required = false) OrganizationType type,
            Model model) {
        viewer.requireRole(Role.ADMIN);
        if (parentId != null) {
            tenancy.visible(viewer, parentId);
        }
        OrganizationType preset = type != null ? type : parentId == null ? null : parentTypeOf(viewer, parentId);
        return createForm(viewer, new OrganizationForm(preset == null ? null : preset.name(), "", parentId), FormErrors.none(), model);
    }

    private OrganizationType parentTypeOf(Viewer viewer, UUID parentId) {
        return tenancy.visible(viewer, parentId).type() == OrganizationType.RESELLER ? OrganizationType.CUSTOMER : null;
    }

    private String createForm(Viewer viewer, OrganizationForm form, FormErrors errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("parents", tenancy.list(viewer, OrganizationQuery.ALL).stream()
                .filter(o -> o.active() && o.type() != OrganizationType.CUSTOMER)
                .sorted(Comparator.comparing((Organization o) -> o.type()).thenComparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .toList());
        return "organizations/new";
    }

    @PostMapping("/organizations")
    String create(Viewer viewer, OrganizationForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN);
        OrganizationType type = null;
        FormErrors errors = FormErrors.none();
        if (form.type() == null || form.type().isBlank()) {
            errors.add("type", "choose whether this is a reseller or a customer");
        } else {
            try {
                type = OrganizationType.valueOf(form.type());
            } catch (IllegalArgumentException e) {
                errors.add("type", "must be RESELLER or CUSTOMER");
            }
        }
        if (form.name() == null || form.name().isBlank()) {
            errors.add("name", "must not be empty");
        }
        if (form.parentId() == null) {
            errors.add("parentId", "choose the organisation it belongs under");
        }
        try {
            errors.throwIfAny();
            Organization created = tenancy.create(viewer, type, form.name(), form.parentId());
            redirect.addFlashAttribute("notice", "Created " + created.type().name().toLowerCase() + " \"" + created.name() + "\".");
            return "redirect:/organizations/" + created.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return createForm(viewer, form, FormErrors.of(e), model);
        }
    }

    @PostMapping("/organizations/{id}/rename")
    String rename(Viewer viewer, @PathVariable UUID id, @RequestParam(required = false) String name, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        try {
            Organization renamed = tenancy.rename(viewer, id, name);
            redirect.addFlashAttribute("notice", "Renamed to \"" + renamed.name() + "\".");
            return "redirect:/organizations/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return show(viewer, tenancy.visible(viewer, id), name, FormErrors.of(e), model);
        }
    }

    @PostMapping("/organizations/{id}/deactivate")
    String deactivate(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        Organization changed = tenancy.setActive(viewer, id, false);
        redirect.addFlashAttribute("notice", "Deactivated \"" + changed.name() + "\". Its users and those below it can no longer sign in.");
        return "redirect:/organizations/" + id;
    }

    @PostMapping("/organizations/{id}/reactivate")
    String reactivate(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        Organization changed = tenancy.setActive(viewer, id, true);
        redirect.addFlashAttribute("notice", "Reactivated \"" + changed.name() + "\".");
        return "redirect:/organizations/" + id;
    }

    /** The types that may be created directly under an organisation. */
    static List<OrganizationType> childTypes(Organization parent) {
        List<OrganizationType> types = new ArrayList<>();
        for (OrganizationType type : OrganizationType.values()) {
            if (type.mayBeChildOf(parent.type())) {
                types.add(type);
            }
        }
        return types;
    }

    /** Depth-first order, siblings by name, indented relative to the viewer's own organisation. */
    static List<TreeRow> tree(List<Organization> all) {
        Map<UUID, Organization> byId = all.stream().collect(Collectors.toMap(Organization::id, Function.identity()));
        Map<UUID, List<Organization>> children = all.stream().filter(o -> o.parentId() != null)
                .collect(Collectors.groupingBy(Organization::parentId));
        List<TreeRow> rows = new ArrayList<>();
        all.stream().filter(o -> o.parentId() == null || !byId.containsKey(o.parentId()))
                .sorted(Comparator.comparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .forEach(root -> walk(root, 0, byId, children, rows));
        return rows;
    }

    private static void walk(Organization node, int depth, Map<UUID, Organization> byId, Map<UUID, List<Organization>> children,
            List<TreeRow> rows) {
        Organization parent = node.parentId() == null ? null : byId.get(node.parentId());
        rows.add(new TreeRow(node, depth, parent == null ? null : parent.name()));
        children.getOrDefault(node.id(), List.of()).stream()
                .sorted(Comparator.comparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .forEach(child -> walk(child, depth + 1, byId, children, rows));
    }
}
