package dev.openpayer.billing.web;

import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.CustomLineItems.CustomLineItem;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.Months;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * How a billing profile is invoiced, for its seller's side: the invoice settings (line grouping, tax) and the
 * custom line items (fees and credits). The profile's own page, in tenancy, only links here.
 */
@Controller
@ConsolePage
class BillingProfileInvoicingPages {
    static final List<String> SETTINGS_FIELDS = List.of("grouping", "taxMode", "taxRate", "taxLabel");
    static final List<String> ITEM_FIELDS = List.of("description", "kind", "charge", "amount", "usageAccountId", "firstMonth", "lastMonth", "recurring");

    private final BillingProfiles profiles;
    private final Tenancy tenancy;
    private final InvoiceSettings settings;
    private final CustomLineItems items;
    private final Clock clock;

    BillingProfileInvoicingPages(BillingProfiles profiles, Tenancy tenancy, InvoiceSettings settings, CustomLineItems items, Clock clock) {
        this.profiles = profiles;
        this.tenancy = tenancy;
        this.settings = settings;
        this.items = items;
        this.clock = clock;
    }

    /** A profile, the organisation it bills and the one that bills it. */
    record Billed(BillingProfile profile, Organization buyer, Organization seller) {}

    /** A custom line item with its amount as the invoice shows it: "50.00 EUR" or "5 % of usage". */
    record ItemRow(CustomLineItem item, String amount) {
        static ItemRow of(CustomLineItem item, String currency) {
            if (item.charge() == CustomLineItems.Charge.PERCENT) {
                return new ItemRow(item, item.amount().toPlainString() + " % of usage");
            }
            int digits = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
            BigDecimal amount = item.amount().scale() < digits ? item.amount().setScale(digits) : item.amount();
            return new ItemRow(item, amount.toPlainString() + " " + currency);
        }
    }

    /** The settings form as typed; the tax rate stays text. */
    record SettingsForm(String grouping, String taxMode, String taxRate, String taxLabel) {
        static SettingsForm of(InvoiceSettings.Settings s) {
            return new SettingsForm(s.grouping().name(), s.taxMode().name(), s.taxRate() == null ? "" : s.taxRate().toPlainString(),
                    s.taxLabel() == null ? "" : s.taxLabel());
        }
    }

    /** The custom line item form as typed; {@code oneTime} is the checkbox ("true" when ticked). */
    record ItemForm(String description, String kind, String charge, String amount, String usageAccountId, String firstMonth, String lastMonth,
            String oneTime) {
        static ItemForm empty(YearMonth month) {
            return new ItemForm("", "FEE", "FLAT", "", "", month.toString(), "", null);
        }

        public boolean isOneTime() {
            return oneTime != null && !oneTime.isBlank() && !"false".equalsIgnoreCase(oneTime);
        }
    }

    /** The profile if the viewer is on its seller's side (the seller or above), else 403: the buyer does not set how he is invoiced. */
    Optional<Billed> billed(Viewer viewer, BillingProfile profile) {
        Organization buyer = tenancy.find(profile.organizationId()).orElseThrow();
        if (buyer.parentId() == null) {
            return Optional.empty();
        }
        Organization seller = tenancy.find(buyer.parentId()).orElseThrow();
        return viewer.covers(seller) ? Optional.of(new Billed(profile, buyer, seller)) : Optional.empty();
    }

    private Billed billed(Viewer viewer, UUID id) {
        BillingProfile profile = profiles.visible(viewer, id);
        return billed(viewer, profile).orElseThrow(() -> new ForbiddenException(
                "How \"" + profile.name() + "\" is invoiced is set by the organisation that bills it, not by its own users."));
    }

