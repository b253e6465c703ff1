package dev.openpayer.audit.web;

import dev.openpayer.audit.AuditEvent;
import dev.openpayer.audit.AuditLog;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit-events")
@Tag(name = "Audit log", description = "Every change: who, in which tenant, what, when, before and after")
class AuditApi {
    private final AuditLog auditLog;

    AuditApi(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GetMapping
    @Operation(summary = "Changes in your subtree, newest first",
            description = "action matches by prefix (organization., user.invited); from/to are ISO-8601 instants; limit 1..1000 (default 100)")
    List<AuditEvent> list(Viewer viewer, @RequestParam(required = false) String action, @RequestParam(required = false) String objectType,
            @RequestParam(required = false) String objectId, @RequestParam(required = false) UUID organizationId,
            @RequestParam(required = false) String actor, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) Integer limit) {
        return auditLog.list(viewer, new AuditLog.Query(action, objectType, objectId, organizationId, actor, from, to, limit));
    }
}
