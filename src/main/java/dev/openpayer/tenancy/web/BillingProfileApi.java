package dev.openpayer.tenancy.web;

import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
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
@RequestMapping("/api/v1/billing-profiles")
@Tag(name = "Billing profiles", description = "Who is invoiced, where, in which currency; and which users look after each profile")
class BillingProfileApi {
    private final BillingProfiles profiles;

    BillingProfileApi(BillingProfiles profiles) {
        this.profiles = profiles;
    }

    record CreateBillingProfile(@NotNull UUID organizationId, String name, String legalName, String addressLine1, String addressLine2,
            String city, String postalCode, String region, String country, String currency, Integer paymentTermsDays, List<String> contactEmails) {
        BillingProfile.Details details() {
            return new BillingProfile.Details(name, legalName, addressLine1, addressLine2, city, postalCode, region, country, currency,
                    paymentTermsDays, contactEmails);
        }
    }

    record Assignments(List<UUID> userIds) {}

    record Assignee(UUID id, String email, String role) {}

    @GetMapping
    @Operation(summary = "Billing profiles you may see: all of your subtree for an ADMIN, your assigned ones otherwise")
    List<BillingProfile> list(Viewer viewer, @RequestParam(required = false) UUID organizationId) {
        return profiles.list(viewer, organizationId);
    }

    @PostMapping
    @Operation(summary = "Create a billing profile for a customer or reseller; ADMIN")
    ResponseEntity<BillingProfile> create(Viewer viewer, @Valid @RequestBody CreateBillingProfile body) {
        BillingProfile created = profiles.create(viewer, body.organizationId(), body.details());
        return ResponseEntity.created(URI.create("/api/v1/billing-profiles/" + created.id())).body(created);
    }

    @GetMapping("/{id}")
    BillingProfile get(Viewer viewer, @PathVariable UUID id) {
        return profiles.visible(viewer, id);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Update a billing profile; ADMIN, or a BILLING_MANAGER assigned to it")
    BillingProfile update(Viewer viewer, @PathVariable UUID id, @RequestBody BillingProfile.Details body) {
        return profiles.update(viewer, id, body);
    }

    @PostMapping("/{id}/deactivate")
    BillingProfile deactivate(Viewer viewer, @PathVariable UUID id) {
        return profiles.setActive(viewer, id, false);
    }

    @PostMapping("/{id}/reactivate")
    BillingProfile reactivate(Viewer viewer, @PathVariable UUID id) {
        return profiles.setActive(viewer, id, true);
    }

    @GetMapping("/{id}/assignees")
    @Operation(summary = "The users assigned to the profile")
    List<Assignee> assignees(Viewer viewer, @PathVariable UUID id) {
        return profiles.assignees(viewer, id).stream().map(u -> new Assignee(u.id(), u.email(), u.role().name())).toList();
    }

    @PutMapping("/{id}/assignees")
    @Operation(summary = "Replace the users assigned to the profile; ADMIN")
    List<Assignee> assign(Viewer viewer, @PathVariable UUID id, @RequestBody Assignments body) {
        return profiles.assign(viewer, id, body.userIds()).stream().map(u -> new Assignee(u.id(), u.email(), u.role().name())).toList();
    }
}
