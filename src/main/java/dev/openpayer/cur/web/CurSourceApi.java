package dev.openpayer.cur.web;

import dev.openpayer.cur.CurFormat;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.Delivery;
import dev.openpayer.cur.DiscoveredReport;
import dev.openpayer.cur.Ingestion;
import dev.openpayer.cur.LakePartition;
import dev.openpayer.cur.Problem;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/cur/sources")
@Tag(name = "Cost data sources", description = "Cost and Usage Report locations: discovery, validation, ingestion into the lake and backfill")
class CurSourceApi {
    private final CurSources sources;
    private final CurIngestion ingestion;

    CurSourceApi(CurSources sources, CurIngestion ingestion) {
        this.sources = sources;
        this.ingestion = ingestion;
    }

    /** A source with its freshness and what the lake holds of it. */
    record SourceView(UUID id, String name, String location, CurSource.Owner owner, UUID organizationId, String accountId, UUID payerId, String roleArn,
            String region, String endpointOverride, boolean pathStyle, String reportKey, Instant createdAt, Instant lastDiscoveredAt,
            Instant lastDeliverySeen, Instant lastIngestedAt, UUID runningIngestion, List<LakePartition> periods) {}

    /** A discovered report, with its deliveries and every reason it is not usable. */
    record ReportView(String key, String name, String layout, CurFormat format, boolean usable, boolean ingestible, boolean chosen,
            List<DeliveryView> deliveries, List<Problem> problems) {}

    record DeliveryView(String billingPeriod, String deliveryId, int files, long bytes, Instant deliveredAt, String manifestKey) {}

    record ReportChoice(String reportKey) {}

    private SourceView view(CurSource s) {
        return new SourceView(s.id(), s.name(), s.location(), s.owner(), s.organizationId(), s.payerAccountId(), s.payerId(), s.roleArn(), s.region(),
                s.endpointOverride(), s.pathStyle(), s.reportKey(), s.createdAt(), s.lastDiscoveredAt(), s.lastDeliverySeen(), s.lastIngestedAt(),
                s.runningIngestion(), ingestion.partitions(s.id()));
    }

    private static List<ReportView> reports(CurSource source, List<DiscoveredReport> reports) {
        return reports.stream().map(r -> new ReportView(r.key(), r.name(), r.layout(), r.format(), r.usable(), r.ingestible(),
                r.key().equals(source.reportKey()) || (source.reportKey() == null && reports.size() == 1 && r.ingestible()),
                r.deliveries().stream().map((Delivery d) -> new DeliveryView(d.billingPeriod() == null ? null : d.billingPeriod().toString(),
                        d.deliveryId(), d.dataKeys().size(), d.bytes(), d.deliveredAt(), d.manifestKey())).toList(), r.problems())).toList();
    }

    @GetMapping
    @Operation(summary = "The report sources in your scope, with their freshness")
    List<SourceView> list(Viewer viewer) {
        return sources.list(viewer).stream().map(this::view).toList();
    }

    @PostMapping
    @Operation(summary = "Connect a report location (s3://bucket/prefix or file:/directory): a payer's (top-tenant ADMIN or BILLING_MANAGER) "
            + "or a customer's own management account's (customerId and its cross-account roleArn)")
    ResponseEntity<SourceView> create(Viewer viewer, @RequestBody CurSources.Details body) {
        CurSource created = sources.create(viewer, body);
        return ResponseEntity.created(URI.create("/api/v1/cur/sources/" + created.id())).body(view(created));
    }

    @GetMapping("/{id}")
    SourceView get(Viewer viewer, @PathVariable UUID id) {
        return view(sources.visible(viewer, id));
    }

    @PostMapping("/{id}/refresh")
    @Operation(summary = "Read the location again: discover its reports and validate them")
    List<ReportView> refresh(Viewer viewer, @PathVariable UUID id) {
        CurSource source = sources.changeable(viewer, id);
        return reports(source, sources.refresh(id));
    }

    @GetMapping("/{id}/reports")
    @Operation(summary = "The reports in the location, each with its deliveries and every reason it is not usable")
    List<ReportView> reports(Viewer viewer, @PathVariable UUID id) {
        CurSource source = sources.visible(viewer, id);
        return reports(source, sources.discover(id));
    }

    @PutMapping("/{id}/report")
    @Operation(summary = "Pick the report to ingest among those discovered")
    SourceView pick(Viewer viewer, @PathVariable UUID id, @RequestBody ReportChoice body) {
        return view(sources.pickReport(viewer, id, body == null ? null : body.reportKey()));
    }

    @PostMapping("/{id}/ingestions")
    @Operation(summary = "Start ingesting the deliveries the lake does not hold yet; follow it at the Location returned")
    ResponseEntity<Ingestion> ingest(Viewer viewer, @PathVariable UUID id) {
        Ingestion started = ingestion.start(viewer, id, "INGEST");
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/cur/sources/" + id + "/ingestions/" + started.id())).body(started);
    }

    @GetMapping("/{id}/ingestions")
    @Operation(summary = "The ingestions and backfills of the source, newest first")
    List<Ingestion> ingestions(Viewer viewer, @PathVariable UUID id) {
        return ingestion.ingestions(viewer, id);
    }

    @GetMapping("/{id}/ingestions/{runId}")
    @Operation(summary = "One ingestion: files, bytes, rows, elapsed time, throughput, status and the error naming the file")
    Ingestion ingestion(Viewer viewer, @PathVariable UUID id, @PathVariable UUID runId) {
        return ingestion.ingestion(viewer, id, runId);
    }

    @PostMapping("/{id}/backfill")
    @Operation(summary = "Ingest every historical billing period in the location; follow it at the Location returned")
    ResponseEntity<Ingestion> backfill(Viewer viewer, @PathVariable UUID id) {
        Ingestion started = ingestion.start(viewer, id, "BACKFILL");
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/cur/sources/" + id + "/ingestions/" + started.id())).body(started);
    }
}
