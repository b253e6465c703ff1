package dev.openpayer.cur;

import dev.openpayer.cur.Problem.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Reads data headers and checks a delivery against what OpenPayer needs. */
final class CurValidation {
    private CurValidation() {}

    /**
     * A local file DuckDB can read for {@code key}: the object itself, or for a zip the CSV inside it
     * extracted (streamed) into {@code staging}. Empty objects are refused.
     */
    static Path localFile(CurStorage storage, String key, Path staging) {
        String name = storage.describe(key);
        try {
            Path file = storage.localCopy(key, staging);
            if (Files.size(file) == 0) {
                throw new CurException(name, "the object is empty (0 bytes)");
            }
            if (key.endsWith(".gz")) {
                verifyGzip(file, name);
            }
            if (key.endsWith(".zip")) {
                Files.createDirectories(staging);
                try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
                    ZipEntry entry;
                    while ((entry = zip.getNextEntry()) != null) {
                        if (!entry.isDirectory() && entry.getName().endsWith(".csv")) {
                            Path target = staging.resolve("unzipped-" + CurDiscovery.sha256(key).substring(0, 16) + ".csv");
                            Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                            return target;
                        }
                    }
                }
                throw new CurException(name, "the zip archive holds no .csv file");
            }
            return file;
        } catch (IOException e) {
            throw new CurException(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Files whose gzip stream was checked whole, by path, size and modification time: each is inflated once, not at every read. */
    private static final Map<String, Boolean> VERIFIED_GZIP = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 4096;
        }
    });

    /** DuckDB reads a truncated gzip stream as far as it goes; a full pass through the JDK's inflater detects the truncation. */
    private static void verifyGzip(Path file, String name) throws IOException {
        String identity = file.toAbsolutePath() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        if (VERIFIED_GZIP.containsKey(identity)) {
            return;
        }
        inflateWhole(file, name);
        VERIFIED_GZIP.put(identity, Boolean.TRUE);
    }

    private static void inflateWhole(Path file, String name) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            while (in.read(buffer) >= 0) {
                // discard: only the stream's integrity matters here
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new CurException(name, "truncated or corrupt gzip: " + e.getMessage(), e);
        }
    }

    static Map<String, String> header(CurStorage storage, String key, CurFormat format, Connection duck, Path staging) {
        Path file = localFile(storage, key, staging);
        try {
            Map<String, String> columns = LakeSchema.describe(duck, LakeSchema.relation(format, List.of(file)));
            if (columns.size() <= 1 && !format.parquet()) {
                throw new CurException(storage.describe(key), "not a comma-separated report: the header has " + columns.size() + " column");
            }
            return columns;
        } catch (SQLException e) {
            throw new CurException(storage.describe(key), (format.parquet() ? "not a readable Parquet file: " : "not a readable CSV file: ")
                    + firstLine(e), e);
        }
    }

    static List<Problem> validate(CurStorage storage, Delivery delivery, Connection duck, Path staging) {
        List<Problem> problems = new ArrayList<>();
        String key = delivery.dataKeys().get(0);
        String name = storage.describe(key);
        Map<String, String> columns;
        try {
            columns = header(storage, key, delivery.format(), duck, staging);
        } catch (CurException e) {
            Reason reason = e.getCause() instanceof CurAccessException access ? access.reason()
                    : e.getMessage().contains("empty") ? Reason.EMPTY_OBJECT : Reason.OBJECT_UNREADABLE;
            problems.add(new Problem(reason, e.file(), e.getMessage()));
            return problems;
        }
        List<String> missing = LakeSchema.missingRequired(delivery.format(), columns);
        if (!missing.isEmpty()) {
            problems.add(new Problem(Reason.REQUIRED_COLUMN_MISSING, name, "required column(s) missing: " + String.join(", ", missing)));
            return problems;
        }
        if (!delivery.format().focus()) {
            var canonical = columns.keySet().stream().map(LakeSchema::canonical).toList();
            if (!canonical.contains("line_item_resource_id")) {
                problems.add(new Problem(Reason.RESOURCE_IDS_MISSING, name,
                        "no lineItem/ResourceId column: turn on \"Include resource IDs\" in the report definition"));
            }
            if (canonical.stream().noneMatch(c -> c.startsWith("split_line_item_"))) {
                problems.add(new Problem(Reason.SPLIT_COST_ALLOCATION_MISSING, name,
                        "no splitLineItem/* columns: turn on \"Split cost allocation data\" in the report definition"));
            }
        }
        String select = LakeSchema.select(delivery.format(), LakeSchema.relation(delivery.format(), List.of(localFile(storage, key, staging))),
                columns, delivery.billingPeriod(), delivery.deliveryId());
        String sql = "SELECT min(charge_period_end - charge_period_start) FILTER (WHERE charge_category = 'Usage' AND charge_period_end > charge_period_start) "
                + "> INTERVAL 1 HOUR FROM (" + select + " LIMIT 20000)";
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (rs.next() && rs.getBoolean(1)) {
                problems.add(new Problem(Reason.NOT_HOURLY, name, "the report is not hourly: choose hourly granularity in the report definition"));
            }
        } catch (SQLException e) {
            problems.add(new Problem(Reason.OBJECT_UNREADABLE, name, name + ": cannot be read: " + firstLine(e)));
        }
        return problems;
    }

    static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().filter(l -> !l.isBlank() && !l.startsWith("Invalid Input Error: Attempting")).findFirst().orElse(message).strip();
    }
}
