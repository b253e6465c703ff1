package dev.openpayer.billing.web;

import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/price-books/{id}")
@Tag(name = "Price book rules", description = "Versioned pricing rules: edit the draft, publish it from a billing month on")
class PriceBookRuleApi {
    private final PriceBookRules rules;

    PriceBookRuleApi(PriceBookRules rules) {
        this.rules = rules;
    }

    record RuleSet(List<PriceBookRules.RuleInput> rules, String note) {}

    record Publish(String effectiveFrom) {}

    @GetMapping("/rules")
    @Operation(summary = "The rules in force this month, the draft (if any) and every published version")
    PriceBookRules.Overview overview(Viewer viewer, @PathVariable UUID id) {
        return rules.overview(viewer, id);
    }

    @PutMapping("/rules")
    @Operation(summary = "Replace the draft's rules (the order breaks ties between equally specific rules); ADMIN or BILLING_MANAGER")
    PriceBookRules.Version saveDraft(Viewer viewer, @PathVariable UUID id, @RequestBody RuleSet body) {
        return rules.saveDraft(viewer, id, body == null ? null : body.rules(), body == null ? null : body.note());
    }

    @PostMapping("/rules")
    @Operation(summary = "Append one rule to the draft (created from the rules in force when there is none)")
    ResponseEntity<PriceBookRules.Version> addRule(Viewer viewer, @PathVariable UUID id, @RequestBody PriceBookRules.RuleInput body) {
        return ResponseEntity.status(201).body(rules.addRule(viewer, id, body));
    }

    @DeleteMapping("/rules/{ruleId}")
    @Operation(summary = "Remove one rule from the draft")
    PriceBookRules.Version removeRule(Viewer viewer, @PathVariable UUID id, @PathVariable UUID ruleId) {
        return rules.removeRule(viewer, id, ruleId);
    }

    @DeleteMapping("/draft")
    @Operation(summary = "Discard the draft")
    ResponseEntity<Void> discard(Viewer viewer, @PathVariable UUID id) {
        rules.discardDraft(viewer, id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/versions")
    @Operation(summary = "Publish the draft as a new version, pricing every billing month from effectiveFrom (YYYY-MM) on")
    ResponseEntity<PriceBookRules.Version> publish(Viewer viewer, @PathVariable UUID id, @RequestBody Publish body) {
        PriceBookRules.Version v = rules.publish(viewer, id, Months.parse(body == null ? null : body.effectiveFrom(), "effectiveFrom"));
        return ResponseEntity.created(URI.create("/api/v1/price-books/" + id + "/versions/" + v.version())).body(v);
    }

    @GetMapping("/versions/{version}")
    PriceBookRules.Version version(Viewer viewer, @PathVariable UUID id, @PathVariable int version) {
        return rules.version(viewer, id, version);
    }
}
