package dev.openpayer.billing.web;

import dev.openpayer.billing.Contract;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/contracts")
@Tag(name = "Contracts", description = "Contracts between a seller and the organisations it bills, with the price book applied")
class ContractApi {
    private final Contracts contracts;

    ContractApi(Contracts contracts) {
        this.contracts = contracts;
    }

    record CreateContract(@NotNull UUID sellerId, @NotNull UUID customerId, UUID priceBookId, @NotNull LocalDate startDate, LocalDate endDate,
            ContractStatus status) {}

    @GetMapping
    @Operation(summary = "Contracts where you are the seller or the customer (or above either)")
    List<Contract> list(Viewer viewer, @RequestParam(required = false) UUID customerId, @RequestParam(required = false) UUID sellerId,
            @RequestParam(required = false) ContractStatus status) {
        return contracts.list(viewer, customerId, sellerId, status);
    }

    @PostMapping
    @Operation(summary = "Create a contract (DRAFT by default, or ACTIVE); the seller's ADMIN or BILLING_MANAGER")
    ResponseEntity<Contract> create(Viewer viewer, @Valid @RequestBody CreateContract body) {
        Contract created = contracts.create(viewer, body.sellerId(), body.customerId(),
                new Contracts.Details(body.priceBookId(), body.startDate(), body.endDate(), body.status()));
        return ResponseEntity.created(URI.create("/api/v1/contracts/" + created.id())).body(created);
    }

    @GetMapping("/check")
    @Operation(summary = "Whether a customer has a contract in force today (needed before it can connect AWS accounts)")
    Contracts.Check check(Viewer viewer, @RequestParam UUID customerId) {
        return contracts.check(viewer, customerId);
    }

    @GetMapping("/{id}")
    Contract get(Viewer viewer, @PathVariable UUID id) {
        return contracts.visible(viewer, id);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change price book, dates or status (DRAFT → ACTIVE → ENDED); the seller's ADMIN or BILLING_MANAGER")
    Contract update(Viewer viewer, @PathVariable UUID id, @RequestBody Contracts.Details body) {
        return contracts.update(viewer, id, body);
    }
}
