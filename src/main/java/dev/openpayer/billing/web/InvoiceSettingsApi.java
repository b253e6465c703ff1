package dev.openpayer.billing.web;

import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/billing-profiles/{id}/invoice-settings")
@Tag(name = "Invoice settings", description = "Line grouping and tax of a billing profile's invoices, set by its seller")
class InvoiceSettingsApi {
    private final InvoiceSettings settings;

    InvoiceSettingsApi(InvoiceSettings settings) {
        this.settings = settings;
    }

    @GetMapping
    InvoiceSettings.Settings get(Viewer viewer, @PathVariable UUID id) {
        return settings.get(viewer, id);
    }

    @PutMapping
    @Operation(summary = "Grouping ACCOUNT_SERVICE, SERVICE or ACCOUNT; tax PASS_THROUGH (AWS tax lines) or RATE (taxRate % of the subtotal)")
    InvoiceSettings.Settings save(Viewer viewer, @PathVariable UUID id, @RequestBody InvoiceSettings.Settings body) {
        return settings.save(viewer, id, body);
    }
}
