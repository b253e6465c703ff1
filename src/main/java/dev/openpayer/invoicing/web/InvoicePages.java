package dev.openpayer.invoicing.web;

import dev.openpayer.invoicing.Invoice;
import dev.openpayer.invoicing.InvoiceRun;
import dev.openpayer.invoicing.Invoicing;
import dev.openpayer.invoicing.Margins;
import dev.openpayer.invoicing.Reconciliations;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The invoicing console: a month's invoices and credit notes, running a seller's month, one invoice with its
 * lines, issuing, crediting and its documents; the reconciliation of the AWS bills and the margin report.
 * The services decide what each viewer sees; the seller's side alone sees cost basis, pricing and margins.
 */
@Controller
@ConsolePage
class InvoicePages {
    /** How many runs the invoice list shows. */
    static final int RECENT_RUNS = 10;

    private final Invoicing invoicing;
    private final Reconciliations reconciliations;
    private final Margins margins;
    private final Tenancy tenancy;
    private final BillingProfiles profiles;

    InvoicePages(Invoicing invoicing, Reconciliations reconciliations, Margins margins, Tenancy tenancy, BillingProfiles profiles) {
        this.invoicing = invoicing;
        this.reconciliations = reconciliations;
        this.margins = margins;
        this.tenancy = tenancy;
        this.profiles = profiles;
    }

    /** The "Run month" form as typed. */
    record RunForm(UUID sellerId, String month) {}

    /** A seller's margin totals in one currency with the margin as a percentage of what was billed. */
    record SellerTotal(Margins.Total total, BigDecimal percent) {}

    /** Documents in one currency: how many and their total. */
    record CurrencyTotal(String currency, int count, BigDecimal total) {}

    // ------------------------------------------------------------------ the list and runs

    @GetMapping("/invoices")
    String list(Viewer viewer, @RequestParam(required = false) String month, @RequestParam(required = false) String status,
            @RequestParam(required = false) UUID run, Model model, HttpServletResponse response) {
        InvoiceRun shown = run == null ? null : invoicing.visibleRun(viewer, run);
        YearMonth chosen;
        Invoice.Status statusFilter;
        FormErrors errors = FormErrors.none();
        try {
            YearMonth parsed = Months.parse(month, "month");
            chosen = parsed != null ? parsed : shown != null ? shown.month() : lastMonth();
            statusFilter = status(status);
        } catch (InvalidInputException e) {
            response.setStatus(422);
            errors = FormErrors.of(e);
            chosen = lastMonth();
            statusFilter = null;
        }
        model.addAttribute("filterErrors", errors);
        return list(viewer, chosen, statusFilter, shown, new RunForm(defaultSeller(viewer), chosen.toString()), FormErrors.none(), model);
    }

    private String list(Viewer viewer, YearMonth month, Invoice.Status status, InvoiceRun shown, RunForm runForm, FormErrors runErrors, Model model) {
        List<Invoice> invoices = invoicing.list(viewer, month, null, status);
        boolean sellerSide = viewer.organizationType().sells();
        boolean mayRun = sellerSide && (viewer.role() == Role.ADMIN || viewer.role() == Role.BILLING_MANAGER);
        model.addAttribute("month", month);
        model.addAttribute("status", status);
        model.addAttribute("statuses", Invoice.Status.values());
        model.addAttribute("invoices", invoices);
        model.addAttribute("totals", totals(invoices));
        model.addAttribute("sellerSide", sellerSide);
        model.addAttribute("mayRun", mayRun);
        model.addAttribute("sellers", mayRun ? sellers(viewer) : List.of());
        model.addAttribute("runForm", runForm);
        model.addAttribute("errors", runErrors);
        model.addAttribute("run", shown);
        model.addAttribute("runs", sellerSide ? invoicing.runs(viewer, null, null).stream().limit(RECENT_RUNS).toList() : List.of());
        if (!model.containsAttribute("filterErrors")) {
            model.addAttribute("filterErrors", FormErrors.none());
        }
        return "invoices/list";
    }

