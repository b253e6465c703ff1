package dev.openpayer.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV document: exact text, RFC 4180 quoting and the formula-injection guard. */
class InvoiceCsvTest {

    @Test
    void rendersOneRowPerLineWithCrlfAndPlainAmounts() {
        String expected = """
                invoice_number,kind,status,billing_period,currency,position,line_kind,account_id,cost_center,service,description,aws_cost,aws_cost_currency,amount\r
                INV-2026-0042,INVOICE,ISSUED,2026-10,EUR,1,USAGE,123456789012,Platform,Amazon Elastic Compute Cloud,EC2 instances and EBS volumes in eu-central-1,601.2345678901,USD,612.30\r
                INV-2026-0042,INVOICE,ISSUED,2026-10,EUR,2,USAGE,210987654321,Data & Analytics,Amazon Simple Storage Service,\
                Standard storage and requests,299.80,USD,305.15\r
                INV-2026-0042,INVOICE,ISSUED,2026-10,EUR,3,FEE,,,Managed support,"Business support, October 2026",,,120.00\r
                """;
        InvoiceDocument invoice = InvoiceSamples.invoice();
        List<InvoiceDocument.Line> lines = List.of(invoice.lines().get(0),
                new InvoiceDocument.Line(2, "USAGE", "210987654321", "Data & Analytics", "Amazon Simple Storage Service",
                        "Standard storage and requests", new BigDecimal("299.80"), new BigDecimal("305.15")),
                invoice.lines().get(2));

        assertThat(InvoiceCsv.render(withLines(invoice, lines))).isEqualTo(expected);
    }

    @Test
    void quotesCommasQuotesAndLineBreaks() {
        String csv = InvoiceCsv.render(withLines(InvoiceSamples.invoice(), List.of(
                new InvoiceDocument.Line(1, "FEE", null, "Ops, \"blue\" team", "Support", "first line\nsecond\r\nthird",
                        null, new BigDecimal("10.00")))));

        assertThat(csv).endsWith(",1,FEE,,\"Ops, \"\"blue\"\" team\",Support,\"first line\nsecond\r\nthird\",,,10.00\r\n");
    }

    @Test
    void prefixesFormulaLikeTextButNotNegativeNumbers() {
        String csv = InvoiceCsv.render(withLines(InvoiceSamples.creditNote(), List.of(
                new InvoiceDocument.Line(1, "CREDIT", null, "=HYPERLINK(\"http://evil.example\")", "+cmd", "-2+3", new BigDecimal("-5.5"),
                        new BigDecimal("-12.30")),
                new InvoiceDocument.Line(2, "CREDIT", null, "@SUM(A1:A2)", "\tTabbed", "\rReturn", null, new BigDecimal("-0.01")))));

        assertThat(csv.split("\r\n", -1)).containsExactly(
                InvoiceCsv.HEADER,
                "CN-2026-0007,CREDIT_NOTE,ISSUED,2026-10,EUR,1,CREDIT,,\"'=HYPERLINK(\"\"http://evil.example\"\")\",'+cmd,'-2+3,-5.5,USD,-12.30",
                "CN-2026-0007,CREDIT_NOTE,ISSUED,2026-10,EUR,2,CREDIT,,'@SUM(A1:A2),'\tTabbed,\"'\rReturn\",,,-0.01",
                "");
    }

    @Test
    void draftHasAnEmptyNumberAndTinyAmountsStayPlain() {
        InvoiceDocument draft = InvoiceSamples.draft();
        String csv = InvoiceCsv.render(withLines(draft, List.of(
                new InvoiceDocument.Line(1, "USAGE", "123456789012", null, "AWS Lambda", null, new BigDecimal("1E-10"),
                        new BigDecimal("0.00")))));

        assertThat(csv).isEqualTo(InvoiceCsv.HEADER + "\r\n"
                + ",INVOICE,DRAFT,2026-10,EUR,1,USAGE,123456789012,,AWS Lambda,,0.0000000001,USD,0.00\r\n");
    }

    @Test
    void documentWithoutLinesIsTheHeaderOnly() {
        assertThat(InvoiceCsv.render(withLines(InvoiceSamples.invoice(), List.of()))).isEqualTo(InvoiceCsv.HEADER + "\r\n");
    }

    private static InvoiceDocument withLines(InvoiceDocument doc, List<InvoiceDocument.Line> lines) {
        return new InvoiceDocument(doc.kind(), doc.number(), doc.status(), doc.issueDate(), doc.dueDate(), doc.period(), doc.seller(),
                doc.buyer(), doc.currency(), doc.sourceCurrency(), doc.exchangeRate(), lines, doc.costCenterSubtotals(), doc.subtotal(),
                doc.taxLabel(), doc.tax(), doc.total(), doc.correctsNumber(), doc.priceBookVersion());
    }
}
