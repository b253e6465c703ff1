package dev.openpayer.billing.web;

import dev.openpayer.billing.Contract;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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

/**
 * Contracts between a seller and an organisation directly below it: list with filters, draft, edit,
 * activate and end. Only the seller's admins and billing managers change a contract.
 */
@Controller
@ConsolePage
class ContractPages {
    private final Contracts contracts;
    private final PriceBooks priceBooks;
    private final Scope scope;
    private final Clock clock;

    ContractPages(Contracts contracts, PriceBooks priceBooks, Scope scope, Clock clock) {
        this.contracts = contracts;
        this.priceBooks = priceBooks;
        this.scope = scope;
        this.clock = clock;
    }

    /** The form as typed; dates stay text so that a typo is shown back as typed. */
    record ContractForm(UUID sellerId, UUID customerId, UUID priceBookId, String startDate, String endDate, String status) {
        static ContractForm of(Contract c) {
            return new ContractForm(c.sellerId(), c.customerId(), c.priceBookId(), c.startDate().toString(),
                    c.endDate() == null ? "" : c.endDate().toString(), c.status().name());
        }

        Contracts.Details details(FormErrors errors) {
            ContractStatus parsed = null;
            if (status != null && !status.isBlank()) {
                try {
                    parsed = ContractStatus.valueOf(status);
                } catch (IllegalArgumentException e) {
                    errors.add("status", "must be DRAFT or ACTIVE");
                }
            }
            return new Contracts.Details(priceBookId, date("startDate", startDate, errors), date("endDate", endDate, errors), parsed);
        }

        private static LocalDate date(String field, String text, FormErrors errors) {
            String clean = text == null ? "" : text.strip();
            if (clean.isEmpty()) {
                return null;
            }
            try {
                return LocalDate.parse(clean);
            } catch (DateTimeParseException e) {
                errors.add(field, "must be a date such as 2026-01-31");
                return null;
            }
        }
    }

    @GetMapping("/contracts")
    String list(Viewer viewer, @RequestParam(required = false) UUID customerId, @RequestParam(required = false) UUID sellerId,
            @RequestParam(required = false) ContractStatus status, Model model) {
        model.addAttribute("contracts", contracts.list(viewer, customerId, sellerId, status));
        model.addAttribute("organizations", scope.byId(viewer));
        model.addAttribute("books", books(viewer));
        model.addAttribute("sellers", scope.sellers(viewer));
        model.addAttribute("billed", scope.billed(viewer));
        model.addAttribute("customer", customerId == null ? null : scope.visible(viewer, customerId));
        model.addAttribute("seller", sellerId == null ? null : scope.visible(viewer, sellerId));
        model.addAttribute("status", status);
        model.addAttribute("statuses", ContractStatus.values());
        model.addAttribute("filtered", customerId != null || sellerId != null || status != null);
        model.addAttribute("mayEdit", viewer.mayWrite());
        return "contracts/list";
    }

