package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.PayerAccount;
import dev.openpayer.onboarding.PayerAccounts;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The partner's payer (management) accounts: list, register, edit, test the connection, deactivate; top-tenant admins only. */
@Controller
@ConsolePage
class PayerAccountPages {
    private static final List<String> FIELDS = List.of("accountId", "name", "accessMode", "roleArn", "externalId", "region", "endpointOverride",
            "allowedCountries", "requiresBusinessSupport", "resellerIds");

    private final PayerAccounts payers;
    private final Tenancy tenancy;

    PayerAccountPages(PayerAccounts payers, Tenancy tenancy) {
        this.payers = payers;
        this.tenancy = tenancy;
    }

    /** The form as typed. */
    record PayerForm(String accountId, String name, String accessMode, String roleArn, String externalId, String region, String endpointOverride,
            String allowedCountries, Boolean requiresBusinessSupport, List<UUID> resellerIds, Boolean acceptsDemoTenants) {

        static PayerForm of(PayerAccount p) {
            return new PayerForm(p.accountId(), p.name(), p.accessMode().name(), p.roleArn(), p.externalId(), p.region(), p.endpointOverride(),
                    String.join(", ", p.allowedCountries()), p.requiresBusinessSupport(), p.resellerIds(), p.acceptsDemoTenants());
        }

        PayerAccounts.Details details(FormErrors errors) {
            PayerAccount.AccessMode mode = PayerAccount.AccessMode.DEFAULT_CREDENTIALS;
            if (accessMode != null && !accessMode.isBlank()) {
                try {
                    mode = PayerAccount.AccessMode.valueOf(accessMode);
                } catch (IllegalArgumentException e) {
                    errors.add("accessMode", "must be DEFAULT_CREDENTIALS or ASSUME_ROLE");
                }
            }
            return new PayerAccounts.Details(accountId, name, mode, mode == PayerAccount.AccessMode.ASSUME_ROLE ? roleArn : null, externalId, region,
                    endpointOverride, allowedCountries == null ? List.of() : List.of(allowedCountries), Boolean.TRUE.equals(requiresBusinessSupport),
                    resellerIds == null ? List.of() : resellerIds, Boolean.TRUE.equals(acceptsDemoTenants));
        }

        public boolean chosen(UUID reseller) {
            return resellerIds != null && resellerIds.contains(reseller);
        }
    }

    @GetMapping("/aws/payers")
    String list(Viewer viewer, Model model) {
        requireTopAdmin(viewer);
        Map<UUID, Organization> resellers = resellers(viewer).stream().collect(Collectors.toMap(Organization::id, Function.identity()));
        model.addAttribute("payers", payers.list(viewer));
        model.addAttribute("resellerNames", resellers);
        return "aws/payers";
    }

    @GetMapping("/aws/payers/new")
    String createForm(Viewer viewer, Model model) {
        requireTopAdmin(viewer);
        return form(viewer, null, new PayerForm("", "", PayerAccount.AccessMode.DEFAULT_CREDENTIALS.name(), "", "", "us-east-1", "", "", false, List.of(), false),
                FormErrors.none(), model);
    }

    @PostMapping("/aws/payers")
    String register(Viewer viewer, PayerForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        requireTopAdmin(viewer);
        FormErrors parsing = FormErrors.none();
        PayerAccounts.Details details = form.details(parsing);
        try {
            parsing.throwIfAny();
            PayerAccount created = payers.register(viewer, details);
            redirect.addFlashAttribute("notice", "Registered payer account " + created.name() + " (" + created.accountId() + "). Test its connection.");
            return "redirect:/aws/payers/" + created.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return form(viewer, null, form, FormErrors.of(e), model);
        }
    }

    @GetMapping("/aws/payers/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        requireTopAdmin(viewer);
        PayerAccount payer = payer(id);
        return form(viewer, payer, PayerForm.of(payer), FormErrors.none(), model);
    }

    @PostMapping("/aws/payers/{id}")
    String update(Viewer viewer, @PathVariable UUID id, PayerForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        requireTopAdmin(viewer);
        PayerAccount payer = payer(id);
        FormErrors parsing = FormErrors.none();
        PayerAccounts.Details details = form.details(parsing);
        try {
            parsing.throwIfAny();
            PayerAccount updated = payers.update(viewer, id, details);
            redirect.addFlashAttribute("notice", "Saved payer account " + updated.name() + ".");
            return "redirect:/aws/payers/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return form(viewer, payer, form, FormErrors.of(e), model);
        }
    }

    @PostMapping("/aws/payers/{id}/test")
    String test(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        requireTopAdmin(viewer);
        PayerAccount tested = payers.testConnection(viewer, id);
        redirect.addFlashAttribute("notice", tested.lastTest() != null && tested.lastTest().ok() ? "The connection works." : "The connection test failed: see below.");
        return "redirect:/aws/payers/" + id;
    }

    @PostMapping("/aws/payers/{id}/deactivate")
    String deactivate(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        PayerAccount changed = payers.setActive(viewer, id, false);
        redirect.addFlashAttribute("notice", "Deactivated payer account " + changed.name() + ": no new invitations go through it.");
        return "redirect:/aws/payers/" + id;
    }

    @PostMapping("/aws/payers/{id}/reactivate")
    String reactivate(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        PayerAccount changed = payers.setActive(viewer, id, true);
        redirect.addFlashAttribute("notice", "Reactivated payer account " + changed.name() + ".");
        return "redirect:/aws/payers/" + id;
    }

    private String form(Viewer viewer, PayerAccount payer, PayerForm form, FormErrors errors, Model model) {
        model.addAttribute("payer", payer);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("fields", FIELDS);
        model.addAttribute("resellers", resellers(viewer));
        model.addAttribute("accessModes", PayerAccount.AccessMode.values());
        return "aws/payer";
    }

    private PayerAccount payer(UUID id) {
        return payers.find(id).orElseThrow(() -> new NotFoundException(PayerAccounts.OBJECT_TYPE, id));
    }

    private List<Organization> resellers(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream()
                .filter(o -> o.type() == OrganizationType.RESELLER)
                .sorted(Comparator.comparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    private static void requireTopAdmin(Viewer viewer) {
        if (!viewer.isTopTenantAdmin()) {
            throw new ForbiddenException("Only admins of the top tenant manage payer accounts.");
        }
    }
}
