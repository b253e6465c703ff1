package dev.openpayer.invoicing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Invoice documents for the rendering tests. */
final class InvoiceSamples {
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final InvoiceDocument.Party SELLER = new InvoiceDocument.Party("Cirrus Cloud", "Cirrus Cloud Services B.V.",
            List.of("Keizersgracht 100", "1015 AA Amsterdam"), "NL", List.of("billing@cirrus.example"));
    static final InvoiceDocument.Party BUYER = new InvoiceDocument.Party("Nordwind", "Nordwind Logistik GmbH",
            List.of("Hafenstraße 12", "20457 Hamburg"), "DE", List.of("ap@nordwind.example"));

    private InvoiceSamples() {}

    /** Three EUR lines priced from USD costs: 1,037.45 + 19 % VAT 197.12 = 1,234.57. */
    static InvoiceDocument invoice() {
        List<InvoiceDocument.Line> lines = List.of(
                new InvoiceDocument.Line(1, "USAGE", "123456789012", "Platform", "Amazon Elastic Compute Cloud",
                        "EC2 instances and EBS volumes in eu-central-1", new BigDecimal("601.2345678901"), new BigDecimal("612.30")),
                new InvoiceDocument.Line(2, "USAGE", "210987654321", "Data & Analytics", "Amazon Simple Storage Service",
                        "Standard storage, requests and data transfer out to the internet for the analytics and reporting "
                                + "buckets of the Hamburg data platform", new BigDecimal("299.80"), new BigDecimal("305.15")),
                new InvoiceDocument.Line(3, "FEE", null, null, "Managed support", "Business support, October 2026", null,
                        new BigDecimal("120.00")));
        return new InvoiceDocument(InvoiceDocument.Kind.INVOICE, "INV-2026-0042", InvoiceDocument.Status.ISSUED,
                LocalDate.of(2026, 11, 3), LocalDate.of(2026, 12, 3), OCTOBER, SELLER, BUYER, "EUR", "USD", new BigDecimal("0.9234"),
                lines,
                List.of(new InvoiceDocument.Subtotal("Platform", new BigDecimal("612.30")),
                        new InvoiceDocument.Subtotal("Data & Analytics", new BigDecimal("305.15")),
                        new InvoiceDocument.Subtotal("Unallocated", new BigDecimal("120.00"))),
                new BigDecimal("1037.45"), "VAT 19%", new BigDecimal("197.12"), new BigDecimal("1234.57"),
                null, "Cirrus Standard v3");
    }

    /** The full credit of {@link #invoice()}. */
    static InvoiceDocument creditNote() {
        InvoiceDocument invoice = invoice();
        return new InvoiceDocument(InvoiceDocument.Kind.CREDIT_NOTE, "CN-2026-0007", InvoiceDocument.Status.ISSUED,
                LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 20), OCTOBER, SELLER, BUYER, "EUR", "USD", new BigDecimal("0.9234"),
                invoice.lines().stream().map(line -> new InvoiceDocument.Line(line.position(), line.kind(), line.accountId(),
                        line.costCenter(), line.service(), line.description(),
                        line.costBasis() == null ? null : line.costBasis().negate(), line.amount().negate())).toList(),
                invoice.costCenterSubtotals().stream()
                        .map(subtotal -> new InvoiceDocument.Subtotal(subtotal.costCenter(), subtotal.amount().negate())).toList(),
                new BigDecimal("-1037.45"), "VAT 19%", new BigDecimal("-197.12"), new BigDecimal("-1234.57"),
                "INV-2026-0042", "Cirrus Standard v3");
    }

    /** {@link #invoice()} before it is issued. */
    static InvoiceDocument draft() {
        InvoiceDocument invoice = invoice();
        return new InvoiceDocument(InvoiceDocument.Kind.INVOICE, null, InvoiceDocument.Status.DRAFT, null, null, OCTOBER,
                SELLER, BUYER, "EUR", "USD", new BigDecimal("0.9234"), invoice.lines(), invoice.costCenterSubtotals(),
                invoice.subtotal(), invoice.taxLabel(), invoice.tax(), invoice.total(), null, "Cirrus Standard v3");
    }

    /** 500 lines over five cost centers, some with long names, in USD without conversion. */
    static InvoiceDocument large() {
        List<InvoiceDocument.Line> lines = new ArrayList<>();
        BigDecimal[] byCostCenter = new BigDecimal[5];
        Arrays.fill(byCostCenter, BigDecimal.ZERO);
        BigDecimal subtotal = BigDecimal.ZERO;
        for (int i = 1; i <= 500; i++) {
            BigDecimal amount = new BigDecimal(i).multiply(new BigDecimal("12.34"));
            int costCenter = i % 5;
            byCostCenter[costCenter] = byCostCenter[costCenter].add(amount);
            subtotal = subtotal.add(amount);
            String description = i % 50 == 0
                    ? "A very long description that has to wrap over several lines because it names every usage type "
                            + "of the service: BoxUsage:m7g.2xlarge, EBS:VolumeUsage.gp3, DataTransfer-Out-Bytes, "
                            + "NatGateway-Hours and NatGateway-Bytes"
                    : "Usage type " + i;
            lines.add(new InvoiceDocument.Line(i, "USAGE", String.format("%012d", 100000000000L + i), "Cost center " + costCenter,
                    i % 7 == 0 ? "AmazonRelationalDatabaseServiceWithAnUnusuallyLongServiceCodeWithoutSpaces" : "AmazonEC2",
                    description, amount, amount));
        }
        List<InvoiceDocument.Subtotal> subtotals = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            subtotals.add(new InvoiceDocument.Subtotal("Cost center " + c, byCostCenter[c]));
        }
        return new InvoiceDocument(InvoiceDocument.Kind.INVOICE, "INV-2026-0500", InvoiceDocument.Status.ISSUED,
                LocalDate.of(2026, 11, 3), LocalDate.of(2026, 12, 3), OCTOBER, SELLER,
                new InvoiceDocument.Party("Very Long Name", "Internationale Speditions- und Lagerhaus-Gesellschaft für "
                        + "grenzüberschreitende Logistikdienstleistungen mbH & Co. Kommanditgesellschaft", List.of("Am Kai 1", "28195 Bremen"),
                        "DE", List.of()),
                "USD", "USD", null, lines, subtotals, subtotal, "No tax (reverse charge)", new BigDecimal("0.00"), subtotal,
                null, "Cirrus Standard v3");
    }
}
