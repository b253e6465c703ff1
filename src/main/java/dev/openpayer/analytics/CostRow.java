package dev.openpayer.analytics;

import java.math.BigDecimal;

/** One line of a cost report: the period (YYYY-MM-DD, YYYY-MM or null), the group's value (null for NONE) and the exact sum. */
public record CostRow(String period, String group, BigDecimal cost) {}
