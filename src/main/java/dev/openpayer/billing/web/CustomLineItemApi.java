package dev.openpayer.billing.web;

import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.CustomLineItems.CustomLineItem;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/custom-line-items")
@Tag(name = "Custom line items", description = "Fees and credits a seller adds to a billing profile's invoices")
class CustomLineItemApi {
    private final CustomLineItems items;

    CustomLineItemApi(CustomLineItems items) {
        this.items = items;
    }

    record Body(UUID billingProfileId, String usageAccountId, String description, CustomLineItems.Kind kind, CustomLineItems.Charge charge, BigDecimal amount,
            String firstMonth, String lastMonth, Boolean recurring) {
        CustomLineItems.Details details() {
            return new CustomLineItems.Details(billingProfileId, usageAccountId, description, kind, charge, amount, Months.parse(firstMonth, "firstMonth"),
                    Months.parse(lastMonth, "lastMonth"), recurring);
        }
    }

    @GetMapping
    @Operation(summary = "Custom line items of the billing profiles you bill (seller side only)")
    List<CustomLineItem> list(Viewer viewer, @RequestParam(required = false) UUID billingProfileId) {
        return items.list(viewer, billingProfileId);
    }

    @PostMapping
    @Operation(summary = "Add a fee or credit: FLAT (in the profile's currency) or PERCENT of billed usage, one month (recurring=false) or monthly")
    ResponseEntity<CustomLineItem> create(Viewer viewer, @RequestBody Body body) {
        CustomLineItem created = items.create(viewer, body == null ? null : body.details());
        return ResponseEntity.created(URI.create("/api/v1/custom-line-items/" + created.id())).body(created);
    }

    @GetMapping("/{id}")
    CustomLineItem get(Viewer viewer, @PathVariable UUID id) {
        return items.visible(viewer, id);
    }

    @PutMapping("/{id}")
    CustomLineItem update(Viewer viewer, @PathVariable UUID id, @RequestBody Body body) {
        return items.update(viewer, id, body == null ? null : body.details());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove the item from future invoices; issued invoices keep their lines")
    ResponseEntity<Void> delete(Viewer viewer, @PathVariable UUID id) {
        items.delete(viewer, id);
        return ResponseEntity.noContent().build();
    }
}
