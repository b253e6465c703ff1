package dev.openpayer.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.openpayer.billing.Pricing.Priced;
import dev.openpayer.billing.PricingRule.Action;
import dev.openpayer.billing.PricingRule.Basis;
import dev.openpayer.billing.PricingRule.Level;
import dev.openpayer.billing.PricingRule.Match;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Examples of price book rules: each action and basis, matching, precedence, the default and validation. */
class PricingTest {
    static final String ACCOUNT = "123456789012";

    static final CostGroup EC2 = new CostGroup(ACCOUNT, "AmazonEC2", "EUW1-BoxUsage:t3.micro", "RunInstances", "eu-west-1",
            "Usage", "Usage", Map.of("team", "data", "env", ""), "USD",
            new BigDecimal("100.0000000000"), new BigDecimal("80.0000000000"), new BigDecimal("120.0000000000"), new BigDecimal("730"));

    static Match match() {
        return Match.ANY;
    }

    static Match service(String serviceCode) {
        return new Match(serviceCode, null, null, null, null, null, null, null);
    }

    static PricingRule rule(int position, Match match, Action action, Basis basis, String percent, String rate) {
        return new PricingRule(UUID.randomUUID(), position, "rule " + position, match, action, basis,
                percent == null ? null : new BigDecimal(percent), rate == null ? null : new BigDecimal(rate));
    }

    static PricingRule markup(int position, Match match, String percent, Basis basis) {
        return rule(position, match, Action.MARKUP, basis, percent, null);
    }

    static PricingRule discount(int position, Match match, String percent, Basis basis) {
        return rule(position, match, Action.DISCOUNT, basis, percent, null);
    }

    static PricingRule fixedRate(int position, Match match, String rate) {
        return rule(position, match, Action.FIXED_RATE, null, null, rate);
    }

    static PricingRule passThrough(int position, Match match) {
        return rule(position, match, Action.PASS_THROUGH, null, null, null);
    }

    static PricingRule exclude(int position, Match match) {
        return rule(position, match, Action.EXCLUDE, null, null, null);
    }

    @Test
    void markupAddsThePercentageToTheBasis() {
        Priced priced = Pricing.price(List.of(markup(1, match(), "5", Basis.UNBLENDED)), EC2);
        assertThat(priced.amount()).isEqualByComparingTo("105");
        assertThat(priced.excluded()).isFalse();
    }

    @Test
    void discountTakesThePercentageOffTheBasis() {
        Priced priced = Pricing.price(List.of(discount(1, match(), "12.5", Basis.UNBLENDED)), EC2);
        assertThat(priced.amount()).isEqualByComparingTo("87.5");
    }

    @Test
    void eachBasisTakesItsCost() {
        assertThat(Pricing.price(List.of(markup(1, match(), "10", Basis.UNBLENDED)), EC2).amount()).isEqualByComparingTo("110");
        assertThat(Pricing.price(List.of(markup(1, match(), "10", Basis.AMORTIZED)), EC2).amount()).isEqualByComparingTo("88");
        assertThat(Pricing.price(List.of(discount(1, match(), "10", Basis.PUBLIC_ON_DEMAND)), EC2).amount()).isEqualByComparingTo("108");
    }

    @Test
    void fullDiscountAndZeroMarkupAreExact() {
        assertThat(Pricing.price(List.of(discount(1, match(), "100", Basis.UNBLENDED)), EC2).amount()).isEqualByComparingTo("0");
        assertThat(Pricing.price(List.of(markup(1, match(), "0", Basis.UNBLENDED)), EC2).amount()).isEqualByComparingTo("100");
    }

    @Test
    void arithmeticIsExactAndUnrounded() {
        CostGroup small = withUnblended(EC2, "0.0000000001");
        Priced priced = Pricing.price(List.of(markup(1, match(), "3.333", Basis.UNBLENDED)), small);
        assertThat(priced.amount()).isEqualTo(new BigDecimal("0.000000000103333"));
    }

    @Test
    void fixedRateChargesPerUnitOfUsage() {
        Priced priced = Pricing.price(List.of(fixedRate(1, match(), "0.0125")), EC2);
        assertThat(priced.amount()).isEqualByComparingTo("9.125");
    }

    @Test
    void passThroughKeepsTheUnblendedCost() {
        Priced priced = Pricing.price(List.of(passThrough(1, match())), EC2);
        assertThat(priced.amount()).isEqualByComparingTo("100");
        assertThat(priced.rule()).isNotNull();
    }

    @Test
    void excludeLeavesTheGroupOffTheInvoice() {
        Priced priced = Pricing.price(List.of(exclude(1, match())), EC2);
        assertThat(priced.amount()).isEqualByComparingTo("0");
        assertThat(priced.excluded()).isTrue();
    }

