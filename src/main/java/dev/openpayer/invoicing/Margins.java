package dev.openpayer.invoicing;

import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * The margin report: per month and billed organisation, what the seller bills (invoices and their corrections,
 * before tax) against what the seller pays for it: the AWS cost for the distributor, the wholesale price charged
 * by the distributor for a reseller's customer. Shown only on the seller's side and, like the invoices themselves,
 * only for the billing profiles the viewer may see (below ADMIN, those assigned to him).
 */
@Service
public class Margins {
    private final Invoices invoices;
    private final Tenancy tenancy;
    private final BillingProfiles profiles;

    Margins(Invoices invoices, Tenancy tenancy, BillingProfiles profiles) {
        this.invoices = invoices;
        this.tenancy = tenancy;
        this.profiles = profiles;
    }

    /**
     * @param purchase what the seller pays for what it bills (AWS cost converted at the invoice's rate, or the wholesale price), in the invoice currency;
     *     null when the wholesale invoice is in another currency
     * @param marginPercent the margin as a percentage of the billed amount, or null
     */
    public record Row(YearMonth month, UUID sellerId, String sellerName, UUID customerId, String customerName, String tier, String currency,
            BigDecimal awsCost, BigDecimal purchase, String purchaseBasis, BigDecimal billed, BigDecimal margin, BigDecimal marginPercent, boolean issued) {}

    public record Total(UUID sellerId, String sellerName, String currency, BigDecimal purchase, BigDecimal billed, BigDecimal margin) {}

    public record Report(YearMonth month, List<Row> rows, List<Total> totals) {}

    public Report month(Viewer viewer, YearMonth month) {
        if (month == null) {
            throw new dev.openpayer.shared.InvalidInputException("month", "is required (YYYY-MM)");
        }
        List<Invoice> all = invoices.forMonth(month);
        Set<UUID> visibleProfiles = profiles.list(viewer, null).stream().map(BillingProfile::id).collect(Collectors.toSet());
        Map<UUID, Organization> orgs = new HashMap<>();
        // The wholesale price of each reseller's customer: lines of the distributor's invoices to the reseller (with corrections).
        Map<String, BigDecimal> wholesale = new HashMap<>();
        for (Invoice i : all) {
            if (i.tier() == Invoice.Tier.WHOLESALE) {
                for (Invoice.Line l : i.lines()) {
                    if (!"TAX".equals(l.kind()) && l.customerId() != null) {
                        wholesale.merge(l.customerId() + "/" + i.currency(), l.amount(), BigDecimal::add);
                    }
                }
            }
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Invoice i : all) {
            Organization seller = orgs.computeIfAbsent(i.sellerId(), id -> tenancy.find(id).orElseThrow());
            if (!viewer.covers(seller) || !visibleProfiles.contains(i.billingProfileId())) {
                continue;
            }
            String key = i.sellerId() + "/" + i.customerId() + "/" + i.billingProfileId() + "/" + i.tier();
            Row r = rows.get(key);
            boolean issued = i.status() == Invoice.Status.ISSUED;
            if (r == null) {
                r = new Row(month, seller.id(), seller.name(), i.customerId(), i.customerName(), i.tier().name(), i.currency(), BigDecimal.ZERO, null, null,
                        BigDecimal.ZERO, null, null, issued);
            }
            rows.put(key, new Row(month, r.sellerId(), r.sellerName(), r.customerId(), r.customerName(), r.tier(), r.currency(), r.awsCost().add(i.costConverted()),
                    null, null, r.billed().add(i.subtotal()), null, null, r.issued() && issued));
        }
        List<Row> out = new ArrayList<>();
        Map<String, Total> totals = new LinkedHashMap<>();
        for (Row r : rows.values()) {
            Organization seller = orgs.get(r.sellerId());
            BigDecimal purchase;
            String basis;
            if (seller.type() == OrganizationType.RESELLER && "RETAIL".equals(r.tier())) {
                purchase = wholesale.get(r.customerId() + "/" + r.currency());
                basis = purchase == null ? "No wholesale invoice in " + r.currency() + " for this customer this month" : "Wholesale price from " + parentName(seller, orgs);
            } else {
                purchase = r.awsCost();
                basis = "AWS cost (without AWS tax)";
            }
            BigDecimal margin = purchase == null ? null : r.billed().subtract(purchase);
            BigDecimal percent = margin == null || r.billed().signum() == 0 ? null : margin.multiply(BigDecimal.valueOf(100)).divide(r.billed(), 2, RoundingMode.HALF_EVEN);
            Row done = new Row(r.month(), r.sellerId(), r.sellerName(), r.customerId(), r.customerName(), r.tier(), r.currency(), r.awsCost(), purchase, basis,
                    r.billed(), margin, percent, r.issued());
            out.add(done);
            if (margin != null) {
                totals.merge(r.sellerId() + "/" + r.currency(), new Total(r.sellerId(), r.sellerName(), r.currency(), purchase, r.billed(), margin),
                        (a, b) -> new Total(a.sellerId(), a.sellerName(), a.currency(), a.purchase().add(b.purchase()), a.billed().add(b.billed()),
                                a.margin().add(b.margin())));
            }
        }
        return new Report(month, out, List.copyOf(totals.values()));
    }

    private String parentName(Organization seller, Map<UUID, Organization> orgs) {
        return seller.parentId() == null ? "the distributor" : orgs.computeIfAbsent(seller.parentId(), id -> tenancy.find(id).orElseThrow()).name();
    }
}
