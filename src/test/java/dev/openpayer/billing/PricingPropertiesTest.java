package dev.openpayer.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.Pricing.Priced;
import dev.openpayer.billing.PricingRule.Action;
import dev.openpayer.billing.PricingRule.Basis;
import dev.openpayer.billing.PricingRule.Match;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the pricing engine over random price books and cost groups drawn from a small vocabulary, so that rules often match. */
class PricingPropertiesTest {

    /** Amounts on one group's dimensions. */
    record Amounts(BigDecimal unblended, BigDecimal amortized, BigDecimal publicOnDemand, BigDecimal quantity) {
        Amounts plus(Amounts other) {
            return new Amounts(unblended.add(other.unblended), amortized.add(other.amortized),
                    publicOnDemand.add(other.publicOnDemand), quantity.add(other.quantity));
        }
    }

    @Property(tries = 300)
    void theMostSpecificMatchingRuleWinsWhateverTheOrderOfTheList(@ForAll("ruleSets") List<PricingRule> rules,
            @ForAll("groups") CostGroup group, @ForAll long seed) {
        List<PricingRule> shuffled = new ArrayList<>(rules);
        Collections.shuffle(shuffled, new Random(seed));
        PricingRule expected = referenceWinner(rules, group);

        assertThat(Pricing.winner(shuffled, group)).isSameAs(expected);
        assertThat(Pricing.compile(shuffled).winner(group)).isSameAs(expected);
        Priced priced = Pricing.price(shuffled, group);
        assertThat(priced.rule()).isSameAs(expected);
        if (expected == null) {
            assertThat(priced.amount()).isEqualTo(group.unblended());
            assertThat(priced.excluded()).isFalse();
        }
    }

    @Property(tries = 300)
    void pricingIsLinearSoTheLakeMayBeAggregatedBeforePricing(@ForAll("ruleSets") List<PricingRule> rules,
            @ForAll("groups") CostGroup dimensions, @ForAll("amounts") Amounts first, @ForAll("amounts") Amounts second) {
        Pricing.Book book = Pricing.compile(rules);
        Priced one = book.price(with(dimensions, first));
        Priced two = book.price(with(dimensions, second));
        Priced both = book.price(with(dimensions, first.plus(second)));

        assertThat(one.amount().add(two.amount())).isEqualByComparingTo(both.amount());
        assertThat(both.rule()).isSameAs(one.rule()).isSameAs(two.rule());
    }

    @Property(tries = 300)
    void aMarkupNeverLowersAndADiscountNeverRaisesANonNegativeBasis(@ForAll("ruleSets") List<PricingRule> rules,
            @ForAll("groups") CostGroup dimensions, @ForAll("nonNegativeAmounts") Amounts amounts) {
        CostGroup group = with(dimensions, amounts);
        Priced priced = Pricing.compile(rules).price(group);
        if (priced.rule() == null || (priced.rule().action() != Action.MARKUP && priced.rule().action() != Action.DISCOUNT)) {
            return;
        }
        BigDecimal basis = switch (priced.rule().basis()) {
            case UNBLENDED -> group.unblended();
            case AMORTIZED -> group.amortized();
            case PUBLIC_ON_DEMAND -> group.publicOnDemand();
        };
        if (priced.rule().action() == Action.MARKUP) {
            assertThat(priced.amount()).isGreaterThanOrEqualTo(basis);
        } else {
            assertThat(priced.amount()).isLessThanOrEqualTo(basis).isGreaterThanOrEqualTo(BigDecimal.ZERO);
        }
    }

    @Property(tries = 300)
    void markupAndDiscountBoundTheirBasis(@ForAll("percents") BigDecimal percent, @ForAll("basis") Basis basis,
            @ForAll("groups") CostGroup dimensions, @ForAll("nonNegativeAmounts") Amounts amounts) {
        CostGroup group = with(dimensions, amounts);
        BigDecimal cost = switch (basis) {
            case UNBLENDED -> group.unblended();
            case AMORTIZED -> group.amortized();
            case PUBLIC_ON_DEMAND -> group.publicOnDemand();
        };
        PricingRule markup = new PricingRule(UUID.randomUUID(), 1, "markup", Match.ANY, Action.MARKUP, basis, percent, null);
        PricingRule discount = new PricingRule(UUID.randomUUID(), 1, "discount", Match.ANY, Action.DISCOUNT, basis, percent, null);

        assertThat(Pricing.price(List.of(markup), group).amount()).isGreaterThanOrEqualTo(cost);
        assertThat(Pricing.price(List.of(discount), group).amount()).isLessThanOrEqualTo(cost);
    }