    @GetMapping("/billing-profiles/{id}/invoicing")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        Billed billed = billed(viewer, id);
        return show(viewer, billed, SettingsForm.of(settings.of(id)), FormErrors.none(), ItemForm.empty(YearMonth.now(clock)), FormErrors.none(), model);
    }

    private String show(Viewer viewer, Billed billed, SettingsForm settingsForm, FormErrors settingsErrors, ItemForm itemForm, FormErrors itemErrors,
            Model model) {
        model.addAttribute("profile", billed.profile());
        model.addAttribute("buyer", billed.buyer());
        model.addAttribute("seller", billed.seller());
        model.addAttribute("chain", tenancy.chain(viewer, billed.buyer()));
        model.addAttribute("settings", settings.get(viewer, billed.profile().id()));
        model.addAttribute("items", items.list(viewer, billed.profile().id()).stream().map(i -> ItemRow.of(i, billed.profile().currency())).toList());
        model.addAttribute("settingsForm", settingsForm);
        model.addAttribute("settingsErrors", settingsErrors);
        model.addAttribute("settingsFields", SETTINGS_FIELDS);
        model.addAttribute("itemForm", itemForm);
        model.addAttribute("itemErrors", itemErrors);
        model.addAttribute("itemFields", ITEM_FIELDS);
        model.addAttribute("thisMonth", YearMonth.now(clock));
        model.addAttribute("mayEdit", viewer.mayWrite());
        return "invoice-settings/show";
    }

    @PostMapping("/billing-profiles/{id}/invoice-settings")
    String saveSettings(Viewer viewer, @PathVariable UUID id, SettingsForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Billed billed = billed(viewer, id);
        FormErrors parsing = FormErrors.none();
        InvoiceSettings.Grouping grouping = parsing.choice(InvoiceSettings.Grouping.class, form.grouping(), "grouping");
        InvoiceSettings.TaxMode mode = parsing.choice(InvoiceSettings.TaxMode.class, form.taxMode(), "taxMode");
        BigDecimal rate = parsing.number(form.taxRate(), "taxRate", "50 or 19.5");
        try {
            // Nothing is saved with a value that could not be read.
            parsing.throwIfAny();
            InvoiceSettings.Settings saved = settings.save(viewer, id, new InvoiceSettings.Settings(id, grouping, mode, rate, form.taxLabel()));
            redirect.addFlashAttribute("notice", "Saved the invoice settings of \"" + billed.profile().name() + "\": " + saved.summary() + ".");
            return "redirect:/billing-profiles/" + id + "/invoicing";
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return show(viewer, billed, form, FormErrors.of(e), ItemForm.empty(YearMonth.now(clock)), FormErrors.none(), model);
        }
    }

    @PostMapping("/billing-profiles/{id}/custom-line-items")
    String addItem(Viewer viewer, @PathVariable UUID id, ItemForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Billed billed = billed(viewer, id);
        FormErrors parsing = FormErrors.none();
        CustomLineItems.Kind kind = parsing.choice(CustomLineItems.Kind.class, form.kind(), "kind");
        CustomLineItems.Charge charge = parsing.choice(CustomLineItems.Charge.class, form.charge(), "charge");
        BigDecimal amount = parsing.number(form.amount(), "amount", "50 or 19.5");
        YearMonth first = month(form.firstMonth(), "firstMonth", parsing);
        YearMonth last = form.isOneTime() ? null : month(form.lastMonth(), "lastMonth", parsing);
        CustomLineItems.Details details = new CustomLineItems.Details(id, form.usageAccountId(), form.description(), kind, charge, amount, first, last,
                !form.isOneTime());
        try {
            // Nothing is saved with a value that could not be read.
            parsing.throwIfAny();
            CustomLineItem created = items.create(viewer, details);
            redirect.addFlashAttribute("notice", "Added " + words(ItemRow.of(created, billed.profile().currency())) + ".");
            return "redirect:/billing-profiles/" + id + "/invoicing";
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return show(viewer, billed, SettingsForm.of(settings.of(id)), FormErrors.none(), form, FormErrors.of(e), model);
        }
    }

    @PostMapping("/billing-profiles/{id}/custom-line-items/{itemId}/remove")
    String removeItem(Viewer viewer, @PathVariable UUID id, @PathVariable UUID itemId, RedirectAttributes redirect) {
        Billed billed = billed(viewer, id);
        CustomLineItem item = items.visible(viewer, itemId);
        if (!item.billingProfileId().equals(id)) {
            throw new NotFoundException(CustomLineItems.OBJECT_TYPE, itemId);
        }
        items.delete(viewer, itemId);
        redirect.addFlashAttribute("notice", "Removed " + words(ItemRow.of(item, billed.profile().currency())) + " from future invoices.");
        return "redirect:/billing-profiles/" + id + "/invoicing";
    }

    /** "the fee "Support" (50.00 EUR, monthly from 2026-05)". */
    private static String words(ItemRow row) {
        CustomLineItem i = row.item();
        String months = !i.recurring() ? "once in " + i.firstMonth() : "monthly from " + i.firstMonth() + (i.lastMonth() == null ? "" : " to " + i.lastMonth());
        return "the " + i.kind().name().toLowerCase(Locale.ROOT) + " \"" + i.description() + "\" (" + row.amount() + ", " + months
                + (i.usageAccountId() == null ? "" : ", account " + i.usageAccountId()) + ")";
    }

    private static YearMonth month(String value, String field, FormErrors errors) {
        try {
            return Months.parse(value, field);
        } catch (InvalidInputException e) {
            e.errors().forEach(f -> errors.add(f.field(), f.message()));
            return null;
        }
    }
}
