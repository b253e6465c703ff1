package dev.openpayer.invoicing;

import java.math.BigDecimal;
import java.util.List;

/**
 * The lines of an invoice as RFC 4180 CSV: CRLF line ends, one header row, one row per line. Amounts are
 * plain decimal strings. Text cells that a spreadsheet would read as a formula get a leading single quote;
 * numeric cells are left alone so that negative amounts stay numbers.
 */
final class InvoiceCsv {
    static final String HEADER = "invoice_number,kind,status,billing_period,currency,position,line_kind,account_id,"
            + "cost_center,service,description,aws_cost,aws_cost_currency,amount";

    private static final String CRLF = "\r\n";

    private InvoiceCsv() {}

    /** The CSV text of the document's lines; a draft has an empty invoice number. */
    static String render(InvoiceDocument doc) {
        StringBuilder csv = new StringBuilder(HEADER).append(CRLF);
        for (InvoiceDocument.Line line : doc.lines()) {
            List<String> cells = List.of(
                    text(doc.number()),
                    text(doc.kind() == null ? null : doc.kind().name()),
                    text(doc.status() == null ? null : doc.status().name()),
                    text(doc.period() == null ? null : doc.period().toString()),
                    text(doc.currency()),
                    Integer.toString(line.position()),
                    text(line.kind()),
                    text(line.accountId()),
                    text(line.costCenter()),
                    text(line.service()),
                    text(line.description()),
                    number(line.costBasis()),
                    text(line.costBasis() == null ? null : doc.sourceCurrency()),
                    number(line.amount()));
            csv.append(String.join(",", cells)).append(CRLF);
        }
        return csv.toString();
    }

    /** A text cell: neutralised against formula injection, then quoted when needed. */
    private static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            value = "'" + value;
        }
        return quoted(value);
    }

    private static String number(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    private static String quoted(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
