package dev.openpayer.invoicing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * An invoice or credit note from a seller to a billing profile for one month. Amounts are in the invoice
 * currency, rounded per line; totals are sums of lines. The cost basis (what AWS charged for the accounts, in the
 * AWS billing currency) and the pricing of each line are the seller's business: they are null when the viewer is
 * on the buyer's side.
 *
 * @param correctsId for a credit note or a supplementary invoice: the invoice it corrects
 * @param dataVersion the lake deliveries the amounts were computed from
 */
public record Invoice(UUID id, UUID sellerId, String sellerName, UUID customerId, String customerName, UUID billingProfileId, String billingProfileName,
        YearMonth month, Kind kind, Tier tier, Status status, String number, UUID correctsId, String correctsNumber, String reason, String currency,
        String sourceCurrency, BigDecimal exchangeRate, BigDecimal costBasis, BigDecimal costConverted, BigDecimal subtotal, BigDecimal tax,
        BigDecimal total, String taxLabel, String priceBooks, String dataVersion, UUID runId, Instant computedAt, LocalDate issueDate, LocalDate dueDate,
        Instant issuedAt, String issuedBy, boolean sellerView, List<Line> lines) {

    public enum Kind {
        INVOICE,
        CREDIT_NOTE
    }

    public enum Tier {
        WHOLESALE,
        RETAIL
    }

    public enum Status {
        DRAFT,
        ISSUED
    }

    /** One line: usage of an account and service (as grouped), a fee, a credit or tax. */
    public record Line(int position, String kind, String lineKey, String accountId, UUID customerId, String costCenter, String serviceCode,
            String description, BigDecimal costBasis, BigDecimal amount, String pricing) {}

    /** Subtotal per cost center (wholesale invoices: per end customer). */
    public record CostCenterSubtotal(String costCenter, BigDecimal amount) {}

    public List<CostCenterSubtotal> costCenterSubtotals() {
        java.util.Map<String, BigDecimal> sums = new java.util.TreeMap<>();
        for (Line l : lines) {
            if (!"TAX".equals(l.kind())) {
                sums.merge(l.costCenter() == null ? "Unallocated" : l.costCenter(), l.amount(), BigDecimal::add);
            }
        }
        return sums.entrySet().stream().map(e -> new CostCenterSubtotal(e.getKey(), e.getValue())).toList();
    }

    /** The margin on this document: the subtotal (before tax) less the AWS cost converted; null on the buyer's side. */
    public BigDecimal margin() {
        return costConverted == null ? null : subtotal.subtract(costConverted);
    }

    public String label() {
        return (kind == Kind.CREDIT_NOTE ? "Credit note " : "Invoice ") + (number == null ? "(draft)" : number);
    }
}
