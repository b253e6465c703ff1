package dev.openpayer.invoicing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * Everything an invoice or credit note shows, as the PDF and CSV documents render it. Amounts are already
 * rounded to the invoice currency; the renderers only format them. Lists are copied and never null.
 *
 * @param number null while the invoice is a draft
 * @param sourceCurrency the currency of the AWS cost basis
 * @param exchangeRate source currency to invoice currency; null when both are the same
 * @param correctsNumber for a credit note, the number of the invoice it credits
 * @param priceBookVersion the price book version the lines were priced with, e.g. "Cirrus Standard v3"
 */
public record InvoiceDocument(Kind kind, String number, Status status, LocalDate issueDate, LocalDate dueDate,
        YearMonth period, Party seller, Party buyer, String currency, String sourceCurrency, BigDecimal exchangeRate,
        List<Line> lines, List<Subtotal> costCenterSubtotals, BigDecimal subtotal, String taxLabel, BigDecimal tax, BigDecimal total,
        String correctsNumber, String priceBookVersion) {

    public InvoiceDocument {
        lines = lines == null ? List.of() : List.copyOf(lines);
        costCenterSubtotals = costCenterSubtotals == null ? List.of() : List.copyOf(costCenterSubtotals);
    }

    /** Whether the document bills or credits. */
    public enum Kind { INVOICE, CREDIT_NOTE }

    /** A draft has no number yet and is not a tax document. */
    public enum Status { DRAFT, ISSUED }

    /**
     * The seller or the buyer.
     *
     * @param address the postal address, one entry per printed line
     */
    public record Party(String name, String legalName, List<String> address, String country, List<String> emails) {
        public Party {
            address = address == null ? List.of() : List.copyOf(address);
            emails = emails == null ? List.of() : List.copyOf(emails);
        }
    }

    /**
     * One invoice line.
     *
     * @param kind USAGE, FEE, CREDIT or TAX
     * @param costBasis the AWS cost in the source currency; may be null
     * @param amount the rounded amount in the invoice currency
     */
    public record Line(int position, String kind, String accountId, String costCenter, String service,
            String description, BigDecimal costBasis, BigDecimal amount) {}

    /**
     * The sum of one cost center's lines.
     *
     * @param costCenter "Unallocated" for lines without a cost center
     */
    public record Subtotal(String costCenter, BigDecimal amount) {}
}
