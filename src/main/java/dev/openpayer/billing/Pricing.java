package dev.openpayer.billing;

import dev.openpayer.billing.PricingRule.Basis;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pricing engine of price books: the most specific matching rule (highest level, then most match fields,
 * then lowest position) sets the amount of a cost group; without a matching rule the group passes through at
 * its unblended cost. Amounts are exact and unrounded; rounding happens once per invoice line.
 */
public final class Pricing {
    private Pricing() {}

    /** Rules in the order they are tried: most specific first, then earlier in the price book; equal positions keep list order. */
    static final Comparator<PricingRule> PRECEDENCE = Comparator.comparing(PricingRule::level).reversed()
            .thenComparing(Comparator.comparingInt(PricingRule::specificity).reversed())
            .thenComparingInt(PricingRule::position);

    /** The amount of a cost group and the rule that set it; the rule is null when none matched and the group passed through. */
    public record Priced(PricingRule rule, BigDecimal amount, boolean excluded) {}

    /** Prices one group; for many groups, {@link #compile(List) compile} the rules once and reuse the book. */
    public static Priced price(List<PricingRule> rules, CostGroup group) {
        return compile(rules).price(group);
    }

    /** The rule that applies to the group, or null when none matches; equally ranked rules resolve to the first in the list. */
    public static PricingRule winner(List<PricingRule> rules, CostGroup g) {
        PricingRule best = null;
        for (PricingRule rule : rules) {
            if (rule.matches(g) && (best == null || PRECEDENCE.compare(rule, best) < 0)) {
                best = rule;
            }
        }
        return best;
    }

    /** Checks the rules and sorts them once by precedence, so that pricing a group takes the first rule that matches. */
    public static Book compile(List<PricingRule> rules) {
        List<FieldError> errors = PricingRule.validate(rules);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<PricingRule> sorted = new ArrayList<>(rules);
        sorted.sort(PRECEDENCE);
        PricingRule[] ordered = sorted.toArray(PricingRule[]::new);
        BigDecimal[] factors = new BigDecimal[ordered.length];
        for (int i = 0; i < ordered.length; i++) {
            factors[i] = factor(ordered[i]);
        }
        return new Book(ordered, factors);
    }

    /** What a markup or discount multiplies its basis by: 1 + percent/100 or 1 − percent/100, exactly. */
    private static BigDecimal factor(PricingRule rule) {
        return switch (rule.action()) {
            case MARKUP -> BigDecimal.ONE.add(rule.percent().movePointLeft(2));
            case DISCOUNT -> BigDecimal.ONE.subtract(rule.percent().movePointLeft(2));
            case FIXED_RATE, PASS_THROUGH, EXCLUDE -> null;
        };
    }

    /** Validated rules sorted by precedence, ready to price any number of cost groups. */
    public static final class Book {
        private final PricingRule[] rules;
        private final BigDecimal[] factors;

        private Book(PricingRule[] rules, BigDecimal[] factors) {
            this.rules = rules;
            this.factors = factors;
        }

        /** The rules in the order they are tried. */
        public List<PricingRule> rules() {
            return List.of(rules);
        }

        /** The rule that applies to the group, or null when none matches. */
        public PricingRule winner(CostGroup group) {
            int i = indexOf(group);
            return i < 0 ? null : rules[i];
        }

        /** The unrounded amount of the group under the rule that applies to it. */
        public Priced price(CostGroup group) {
            int i = indexOf(group);
            if (i < 0) {
                return new Priced(null, group.unblended(), false);
            }
            PricingRule rule = rules[i];
            return switch (rule.action()) {
                case MARKUP, DISCOUNT -> new Priced(rule, basis(rule.basis(), group).multiply(factors[i]), false);
                case FIXED_RATE -> new Priced(rule, group.quantity().multiply(rule.rate()), false);
                case PASS_THROUGH -> new Priced(rule, group.unblended(), false);
                case EXCLUDE -> new Priced(rule, BigDecimal.ZERO, true);
            };
        }

        private int indexOf(CostGroup group) {
            for (int i = 0; i < rules.length; i++) {
                if (rules[i].matches(group)) {
                    return i;
                }
            }
            return -1;
        }

        private static BigDecimal basis(Basis basis, CostGroup group) {
            return switch (basis) {
                case UNBLENDED -> group.unblended();
                case AMORTIZED -> group.amortized();
                case PUBLIC_ON_DEMAND -> group.publicOnDemand();
            };
        }
    }
}
