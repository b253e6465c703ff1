package dev.openpayer.invoicing;

import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * The reconciliation of a month: for each payer's report, the AWS bill total equals the customers' cost basis
 * plus the unassigned accounts, exactly (to the tenth decimal of the lake) and to the cent, with any cent of
 * rounding shown as its own line. Each customer's cost basis is then compared with what its invoices were
 * computed from. The distributor's admins see whole payers, unassigned accounts included; everyone else sees
 * the part of each bill that belongs to the accounts they may see.
 */
@Service
public class Reconciliations {
    private final LakeCosts lake;
    private final Invoices invoices;
    private final AccountOnboarding onboarding;
    private final BillingProfiles profiles;
    private final Tenancy tenancy;

    Reconciliations(LakeCosts lake, Invoices invoices, AccountOnboarding onboarding, BillingProfiles profiles, Tenancy tenancy) {
        this.lake = lake;
        this.invoices = invoices;
        this.onboarding = onboarding;
        this.profiles = profiles;
        this.tenancy = tenancy;
    }

    /**
     * @param wholePayer whether the figures are the payers' whole bills (the distributor's admins) or the viewer's part of them
     * @param balanced whether every payer's bill equals its customers plus unassigned, exactly
     */
    public record Reconciliation(YearMonth month, boolean wholePayer, List<Payer> payers, List<CustomerRow> customers, List<Unassigned> unassigned,
            boolean balanced) {}

    /** One payer's report (per billing currency): the bill and how it splits. Amounts exact, then rounded half-even to the cent. */
    public record Payer(UUID sourceId, String sourceName, String payerAccountId, String currency, String deliveryId, boolean isFinal, long lines,
            BigDecimal awsTotal, BigDecimal customersTotal, BigDecimal unassignedTotal, BigDecimal difference, BigDecimal awsTotalCents,
            BigDecimal customersCents, BigDecimal unassignedCents, BigDecimal roundingDifference, List<Breakdown> byLineItemType,
            List<Breakdown> byAwsInvoice, List<String> explanation) {}

    public record Breakdown(String label, BigDecimal amount) {}

    /** A customer's cost basis (the AWS cost of its accounts) and what its invoices of the month were computed from. */
    public record CustomerRow(UUID customerId, String customerName, UUID sellerId, String sellerName, List<String> accounts, String currency,
            BigDecimal costBasis, BigDecimal costBasisCents, BigDecimal invoicedCostBasis, BigDecimal difference, String explanation) {}

    /** A usage account in a payer's report that belongs to no customer: never lost, listed here. */
    public record Unassigned(UUID sourceId, String accountId, String currency, BigDecimal amount, BigDecimal amountCents, String explanation) {}

