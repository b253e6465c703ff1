package dev.openpayer.analytics.web;

import dev.openpayer.analytics.CostReportRequest;
import dev.openpayer.analytics.CostReports;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/** The cost explorer (chart, table, CSV) and the customer cost dashboard. */
@Controller
@ConsolePage
class CostReportPages {
    /** The groups the chart shows one by one; the rest are summed as "Other". */
    static final int CHART_GROUPS = 8;

    /** Up to this many periods the table has a column per period. */
    static final int TABLE_PERIODS = 12;

    private final CostReports reports;
    private final Tenancy tenancy;
    private final JsonMapper json;

    CostReportPages(CostReports reports, Tenancy tenancy, JsonMapper json) {
        this.reports = reports;
        this.tenancy = tenancy;
        this.json = json;
    }

    /** One line of the table: a group, its amount per period, its total and its share of the grand total (percent). */
    record TableRow(String label, List<BigDecimal> amounts, BigDecimal total, BigDecimal share) {}

    @GetMapping("/reports/costs")
    String explorer(Viewer viewer, CostReportRequest form, Model model, HttpServletResponse response) {
        model.addAttribute("form", form);
        model.addAttribute("metrics", CostReportRequest.Metric.values());
        model.addAttribute("groupings", CostReportRequest.Grouping.values());
        model.addAttribute("granularities", CostReportRequest.Granularity.values());
        model.addAttribute("customers", customers(viewer));
        CostReports.Report report;
        try {
            report = reports.report(viewer, form);
        } catch (InvalidInputException e) {
            response.setStatus(422);
            model.addAttribute("errors", FormErrors.of(e));
            model.addAttribute("report", null);
            return "reports/costs";
        }
        model.addAttribute("errors", FormErrors.none());
        model.addAttribute("report", report);
        boolean columns = report.periods().size() <= TABLE_PERIODS;
        model.addAttribute("columns", columns ? report.periods() : List.of());
        model.addAttribute("table", table(report, columns));
        model.addAttribute("chart", json.writeValueAsString(chart(report)));
        model.addAttribute("csvLink", csvLink(form, report));
        return "reports/costs";
    }

    private List<Organization> customers(Viewer viewer) {
        return tenancy.list(viewer, new OrganizationQuery(null, OrganizationType.CUSTOMER, null, null));
    }

    private static List<TableRow> table(CostReports.Report report, boolean columns) {
        Map<String, Map<String, BigDecimal>> byGroup = new LinkedHashMap<>();
        for (CostReports.Row r : report.rows()) {
            byGroup.computeIfAbsent(String.valueOf(r.group()), g -> new LinkedHashMap<>()).merge(String.valueOf(r.period()), r.amount(), BigDecimal::add);
        }
        List<TableRow> rows = new ArrayList<>();
        for (CostReports.GroupTotal g : report.groups()) {
            Map<String, BigDecimal> amounts = byGroup.getOrDefault(String.valueOf(g.group()), Map.of());
            List<BigDecimal> cells = columns ? report.periods().stream().map(p -> amounts.getOrDefault(p, BigDecimal.ZERO)).toList() : List.of();
            rows.add(new TableRow(g.label(), cells, g.amount(), share(g.amount(), report.total())));
        }
        return rows;
    }

    private static BigDecimal share(BigDecimal amount, BigDecimal total) {
        return total.signum() == 0 ? null : amount.multiply(BigDecimal.valueOf(100)).divide(total, 1, RoundingMode.HALF_EVEN);
    }

    /** Stacked bars: one dataset per largest group, the others summed as "Other"; values rounded to cents for display. */
    static Map<String, Object> chart(CostReports.Report report) {
        List<CostReports.GroupTotal> groups = report.groups();
        List<CostReports.GroupTotal> shown = groups.size() <= CHART_GROUPS + 1 ? groups : groups.subList(0, CHART_GROUPS);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < shown.size(); i++) {
            index.put(String.valueOf(shown.get(i).group()), i);
        }
        boolean other = shown.size() < groups.size();
        int series = shown.size() + (other ? 1 : 0);
        int periods = report.periods().size();
        BigDecimal[][] values = new BigDecimal[series][periods];
        for (BigDecimal[] v : values) {
            java.util.Arrays.fill(v, BigDecimal.ZERO);
        }
        for (CostReports.Row r : report.rows()) {
            int p = report.periods().indexOf(r.period());
            if (p < 0) {
                continue;
            }
            int s = index.getOrDefault(String.valueOf(r.group()), series - 1);
            values[s][p] = values[s][p].add(r.amount());
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            String label = s < shown.size() ? shown.get(s).label() : "Other";
            datasets.add(Map.of("label", label, "data", java.util.Arrays.stream(values[s]).map(v -> v.setScale(2, RoundingMode.HALF_EVEN)).toList()));
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("labels", report.periods());
        chart.put("datasets", datasets);
        chart.put("currency", report.currency() == null ? "" : report.currency());
        return chart;
    }

    private static String csvLink(CostReportRequest f, CostReports.Report report) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath("/reports/costs/csv")
                .queryParam("metric", report.metric()).queryParam("groupBy", report.groupBy()).queryParam("granularity", report.granularity())
                .queryParam("from", report.from()).queryParam("to", report.to());
        if (report.tag() != null) {
            b.queryParam("tag", report.tag());
        }
        for (String[] p : new String[][] {{"service", f.service()}, {"account", f.account()}, {"region", f.region()},
                {"lineItemType", f.lineItemType()}, {"customerId", f.customerId()}}) {
            if (p[1] != null && !p[1].isBlank()) {
                b.queryParam(p[0], p[1].strip());
            }
        }
        return b.encode().toUriString();
    }

    /** The explorer's table as a CSV download (the API's format; the console signs in with its session, not a token). */
    @GetMapping("/reports/costs/csv")
    ResponseEntity<String> csv(Viewer viewer, CostReportRequest form) {
        CostReports.Report report = reports.report(viewer, form);
        return ResponseEntity.ok().contentType(CostReportApi.CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(CostCsv.fileName(report)).build().toString())
                .body(CostCsv.write(report));
    }

    @GetMapping("/dashboard/costs")
    String dashboard(Viewer viewer, @RequestParam(required = false) UUID customerId, Model model) {
        Organization customer = customerId == null ? null : tenancy.visible(viewer, customerId);
        model.addAttribute("dashboard", reports.dashboard(viewer, customerId));
        model.addAttribute("customer", customer);
        model.addAttribute("customers", customers(viewer));
        return "reports/dashboard";
    }
}