    @PostMapping("/invoices/runs")
    String run(Viewer viewer, RunForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            YearMonth month = Months.required(form.month(), "month");
            InvoiceRun run = invoicing.run(viewer, form.sellerId(), month);
            if (run.status() == InvoiceRun.Status.COMPLETED) {
                redirect.addFlashAttribute("notice", "Ran " + run.month() + " for " + run.sellerName() + ": " + run.drafts() + " draft(s) computed, "
                        + run.corrections() + " correction(s), " + run.unchanged() + " unchanged.");
            }
            return "redirect:/invoices?month=" + run.month() + "&run=" + run.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            YearMonth shown;
            try {
                shown = Months.parse(form.month(), "month");
            } catch (InvalidInputException unparsable) {
                shown = null;
            }
            return list(viewer, shown == null || shown.isAfter(YearMonth.now(invoicing.clock())) ? lastMonth() : shown, null, null, form,
                    FormErrors.of(e), model);
        }
    }

    private YearMonth lastMonth() {
        return YearMonth.now(invoicing.clock()).minusMonths(1);
    }

    private static Invoice.Status status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Invoice.Status.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "must be DRAFT or ISSUED");
        }
    }

    /** The viewer's own organisation when it sells, then the resellers below it: the sellers whose month the viewer may run. */
    private List<Organization> sellers(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream().filter(o -> o.type().sells())
                .sorted(Comparator.comparing((Organization o) -> !o.id().equals(viewer.organizationId()))
                        .thenComparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    private static UUID defaultSeller(Viewer viewer) {
        return viewer.organizationType().sells() ? viewer.organizationId() : null;
    }

    private static List<CurrencyTotal> totals(List<Invoice> invoices) {
        Map<String, CurrencyTotal> byCurrency = new LinkedHashMap<>();
        for (Invoice i : invoices) {
            byCurrency.merge(i.currency(), new CurrencyTotal(i.currency(), 1, i.total()),
                    (a, b) -> new CurrencyTotal(a.currency(), a.count() + b.count(), a.total().add(b.total())));
        }
        return List.copyOf(byCurrency.values());
    }

    // ------------------------------------------------------------------ one invoice

    @GetMapping("/invoices/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        return show(viewer, invoicing.visible(viewer, id), null, "", FormErrors.none(), model);
    }

    private String show(Viewer viewer, Invoice invoice, String actionError, String reason, FormErrors errors, Model model) {
        model.addAttribute("invoice", invoice);
        model.addAttribute("billTo", profiles.find(invoice.billingProfileId()).orElse(null));
        model.addAttribute("mayAct", invoice.sellerView() && (viewer.role() == Role.ADMIN || viewer.role() == Role.BILLING_MANAGER));
        model.addAttribute("related", related(viewer, invoice));
        model.addAttribute("marginPercent", marginPercent(invoice));
        model.addAttribute("actionError", actionError);
        model.addAttribute("reason", reason);
        model.addAttribute("errors", errors);
        return "invoices/show";
    }

    /** The invoice this document corrects and the documents correcting it, as far as the viewer sees them. */
    private List<Invoice> related(Viewer viewer, Invoice invoice) {
        return invoicing.list(viewer, invoice.month(), invoice.customerId(), null).stream()
                .filter(i -> !i.id().equals(invoice.id()))
                .filter(i -> invoice.id().equals(i.correctsId()) || i.id().equals(invoice.correctsId())
                        || (invoice.correctsId() != null && invoice.correctsId().equals(i.correctsId())))
                .toList();
    }

    static BigDecimal marginPercent(Invoice invoice) {
        return percent(invoice.margin(), invoice.subtotal());
    }

    /** The margin as a percentage of the billed amount, two decimals; null when there is none or nothing was billed. */
    static BigDecimal percent(BigDecimal margin, BigDecimal billed) {
        if (margin == null || billed == null || billed.signum() == 0) {
            return null;
        }
        return margin.multiply(BigDecimal.valueOf(100)).divide(billed, 2, RoundingMode.HALF_EVEN);
    }

    @PostMapping("/invoices/{id}/issue")
    String issue(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Invoice current = invoicing.visible(viewer, id);
        try {
            Invoice issued = invoicing.issue(viewer, id);
            BillingProfile profile = profiles.find(issued.billingProfileId()).orElse(null);
            redirect.addFlashAttribute("notice", "Issued " + issued.label() + " to " + issued.billingProfileName()
                    + (profile == null || profile.contactEmails().isEmpty() ? "." : "; it was emailed to " + String.join(", ", profile.contactEmails()) + "."));
            return "redirect:/invoices/" + id;
        } catch (ConflictException e) {
            response.setStatus(409);
            return show(viewer, current, "Not issued: " + e.getMessage() + ".", "", FormErrors.none(), model);
        } catch (ForbiddenException e) {
            response.setStatus(403);
            return show(viewer, current, "Not issued: " + e.getMessage(), "", FormErrors.none(), model);
        }
    }

    @PostMapping("/invoices/{id}/credit-notes")
    String credit(Viewer viewer, @PathVariable UUID id, @RequestParam(required = false) String reason, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        Invoice current = invoicing.visible(viewer, id);
        try {
            Invoice note = invoicing.creditNote(viewer, id, reason);
            redirect.addFlashAttribute("notice", "Drafted a credit note for " + current.label() + " over " + note.total().toPlainString() + " "
                    + note.currency() + ". Check it, then issue it to send it.");
            return "redirect:/invoices/" + note.id();
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return show(viewer, current, null, reason == null ? "" : reason, FormErrors.of(e), model);
        } catch (ConflictException e) {
            response.setStatus(409);
            return show(viewer, current, "No credit note: " + e.getMessage() + ".", reason == null ? "" : reason, FormErrors.none(), model);
        } catch (ForbiddenException e) {
            response.setStatus(403);
            return show(viewer, current, "No credit note: " + e.getMessage(), reason == null ? "" : reason, FormErrors.none(), model);
        }
    }

    @PostMapping("/invoices/{id}/discard")
    String discard(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Invoice current = invoicing.visible(viewer, id);
        try {
            invoicing.discard(viewer, id);
            redirect.addFlashAttribute("notice", "Discarded the draft " + (current.kind() == Invoice.Kind.CREDIT_NOTE ? "credit note" : "invoice")
                    + " for " + current.billingProfileName() + " (" + current.month() + ")."
                    + (current.correctsId() == null ? " The next run of the month computes it again if there is something to bill." : ""));
            return "redirect:/invoices?month=" + current.month();
        } catch (ConflictException e) {
            response.setStatus(409);
            return show(viewer, current, "Not discarded: " + e.getMessage() + ".", "", FormErrors.none(), model);
        } catch (ForbiddenException e) {
            response.setStatus(403);
            return show(viewer, current, "Not discarded: " + e.getMessage(), "", FormErrors.none(), model);
        }
    }

    /** The PDF for the console (signed in with the session; the API has its own with tokens). */
    @GetMapping("/invoices/{id}/pdf")
    ResponseEntity<byte[]> pdf(Viewer viewer, @PathVariable UUID id) {
        Invoice invoice = invoicing.visible(viewer, id);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(Invoicing.fileName(invoice, "pdf")).build().toString())
                .body(invoicing.pdf(viewer, id));
    }

    @GetMapping("/invoices/{id}/csv")
    ResponseEntity<byte[]> csv(Viewer viewer, @PathVariable UUID id) {
        Invoice invoice = invoicing.visible(viewer, id);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(Invoicing.fileName(invoice, "csv")).build().toString())
                .body(invoicing.csv(viewer, id).getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ reconciliation and margins

    @GetMapping("/reconciliations")
    String reconciliation(Viewer viewer, @RequestParam(required = false) String month, Model model, HttpServletResponse response) {
        YearMonth chosen = month(month, model, response);
        model.addAttribute("month", chosen);
        Reconciliations.Reconciliation reconciliation = reconciliations.month(viewer, chosen);
        Map<UUID, String> sourceNames = new LinkedHashMap<>();
        reconciliation.payers().forEach(p -> sourceNames.putIfAbsent(p.sourceId(), p.sourceName()));
        model.addAttribute("reconciliation", reconciliation);
        model.addAttribute("sourceNames", sourceNames);
        return "invoices/reconciliation";
    }

    @GetMapping("/margins")
    String margins(Viewer viewer, @RequestParam(required = false) String month, Model model, HttpServletResponse response) {
        YearMonth chosen = month(month, model, response);
        model.addAttribute("month", chosen);
        Margins.Report report = margins.month(viewer, chosen);
        model.addAttribute("report", report);
        model.addAttribute("totals", report.totals().stream().map(t -> new SellerTotal(t, percent(t.margin(), t.billed()))).toList());
        return "invoices/margins";
    }

    /** The month asked for, last month when none; a mistyped month is shown as an error above last month's figures. */
    private YearMonth month(String value, Model model, HttpServletResponse response) {
        try {
            YearMonth parsed = Months.parse(value, "month");
            model.addAttribute("filterErrors", FormErrors.none());
            return parsed == null ? lastMonth() : parsed;
        } catch (InvalidInputException e) {
            response.setStatus(422);
            model.addAttribute("filterErrors", FormErrors.of(e));
            return lastMonth();
        }
    }
}