    public Reconciliation month(Viewer viewer, YearMonth month) {
        if (month == null) {
            throw new dev.openpayer.shared.InvalidInputException("month", "is required (YYYY-MM)");
        }
        boolean whole = viewer.organizationType() == OrganizationType.DISTRIBUTOR && viewer.role() == Role.ADMIN;
        Map<String, CustomerAccount> members = onboarding.payerMembers(month);
        Set<UUID> visibleProfiles = whole ? null : profiles.list(viewer, null).stream().map(BillingProfile::id).collect(Collectors.toSet());
        Map<UUID, Organization> orgs = new HashMap<>();
        LakeCosts.MonthData data = lake.month(month);
        List<LakeCosts.BillLine> bill = lake.bill(data);
        Map<UUID, LakeCosts.Partition> partitions = new HashMap<>();
        data.partitions().forEach(p -> partitions.put(p.source().id(), p));

        Map<String, CustomerAcc> customers = new TreeMap<>();
        Map<String, BigDecimal> unassigned = new TreeMap<>();
        List<LakeCosts.BillLine> mine = new ArrayList<>();
        Map<LakeCosts.BillLine, String> customerKeys = new HashMap<>();
        for (LakeCosts.BillLine line : bill) {
            CustomerAccount account = line.accountId() == null ? null : members.get(line.accountId());
            Organization customer = account == null ? null : orgs.computeIfAbsent(account.customerId(), id -> tenancy.find(id).orElseThrow());
            if (!whole && (account == null || !viewer.covers(customer) || !visibleProfiles.contains(account.billingProfileId()))) {
                continue;
            }
            mine.add(line);
            if (account == null) {
                unassigned.merge(line.sourceId() + "/" + line.currency() + "/" + (line.accountId() == null ? "" : line.accountId()), line.amount(), BigDecimal::add);
            } else {
                CustomerAcc c = customers.computeIfAbsent(customer.name() + "/" + customer.id() + "/" + line.currency(), k -> new CustomerAcc(customer, line.currency()));
                c.cost = c.cost.add(line.amount());
                c.accounts.add(line.accountId());
                customerKeys.put(line, c.key());
            }
        }
        List<Payer> payerRows = balance(mine, partitions, customerKeys::get, whole);
        // What the invoices of the month were computed from, per customer (retail invoices and their corrections).
        Map<UUID, BigDecimal> invoiced = new HashMap<>();
        Map<UUID, Boolean> stale = new HashMap<>();
        Map<UUID, Boolean> credited = new HashMap<>();
        for (Invoice i : invoices.forMonth(month)) {
            if (i.tier() == Invoice.Tier.RETAIL) {
                invoiced.merge(i.customerId(), i.costBasis(), BigDecimal::add);
                if (i.kind() == Invoice.Kind.CREDIT_NOTE && i.runId() == null) {
                    credited.put(i.customerId(), true);
                }
                if (i.correctsId() == null && i.dataVersion() != null && !i.dataVersion().equals(data.version())) {
                    stale.put(i.customerId(), true);
                }
            }
        }
        List<CustomerRow> customerRows = new ArrayList<>();
        for (CustomerAcc c : customers.values()) {
            BigDecimal inv = invoiced.get(c.customer.id());
            BigDecimal diff = inv == null ? null : c.cost.subtract(inv);
            String explanation;
            if (inv == null) {
                explanation = "No invoice for " + month + " yet: run the month for " + seller(c.customer, orgs).name()
                        + " (a customer without a contract in force is not invoiced)";
            } else if (diff.signum() == 0) {
                explanation = "Invoiced on exactly this cost basis";
            } else if (stale.getOrDefault(c.customer.id(), false)) {
                explanation = "The invoice was computed from an older delivery of the month: run the month again (issued invoices get a credit note or a supplementary invoice)";
            } else if (credited.getOrDefault(c.customer.id(), false)) {
                explanation = "A credit note cancelled what was invoiced: once it is issued, run the month again to invoice the cost basis anew";
            } else {
                explanation = "The invoice covers a different set of accounts or payers than this report: check the accounts' billing profiles";
            }
            Organization seller = seller(c.customer, orgs);
            customerRows.add(new CustomerRow(c.customer.id(), c.customer.name(), seller.id(), seller.name(), List.copyOf(c.accounts), c.currency, c.cost,
                    cents(c.cost), inv, diff, explanation));
        }
        List<Unassigned> unassignedRows = new ArrayList<>();
        unassigned.forEach((k, v) -> {
            String[] parts = k.split("/", -1);
            String account = parts[2].isEmpty() ? null : parts[2];
            unassignedRows.add(new Unassigned(UUID.fromString(parts[0]), account, parts[1], v, cents(v), account == null
                    ? "Lines without a usage account (for example taxes or fees of the payer)"
                    : "Account " + account + " is in the payer's report but belongs to no customer in OpenPayer: onboard it or assign it"));
        });
        boolean balanced = payerRows.stream().allMatch(p -> p.difference().signum() == 0);
        return new Reconciliation(month, whole, payerRows, customerRows, whole ? unassignedRows : List.of(), balanced);
    }

