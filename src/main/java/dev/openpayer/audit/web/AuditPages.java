package dev.openpayer.audit.web;

import dev.openpayer.audit.AuditEvent;
import dev.openpayer.audit.AuditLog;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log, filtered by action, object type, actor, organisation and date range (UTC days). */
@Controller
@ConsolePage
class AuditPages {
    static final List<String> OBJECT_TYPES = List.of("Organization", "User", "BillingProfile", "ApiToken", "Contract", "PriceBook", "CostCenter");
    private static final int LIMIT = 200;
    private final AuditLog auditLog;
    private final Tenancy tenancy;

    AuditPages(AuditLog auditLog, Tenancy tenancy) {
        this.auditLog = auditLog;
        this.tenancy = tenancy;
    }

    @GetMapping("/audit")
    String list(Viewer viewer, @RequestParam(required = false) String action, @RequestParam(required = false) String objectType,
            @RequestParam(required = false) String objectId, @RequestParam(required = false) String actor,
            @RequestParam(required = false) UUID organizationId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, Model model, HttpServletResponse response) {
        FormErrors errors = FormErrors.none();
        Instant fromInstant = day(from, "from", errors, false);
        Instant toInstant = day(to, "to", errors, true);
        List<AuditEvent> events = List.of();
        try {
            errors.throwIfAny();
            events = auditLog.list(viewer, new AuditLog.Query(action, objectType, objectId, organizationId, actor, fromInstant, toInstant, LIMIT));
        } catch (InvalidInputException e) {
            errors = FormErrors.of(e);
            response.setStatus(422);
        }
        model.addAttribute("events", events);
        model.addAttribute("limit", LIMIT);
        model.addAttribute("errors", errors);
        model.addAttribute("action", action);
        model.addAttribute("objectType", objectType);
        model.addAttribute("objectId", objectId);
        model.addAttribute("actor", actor);
        model.addAttribute("organizationId", organizationId);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("objectTypes", OBJECT_TYPES);
        model.addAttribute("organizations", tenancy.list(viewer, OrganizationQuery.ALL).stream()
                .sorted(Comparator.comparing(Organization::name, String.CASE_INSENSITIVE_ORDER)).toList());
        return "audit/list";
    }

    /** A yyyy-MM-dd day as the instant it starts (UTC), or the start of the next day for an inclusive upper bound. */
    private static Instant day(String value, String field, FormErrors errors, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(value.strip());
            return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(field, "must be a date like 2026-01-31");
            return null;
        }
    }
}