    @Test
    void withoutAMatchingRuleTheGroupPassesThroughAtUnblendedCost() {
        Priced priced = Pricing.price(List.of(markup(1, service("AmazonS3"), "50", Basis.UNBLENDED)), EC2);
        assertThat(priced.rule()).isNull();
        assertThat(priced.amount()).isEqualByComparingTo("100");
        assertThat(priced.excluded()).isFalse();
        assertThat(Pricing.price(List.of(), EC2)).isEqualTo(new Priced(null, EC2.unblended(), false));
    }

    @Test
    void creditsKeepTheirSign() {
        CostGroup credit = withUnblended(EC2, "-40");
        assertThat(Pricing.price(List.of(discount(1, match(), "25", Basis.UNBLENDED)), credit).amount()).isEqualByComparingTo("-30");
    }

    @Test
    void levelsFollowTheMostSpecificFieldSet() {
        assertThat(markup(1, match(), "1", Basis.UNBLENDED).level()).isEqualTo(Level.GLOBAL);
        assertThat(markup(1, new Match(null, null, null, "eu-west-1", null, "Usage", "team", null), "1", Basis.UNBLENDED).level())
                .isEqualTo(Level.GLOBAL);
        assertThat(markup(1, new Match(null, null, null, null, ACCOUNT, null, null, null), "1", Basis.UNBLENDED).level())
                .isEqualTo(Level.ACCOUNT);
        assertThat(markup(1, new Match("AmazonEC2", null, null, null, ACCOUNT, null, null, null), "1", Basis.UNBLENDED).level())
                .isEqualTo(Level.SERVICE);
        assertThat(markup(1, new Match(null, null, "RunInstances", null, null, null, null, null), "1", Basis.UNBLENDED).level())
                .isEqualTo(Level.SKU);
        assertThat(markup(1, new Match(null, "EUW1-BoxUsage:t3.micro", null, null, null, null, null, null), "1", Basis.UNBLENDED).level())
                .isEqualTo(Level.SKU);
        assertThat(markup(1, new Match("AmazonEC2", null, null, "eu-west-1", ACCOUNT, "Usage", "team", "data"), "1", Basis.UNBLENDED)
                .specificity()).isEqualTo(6);
    }

    @Test
    void aMoreSpecificLevelWinsOverMoreFieldsAndAnEarlierPosition() {
        PricingRule account = markup(1, new Match(null, null, null, "eu-west-1", ACCOUNT, "Usage", "team", "data"), "1", Basis.UNBLENDED);
        PricingRule service = markup(2, service("AmazonEC2"), "2", Basis.UNBLENDED);
        PricingRule sku = markup(3, new Match(null, null, "RunInstances", null, null, null, null, null), "3", Basis.UNBLENDED);
        assertThat(Pricing.winner(List.of(account, service), EC2)).isEqualTo(service);
        assertThat(Pricing.winner(List.of(account, service, sku), EC2)).isEqualTo(sku);
        assertThat(Pricing.price(List.of(sku, account, service), EC2).amount()).isEqualByComparingTo("103");
    }

    @Test
    void withinALevelMoreFieldsWinThenTheEarlierPosition() {
        PricingRule ec2 = markup(1, service("AmazonEC2"), "1", Basis.UNBLENDED);
        PricingRule ec2InIreland = markup(2, new Match("AmazonEC2", null, null, "eu-west-1", null, null, null, null), "2", Basis.UNBLENDED);
        PricingRule ec2Usage = markup(3, new Match("AmazonEC2", null, null, null, null, "Usage", null, null), "3", Basis.UNBLENDED);
        assertThat(Pricing.winner(List.of(ec2, ec2InIreland), EC2)).isEqualTo(ec2InIreland);
        assertThat(Pricing.winner(List.of(ec2Usage, ec2, ec2InIreland), EC2)).isEqualTo(ec2InIreland);
        assertThat(Pricing.compile(List.of(ec2Usage, ec2, ec2InIreland)).winner(EC2)).isEqualTo(ec2InIreland);
    }

    @Test
    void equallyRankedRulesWithTheSamePositionResolveToTheFirstInTheList() {
        PricingRule first = markup(7, service("AmazonEC2"), "1", Basis.UNBLENDED);
        PricingRule second = markup(7, service("AmazonEC2"), "2", Basis.UNBLENDED);
        assertThat(Pricing.winner(List.of(first, second), EC2)).isEqualTo(first);
        assertThat(Pricing.compile(List.of(first, second)).winner(EC2)).isEqualTo(first);
    }

