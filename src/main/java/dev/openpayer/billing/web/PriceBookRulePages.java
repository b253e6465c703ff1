package dev.openpayer.billing.web;

import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.PricingRule;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The rules section of a price book's page: add rules to the draft, remove them, discard the draft, publish it
 * from a billing month on. A refused change shows the price book page again with the errors next to the fields.
 */
@Controller
@ConsolePage
class PriceBookRulePages {
    /** The fields of the "Add rule" form, as the page names them. */
    static final List<String> RULE_FIELDS = List.of("name", "serviceCode", "usageType", "operation", "regionId", "usageAccountId", "lineItemType",
            "tagKey", "tagValue", "action", "basis", "percent", "rate");

    private final PriceBooks priceBooks;
    private final PriceBookRules rules;
    private final PriceBookPages pages;

    PriceBookRulePages(PriceBooks priceBooks, PriceBookRules rules, PriceBookPages pages) {
        this.priceBooks = priceBooks;
        this.rules = rules;
        this.pages = pages;
    }

    /** The "Add rule" form as typed; choices and numbers stay text so that a typo is shown back as typed. */
    record RuleForm(String name, String serviceCode, String usageType, String operation, String regionId, String usageAccountId, String lineItemType,
            String tagKey, String tagValue, String action, String basis, String percent, String rate) {

        static RuleForm empty() {
            return new RuleForm("", "", "", "", "", "", "", "", "", "", PricingRule.Basis.UNBLENDED.name(), "", "");
        }

        /** The rule to add; what cannot be read is reported in {@code errors} and left out. */
        PriceBookRules.RuleInput input(FormErrors errors) {
            return new PriceBookRules.RuleInput(name, serviceCode, usageType, operation, regionId, usageAccountId, lineItemType, tagKey, tagValue,
                    errors.choice(PricingRule.Action.class, action, "action"), errors.choice(PricingRule.Basis.class, basis, "basis"),
                    errors.number(percent, "percent", "10 or 2.5"), errors.number(rate, "rate", "10 or 2.5"));
        }


    }

    @PostMapping("/price-books/{id}/rules")
    String add(Viewer viewer, @PathVariable UUID id, RuleForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        PriceBook book = priceBooks.visible(viewer, id);
        FormErrors parsing = FormErrors.none();
        PriceBookRules.RuleInput input = form.input(parsing);
        try {
            if (!parsing.isEmpty()) {
                // Nothing is saved with a value that could not be read; the service's own checks still show at once.
                throw new InvalidInputException(merged(parsing, checked(input)));
            }
            PriceBookRules.Version draft = rules.addRule(viewer, id, input);
            PricingRule added = draft.rules().getLast();
            redirect.addFlashAttribute("notice", "Added rule " + (added.position() + 1) + " (" + added.describe() + ") to draft v" + draft.version() + ".");
            return "redirect:/price-books/" + id + "#rules";
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            model.addAttribute("ruleForm", form);
            model.addAttribute("ruleErrors", FormErrors.of(e));
            return pages.show(viewer, book, model);
        }
    }

    @PostMapping("/price-books/{id}/rules/{ruleId}/remove")
    String remove(Viewer viewer, @PathVariable UUID id, @PathVariable UUID ruleId, RedirectAttributes redirect) {
        priceBooks.visible(viewer, id);
        PriceBookRules.Version draft = rules.removeRule(viewer, id, ruleId);
        redirect.addFlashAttribute("notice", "Removed the rule from draft v" + draft.version() + "; " + draft.rules().size() + " rule(s) remain.");
        return "redirect:/price-books/" + id + "#rules";
    }

    @PostMapping("/price-books/{id}/draft/discard")
    String discard(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        priceBooks.visible(viewer, id);
        rules.discardDraft(viewer, id);
        redirect.addFlashAttribute("notice", "Discarded the draft; the published rules are unchanged.");
        return "redirect:/price-books/" + id + "#rules";
    }

    @PostMapping("/price-books/{id}/versions")
    String publish(Viewer viewer, @PathVariable UUID id, @RequestParam(required = false) String effectiveFrom, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        PriceBook book = priceBooks.visible(viewer, id);
        try {
            YearMonth month = Months.parse(effectiveFrom, "effectiveFrom");
            PriceBookRules.Version published = rules.publish(viewer, id, month);
            redirect.addFlashAttribute("notice", "Published v" + published.version() + " with " + published.rules().size() + " rule(s), effective from "
                    + published.effectiveFrom() + ".");
            return "redirect:/price-books/" + id + "#rules";
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            model.addAttribute("publishMonth", effectiveFrom == null ? "" : effectiveFrom);
            model.addAttribute("publishErrors", FormErrors.of(e));
            return pages.show(viewer, book, model);
        }
    }

    /** The problems the service would find in the rule, named like the form's fields. */
    private static List<FieldError> checked(PriceBookRules.RuleInput in) {
        if (in.action() == null) {
            return List.of(new FieldError("action", "is required: MARKUP, DISCOUNT, FIXED_RATE, PASS_THROUGH or EXCLUDE"));
        }
        PricingRule rule = new PricingRule(null, 0, blank(in.name()), new PricingRule.Match(blank(in.serviceCode()), blank(in.usageType()),
                blank(in.operation()), blank(in.regionId()), blank(in.usageAccountId()), blank(in.lineItemType()), blank(in.tagKey()),
                blank(in.tagValue())), in.action(), in.basis() == null ? PricingRule.Basis.UNBLENDED : in.basis(), in.percent(), in.rate());
        return PricingRule.validate(List.of(rule)).stream()
                .map(f -> new FieldError(f.field().replaceFirst("^rules\\[0]\\.", ""), f.message()))
                .toList();
    }

    /** The form's own messages for what it could not read, and the service's for every other field. */
    private static List<FieldError> merged(FormErrors parsing, List<FieldError> service) {
        List<FieldError> result = new ArrayList<>();
        for (String field : RULE_FIELDS) {
            parsing.of(field).forEach(m -> result.add(new FieldError(field, m)));
        }
        service.stream().filter(f -> !parsing.has(f.field())).forEach(result::add);
        return result;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