    @Property(tries = 300)
    void excludedGroupsCostNothingAndOnlyExcludeExcludes(@ForAll("ruleSets") List<PricingRule> rules, @ForAll("groups") CostGroup group) {
        Priced priced = Pricing.price(rules, group);
        boolean excludedByRule = priced.rule() != null && priced.rule().action() == Action.EXCLUDE;

        assertThat(priced.excluded()).isEqualTo(excludedByRule);
        if (excludedByRule) {
            assertThat(priced.amount()).isEqualByComparingTo(BigDecimal.ZERO);
        }
    }

    @Property(tries = 300)
    void aMatchingExcludeGivesZero(@ForAll("matches") Match match, @ForAll("groups") CostGroup group) {
        PricingRule exclude = new PricingRule(UUID.randomUUID(), 1, "exclude", match, Action.EXCLUDE, null, null, null);
        Priced priced = Pricing.price(List.of(exclude), group);
        if (exclude.matches(group)) {
            assertThat(priced).isEqualTo(new Priced(exclude, BigDecimal.ZERO, true));
        } else {
            assertThat(priced).isEqualTo(new Priced(null, group.unblended(), false));
        }
    }

    // The reference: every matching rule, ranked by (level, number of set fields, -position), computed independently.

    static PricingRule referenceWinner(List<PricingRule> rules, CostGroup g) {
        PricingRule best = null;
        for (PricingRule rule : rules) {
            if (!referenceMatches(rule.match(), g)) {
                continue;
            }
            if (best == null || rank(rule).compareTo(rank(best)) > 0) {
                best = rule;
            }
        }
        return best;
    }

    record Rank(int level, int fields, int position) implements Comparable<Rank> {
        @Override
        public int compareTo(Rank o) {
            if (level != o.level) {
                return Integer.compare(level, o.level);
            }
            if (fields != o.fields) {
                return Integer.compare(fields, o.fields);
            }
            return Integer.compare(o.position, position);
        }
    }

    static Rank rank(PricingRule rule) {
        Match m = rule.match();
        int level = m.usageType() != null || m.operation() != null ? 3 : m.serviceCode() != null ? 2 : m.usageAccountId() != null ? 1 : 0;
        List<String> fields = Arrays.asList(m.serviceCode(), m.usageType(), m.operation(), m.regionId(), m.usageAccountId(),
                m.lineItemType(), m.tagKey(), m.tagValue());
        int set = (int) fields.stream().filter(f -> f != null).count();
        return new Rank(level, set, rule.position());
    }

    static boolean referenceMatches(Match m, CostGroup g) {
        String tag = m.tagKey() == null ? null : g.tags().get(m.tagKey());
        return (m.serviceCode() == null || m.serviceCode().equals(g.serviceCode()))
                && (m.usageType() == null || m.usageType().equals(g.usageType()))
                && (m.operation() == null || m.operation().equals(g.operation()))
                && (m.regionId() == null || m.regionId().equals(g.regionId()))
                && (m.usageAccountId() == null || m.usageAccountId().equals(g.usageAccountId()))
                && (m.lineItemType() == null || m.lineItemType().equals(g.lineItemType()) || m.lineItemType().equals(g.chargeCategory()))
                && (m.tagKey() == null || (tag != null && !tag.isEmpty() && (m.tagValue() == null || m.tagValue().equals(tag))));
    }

    // Generators: a small vocabulary so that rules and groups meet often.

    static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");
    static final List<String> SERVICES = List.of("AmazonEC2", "AmazonS3", "AWSLambda");
    static final List<String> USAGE_TYPES = List.of("BoxUsage:t3.micro", "TimedStorage-ByteHrs", "Request");
    static final List<String> OPERATIONS = List.of("RunInstances", "PutObject");
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");
    static final List<String> LINE_ITEM_TYPES = List.of("Usage", "SavingsPlanCoveredUsage", "Tax", "Credit");
    static final List<String> CHARGE_CATEGORIES = List.of("Usage", "Tax", "Credit");
    static final List<String> TAG_KEYS = List.of("team", "env");
    static final List<String> TAG_VALUES = List.of("data", "web", "");

    static Arbitrary<String> maybe(List<String> values) {
        return Arbitraries.of(values).injectNull(0.6);
    }

