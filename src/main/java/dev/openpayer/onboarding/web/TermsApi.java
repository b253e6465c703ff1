package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.Terms;
import dev.openpayer.onboarding.TermsVersion;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Terms and conditions", description = "Versioned terms per territory and their acceptance by customers")
class TermsApi {
    private final Terms terms;

    TermsApi(Terms terms) {
        this.terms = terms;
    }

    record PublishTerms(String territory, String title, String body) {}

    record AcceptTerms(@NotNull UUID termsId) {}

    @GetMapping("/api/v1/terms")
    @Operation(summary = "Every published version of the terms")
    List<TermsVersion> list(Viewer viewer) {
        return terms.list();
    }

    @PostMapping("/api/v1/terms")
    @Operation(summary = "Publish a new version for a territory (ISO country code, or ALL); top-tenant ADMIN")
    ResponseEntity<TermsVersion> publish(Viewer viewer, @RequestBody PublishTerms body) {
        TermsVersion published = terms.publish(viewer, body.territory(), body.title(), body.body());
        return ResponseEntity.created(URI.create("/api/v1/terms/" + published.id())).body(published);
    }

    @GetMapping("/api/v1/terms/{id}")
    TermsVersion get(Viewer viewer, @PathVariable UUID id) {
        return terms.find(id);
    }

    @GetMapping("/api/v1/customers/{customerId}/terms")
    @Operation(summary = "The terms that apply to the customer in a country, and whether the customer accepted them")
    Terms.Status status(Viewer viewer, @PathVariable UUID customerId, @RequestParam(required = false) String country) {
        return terms.status(viewer, customerId, country);
    }

    @PostMapping("/api/v1/customers/{customerId}/terms")
    @Operation(summary = "Accept a version of the terms; an ADMIN of the customer itself")
    Terms.Acceptance accept(Viewer viewer, @PathVariable UUID customerId, @Valid @RequestBody AcceptTerms body) {
        return terms.accept(viewer, customerId, body.termsId());
    }
}
