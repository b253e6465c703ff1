package dev.openpayer.billing;

import dev.openpayer.shared.InvalidInputException.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One rule of a price book version: which cost groups it applies to ({@link Match}) and how their amount is
 * computed ({@link Action} on a {@link Basis}, with a percentage or a rate per unit). Lower positions come
 * earlier in the price book and win ties between equally specific rules.
 */
public record PricingRule(UUID id, int position, String name, Match match, Action action, Basis basis, BigDecimal percent,
        BigDecimal rate) {

    /** Longest name a rule may have. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Highest markup percentage a rule may have. */
    public static final BigDecimal MAX_MARKUP_PERCENT = BigDecimal.valueOf(1000);
    /** Most decimals a percentage or a rate may have. */
    public static final int MAX_DECIMALS = 10;
    /** Highest discount percentage a rule may have. */
    public static final BigDecimal MAX_DISCOUNT_PERCENT = BigDecimal.valueOf(100);

    /** The cost groups a rule applies to; a null field matches any value. */
    public record Match(String serviceCode, String usageType, String operation, String regionId, String usageAccountId,
            String lineItemType, String tagKey, String tagValue) {

        /** A match that applies to every cost group. */
        public static final Match ANY = new Match(null, null, null, null, null, null, null, null);
    }

    /** How the amount of a matched cost group is computed. */
    public enum Action { MARKUP, DISCOUNT, FIXED_RATE, PASS_THROUGH, EXCLUDE }

    /** The cost a markup or discount applies to. */
    public enum Basis { UNBLENDED, AMORTIZED, PUBLIC_ON_DEMAND }

    /** How specific a rule is, in ascending order: a more specific level wins over a less specific one. */
    public enum Level { GLOBAL, ACCOUNT, SERVICE, SKU }

    /** SKU when usage type or operation is set, else SERVICE when service is set, else ACCOUNT when usage account is set, else GLOBAL. */
    public Level level() {
        if (match == null) {
            return Level.GLOBAL;
        }
        if (match.usageType() != null || match.operation() != null) {
            return Level.SKU;
        }
        if (match.serviceCode() != null) {
            return Level.SERVICE;
        }
        if (match.usageAccountId() != null) {
            return Level.ACCOUNT;
        }
        return Level.GLOBAL;
    }

    /** The number of match fields that are set; within a level, the rule with more of them wins. */
    public int specificity() {
        if (match == null) {
            return 0;
        }
        int count = 0;
        for (String field : new String[] {match.serviceCode(), match.usageType(), match.operation(), match.regionId(),
                match.usageAccountId(), match.lineItemType(), match.tagKey(), match.tagValue()}) {
            if (field != null) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether every set match field equals the group's value (exactly, case-sensitive). The line item type
     * matches the CUR line item type or the FOCUS charge category; a tag key alone needs the tag to be present
     * with a non-empty value, a tag key with a value needs that value.
     */
    public boolean matches(CostGroup g) {
        if (match == null) {
            return true;
        }
        Match m = match;
        if (m.serviceCode() != null && !m.serviceCode().equals(g.serviceCode())) {
            return false;
        }
        if (m.usageType() != null && !m.usageType().equals(g.usageType())) {
            return false;
        }
        if (m.operation() != null && !m.operation().equals(g.operation())) {
            return false;
        }
        if (m.regionId() != null && !m.regionId().equals(g.regionId())) {
            return false;
        }
        if (m.usageAccountId() != null && !m.usageAccountId().equals(g.usageAccountId())) {
            return false;
        }
        if (m.lineItemType() != null && !m.lineItemType().equals(g.lineItemType()) && !m.lineItemType().equals(g.chargeCategory())) {
            return false;
        }
        if (m.tagKey() != null) {
            String value = g.tags().get(m.tagKey());
            if (value == null || value.isEmpty()) {
                return false;
            }
            if (m.tagValue() != null && !m.tagValue().equals(value)) {
                return false;
            }
        } else if (m.tagValue() != null) {
            return false;
        }
        return true;
    }

    /** A short text for people, such as "Markup 5 % on unblended cost" or "0.0100 per unit". */
    public String describe() {
        if (action == null) {
            return "No action";
        }
        return switch (action) {
            case MARKUP -> "Markup " + percentText() + onBasis();
            case DISCOUNT -> "Discount " + percentText() + onBasis();
            case FIXED_RATE -> rate == null ? "Fixed rate (no rate given)" : rateText(rate) + " per unit";
            case PASS_THROUGH -> "Passed through at cost";
            case EXCLUDE -> "Excluded";
        };
    }

    private String percentText() {
        return percent == null ? "(no percentage given)" : plain(percent) + " %";
    }

    private String onBasis() {
        if (basis == null) {
            return "";
        }
        return switch (basis) {
            case UNBLENDED -> " on unblended cost";
            case AMORTIZED -> " on amortized cost";
            case PUBLIC_ON_DEMAND -> " on public on-demand cost";
        };
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static String rateText(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 4 ? stripped.setScale(4) : stripped).toPlainString();
    }

    /**
     * The problems of a price book's rules, all at once, each naming its field as {@code rules[i].field}
     * (match fields without the {@code match.} prefix, e.g. {@code rules[2].tagValue}); empty when the rules are valid.
     */
    public static List<FieldError> validate(List<PricingRule> rules) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            PricingRule rule = rules.get(i);
            String prefix = "rules[" + i + "].";
            if (rule == null) {
                errors.add(new FieldError("rules[" + i + "]", "must not be empty"));
                continue;
            }
            rule.validateInto(prefix, errors);
        }
        return errors;
    }

    private void validateInto(String prefix, List<FieldError> errors) {
        if (name != null && name.strip().length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError(prefix + "name", "must be at most " + MAX_NAME_LENGTH + " characters"));
        }
        if (action == null) {
            errors.add(new FieldError(prefix + "action", "must be chosen: markup, discount, fixed rate, pass through at cost or exclude"));
        } else {
            switch (action) {
                case MARKUP -> {
                    checkPercent(prefix, "markup", MAX_MARKUP_PERCENT, errors);
                    checkBasis(prefix, "markup", errors);
                }
                case DISCOUNT -> {
                    checkPercent(prefix, "discount", MAX_DISCOUNT_PERCENT, errors);
                    checkBasis(prefix, "discount", errors);
                }
                case FIXED_RATE -> {
                    if (rate == null) {
                        errors.add(new FieldError(prefix + "rate", "must be given for a fixed rate: the price per unit of usage"));
                    } else if (rate.signum() < 0) {
                        errors.add(new FieldError(prefix + "rate", "must not be negative; the price per unit of usage is 0 or more"));
                    } else if (tooPrecise(rate)) {
                        errors.add(new FieldError(prefix + "rate", "must have at most " + MAX_DECIMALS + " decimals"));
                    }
                }
                case PASS_THROUGH, EXCLUDE -> {
                    // Neither needs a percentage, a rate nor a basis.
                }
            }
        }
        if (match != null) {
            if (match.tagValue() != null && match.tagKey() == null) {
                errors.add(new FieldError(prefix + "tagValue", "needs a tag key: a tag value alone does not say which tag to compare"));
            }
            if (match.usageAccountId() != null && !match.usageAccountId().matches("[0-9]{12}")) {
                errors.add(new FieldError(prefix + "usageAccountId",
                        "\"" + match.usageAccountId() + "\" is not an AWS account ID: use exactly 12 digits (0-9), without dashes"));
            }
            // As long as the columns that store them: a longer value would fail when saved instead of being refused here.
            checkLength(prefix, "serviceCode", match.serviceCode(), 200, errors);
            checkLength(prefix, "usageType", match.usageType(), 500, errors);
            checkLength(prefix, "operation", match.operation(), 500, errors);
            checkLength(prefix, "regionId", match.regionId(), 60, errors);
            checkLength(prefix, "lineItemType", match.lineItemType(), 60, errors);
            checkLength(prefix, "tagKey", match.tagKey(), 500, errors);
            checkLength(prefix, "tagValue", match.tagValue(), 500, errors);
        }
    }

    private static void checkLength(String prefix, String field, String value, int max, List<FieldError> errors) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(prefix + field, "must be at most " + max + " characters"));
        }
    }

    /** Percentages and rates are stored with 10 decimals; more would be rounded away silently. */
    private static boolean tooPrecise(BigDecimal value) {
        return value.stripTrailingZeros().scale() > MAX_DECIMALS;
    }

    private void checkPercent(String prefix, String what, BigDecimal max, List<FieldError> errors) {
        if (percent == null) {
            errors.add(new FieldError(prefix + "percent", "must be given for a " + what));
        } else if (percent.signum() < 0 || percent.compareTo(max) > 0) {
            errors.add(new FieldError(prefix + "percent", "must be between 0 and " + max.toPlainString() + " for a " + what
                    + ", not " + plain(percent)));
        } else if (tooPrecise(percent)) {
            errors.add(new FieldError(prefix + "percent", "must have at most " + MAX_DECIMALS + " decimals"));
        }
    }

    private void checkBasis(String prefix, String what, List<FieldError> errors) {
        if (basis == null) {
            errors.add(new FieldError(prefix + "basis",
                    "must be chosen for a " + what + ": unblended, amortized or public on-demand cost (unblended unless you choose otherwise)"));
        }
    }
}
