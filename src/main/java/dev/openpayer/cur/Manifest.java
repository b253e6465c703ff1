package dev.openpayer.cur;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A report manifest: the legacy CUR {@code <report>-Manifest.json} (assemblyId, reportKeys, columns
 * with category and name) or a Data Exports manifest (executionId, dataFiles). Columns are the
 * manifest's claim only: real manifests may list fewer columns than the data holds.
 *
 * @param deliveryId the assemblyId or executionId
 * @param columns column names as the data names them ({@code category/Name} for legacy CSV)
 * @param compression GZIP, ZIP, Parquet or null when not stated
 * @param dataKeys the data objects, as written in the manifest (bucket-relative or {@code s3://} URLs)
 */
public record Manifest(String deliveryId, String reportName, YearMonth billingPeriod, List<String> columns, String compression,
        String contentType, List<String> dataKeys, String account) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Parses a manifest; any problem is a {@link CurException} naming {@code name}. */
    public static Manifest parse(InputStream in, String name) {
        JsonNode root;
        try (in) {
            root = JSON.readTree(in);
        } catch (JacksonException | IOException e) {
            throw new CurException(name, "manifest unreadable: not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new CurException(name, "manifest unreadable: not a JSON object");
        }
        String id = text(root, "assemblyId");
        if (id == null) {
            id = text(root, "executionId");
        }
        if (id == null) {
            throw new CurException(name, "manifest unreadable: neither assemblyId nor executionId present");
        }
        YearMonth period = null;
        JsonNode bp = root.get("billingPeriod");
        if (bp != null && bp.hasNonNull("start")) {
            period = periodOf(bp.get("start").asString(), name);
        }
        List<String> columns = new ArrayList<>();
        JsonNode cols = root.get("columns");
        if (cols != null && cols.isArray()) {
            for (JsonNode c : cols) {
                String category = text(c, "category");
                String colName = text(c, "name");
                if (colName != null) {
                    columns.add(category == null ? colName : category + "/" + colName);
                }
            }
        }
        List<String> keys = new ArrayList<>();
        for (String field : List.of("reportKeys", "dataFiles")) {
            JsonNode arr = root.get(field);
            if (arr != null && arr.isArray()) {
                arr.forEach(k -> keys.add(k.asString()));
            }
        }
        String report = text(root, "reportName");
        if (report == null) {
            report = text(root, "exportName");
        }
        return new Manifest(id, report, period, List.copyOf(columns), text(root, "compression"), text(root, "contentType"), List.copyOf(keys),
                text(root, "account"));
    }

    private static YearMonth periodOf(String start, String name) {
        String digits = start.replaceAll("[^0-9]", "");
        if (digits.length() < 6) {
            throw new CurException(name, "manifest unreadable: billingPeriod.start \"" + start + "\" is not a date");
        }
        return YearMonth.from(LocalDate.of(Integer.parseInt(digits.substring(0, 4)), Integer.parseInt(digits.substring(4, 6)), 1));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
