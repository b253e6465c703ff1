package dev.openpayer.invoicing.web;

import dev.openpayer.invoicing.Invoice;
import dev.openpayer.invoicing.InvoiceRun;
import dev.openpayer.invoicing.Invoicing;
import dev.openpayer.invoicing.Margins;
import dev.openpayer.invoicing.Reconciliations;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Invoicing", description = "Invoice runs, invoices and credit notes, reconciliation with the AWS bill, margins")
class InvoiceApi {
    private final Invoicing invoicing;
    private final Reconciliations reconciliations;
    private final Margins margins;

    InvoiceApi(Invoicing invoicing, Reconciliations reconciliations, Margins margins) {
        this.invoicing = invoicing;
        this.reconciliations = reconciliations;
        this.margins = margins;
    }

    record RunRequest(UUID sellerId, String month) {}

    record CreditRequest(String reason) {}

    @PostMapping("/api/v1/invoice-runs")
    @Operation(summary = "Compute a seller's invoices for a month: drafts are created or updated, issued invoices get draft corrections")
    ResponseEntity<InvoiceRun> run(Viewer viewer, @RequestBody RunRequest body) {
        InvoiceRun run = invoicing.run(viewer, body == null ? null : body.sellerId(), Months.required(body == null ? null : body.month(), "month"));
        return ResponseEntity.created(URI.create("/api/v1/invoice-runs/" + run.id())).body(run);
    }

    @GetMapping("/api/v1/invoice-runs")
    List<InvoiceRun> runs(Viewer viewer, @RequestParam(required = false) UUID sellerId, @RequestParam(required = false) String month) {
        return invoicing.runs(viewer, sellerId, Months.parse(month, "month"));
    }

    @GetMapping("/api/v1/invoice-runs/{id}")
    InvoiceRun runById(Viewer viewer, @PathVariable UUID id) {
        return invoicing.visibleRun(viewer, id);
    }

    @GetMapping("/api/v1/invoices")
    @Operation(summary = "Invoices and credit notes of the billing profiles you may see (without lines; GET one for its lines)")
    List<Invoice> list(Viewer viewer, @RequestParam(required = false) String month, @RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) Invoice.Status status) {
        return invoicing.list(viewer, Months.parse(month, "month"), customerId, status);
    }

    @GetMapping("/api/v1/invoices/{id}")
    Invoice get(Viewer viewer, @PathVariable UUID id) {
        return invoicing.visible(viewer, id);
    }

    @GetMapping(value = "/api/v1/invoices/{id}/pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    ResponseEntity<byte[]> pdf(Viewer viewer, @PathVariable UUID id) {
        Invoice invoice = invoicing.visible(viewer, id);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(Invoicing.fileName(invoice, "pdf")).build().toString())
                .body(invoicing.pdf(viewer, id));
    }

    @GetMapping(value = "/api/v1/invoices/{id}/csv", produces = "text/csv")
    ResponseEntity<byte[]> csv(Viewer viewer, @PathVariable UUID id) {
        Invoice invoice = invoicing.visible(viewer, id);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(Invoicing.fileName(invoice, "csv")).build().toString())
                .body(invoicing.csv(viewer, id).getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping("/api/v1/invoices/{id}/issue")
    @Operation(summary = "Issue a draft: gapless number, frozen amounts, PDF, email to the billing contacts")
    Invoice issue(Viewer viewer, @PathVariable UUID id) {
        return invoicing.issue(viewer, id);
    }

    @PostMapping("/api/v1/invoices/{id}/credit-notes")
    @Operation(summary = "Draft a credit note for what remains of an issued invoice")
    ResponseEntity<Invoice> credit(Viewer viewer, @PathVariable UUID id, @RequestBody CreditRequest body) {
        Invoice note = invoicing.creditNote(viewer, id, body == null ? null : body.reason());
        return ResponseEntity.created(URI.create("/api/v1/invoices/" + note.id())).body(note);
    }

    @DeleteMapping("/api/v1/invoices/{id}")
    @Operation(summary = "Discard a draft")
    ResponseEntity<Void> discard(Viewer viewer, @PathVariable UUID id) {
        invoicing.discard(viewer, id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/reconciliations")
    @Operation(summary = "Per payer: the AWS bill = the customers' cost basis + unassigned accounts, exactly and to the cent; per customer: invoiced cost basis")
    Reconciliations.Reconciliation reconciliation(Viewer viewer, @RequestParam String month) {
        return reconciliations.month(viewer, Months.required(month, "month"));
    }

    @GetMapping("/api/v1/margins")
    @Operation(summary = "Billed amount against AWS cost (distributor) or wholesale price (reseller) per customer, on the seller's side")
    Margins.Report margins(Viewer viewer, @RequestParam String month) {
        return margins.month(viewer, Months.required(month, "month"));
    }

    @PostMapping("/api/v1/price-books/{id}/preview")
    @Operation(summary = "What a month would cost under the price book's draft, against the version in force")
    Invoicing.Preview preview(Viewer viewer, @PathVariable UUID id, @RequestParam String month) {
        return invoicing.preview(viewer, id, Months.required(month, "month"));
    }
}
