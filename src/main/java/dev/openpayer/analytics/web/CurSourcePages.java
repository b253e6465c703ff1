package dev.openpayer.analytics.web;

import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.DiscoveredReport;
import dev.openpayer.cur.IngestionRun;
import dev.openpayer.cur.LakePartition;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Cost data sources: the connection wizard, each source's discovered reports with every validation reason,
 * the report choice, and its ingestions with a live progress bar. Scope and rights are the cur module's: a
 * payer's report belongs to the top tenant, a customer's to the customer; whoever's subtree covers the owner
 * sees it, ADMINs and BILLING_MANAGERs act on it.
 */
@Controller
@ConsolePage
class CurSourcePages {
    /** The principal AWS's legacy CUR delivery writes with. */
    static final String DELIVERY_PRINCIPAL = "billingreports.amazonaws.com";

    private final CurSources sources;
    private final CurIngestion ingestion;
    private final Tenancy tenancy;

    CurSourcePages(CurSources sources, CurIngestion ingestion, Tenancy tenancy) {
        this.sources = sources;
        this.ingestion = ingestion;
        this.tenancy = tenancy;
    }

    /** A source with its freshness: the newest delivery the lake holds and the last ingestion run. */
    record Listed(CurSource source, String organizationName, Instant lastDelivery, IngestionRun lastRun, int periods) {}

    /** The form as typed: no customer means the payer's own report (top tenant only). */
    record SourceForm(String name, String location, UUID customerId, String roleArn, String region) {}

    @GetMapping("/cur/sources")
    String list(Viewer viewer, Model model) {
        List<Listed> listed = sources.list(viewer).stream().map(s -> {
            List<LakePartition> partitions = ingestion.partitions(s.id());
            Instant lastDelivery = partitions.stream().map(LakePartition::deliveredAt).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
            IngestionRun last = ingestion.runs(s.id()).stream().findFirst().orElse(null);
            return new Listed(s, organizationName(s), lastDelivery, last, partitions.size());
        }).toList();
        model.addAttribute("sources", listed);
        model.addAttribute("mayWrite", viewer.mayWrite());
        return "cur/list";
    }

