package dev.openpayer.invoicing;

import dev.openpayer.billing.CostGroup;
import dev.openpayer.billing.CustomLineItems.Charge;
import dev.openpayer.billing.CustomLineItems.CustomLineItem;
import dev.openpayer.billing.CustomLineItems.Kind;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.billing.Pricing;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Turns a month's cost slices into invoices: each slice is priced by the price book version of its account,
 * summed into the invoice's lines (grouped as the billing profile asks), converted into the profile's currency
 * at the month's recorded rate and rounded once per line, half-even to the currency's scale. Custom line items
 * and tax follow; totals are sums of rounded lines. Nothing here touches the database.
 */
final class InvoiceCalculator {
    private InvoiceCalculator() {}

    enum Tier {
        /** The distributor bills a reseller for its customers' accounts at the reseller's (wholesale) price book. */
        WHOLESALE,
        /** A seller bills an end customer at the customer's price book. */
        RETAIL
    }

    enum LineKind {
        USAGE,
        FEE,
        CREDIT,
        TAX
    }

    /** How one account is billed on one invoice. */
    record AccountBilling(String accountId, UUID customerId, String customerName, String costCenter, UUID priceBookId) {}

    /** A price book as it prices the month: the version in force, compiled. */
    record Book(UUID priceBookId, String label, Pricing.Book pricing) {}

    /** One invoice to compute: who is billed, for which accounts, how. */
    record Target(Organization buyer, BillingProfile profile, Tier tier, InvoiceSettings.Settings settings, Map<String, AccountBilling> accounts,
            List<CustomLineItem> customItems) {
        String key() {
            return profile.id() + "/" + tier;
        }
    }

    record Line(LineKind kind, String key, String accountId, UUID customerId, String costCenter, String serviceCode, String description,
            BigDecimal costBasis, BigDecimal amount, String pricing) {}

    /**
     * A computed invoice, or the reason it could not be computed.
     *
     * @param costBasis what AWS charged for the invoice's accounts, in the AWS billing currency, exactly (every line, tax and excluded ones too)
     * @param costConverted the same without AWS's tax, converted at the invoice's rate and rounded: what the margin is measured against
     */
    record Computed(Target target, String currency, String sourceCurrency, BigDecimal exchangeRate, BigDecimal costBasis, BigDecimal costConverted,
            List<Line> lines, BigDecimal subtotal, BigDecimal tax, BigDecimal total, String taxLabel, String priceBooks, String problem) {}

    /** Accumulates the slices of one run. */
    static final class Run {
        private final Map<String, Target> byAccount = new HashMap<>();
        private final Map<String, Acc> accs = new LinkedHashMap<>();
        private final Map<UUID, Book> books;
        private final Book passThrough = new Book(null, "At AWS cost", Pricing.compile(List.of()));

        Run(List<Target> targets, Map<UUID, Book> books) {
            this.books = books;
            for (Target t : targets) {
                accs.put(t.key(), new Acc(t));
                t.accounts().keySet().forEach(a -> byAccount.put(a, t));
            }
        }

