package dev.openpayer.billing.web;

import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
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
@RequestMapping("/api/v1/cost-centers")
@Tag(name = "Cost centers", description = "Cost centers of end customers")
class CostCenterApi {
    private final CostCenters costCenters;

    CostCenterApi(CostCenters costCenters) {
        this.costCenters = costCenters;
    }

    record CreateCostCenter(@NotNull UUID customerId, String name, String code) {}

    @GetMapping
    List<CostCenter> list(Viewer viewer, @RequestParam(required = false) UUID customerId) {
        return costCenters.list(viewer, customerId);
    }

    @PostMapping
    @Operation(summary = "Create a cost center for a customer; ADMIN or BILLING_MANAGER")
    ResponseEntity<CostCenter> create(Viewer viewer, @Valid @RequestBody CreateCostCenter body) {
        CostCenter created = costCenters.create(viewer, body.customerId(), new CostCenters.Details(body.name(), body.code()));
        return ResponseEntity.created(URI.create("/api/v1/cost-centers/" + created.id())).body(created);
    }

    @GetMapping("/{id}")
    CostCenter get(Viewer viewer, @PathVariable UUID id) {
        return costCenters.visible(viewer, id);
    }

    @PutMapping("/{id}")
    CostCenter update(Viewer viewer, @PathVariable UUID id, @RequestBody CostCenters.Details body) {
        return costCenters.update(viewer, id, body);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Viewer viewer, @PathVariable UUID id) {
        costCenters.delete(viewer, id);
        return ResponseEntity.noContent().build();
    }
}
