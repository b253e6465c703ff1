package dev.openpayer.billing.web;

import dev.openpayer.billing.Contract;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
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
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Price books of the distributor and resellers: list by owner, create, edit, delete while no contract applies them. */
@Controller
@ConsolePage
class PriceBookPages {
    static final List<String> FIELDS = List.of("ownerId", "name", "currency", "description");

    private final PriceBooks priceBooks;
    private final Contracts contracts;
    private final Scope scope;
    private final PriceBookRules rules;
    private final Clock clock;

    PriceBookPages(PriceBooks priceBooks, Contracts contracts, Scope scope, PriceBookRules rules, Clock clock) {
        this.priceBooks = priceBooks;
        this.contracts = contracts;
        this.scope = scope;
        this.rules = rules;
        this.clock = clock;
    }

    /** The form as typed. */
    record PriceBookForm(UUID ownerId, String name, String currency, String description) {
        static PriceBookForm of(PriceBook p) {
            return new PriceBookForm(p.ownerId(), p.name(), p.currency(), p.description() == null ? "" : p.description());
        }

        PriceBooks.Details details() {
            return new PriceBooks.Details(name, currency, description);
        }
    }

    @GetMapping("/price-books")
    String list(Viewer viewer, @RequestParam(required = false) UUID ownerId, Model model) {
        model.addAttribute("books", priceBooks.list(viewer, ownerId));
        model.addAttribute("organizations", scope.byId(viewer));
        model.addAttribute("owner", ownerId == null ? null : scope.visible(viewer, ownerId));
        model.addAttribute("sellers", scope.sellers(viewer));
        model.addAttribute("mayEdit", viewer.mayWrite());
        return "price-books/list";
    }

    @GetMapping("/price-books/new")
    String createForm(Viewer viewer, @RequestParam(required = false) UUID ownerId, Model model) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        UUID owner = ownerId != null ? scope.visible(viewer, ownerId).id() : viewer.organizationType().sells() ? viewer.organizationId() : null;
        return createForm(viewer, new PriceBookForm(owner, "", "", ""), FormErrors.none(), model);
    }

    private String createForm(Viewer viewer, PriceBookForm form, FormErrors errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("sellers", scope.sellers(viewer));
        return "price-books/new";
    }

    @PostMapping("/price-books")
    String create(Viewer viewer, PriceBookForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        try {
            PriceBook created = priceBooks.create(viewer, form.ownerId(), form.details());
            redirect.addFlashAttribute("notice", "Created price book " + created.summary() + ".");
            return "redirect:/price-books/" + created.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return createForm(viewer, form, FormErrors.of(e), model);
        }
    }

    @GetMapping("/price-books/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        PriceBook book = priceBooks.visible(viewer, id);
        return show(viewer, book, PriceBookForm.of(book), FormErrors.none(), null, model);
    }

    private String show(Viewer viewer, PriceBook book, PriceBookForm form, FormErrors errors, String deleteError, Model model) {
        Organization owner = scope.visible(viewer, book.ownerId());
        List<Contract> applied = contracts.list(viewer, null, owner.id(), null).stream()
                .filter(c -> book.id().equals(c.priceBookId()))
                .toList();
        model.addAttribute("book", book);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("deleteError", deleteError);
        model.addAttribute("owner", owner);
        model.addAttribute("chain", scope.chain(viewer, owner));
        model.addAttribute("contracts", applied);
        model.addAttribute("organizations", scope.byId(viewer));
        model.addAttribute("mayEdit", viewer.mayWrite());
        addRules(viewer, book, model);
        return "price-books/show";
    }

    /** The page as it is, with whatever the model already holds for the rules section (a refused rule change shows its errors). */
    String show(Viewer viewer, PriceBook book, Model model) {
        return show(viewer, book, PriceBookForm.of(book), FormErrors.none(), null, model);
    }

    /** The rules section: the version in force, the draft, the history, and its forms as typed or fresh. */
    private void addRules(Viewer viewer, PriceBook book, Model model) {
        YearMonth now = YearMonth.now(clock);
        model.addAttribute("rules", rules.overview(viewer, book.id()));
        model.addAttribute("thisMonth", now);
        model.addAttribute("ruleFields", PriceBookRulePages.RULE_FIELDS);
        putIfAbsent(model, "ruleForm", PriceBookRulePages.RuleForm.empty());
        putIfAbsent(model, "ruleErrors", FormErrors.none());
        putIfAbsent(model, "publishMonth", now.plusMonths(1).toString());
        putIfAbsent(model, "publishErrors", FormErrors.none());
        putIfAbsent(model, "previewMonth", now.minusMonths(1).toString());
    }

    private static void putIfAbsent(Model model, String name, Object value) {
        if (!model.containsAttribute(name)) {
            model.addAttribute(name, value);
        }
    }

    @PostMapping("/price-books/{id}")
    String update(Viewer viewer, @PathVariable UUID id, PriceBookForm form, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        PriceBook current = priceBooks.visible(viewer, id);
        try {
            PriceBook updated = priceBooks.update(viewer, id, form.details());
            redirect.addFlashAttribute("notice", "Saved price book " + updated.summary() + ".");
            return "redirect:/price-books/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return show(viewer, current, new PriceBookForm(current.ownerId(), form.name(), form.currency(), form.description()),
                    FormErrors.of(e), null, model);
        }
    }

    @PostMapping("/price-books/{id}/delete")
    String delete(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        PriceBook current = priceBooks.visible(viewer, id);
        try {
            priceBooks.delete(viewer, id);
            redirect.addFlashAttribute("notice", "Deleted price book " + current.summary() + ".");
            return "redirect:/price-books?ownerId=" + current.ownerId();
        } catch (ConflictException e) {
            response.setStatus(409);
            return show(viewer, current, PriceBookForm.of(current), FormErrors.none(), "Not deleted: " + e.getMessage() + ".", model);
        }
    }
}
