package dev.openpayer.cur;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * One delivery of a report: the files AWS wrote for a billing period under one assemblyId (legacy CUR)
 * or executionId (Data Exports). Layouts without a manifest get a delivery ID derived from the
 * objects' keys, sizes and modification times, so an unchanged delivery keeps its ID.
 *
 * @param billingPeriod the period every row belongs to, or null when it is taken from the data (loose files)
 * @param manifestKey the manifest describing the delivery, or null
 * @param deliveredAt the newest modification time of the delivery's objects
 */
public record Delivery(String reportName, CurFormat format, YearMonth billingPeriod, String deliveryId, List<String> dataKeys,
        String manifestKey, List<String> manifestColumns, long bytes, Instant deliveredAt) {}
