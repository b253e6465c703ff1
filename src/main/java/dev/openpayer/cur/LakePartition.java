package dev.openpayer.cur;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The delivery a billing period of a source currently holds in the lake. Final once every line has an invoice ID. */
public record LakePartition(UUID sourceId, String billingPeriod, String deliveryId, String reportName, CurFormat format, String lakePath,
        long rows, BigDecimal billedCost, boolean isFinal, Instant deliveredAt, Instant ingestedAt) {}