        /** Prices one slice if it belongs to an account of this run. */
        void add(String serviceName, CostGroup g) {
            Target t = g.usageAccountId() == null ? null : byAccount.get(g.usageAccountId());
            if (t == null) {
                return;
            }
            Acc acc = accs.get(t.key());
            AccountBilling account = t.accounts().get(g.usageAccountId());
            boolean tax = "Tax".equalsIgnoreCase(g.lineItemType()) || "Tax".equalsIgnoreCase(g.chargeCategory());
            acc.cost.merge(g.currency(), g.unblended(), BigDecimal::add);
            if (tax) {
                acc.taxCost.merge(g.currency(), g.unblended(), BigDecimal::add);
            }
            Book book = account.priceBookId() == null ? passThrough : books.getOrDefault(account.priceBookId(), passThrough);
            acc.bookLabels.add(book.label());
            Pricing.Priced priced = book.pricing().price(g);
            if (priced.excluded()) {
                return;
            }
            if (tax && t.settings().taxMode() == InvoiceSettings.TaxMode.RATE) {
                return; // replaced by the profile's own tax rate
            }
            String service = g.serviceCode() == null ? "(no service)" : g.serviceCode();
            String serviceLabel = serviceName == null || serviceName.isBlank() ? service : serviceName;
            boolean wholesale = t.tier() == Tier.WHOLESALE;
            String prefix = wholesale ? account.customerId() + "|" : "";
            String accountPart = t.settings().grouping() == InvoiceSettings.Grouping.SERVICE ? null : g.usageAccountId();
            String servicePart = t.settings().grouping() == InvoiceSettings.Grouping.ACCOUNT ? null : service;
            String key = (tax ? "TAX|" : "USAGE|") + prefix + (accountPart == null ? "*" : accountPart) + "|" + (servicePart == null || tax ? "*" : servicePart)
                    + "|" + g.currency();
            LineAcc line = acc.lines.computeIfAbsent(key, k -> new LineAcc(tax ? LineKind.TAX : LineKind.USAGE, k, accountPart,
                    wholesale ? account.customerId() : null, wholesale ? account.customerName() : (accountPart == null ? null : account.costCenter()),
                    tax ? null : servicePart,
                    tax ? "AWS tax" : servicePart == null ? "AWS usage" : serviceLabel, g.currency()));
            line.cost = line.cost.add(g.unblended());
            line.priced = line.priced.add(priced.amount());
            line.pricing.add(priced.rule() == null ? "At AWS cost" : priced.rule().describe());
            if (!tax) {
                acc.pricedByAccount.merge(g.usageAccountId() + "|" + g.currency(), priced.amount(), BigDecimal::add);
            }
        }

        List<Computed> finish(BiFunction<String, String, Optional<BigDecimal>> rates) {
            return accs.values().stream().map(a -> a.finish(rates)).toList();
        }
    }

    private static final class LineAcc {
        final LineKind kind;
        final String key;
        final String accountId;
        final UUID customerId;
        final String costCenter;
        final String serviceCode;
        final String description;
        final String currency;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal priced = BigDecimal.ZERO;
        final TreeSet<String> pricing = new TreeSet<>();

        LineAcc(LineKind kind, String key, String accountId, UUID customerId, String costCenter, String serviceCode, String description, String currency) {
            this.kind = kind;
            this.key = key;
            this.accountId = accountId;
            this.customerId = customerId;
            this.costCenter = costCenter;
            this.serviceCode = serviceCode;
            this.description = description;
            this.currency = currency;
        }
    }

    private static final class Acc {
        final Target target;
        final Map<String, BigDecimal> cost = new LinkedHashMap<>();
        final Map<String, BigDecimal> taxCost = new HashMap<>();
        final Map<String, LineAcc> lines = new LinkedHashMap<>();
        final Map<String, BigDecimal> pricedByAccount = new HashMap<>();
        final TreeSet<String> bookLabels = new TreeSet<>();

        Acc(Target target) {
            this.target = target;
        }