    @Test
    void matchingIsExactAndCaseSensitive() {
        assertThat(markup(1, service("AmazonEC2"), "1", Basis.UNBLENDED).matches(EC2)).isTrue();
        assertThat(markup(1, service("amazonec2"), "1", Basis.UNBLENDED).matches(EC2)).isFalse();
        assertThat(markup(1, new Match(null, null, null, "eu-west-1", ACCOUNT, null, null, null), "1", Basis.UNBLENDED).matches(EC2))
                .isTrue();
        assertThat(markup(1, new Match(null, null, null, "eu-west-2", ACCOUNT, null, null, null), "1", Basis.UNBLENDED).matches(EC2))
                .isFalse();
        assertThat(markup(1, new Match(null, null, null, null, "210987654321", null, null, null), "1", Basis.UNBLENDED).matches(EC2))
                .isFalse();
    }

    @Test
    void lineItemTypeMatchesTheCurTypeOrTheFocusChargeCategory() {
        CostGroup savingsPlan = new CostGroup(ACCOUNT, "AmazonEC2", "BoxUsage", "RunInstances", "eu-west-1",
                "SavingsPlanCoveredUsage", "Usage", Map.of(), "USD", BigDecimal.TEN, BigDecimal.ONE, BigDecimal.TEN, BigDecimal.ONE);
        Match byCurType = new Match(null, null, null, null, null, "SavingsPlanCoveredUsage", null, null);
        Match byChargeCategory = new Match(null, null, null, null, null, "Usage", null, null);
        Match byOther = new Match(null, null, null, null, null, "Tax", null, null);
        assertThat(exclude(1, byCurType).matches(savingsPlan)).isTrue();
        assertThat(exclude(1, byChargeCategory).matches(savingsPlan)).isTrue();
        assertThat(exclude(1, byOther).matches(savingsPlan)).isFalse();
    }

    @Test
    void aTagKeyAloneNeedsTheTagWithAValue() {
        Match team = new Match(null, null, null, null, null, null, "team", null);
        Match env = new Match(null, null, null, null, null, null, "env", null);
        Match owner = new Match(null, null, null, null, null, null, "owner", null);
        assertThat(exclude(1, team).matches(EC2)).isTrue();
        assertThat(exclude(1, env).matches(EC2)).as("an empty tag value counts as no tag").isFalse();
        assertThat(exclude(1, owner).matches(EC2)).isFalse();
    }

    @Test
    void aTagKeyWithAValueNeedsThatValue() {
        assertThat(exclude(1, new Match(null, null, null, null, null, null, "team", "data")).matches(EC2)).isTrue();
        assertThat(exclude(1, new Match(null, null, null, null, null, null, "team", "Data")).matches(EC2)).isFalse();
        assertThat(exclude(1, new Match(null, null, null, null, null, null, "owner", "data")).matches(EC2)).isFalse();
    }

    @Test
    void aGroupWithoutTagsOrAmountsIsPricedAsEmpty() {
        CostGroup bare = new CostGroup(ACCOUNT, "AmazonS3", null, null, null, "Usage", "Usage", null, "USD", null, null, null, null);
        assertThat(bare.tags()).isEmpty();
        assertThat(exclude(1, new Match(null, null, null, null, null, null, "team", null)).matches(bare)).isFalse();
        assertThat(Pricing.price(List.of(markup(1, match(), "10", Basis.PUBLIC_ON_DEMAND)), bare).amount()).isEqualByComparingTo("0");
    }

    @Test
    void describesEachAction() {
        assertThat(markup(1, match(), "5", Basis.UNBLENDED).describe()).isEqualTo("Markup 5 % on unblended cost");
        assertThat(markup(1, match(), "5.00", Basis.AMORTIZED).describe()).isEqualTo("Markup 5 % on amortized cost");
        assertThat(discount(1, match(), "12.50", Basis.PUBLIC_ON_DEMAND).describe()).isEqualTo("Discount 12.5 % on public on-demand cost");
        assertThat(discount(1, match(), "100", Basis.UNBLENDED).describe()).isEqualTo("Discount 100 % on unblended cost");
        assertThat(fixedRate(1, match(), "0.01").describe()).isEqualTo("0.0100 per unit");
        assertThat(fixedRate(1, match(), "0.0012345").describe()).isEqualTo("0.0012345 per unit");
        assertThat(passThrough(1, match()).describe()).isEqualTo("Passed through at cost");
        assertThat(exclude(1, match()).describe()).isEqualTo("Excluded");
    }

    @Test
    void validRulesHaveNoErrors() {
        assertThat(PricingRule.validate(List.of(
                markup(1, match(), "1000", Basis.UNBLENDED),
                discount(2, new Match(null, null, null, null, ACCOUNT, null, "team", "data"), "100", Basis.AMORTIZED),
                discount(3, match(), "0", Basis.PUBLIC_ON_DEMAND),
                fixedRate(4, service("AWSSupportBusiness"), "0"),
                passThrough(5, match()),
                exclude(6, match())))).isEmpty();
    }

