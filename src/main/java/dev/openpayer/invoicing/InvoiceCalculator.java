package dev.openpayer.invoicing;

import dev.openpayer.billing.CostGroup;
import dev.openpayer.billing.CustomLineItems.Charge;
import dev.openpayer.billing.CustomLineItems.CustomLineItem;
import dev.openpayer.billing.CustomLineItems.Kind;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.billing.Pricing;
import dev.openpayer.billing.PricingRule;
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
import java.util.Set;
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
        private final Map<String, Acc> byAccount = new HashMap<>();
        private final Map<String, Acc> accs = new LinkedHashMap<>();
        private final Map<UUID, Book> books;
        private final Book passThrough = new Book(null, "At AWS cost", Pricing.compile(List.of()));

        Run(List<Target> targets, Map<UUID, Book> books) {
            this.books = books;
            for (Target t : targets) {
                Acc acc = new Acc(t);
                accs.put(t.key(), acc);
                t.accounts().keySet().forEach(a -> byAccount.put(a, acc));
            }
        }

        /** Prices one slice if it belongs to an account of this run. Called once per lake group: kept free of string building. */
        void add(String serviceName, CostGroup g) {
            Acc acc = g.usageAccountId() == null ? null : byAccount.get(g.usageAccountId());
            if (acc == null) {
                return;
            }
            Target t = acc.target;
            AccountBilling account = t.accounts().get(g.usageAccountId());
            boolean tax = "Tax".equalsIgnoreCase(g.lineItemType()) || "Tax".equalsIgnoreCase(g.chargeCategory());
            acc.cost.merge(g.currency(), g.unblended(), BigDecimal::add);
            if (tax) {
                acc.taxCost.merge(g.currency(), g.unblended(), BigDecimal::add);
            }
            Book book = account.priceBookId() == null ? passThrough : books.getOrDefault(account.priceBookId(), passThrough);
            acc.books.add(book);
            Pricing.Priced priced = book.pricing().price(g);
            if (priced.excluded()) {
                return;
            }
            if (tax && t.settings().taxMode() == InvoiceSettings.TaxMode.RATE) {
                return; // replaced by the profile's own tax rate
            }
            String service = g.serviceCode() == null ? "(no service)" : g.serviceCode();
            boolean wholesale = t.tier() == Tier.WHOLESALE;
            String accountPart = t.settings().grouping() == InvoiceSettings.Grouping.SERVICE ? null : g.usageAccountId();
            String servicePart = t.settings().grouping() == InvoiceSettings.Grouping.ACCOUNT || tax ? null : service;
            LineId id = new LineId(tax, wholesale ? account.customerId() : null, accountPart, servicePart, g.currency());
            LineAcc line = acc.lines.get(id);
            if (line == null) {
                String key = (tax ? "TAX|" : "USAGE|") + (wholesale ? account.customerId() + "|" : "") + (accountPart == null ? "*" : accountPart) + "|"
                        + (servicePart == null ? "*" : servicePart) + "|" + g.currency();
                String serviceLabel = serviceName == null || serviceName.isBlank() ? service : serviceName;
                line = new LineAcc(tax ? LineKind.TAX : LineKind.USAGE, key, accountPart, wholesale ? account.customerId() : null,
                        wholesale ? account.customerName() : (accountPart == null ? null : account.costCenter()), servicePart,
                        tax ? "AWS tax" : servicePart == null ? "AWS usage" : serviceLabel, g.currency());
                acc.lines.put(id, line);
            }
            line.cost = line.cost.add(g.unblended());
            line.priced = line.priced.add(priced.amount());
            line.rules.add(priced.rule() == null ? AT_COST : priced.rule());
            if (!tax) {
                acc.pricedByAccount.merge(new AccountCurrency(g.usageAccountId(), g.currency()), priced.amount(), BigDecimal::add);
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
        /** The rules that priced the line's groups (AT_COST for none), described once the line is complete. */
        final Set<PricingRule> rules = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

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
        final Map<LineId, LineAcc> lines = new LinkedHashMap<>();
        final Map<AccountCurrency, BigDecimal> pricedByAccount = new HashMap<>();
        final Set<Book> books = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

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
                        pricing(l.rules)));
                if (l.kind == LineKind.USAGE) {
                    usage = usage.add(amount);
                }
            }
            pricedByAccount.forEach((k, v) -> usageByAccount.merge(k.account(), v.multiply(rateOf.get(k.currency())),
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
                    taxLabel, String.join(", ", books.stream().map(Book::label).collect(java.util.stream.Collectors.toCollection(TreeSet::new))), null);
        }

        private Computed failed(String problem) {
            return new Computed(target, target.profile().currency(), null, null, BigDecimal.ZERO, BigDecimal.ZERO, List.of(), BigDecimal.ZERO,
                    BigDecimal.ZERO, BigDecimal.ZERO, null, null, problem);
        }
    }

    /** Where a group's amount goes on the invoice (its line), without building the line's text key per group. */
    private record LineId(boolean tax, UUID customerId, String accountId, String serviceCode, String currency) {}

    private record AccountCurrency(String account, String currency) {}

    /** Stands for "no rule matched" in a line's set of rules. */
    private static final PricingRule AT_COST = new PricingRule(null, Integer.MAX_VALUE, "At AWS cost", PricingRule.Match.ANY, PricingRule.Action.PASS_THROUGH,
            null, null, null);

    /** The pricing text of a line: its one rule, or every rule that priced part of it. */
    private static String pricing(Set<PricingRule> rules) {
        TreeSet<String> texts = new TreeSet<>();
        for (PricingRule r : rules) {
            texts.add(r == AT_COST ? "At AWS cost" : r.describe());
        }
        return texts.size() == 1 ? texts.first() : "Several rules: " + String.join("; ", texts);
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