        Computed finish(BiFunction<String, String, Optional<BigDecimal>> rates) {
            String currency = target.profile().currency();
            int scale = scale(currency);
            String source = cost.entrySet().stream().max(Comparator.comparing(e -> e.getValue().abs())).map(Map.Entry::getKey).orElse("USD");
            Map<String, BigDecimal> rateOf = new HashMap<>();
            for (String from : cost.keySet()) {
                Optional<BigDecimal> rate = rates.apply(from, currency);
                if (rate.isEmpty()) {
                    return failed("no exchange rate " + from + "→" + currency + " is recorded for this month: record it under Exchange rates, then run the month again");
                }
                rateOf.put(from, rate.get());
            }
            rateOf.putIfAbsent(source, rates.apply(source, currency).orElse(BigDecimal.ONE));
            List<Line> out = new ArrayList<>();
            BigDecimal costBasis = BigDecimal.ZERO;
            BigDecimal costConverted = BigDecimal.ZERO;
            for (Map.Entry<String, BigDecimal> c : cost.entrySet()) {
                costBasis = costBasis.add(c.getValue());
                // What the seller pays AWS for what it bills: its tax is not part of the margin, as the invoice's own tax is not.
                costConverted = costConverted.add(c.getValue().subtract(taxCost.getOrDefault(c.getKey(), BigDecimal.ZERO)).multiply(rateOf.get(c.getKey())));
            }
            List<LineAcc> sorted = new ArrayList<>(lines.values());
            sorted.sort(Comparator.comparing((LineAcc l) -> l.kind).thenComparing(l -> l.costCenter == null ? "" : l.costCenter)
                    .thenComparing(l -> l.accountId == null ? "" : l.accountId).thenComparing(l -> l.description).thenComparing(l -> l.key));
            BigDecimal usage = BigDecimal.ZERO;
            Map<String, BigDecimal> usageByAccount = new HashMap<>();
            for (LineAcc l : sorted) {
                BigDecimal amount = round(l.priced.multiply(rateOf.get(l.currency)), scale);
                out.add(new Line(l.kind, l.key, l.accountId, l.customerId, l.costCenter, l.serviceCode, l.description, l.cost, amount,
                        l.pricing.size() == 1 ? l.pricing.first() : "Several rules: " + String.join("; ", l.pricing)));
                if (l.kind == LineKind.USAGE) {
                    usage = usage.add(amount);
                }
            }
            pricedByAccount.forEach((k, v) -> usageByAccount.merge(k.substring(0, k.indexOf('|')), v.multiply(rateOf.get(k.substring(k.indexOf('|') + 1))),
                    BigDecimal::add));
            for (CustomLineItem item : target.customItems()) {
                if (item.usageAccountId() != null && !target.accounts().containsKey(item.usageAccountId())) {
                    continue;
                }
                BigDecimal amount;
                if (item.charge() == Charge.FLAT) {
                    amount = round(item.amount(), scale);
                } else {
                    BigDecimal base = item.usageAccountId() == null ? usage : round(usageByAccount.getOrDefault(item.usageAccountId(), BigDecimal.ZERO), scale);
                    amount = round(base.multiply(item.amount()).movePointLeft(2), scale);
                }
                if (item.kind() == Kind.CREDIT) {
                    amount = amount.negate();
                }
                AccountBilling account = item.usageAccountId() == null ? null : target.accounts().get(item.usageAccountId());
                String description = item.description() + (item.charge() == Charge.PERCENT ? " (" + item.amount().toPlainString() + " % of "
                        + (item.usageAccountId() == null ? "usage" : "account " + item.usageAccountId() + " usage") + ")" : "");
                out.add(new Line(item.kind() == Kind.CREDIT ? LineKind.CREDIT : LineKind.FEE, "CUSTOM|" + item.id(), item.usageAccountId(),
                        account == null ? null : account.customerId(), account == null ? null : account.costCenter(), null, description, null, amount,
                        "Custom line item"));
            }
            if (out.isEmpty() && cost.isEmpty()) {
                // Nothing billed and no AWS cost: no invoice, whatever the profile's tax settings. A month whose every line a rule
                // excluded still gets one, at zero, so that its cost basis is accounted for.
                return null;
            }
            String taxLabel = target.settings().taxLabel() == null ? "Tax" : target.settings().taxLabel();
            if (target.settings().taxMode() == InvoiceSettings.TaxMode.RATE) {
                BigDecimal subtotal = out.stream().filter(l -> l.kind() != LineKind.TAX).map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal rate = target.settings().taxRate();
                taxLabel = taxLabel + " " + rate.stripTrailingZeros().toPlainString() + " %";
                out.add(new Line(LineKind.TAX, "TAX|RATE", null, null, null, null, taxLabel, null, round(subtotal.multiply(rate).movePointLeft(2), scale),
                        "Tax rate of the billing profile"));
            }
            BigDecimal subtotal = out.stream().filter(l -> l.kind() != LineKind.TAX).map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal tax = out.stream().filter(l -> l.kind() == LineKind.TAX).map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal rate = source.equals(currency) ? null : rateOf.get(source);
            return new Computed(target, currency, source, rate, costBasis, round(costConverted, scale), List.copyOf(out), subtotal, tax, subtotal.add(tax),
                    taxLabel, String.join(", ", bookLabels), null);
        }

        private Computed failed(String problem) {
            return new Computed(target, target.profile().currency(), null, null, BigDecimal.ZERO, BigDecimal.ZERO, List.of(), BigDecimal.ZERO,
                    BigDecimal.ZERO, BigDecimal.ZERO, null, null, problem);
        }
    }

    static int scale(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return digits < 0 ? 2 : digits;
    }

    /** The one rounding rule: half-even to the currency's scale. */
    static BigDecimal round(BigDecimal value, int scale) {
        return value.setScale(scale, RoundingMode.HALF_EVEN);
    }
}
