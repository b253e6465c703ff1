package dev.openpayer.billing.web;

import dev.openpayer.billing.PricingRule;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Pricing rules in words for templates, used as {@code ${@ruleText.conditions(rule)}}. */
@Component("ruleText")
class RuleText {

    /** "service AmazonEC2 · line item type Usage", or "every line" for a rule without conditions. */
    public String conditions(PricingRule rule) {
        PricingRule.Match m = rule.match();
        if (m == null) {
            return "every line";
        }
        List<String> parts = new ArrayList<>();
        add(parts, "service", m.serviceCode());
        add(parts, "usage type", m.usageType());
        add(parts, "operation", m.operation());
        add(parts, "region", m.regionId());
        add(parts, "account", m.usageAccountId());
        add(parts, "line item type", m.lineItemType());
        if (m.tagKey() != null) {
            parts.add(m.tagValue() == null ? "tag " + m.tagKey() + " set" : "tag " + m.tagKey() + " = " + m.tagValue());
        }
        return parts.isEmpty() ? "every line" : String.join(" · ", parts);
    }

    /** "Global", "Account", "Service" or "SKU". */
    public String level(PricingRule rule) {
        PricingRule.Level level = rule.level();
        return level == PricingRule.Level.SKU ? "SKU" : level.name().charAt(0) + level.name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static void add(List<String> parts, String label, String value) {
        if (value != null) {
            parts.add(label + " " + value);
        }
    }
}
