package dev.openpayer.invoicing.web;

import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.invoicing.Invoicing;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.YearMonth;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * What a price book's draft would change: each billing profile it prices, the month's subtotal under the
 * version in force and under the draft. It lives here, not with the price book pages, because pricing a month
 * takes the invoicing run's plan and the lake, which billing does not know.
 */
@Controller
@ConsolePage
class PricePreviewPages {
    private final PriceBooks priceBooks;
    private final Invoicing invoicing;
    private final Clock clock;

    PricePreviewPages(PriceBooks priceBooks, Invoicing invoicing, Clock clock) {
        this.priceBooks = priceBooks;
        this.invoicing = invoicing;
        this.clock = clock;
    }

    @GetMapping("/price-books/{id}/preview")
    String preview(Viewer viewer, @PathVariable UUID id, @RequestParam(required = false) String month, Model model, HttpServletResponse response) {
        PriceBook book = priceBooks.visible(viewer, id);
        String typed = month == null || month.isBlank() ? YearMonth.now(clock).minusMonths(1).toString() : month.strip();
        model.addAttribute("book", book);
        model.addAttribute("month", typed);
        model.addAttribute("errors", FormErrors.none());
        model.addAttribute("preview", null);
        try {
            model.addAttribute("preview", invoicing.preview(viewer, book.id(), Months.required(typed, "month")));
        } catch (InvalidInputException e) {
            response.setStatus(422);
            model.addAttribute("errors", FormErrors.of(e));
        } catch (ConflictException e) {
            response.setStatus(409);
            model.addAttribute("errors", FormErrors.of(e));
        }
        return "price-books/preview";
    }
}