    /**
     * Splits the bill lines of payers' reports, per payer and currency, into the customers' part (lines whose
     * {@code customerKey} is not null) and the unassigned part, exactly, then to the cent. The identity
     * {@code awsTotal = customersTotal + unassignedTotal} holds by construction; {@code difference} proves it.
     */
    static List<Payer> balance(List<LakeCosts.BillLine> lines, Map<UUID, LakeCosts.Partition> partitions,
            java.util.function.Function<LakeCosts.BillLine, String> customerKey, boolean whole) {
        Map<String, PayerAcc> payers = new LinkedHashMap<>();
        for (LakeCosts.BillLine line : lines) {
            PayerAcc payer = payers.computeIfAbsent(line.sourceId() + "/" + line.currency(), k -> new PayerAcc(partitions.get(line.sourceId()), line.currency()));
            payer.lines += line.lines();
            payer.total = payer.total.add(line.amount());
            payer.byType.merge(line.lineItemType() == null ? "(none)" : line.lineItemType(), line.amount(), BigDecimal::add);
            payer.byInvoice.merge((line.billingEntity() == null ? "AWS" : line.billingEntity()) + " — "
                    + (line.invoiceId() == null || line.invoiceId().isBlank() ? "not invoiced yet (estimated)" : "invoice " + line.invoiceId()), line.amount(), BigDecimal::add);
            String customer = customerKey.apply(line);
            if (customer == null) {
                payer.unassigned = payer.unassigned.add(line.amount());
            } else {
                payer.customers = payer.customers.add(line.amount());
                payer.customerCents.merge(customer, line.amount(), BigDecimal::add);
            }
        }
        return payers.values().stream().map(p -> p.finish(whole)).toList();
    }

    private Organization seller(Organization customer, Map<UUID, Organization> orgs) {
        return customer.parentId() == null ? customer : orgs.computeIfAbsent(customer.parentId(), id -> tenancy.find(id).orElseThrow());
    }

    static BigDecimal cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_EVEN);
    }

    private static final class CustomerAcc {
        final Organization customer;
        final String currency;
        BigDecimal cost = BigDecimal.ZERO;
        final Set<String> accounts = new TreeSet<>();

        CustomerAcc(Organization customer, String currency) {
            this.customer = customer;
            this.currency = currency;
        }

        String key() {
            return customer.id() + "/" + currency;
        }
    }

    private static final class PayerAcc {
        final LakeCosts.Partition partition;
        final String currency;
        long lines;
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal customers = BigDecimal.ZERO;
        BigDecimal unassigned = BigDecimal.ZERO;
        final Map<String, BigDecimal> customerCents = new LinkedHashMap<>();
        final Map<String, BigDecimal> byType = new TreeMap<>();
        final Map<String, BigDecimal> byInvoice = new TreeMap<>();

        PayerAcc(LakeCosts.Partition partition, String currency) {
            this.partition = partition;
            this.currency = currency;
        }

        Payer finish(boolean whole) {
            BigDecimal difference = total.subtract(customers).subtract(unassigned);
            BigDecimal customersCents = customerCents.values().stream().map(Reconciliations::cents).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal unassignedCents = cents(unassigned);
            BigDecimal rounding = cents(total).subtract(customersCents).subtract(unassignedCents);
            List<String> explanation = new ArrayList<>();
            String subject = whole ? "AWS bill total" : "AWS cost of your accounts in this payer's bill";
            explanation.add(subject + " " + cents(total).toPlainString() + " " + currency + " = customers' cost basis " + customersCents.toPlainString()
                    + (whole ? " + unassigned " + unassignedCents.toPlainString() : "") + (rounding.signum() == 0 ? "" : " + rounding " + rounding.toPlainString()));
            if (rounding.signum() != 0) {
                explanation.add("Rounding: each of the " + customerCents.size() + " customers' cost bases is rounded half-even to the cent on its own; their "
                        + "exact sum equals the bill exactly, the sum of the rounded figures differs by " + rounding.toPlainString() + " " + currency);
            }
            if (difference.signum() != 0) {
                explanation.add("Unexplained difference " + difference.toPlainString() + " " + currency + ": the lake partition changed while reconciling; reload");
            }
            return new Payer(partition.source().id(), partition.source().name(), partition.source().payerAccountId(), currency, partition.partition().deliveryId(),
                    partition.partition().isFinal(), lines, total, customers, unassigned, difference, cents(total), customersCents, unassignedCents, rounding,
                    byType.entrySet().stream().map(e -> new Breakdown(e.getKey(), e.getValue())).toList(),
                    byInvoice.entrySet().stream().map(e -> new Breakdown(e.getKey(), e.getValue())).toList(), explanation);
        }
    }
}
