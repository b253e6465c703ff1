package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.PayerAccount;
import dev.openpayer.onboarding.PayerAccounts;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/aws/payers")
@Tag(name = "AWS payer accounts", description = "The partner's management accounts into which customers' AWS accounts are invited")
class PayerAccountApi {
    private final PayerAccounts payers;

    PayerAccountApi(PayerAccounts payers) {
        this.payers = payers;
    }

    @GetMapping
    @Operation(summary = "Payer accounts: all for the top tenant, otherwise those your organisation may use")
    List<PayerAccount> list(Viewer viewer) {
        return payers.list(viewer);
    }

    @PostMapping
    @Operation(summary = "Register a payer account; top-tenant ADMIN")
    ResponseEntity<PayerAccount> register(Viewer viewer, @RequestBody PayerAccounts.Details body) {
        PayerAccount created = payers.register(viewer, body);
        return ResponseEntity.created(URI.create("/api/v1/aws/payers/" + created.id())).body(created);
    }

    @GetMapping("/{id}")
    PayerAccount get(Viewer viewer, @PathVariable UUID id) {
        return payers.visible(viewer, id);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a payer account's name, access, region, endpoint, eligibility and resellers; top-tenant ADMIN")
    PayerAccount update(Viewer viewer, @PathVariable UUID id, @RequestBody PayerAccounts.Details body) {
        return payers.update(viewer, id, body);
    }

    @PostMapping("/{id}/deactivate")
    PayerAccount deactivate(Viewer viewer, @PathVariable UUID id) {
        return payers.setActive(viewer, id, false);
    }

    @PostMapping("/{id}/reactivate")
    PayerAccount reactivate(Viewer viewer, @PathVariable UUID id) {
        return payers.setActive(viewer, id, true);
    }
}
