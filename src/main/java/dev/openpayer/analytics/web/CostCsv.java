package dev.openpayer.analytics.web;

import dev.openpayer.analytics.CostReports;

/** A cost report as CSV: one line per period and group, amounts exact, RFC 4180 quoting. */
final class CostCsv {
    private CostCsv() {}

    static String fileName(CostReports.Report report) {
        return "costs-" + report.metric() + "-by-" + report.groupBy() + "-" + report.from() + "-" + report.to() + ".csv";
    }

    static String write(CostReports.Report report) {
        StringBuilder csv = new StringBuilder("period,group,label,metric,amount,currency\r\n");
        for (CostReports.Row r : report.rows()) {
            csv.append(cell(r.period())).append(',').append(cell(r.group())).append(',').append(cell(r.label())).append(',').append(report.metric())
                    .append(',').append(r.amount().toPlainString()).append(',').append(cell(report.currency())).append("\r\n");
        }
        return csv.toString();
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || !v.equals(value)
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