    @Provide
    Arbitrary<Match> matches() {
        Arbitrary<String[]> tag = Combinators.combine(maybe(TAG_KEYS), Arbitraries.of("data", "web").injectNull(0.5))
                .as((key, value) -> new String[] {key, key == null ? null : value});
        return Combinators.combine(maybe(SERVICES), Arbitraries.of(USAGE_TYPES).injectNull(0.8),
                        Arbitraries.of(OPERATIONS).injectNull(0.8), maybe(REGIONS), maybe(ACCOUNTS), maybe(LINE_ITEM_TYPES), tag)
                .as((service, usageType, operation, region, account, lineItemType, t) ->
                        new Match(service, usageType, operation, region, account, lineItemType, t[0], t[1]));
    }

    @Provide
    Arbitrary<BigDecimal> percents() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(100)).ofScale(2);
    }

    @Provide
    Arbitrary<Basis> basis() {
        return Arbitraries.of(Basis.class);
    }

    Arbitrary<PricingRule> rules() {
        Arbitrary<BigDecimal> markupPercent = Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(1000)).ofScale(3);
        Arbitrary<BigDecimal> rate = Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(10)).ofScale(6);
        return Combinators.combine(matches(), Arbitraries.of(Action.class), basis(), markupPercent, percents(), rate)
                .as((match, action, basis, markup, discount, perUnit) -> switch (action) {
                    case MARKUP -> new PricingRule(UUID.randomUUID(), 0, "markup", match, action, basis, markup, null);
                    case DISCOUNT -> new PricingRule(UUID.randomUUID(), 0, "discount", match, action, basis, discount, null);
                    case FIXED_RATE -> new PricingRule(UUID.randomUUID(), 0, "rate", match, action, null, null, perUnit);
                    case PASS_THROUGH, EXCLUDE -> new PricingRule(UUID.randomUUID(), 0, "plain", match, action, null, null, null);
                });
    }

    /** Rule sets with distinct positions in a random order, so that the position decides every tie. */
    @Provide
    Arbitrary<List<PricingRule>> ruleSets() {
        return rules().list().ofMaxSize(25).flatMap(list -> {
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                positions.add(i * 10);
            }
            return Arbitraries.shuffle(positions).map(shuffled -> {
                List<PricingRule> placed = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    PricingRule r = list.get(i);
                    placed.add(new PricingRule(r.id(), shuffled.get(i), r.name(), r.match(), r.action(), r.basis(), r.percent(), r.rate()));
                }
                return placed;
            });
        });
    }

    Arbitrary<BigDecimal> amount(boolean nonNegative) {
        BigDecimal min = nonNegative ? BigDecimal.ZERO : BigDecimal.valueOf(-1_000_000);
        return Arbitraries.integers().between(0, 10)
                .flatMap(scale -> Arbitraries.bigDecimals().between(min, BigDecimal.valueOf(1_000_000)).ofScale(scale));
    }

    @Provide
    Arbitrary<Amounts> amounts() {
        return Combinators.combine(amount(false), amount(false), amount(false), amount(false)).as(Amounts::new);
    }

    @Provide
    Arbitrary<Amounts> nonNegativeAmounts() {
        return Combinators.combine(amount(true), amount(true), amount(true), amount(true)).as(Amounts::new);
    }

    @Provide
    Arbitrary<CostGroup> groups() {
        Arbitrary<Map<String, String>> tags = Combinators.combine(Arbitraries.of(TAG_VALUES).injectNull(0.4),
                        Arbitraries.of(TAG_VALUES).injectNull(0.4))
                .as((team, env) -> {
                    Map<String, String> map = new HashMap<>();
                    if (team != null) {
                        map.put("team", team);
                    }
                    if (env != null) {
                        map.put("env", env);
                    }
                    return map;
                });
        Arbitrary<String[]> dimensions = Combinators.combine(Arbitraries.of(ACCOUNTS), Arbitraries.of(SERVICES), Arbitraries.of(USAGE_TYPES),
                        Arbitraries.of(OPERATIONS), Arbitraries.of(REGIONS), Arbitraries.of(LINE_ITEM_TYPES), Arbitraries.of(CHARGE_CATEGORIES))
                .as((account, service, usageType, operation, region, lineItemType, category) ->
                        new String[] {account, service, usageType, operation, region, lineItemType, category});
        return Combinators.combine(dimensions, tags, amounts())
                .as((d, t, a) -> new CostGroup(d[0], d[1], d[2], d[3], d[4], d[5], d[6], t, "USD",
                        a.unblended(), a.amortized(), a.publicOnDemand(), a.quantity()));
    }

    static CostGroup with(CostGroup g, Amounts a) {
        return new CostGroup(g.usageAccountId(), g.serviceCode(), g.usageType(), g.operation(), g.regionId(), g.lineItemType(),
                g.chargeCategory(), g.tags(), g.currency(), a.unblended(), a.amortized(), a.publicOnDemand(), a.quantity());
    }
}
