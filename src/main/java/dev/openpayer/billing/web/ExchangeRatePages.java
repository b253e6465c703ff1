package dev.openpayer.billing.web;

import dev.openpayer.billing.ExchangeRates;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The monthly exchange rates invoices are converted with; the distributor's admins and billing managers record them. */
@Controller
@ConsolePage
class ExchangeRatePages {
    private final ExchangeRates rates;
    private final Clock clock;

    ExchangeRatePages(ExchangeRates rates, Clock clock) {
        this.rates = rates;
        this.clock = clock;
    }

    /** The form as typed; the rate stays text so that a typo is shown back as typed. */
    record RateForm(String month, String from, String to, String rate, String source) {}

    @GetMapping("/exchange-rates")
    String list(Viewer viewer, Model model) {
        return list(viewer, new RateForm(YearMonth.now(clock).minusMonths(1).toString(), "USD", "", "", ""), FormErrors.none(), model);
    }

    private String list(Viewer viewer, RateForm form, FormErrors errors, Model model) {
        model.addAttribute("rates", rates.list(null));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("mayRecord", mayRecord(viewer));
        // Who recorded a rate is the distributor's own business, as in the API.
        model.addAttribute("showRecorder", viewer.organizationType() == OrganizationType.DISTRIBUTOR);
        return "exchange-rates/list";
    }

    @PostMapping("/exchange-rates")
    String record(Viewer viewer, RateForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        if (!mayRecord(viewer)) {
            throw new dev.openpayer.shared.ForbiddenException("Exchange rates are recorded by the distributor's admins and billing managers.");
        }
        // What cannot be read goes to the service as missing, so that it refuses the rate and every other problem shows at once.
        FormErrors parsing = FormErrors.none();
        BigDecimal rate = null;
        if (form.rate() != null && !form.rate().isBlank()) {
            try {
                rate = new BigDecimal(form.rate().strip());
            } catch (NumberFormatException e) {
                parsing.add("rate", "\"" + form.rate().strip() + "\" is not a number: write it like 0.9215");
            }
        }
        YearMonth month = null;
        try {
            month = Months.parse(form.month(), "month");
        } catch (InvalidInputException e) {
            e.errors().forEach(f -> parsing.add(f.field(), f.message()));
        }
        try {
            ExchangeRates.ExchangeRate recorded = rates.record(viewer, month, form.from(), form.to(), rate, form.source());
            redirect.addFlashAttribute("notice", "Recorded " + recorded.month() + ": 1 " + recorded.from() + " = " + recorded.rate().toPlainString() + " "
                    + recorded.to() + ".");
            return "redirect:/exchange-rates";
        } catch (InvalidInputException e) {
            response.setStatus(422);
            FormErrors errors = FormErrors.none();
            FormErrors service = FormErrors.of(e);
            service.except(List.of("rate", "month")).forEach(f -> errors.add(f.field(), f.message()));
            for (String field : List.of("month", "rate")) {
                (parsing.has(field) ? parsing.of(field) : service.of(field)).forEach(m -> errors.add(field, m));
            }
            return list(viewer, form, errors, model);
        }
    }

    private static boolean mayRecord(Viewer viewer) {
        return viewer.organizationType() == OrganizationType.DISTRIBUTOR && (viewer.role() == Role.ADMIN || viewer.role() == Role.BILLING_MANAGER);
    }
}
