package dev.openpayer.analytics.web;

import dev.openpayer.analytics.CostReportRequest;
import dev.openpayer.analytics.CostReports;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/reports")
@Tag(name = "Cost reports", description = "Costs of the AWS accounts in your scope, from the cost data lake")
class CostReportApi {
    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final CostReports reports;

    CostReportApi(CostReports reports) {
        this.reports = reports;
    }

    @GetMapping("/costs")
    @Operation(summary = "Costs grouped and summed by period",
            description = "metric: unblended (default), amortized, net. groupBy: service (default), account, region, usage-type, line-item-type, "
                    + "tag (with tag=<key>, e.g. user:Team), cost-center, customer, none. granularity: monthly (default; by billing period) or daily "
                    + "(by usage day). from/to: usage days, inclusive (default: the current month to today). Filters: service, account, region, "
                    + "lineItemType, customerId. Only the accounts you may see are summed; amounts are exact decimals in the report's currency. "
                    + "format=csv (or Accept: text/csv) answers a CSV file.")
    ResponseEntity<?> costs(Viewer viewer, @RequestParam(required = false) String metric, @RequestParam(required = false) String groupBy,
            @RequestParam(required = false) String tag, @RequestParam(required = false) String granularity, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String service, @RequestParam(required = false) String account,
            @RequestParam(required = false) String region, @RequestParam(required = false) String lineItemType,
            @RequestParam(required = false) String customerId, @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        if (format != null && !format.isBlank() && !List.of("json", "csv").contains(format.strip().toLowerCase(Locale.ROOT))) {
            throw new dev.openpayer.shared.InvalidInputException("format", "\"" + format + "\" is not one of json, csv");
        }
        CostReports.Report report = reports.report(viewer, new CostReportRequest(metric, groupBy, tag, granularity, from, to, service, account, region,
                lineItemType, customerId));
        boolean csv = format != null && format.strip().equalsIgnoreCase("csv")
                || (format == null || format.isBlank()) && accept != null && accept.contains("text/csv") && !accept.contains("json");
        if (!csv) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
        }
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(CostCsv.fileName(report)).build().toString())
                .body(CostCsv.write(report));
    }
}