    @Test
    void validationNamesEachFieldOfEachRule() {
        List<FieldError> errors = PricingRule.validate(List.of(
                markup(1, match(), null, null),
                discount(2, match(), "100.01", Basis.UNBLENDED),
                markup(3, match(), "1000.5", Basis.UNBLENDED),
                discount(4, match(), "-1", Basis.UNBLENDED),
                fixedRate(5, match(), null),
                fixedRate(6, match(), "-0.01"),
                exclude(7, new Match(null, null, null, null, "1234-5678-9012", null, null, "data")),
                new PricingRule(UUID.randomUUID(), 8, "x".repeat(201), match(), null, null, null, null)));
        assertThat(errors).extracting(FieldError::field).containsExactly(
                "rules[0].percent", "rules[0].basis",
                "rules[1].percent",
                "rules[2].percent",
                "rules[3].percent",
                "rules[4].rate",
                "rules[5].rate",
                "rules[6].tagValue", "rules[6].usageAccountId",
                "rules[7].name", "rules[7].action");
        assertThat(errors).extracting(FieldError::field, FieldError::message).contains(
                tuple("rules[0].percent", "must be given for a markup"),
                tuple("rules[1].percent", "must be between 0 and 100 for a discount, not 100.01"),
                tuple("rules[2].percent", "must be between 0 and 1000 for a markup, not 1000.5"),
                tuple("rules[3].percent", "must be between 0 and 100 for a discount, not -1"),
                tuple("rules[4].rate", "must be given for a fixed rate: the price per unit of usage"),
                tuple("rules[5].rate", "must not be negative; the price per unit of usage is 0 or more"),
                tuple("rules[7].name", "must be at most 200 characters"));
        assertThat(errors).filteredOn(e -> e.field().equals("rules[0].basis")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("unblended, amortized or public on-demand"));
        assertThat(errors).filteredOn(e -> e.field().equals("rules[6].tagValue")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("tag key"));
        assertThat(errors).filteredOn(e -> e.field().equals("rules[6].usageAccountId")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("12 digits"));
    }

    @Test
    void matchFieldsLongerThanTheirColumnsAndTooManyDecimalsAreRefusedNotLeftToTheDatabase() {
        String long61 = "x".repeat(61);
        List<FieldError> errors = PricingRule.validate(List.of(
                exclude(1, new Match("s".repeat(201), "u".repeat(501), "o".repeat(501), long61, null, long61, "k".repeat(501), "v".repeat(501))),
                markup(2, match(), "1.00000000001", Basis.UNBLENDED),
                fixedRate(3, match(), "0.00000000001"),
                fixedRate(4, service("x".repeat(200)), "0.0000000001")));
        assertThat(errors).extracting(FieldError::field).containsExactly("rules[0].serviceCode", "rules[0].usageType", "rules[0].operation",
                "rules[0].regionId", "rules[0].lineItemType", "rules[0].tagKey", "rules[0].tagValue", "rules[1].percent", "rules[2].rate");
        assertThat(errors).extracting(FieldError::message).contains("must be at most 60 characters", "must have at most 10 decimals");
    }

    @Test
    void percentAndRateAreIgnoredWhereTheActionDoesNotUseThem() {
        assertThat(PricingRule.validate(List.of(rule(1, match(), Action.EXCLUDE, null, "-5", "-1")))).isEmpty();
    }

    @Test
    void compilingInvalidRulesIsRefused() {
        assertThatThrownBy(() -> Pricing.compile(List.of(markup(1, match(), null, Basis.UNBLENDED))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("rules[0].percent"));
    }

    @Test
    void aCompiledBookTriesTheRulesMostSpecificFirst() {
        PricingRule global = passThrough(1, match());
        PricingRule ec2 = markup(2, service("AmazonEC2"), "5", Basis.UNBLENDED);
        PricingRule account = discount(3, new Match(null, null, null, null, ACCOUNT, null, null, null), "5", Basis.UNBLENDED);
        PricingRule sku = exclude(4, new Match(null, "BoxUsage", null, null, null, null, null, null));
        assertThat(Pricing.compile(List.of(global, ec2, account, sku)).rules()).containsExactly(sku, ec2, account, global);
    }

    static CostGroup withUnblended(CostGroup g, String unblended) {
        return new CostGroup(g.usageAccountId(), g.serviceCode(), g.usageType(), g.operation(), g.regionId(), g.lineItemType(),
                g.chargeCategory(), g.tags(), g.currency(), new BigDecimal(unblended), g.amortized(), g.publicOnDemand(), g.quantity());
    }
}
