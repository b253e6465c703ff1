package dev.openpayer.billing.web;

import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
@RequestMapping("/api/v1/price-books")
@Tag(name = "Price books", description = "Price books of the distributor and resellers (their rules: Price book rules)")
class PriceBookApi {
    private final PriceBooks priceBooks;

    PriceBookApi(PriceBooks priceBooks) {
        this.priceBooks = priceBooks;
    }

    record CreatePriceBook(@NotNull UUID ownerId, String name, String currency, String description) {}

    @GetMapping
    @Operation(summary = "Price books owned in your subtree, optionally of one owner")
    List<PriceBook> list(Viewer viewer, @RequestParam(required = false) UUID ownerId) {
        return priceBooks.list(viewer, ownerId);
    }

    @PostMapping
    @Operation(summary = "Create a price book for the distributor or a reseller; ADMIN or BILLING_MANAGER")
    ResponseEntity<PriceBook> create(Viewer viewer, @Valid @RequestBody CreatePriceBook body) {
        PriceBook created = priceBooks.create(viewer, body.ownerId(), new PriceBooks.Details(body.name(), body.currency(), body.description()));
        return ResponseEntity.created(URI.create("/api/v1/price-books/" + created.id())).body(created);
    }

    @GetMapping("/{id}")
    PriceBook get(Viewer viewer, @PathVariable UUID id) {
        return priceBooks.visible(viewer, id);
    }

    @PutMapping("/{id}")
    PriceBook update(Viewer viewer, @PathVariable UUID id, @RequestBody PriceBooks.Details body) {
        return priceBooks.update(viewer, id, body);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a price book that no contract applies")
    ResponseEntity<Void> delete(Viewer viewer, @PathVariable UUID id) {
        priceBooks.delete(viewer, id);
        return ResponseEntity.noContent().build();
    }
}
