package dev.openpayer.tenancy.web;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/organizations")
@Tag(name = "Organizations", description = "The tenant tree: distributor, resellers, end customers")
class OrganizationApi {
    private final Tenancy tenancy;

    OrganizationApi(Tenancy tenancy) {
        this.tenancy = tenancy;
    }

    record ChainLink(UUID id, String name, OrganizationType type) {}

    record OrganizationView(UUID id, UUID parentId, OrganizationType type, String name, boolean active, List<ChainLink> chain,
            Instant createdAt, Instant updatedAt) {}

    record CreateOrganization(@NotNull OrganizationType type, @NotBlank @Size(max = 200) String name, @NotNull UUID parentId) {}

    record UpdateOrganization(@NotBlank @Size(max = 200) String name) {}

    @GetMapping
    @Operation(summary = "Organisations in your subtree", description = "Filter by parent, type, name (contains) and active flag.")
    List<OrganizationView> list(Viewer viewer, @RequestParam(required = false) UUID parentId,
            @RequestParam(required = false) OrganizationType type, @RequestParam(required = false) String name,
            @RequestParam(required = false) Boolean active) {
        return tenancy.list(viewer, new OrganizationQuery(parentId, type, name, active)).stream().map(o -> view(viewer, o)).toList();
    }

    @PostMapping
    @Operation(summary = "Create a reseller (under the distributor) or a customer (under the distributor or a reseller); ADMIN")
    ResponseEntity<OrganizationView> create(Viewer viewer, @Valid @RequestBody CreateOrganization body) {
        Organization created = tenancy.create(viewer, body.type(), body.name(), body.parentId());
        return ResponseEntity.created(URI.create("/api/v1/organizations/" + created.id())).body(view(viewer, created));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One organisation with its parent chain")
    OrganizationView get(Viewer viewer, @PathVariable UUID id) {
        return view(viewer, tenancy.visible(viewer, id));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Rename an organisation; ADMIN")
    OrganizationView rename(Viewer viewer, @PathVariable UUID id, @Valid @RequestBody UpdateOrganization body) {
        return view(viewer, tenancy.rename(viewer, id, body.name()));
    }

    @PostMapping("/{id}/deactivate")
    @Operation(summary = "Deactivate an organisation below yours: its users and those below it can no longer sign in; ADMIN")
    OrganizationView deactivate(Viewer viewer, @PathVariable UUID id) {
        return view(viewer, tenancy.setActive(viewer, id, false));
    }

    @PostMapping("/{id}/reactivate")
    @Operation(summary = "Reactivate an organisation; ADMIN")
    OrganizationView reactivate(Viewer viewer, @PathVariable UUID id) {
        return view(viewer, tenancy.setActive(viewer, id, true));
    }

    private OrganizationView view(Viewer viewer, Organization o) {
        List<ChainLink> chain = tenancy.chain(viewer, o).stream().map(c -> new ChainLink(c.id(), c.name(), c.type())).toList();
        return new OrganizationView(o.id(), o.parentId(), o.type(), o.name(), o.active(), chain, o.createdAt(), o.updatedAt());
    }
}