    @GetMapping("/contracts/new")
    String createForm(Viewer viewer, @RequestParam(required = false) UUID sellerId, @RequestParam(required = false) UUID customerId,
            Model model) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        UUID seller = sellerId == null ? null : scope.visible(viewer, sellerId).id();
        if (customerId != null) {
            Organization customer = scope.visible(viewer, customerId);
            if (seller == null && customer.parentId() != null && scope.byId(viewer).containsKey(customer.parentId())) {
                seller = customer.parentId();
            }
        }
        ContractForm form = new ContractForm(seller, customerId, null, LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString(), "",
                ContractStatus.DRAFT.name());
        return createForm(viewer, form, FormErrors.none(), model);
    }

    private String createForm(Viewer viewer, ContractForm form, FormErrors errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("sellers", scope.sellers(viewer));
        model.addAttribute("billed", scope.billed(viewer));
        model.addAttribute("organizations", scope.byId(viewer));
        model.addAttribute("priceBooks", priceBooks.list(viewer, null));
        return "contracts/new";
    }

    @PostMapping("/contracts")
    String create(Viewer viewer, ContractForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        FormErrors parsing = FormErrors.none();
        Contracts.Details details = form.details(parsing);
        try {
            parsing.throwIfAny();
            Contract created = contracts.create(viewer, form.sellerId(), form.customerId(), details);
            redirect.addFlashAttribute("notice", "Created contract with " + scope.visible(viewer, created.customerId()).name() + ", "
                    + created.summary() + ".");
            return "redirect:/contracts/" + created.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return createForm(viewer, form, FormErrors.of(e), model);
        }
    }

    @GetMapping("/contracts/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        Contract contract = contracts.visible(viewer, id);
        return show(viewer, contract, ContractForm.of(contract), FormErrors.none(), model);
    }

    private String show(Viewer viewer, Contract contract, ContractForm form, FormErrors errors, Model model) {
        Map<UUID, Organization> organizations = scope.byId(viewer);
        Organization seller = organizations.get(contract.sellerId());
        Organization customer = organizations.get(contract.customerId());
        boolean mayChange = viewer.mayWrite() && seller != null && contract.status() != ContractStatus.ENDED;
        model.addAttribute("contract", contract);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("seller", seller);
        model.addAttribute("customer", customer);
        model.addAttribute("chain", customer == null ? List.of() : scope.chain(viewer, customer));
        model.addAttribute("book", books(viewer).get(contract.priceBookId()));
        model.addAttribute("check", customer == null ? null : contracts.check(viewer, customer.id()));
        model.addAttribute("mayChange", mayChange);
        model.addAttribute("priceBooks", mayChange ? priceBooks.list(viewer, seller.id()) : List.of());
        model.addAttribute("mayActivate", mayChange && contract.status() == ContractStatus.DRAFT);
        model.addAttribute("mayEnd", mayChange && contract.status() == ContractStatus.ACTIVE);
        return "contracts/show";
    }

    @PostMapping("/contracts/{id}")
    String update(Viewer viewer, @PathVariable UUID id, ContractForm form, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        Contract current = contracts.visible(viewer, id);
        FormErrors parsing = FormErrors.none();
        Contracts.Details typed = form.details(parsing);
        ContractForm shown = new ContractForm(current.sellerId(), current.customerId(), form.priceBookId(), form.startDate(), form.endDate(),
                current.status().name());
        try {
            parsing.throwIfAny();
            Contract updated = contracts.update(viewer, id, new Contracts.Details(typed.priceBookId(),
                    current.status() == ContractStatus.DRAFT ? typed.startDate() : current.startDate(), typed.endDate(), current.status()));
            redirect.addFlashAttribute("notice", "Saved the contract: " + updated.summary() + ".");
            return "redirect:/contracts/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return show(viewer, current, shown, FormErrors.of(e), model);
        }
    }

    @PostMapping("/contracts/{id}/activate")
    String activate(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return transition(viewer, id, ContractStatus.ACTIVE, "Activated", model, response, redirect);
    }

    @PostMapping("/contracts/{id}/end")
    String end(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return transition(viewer, id, ContractStatus.ENDED, "Ended", model, response, redirect);
    }

    private String transition(Viewer viewer, UUID id, ContractStatus target, String verb, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        Contract current = contracts.visible(viewer, id);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        // Ending a contract ends it today unless its end date has already passed; the service fills in the day.
        LocalDate endDate = target == ContractStatus.ENDED && (current.endDate() == null || !current.endDate().isBefore(today)) ? null
                : current.endDate();
        try {
            Contract changed = contracts.update(viewer, id, new Contracts.Details(current.priceBookId(), current.startDate(), endDate, target));
            redirect.addFlashAttribute("notice", verb + " the contract: " + changed.summary() + ".");
            return "redirect:/contracts/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(409);
            return show(viewer, current, ContractForm.of(current), FormErrors.of(e), model);
        }
    }

    private Map<UUID, PriceBook> books(Viewer viewer) {
        return priceBooks.list(viewer, null).stream().collect(Collectors.toMap(PriceBook::id, Function.identity()));
    }
}
