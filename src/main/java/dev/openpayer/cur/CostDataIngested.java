package dev.openpayer.cur;

import java.util.UUID;

/** Published when a billing period of a source was replaced in the lake by a newer delivery. */
public record CostDataIngested(UUID sourceId, String billingPeriod, String deliveryId, long rows, boolean isFinal) {}
