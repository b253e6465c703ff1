package dev.openpayer.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.CostGroup;
import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.billing.Pricing;
import dev.openpayer.billing.PricingRule;
import dev.openpayer.cur.CurFormat;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.LakePartition;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Properties of invoices and of the reconciliation over random cost slices, price books, settings, fees, credits and
 * exchange rates: an invoice's total is the sum of its lines (each rounded to its currency's decimals), the
 * invoices' cost basis plus the unassigned cost is exactly the bill, and a payer's bill is exactly its customers plus
 * unassigned, with the cents identity explained by the rounding line.
 */
class InvoicePropertiesTest {
    static final List<String> ACCOUNTS = List.of("100000000001", "100000000002", "100000000003", "100000000004", "100000000005", "100000000006");
    static final List<String> SERVICES = List.of("AmazonEC2", "AmazonS3", "AWSLambda");
    static final List<String> TYPES = List.of("Usage", "Tax", "Credit", "Fee", "DiscountedUsage");

    static BigDecimal money(Random r, int max) {
        return BigDecimal.valueOf(r.nextLong(-max * 100_000_000_00L / 10, max * 100_000_000_00L), 10);
    }

    static List<CostGroup> groups(Random r) {
        List<CostGroup> groups = new ArrayList<>();
        int n = 1 + r.nextInt(60);
        for (int i = 0; i < n; i++) {
            String type = TYPES.get(r.nextInt(TYPES.size()));
            groups.add(new CostGroup(ACCOUNTS.get(r.nextInt(ACCOUNTS.size())), SERVICES.get(r.nextInt(SERVICES.size())), "UT" + r.nextInt(3), "Op" + r.nextInt(2),
                    "eu-west-1", type, type.equals("Tax") ? "Tax" : type.equals("Credit") ? "Credit" : "Usage", Map.of("team", r.nextBoolean() ? "a" : "b"), "USD",
                    money(r, 500), money(r, 500), money(r, 600), money(r, 1000).abs()));
        }
        return groups;
    }