    @GetMapping("/cur/sources/new")
    String createForm(Viewer viewer, Model model) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        return createForm(viewer, new SourceForm("", "", null, "", ""), FormErrors.none(), model);
    }

    private String createForm(Viewer viewer, SourceForm form, FormErrors errors, Model model) {
        model.addAttribute("customers", tenancy.list(viewer, new Tenancy.OrganizationQuery(null, OrganizationType.CUSTOMER, null, true)));
        model.addAttribute("payerReports", viewer.organizationType() == OrganizationType.DISTRIBUTOR);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("principal", DELIVERY_PRINCIPAL);
        model.addAttribute("bucketPolicy", bucketPolicy(form.location()));
        return "cur/new";
    }

    @PostMapping("/cur/sources")
    String create(Viewer viewer, SourceForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        try {
            CurSource created = sources.create(viewer, new CurSources.Details(form.name(), form.location() == null ? null : form.location().strip(),
                    form.customerId(), null, form.roleArn(), form.region(), null, false));
            redirect.addFlashAttribute("notice", "Connected \"" + created.name() + "\". Its reports are listed below with every reason one is not usable.");
            return "redirect:/cur/sources/" + created.id();
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(422);
            return createForm(viewer, form, FormErrors.of(e), model);
        }
    }

    @GetMapping("/cur/sources/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        CurSource source = visible(viewer, id);
        List<DiscoveredReport> reports;
        String discoveryError = null;
        try {
            reports = sources.discover(id);
        } catch (RuntimeException e) {
            reports = List.of();
            discoveryError = e.getMessage();
        }
        model.addAttribute("source", source);
        model.addAttribute("organizationName", organizationName(source));
        model.addAttribute("reports", reports);
        model.addAttribute("discoveryError", discoveryError);
        model.addAttribute("chosen", source.reportKey() != null ? source.reportKey() : reports.size() == 1 ? reports.get(0).key() : null);
        model.addAttribute("mayWrite", viewer.mayWrite());
        model.addAttribute("bucketPolicy", bucketPolicy(source.location()));
        runsModel(source, model);
        return "cur/show";
    }

    /** The ingestion history with the progress of running runs; the page polls it every second while something runs. */
    @GetMapping("/cur/sources/{id}/ingestions")
    String runs(Viewer viewer, @PathVariable UUID id, Model model) {
        runsModel(visible(viewer, id), model);
        return "cur/runs :: runs";
    }

    private void runsModel(CurSource source, Model model) {
        List<IngestionRun> runs = ingestion.runs(source.id());
        boolean running = source.runningIngestion() != null || runs.stream().anyMatch(r -> r.status() == IngestionRun.Status.RUNNING);
        model.addAttribute("source", source);
        model.addAttribute("runs", runs);
        model.addAttribute("partitions", ingestion.partitions(source.id()));
        model.addAttribute("running", running);
        model.addAttribute("refusal", null);
    }

    @PostMapping("/cur/sources/{id}/report")
    String pick(Viewer viewer, @PathVariable UUID id, @RequestParam String reportKey, RedirectAttributes redirect) {
        CurSource source = actionable(viewer, id);
        DiscoveredReport report = sources.discover(id).stream().filter(r -> r.key().equals(reportKey)).findFirst()
                .orElseThrow(() -> new InvalidInputException("reportKey", "no report " + reportKey + " in " + source.location()));
        sources.pickReport(viewer, id, report.key());
        redirect.addFlashAttribute("notice", "Using the report \"" + report.name() + "\"" + (report.usable() ? "."
                : report.ingestible() ? ": it can be ingested, but fix the reasons listed before billing with it." : ": it cannot be ingested until the reasons listed are fixed."));
        return "redirect:/cur/sources/" + id;
    }

    @PostMapping("/cur/sources/{id}/refresh")
    String refresh(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        visible(viewer, id);
        List<DiscoveredReport> reports = sources.discover(id);
        long usable = reports.stream().filter(DiscoveredReport::usable).count();
        redirect.addFlashAttribute("notice", "Validated again: " + reports.size() + " report" + (reports.size() == 1 ? "" : "s") + " found, " + usable + " usable.");
        return "redirect:/cur/sources/" + id;
    }

    @PostMapping("/cur/sources/{id}/ingest")
    String ingest(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        return launch(viewer, id, false, redirect);
    }

    @PostMapping("/cur/sources/{id}/backfill")
    String backfill(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        return launch(viewer, id, true, redirect);
    }

    private String launch(Viewer viewer, UUID id, boolean backfill, RedirectAttributes redirect) {
        actionable(viewer, id);
        try {
            ingestion.start(viewer, id, backfill ? "BACKFILL" : "INGEST");
            redirect.addFlashAttribute("notice", backfill ? "Backfill started: every billing period in the source is ingested; progress below."
                    : "Ingestion started; progress below.");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("notice", "Not started: " + e.getMessage());
        }
        return "redirect:/cur/sources/" + id;
    }

    // ---------------------------------------------------------------- scope

    private CurSource visible(Viewer viewer, UUID id) {
        return sources.visible(viewer, id);
    }

    private CurSource actionable(Viewer viewer, UUID id) {
        return sources.changeable(viewer, id);
    }

    private String organizationName(CurSource source) {
        return source.organizationId() == null ? "Installation" : tenancy.find(source.organizationId()).map(Organization::name).orElse("");
    }

    /** The bucket policy AWS's report delivery needs on the bucket of an {@code s3://bucket/prefix} location. */
    static String bucketPolicy(String location) {
        String bucket = "your-bucket";
        if (location != null && location.strip().startsWith("s3://")) {
            String rest = location.strip().substring(5);
            int slash = rest.indexOf('/');
            String b = slash < 0 ? rest : rest.substring(0, slash);
            if (!b.isBlank()) {
                bucket = b;
            }
        }
        return """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Effect": "Allow",
                      "Principal": { "Service": "%2$s" },
                      "Action": [ "s3:GetBucketAcl", "s3:GetBucketPolicy" ],
                      "Resource": "arn:aws:s3:::%1$s"
                    },
                    {
                      "Effect": "Allow",
                      "Principal": { "Service": "%2$s" },
                      "Action": "s3:PutObject",
                      "Resource": "arn:aws:s3:::%1$s/*"
                    }
                  ]
                }""".formatted(bucket, DELIVERY_PRINCIPAL);
    }
}