    static List<PricingRule> rules(Random r) {
        List<PricingRule> rules = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            PricingRule.Action action = PricingRule.Action.values()[r.nextInt(PricingRule.Action.values().length)];
            PricingRule.Match match = new PricingRule.Match(r.nextBoolean() ? SERVICES.get(r.nextInt(3)) : null, r.nextInt(4) == 0 ? "UT1" : null, null, null,
                    r.nextInt(4) == 0 ? ACCOUNTS.get(r.nextInt(6)) : null, r.nextBoolean() ? TYPES.get(r.nextInt(TYPES.size())) : null, r.nextInt(5) == 0 ? "team" : null,
                    null);
            BigDecimal percent = action == PricingRule.Action.MARKUP || action == PricingRule.Action.DISCOUNT ? BigDecimal.valueOf(r.nextInt(10_000), 2) : null;
            PricingRule.Basis basis = percent == null ? null : PricingRule.Basis.values()[r.nextInt(3)];
            BigDecimal rate = action == PricingRule.Action.FIXED_RATE ? BigDecimal.valueOf(r.nextInt(100_000), 4) : null;
            rules.add(new PricingRule(UUID.randomUUID(), i, "r" + i, match, action, basis, percent, rate));
        }
        return rules;
    }

    static InvoiceCalculator.Target target(Random r, String currency, List<String> accounts, UUID book) {
        Instant now = Instant.now();
        Organization buyer = new Organization(UUID.randomUUID(), UUID.randomUUID(), OrganizationType.CUSTOMER, "Buyer", "/x/y/", true, now, now);
        BillingProfile profile = new BillingProfile(UUID.randomUUID(), buyer.id(), "P", "P Ltd", "1 Street", null, "City", null, null, "DE", currency, 30,
                List.of("a@b.test"), true, now, now);
        InvoiceSettings.TaxMode mode = r.nextBoolean() ? InvoiceSettings.TaxMode.RATE : InvoiceSettings.TaxMode.PASS_THROUGH;
        InvoiceSettings.Settings settings = new InvoiceSettings.Settings(profile.id(), InvoiceSettings.Grouping.values()[r.nextInt(3)], mode,
                mode == InvoiceSettings.TaxMode.RATE ? BigDecimal.valueOf(r.nextInt(2500), 2) : null, "VAT");
        Map<String, InvoiceCalculator.AccountBilling> billed = new LinkedHashMap<>();
        for (String a : accounts) {
            billed.put(a, new InvoiceCalculator.AccountBilling(a, buyer.id(), buyer.name(), r.nextBoolean() ? "CC1" : null, book));
        }
        List<CustomLineItems.CustomLineItem> items = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            CustomLineItems.Charge charge = r.nextBoolean() ? CustomLineItems.Charge.FLAT : CustomLineItems.Charge.PERCENT;
            BigDecimal amount = charge == CustomLineItems.Charge.FLAT ? BigDecimal.valueOf(r.nextInt(100_000), InvoiceCalculator.scale(currency))
                    : BigDecimal.valueOf(r.nextInt(2000), 2);
            items.add(new CustomLineItems.CustomLineItem(UUID.randomUUID(), UUID.randomUUID(), profile.id(), r.nextBoolean() ? accounts.getFirst() : null,
                    "Item " + i, r.nextBoolean() ? CustomLineItems.Kind.FEE : CustomLineItems.Kind.CREDIT, charge, amount, YearMonth.of(2020, 1), null, now, now));
        }
        return new InvoiceCalculator.Target(buyer, profile, InvoiceCalculator.Tier.RETAIL, settings, billed, items);
    }

    record Case(List<CostGroup> groups, List<InvoiceCalculator.Target> targets, List<InvoiceCalculator.Computed> invoices, List<String> unmapped) {}

    static Case compute(long seed) {
        Random r = new Random(seed);
        List<CostGroup> groups = groups(r);
        UUID book = UUID.randomUUID();
        List<String> currencies = List.of("EUR", "JPY", "USD", "BHD");
        List<InvoiceCalculator.Target> targets = List.of(target(r, currencies.get(r.nextInt(4)), ACCOUNTS.subList(0, 2), book),
                target(r, currencies.get(r.nextInt(4)), ACCOUNTS.subList(2, 4), book));
        InvoiceCalculator.Run run = new InvoiceCalculator.Run(targets, Map.of(book, new InvoiceCalculator.Book(book, "Book v1", Pricing.compile(rules(r)))));
        groups.forEach(g -> run.add(null, g));
        Map<String, BigDecimal> rates = new HashMap<>();
        for (String c : currencies) {
            rates.put(c, c.equals("USD") ? BigDecimal.ONE : BigDecimal.valueOf(50 + r.nextInt(20_000), 4));
        }
        List<InvoiceCalculator.Computed> invoices = run.finish((from, to) -> Optional.of(rates.get(to))).stream().filter(c -> c != null).toList();
        return new Case(groups, targets, invoices, ACCOUNTS.subList(4, 6));
    }

    @Property(tries = 400)
    void anInvoicesTotalIsTheSumOfItsLinesEachRoundedToTheCurrency(@ForAll long seed) {
        for (InvoiceCalculator.Computed invoice : compute(seed).invoices()) {
            int scale = InvoiceCalculator.scale(invoice.currency());
            BigDecimal sum = BigDecimal.ZERO;
            BigDecimal tax = BigDecimal.ZERO;
            for (InvoiceCalculator.Line line : invoice.lines()) {
                assertThat(line.amount().scale()).as(line.toString()).isEqualTo(scale);
                sum = sum.add(line.amount());
                if (line.kind() == InvoiceCalculator.LineKind.TAX) {
                    tax = tax.add(line.amount());
                }
            }
            assertThat(invoice.total()).isEqualByComparingTo(sum);
            assertThat(invoice.tax()).isEqualByComparingTo(tax);
            assertThat(invoice.subtotal().add(invoice.tax())).isEqualByComparingTo(invoice.total());
        }
    }

    @Property(tries = 400)
    void theInvoicesCostBasisPlusTheUnassignedCostIsExactlyTheBill(@ForAll long seed) {
        Case c = compute(seed);
        BigDecimal bill = c.groups().stream().map(CostGroup::unblended).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal invoiced = c.invoices().stream().map(InvoiceCalculator.Computed::costBasis).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal unassigned = c.groups().stream().filter(g -> c.unmapped().contains(g.usageAccountId())).map(CostGroup::unblended)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(invoiced.add(unassigned)).isEqualByComparingTo(bill);
    }

    @Property(tries = 400)
    void aPayersBillIsExactlyItsCustomersPlusUnassignedAndTheCentsAreExplained(@ForAll long seed) {
        Random r = new Random(seed);
        List<UUID> sources = List.of(UUID.randomUUID(), UUID.randomUUID());
        Map<UUID, LakeCosts.Partition> partitions = new HashMap<>();
        for (UUID s : sources) {
            CurSource source = new CurSource(s, null, "999900000001", "src", "file:/x", null, Instant.now(), CurSource.Owner.PAYER, null, null, null, null, false,
                    null, null, null, null);
            partitions.put(s, new LakeCosts.Partition(source, new LakePartition(s, "2020-01", "d1", "r", CurFormat.LEGACY_CSV, "/x", 1, BigDecimal.ZERO, false,
                    null, Instant.now()), Path.of("/x")));
        }
        List<LakeCosts.BillLine> lines = new ArrayList<>();
        Map<String, String> customerOf = new HashMap<>();
        for (String a : ACCOUNTS) {
            if (r.nextInt(4) > 0) {
                customerOf.put(a, "customer-" + r.nextInt(3));
            }
        }
        int n = 1 + r.nextInt(80);
        for (int i = 0; i < n; i++) {
            lines.add(new LakeCosts.BillLine(sources.get(r.nextInt(2)), r.nextInt(10) == 0 ? null : ACCOUNTS.get(r.nextInt(6)), TYPES.get(r.nextInt(5)), "AWS",
                    r.nextBoolean() ? "INV-" + i : null, "USD", 1 + r.nextInt(100), money(r, 1000)));
        }
        List<Reconciliations.Payer> payers = Reconciliations.balance(lines, partitions, l -> l.accountId() == null ? null : customerOf.get(l.accountId()), true);
        BigDecimal all = BigDecimal.ZERO;
        for (Reconciliations.Payer p : payers) {
            assertThat(p.difference()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(p.customersTotal().add(p.unassignedTotal())).isEqualByComparingTo(p.awsTotal());
            assertThat(p.customersCents().add(p.unassignedCents()).add(p.roundingDifference())).isEqualByComparingTo(p.awsTotalCents());
            assertThat(p.roundingDifference().abs()).isLessThanOrEqualTo(new BigDecimal("0.02"));
            assertThat(p.byLineItemType().stream().map(Reconciliations.Breakdown::amount).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(p.awsTotal());
            all = all.add(p.awsTotal());
        }
        assertThat(all).isEqualByComparingTo(lines.stream().map(LakeCosts.BillLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
    }
}
