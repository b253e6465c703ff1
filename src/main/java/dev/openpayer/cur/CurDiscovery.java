package dev.openpayer.cur;

import dev.openpayer.cur.CurStorage.StoredObject;
import dev.openpayer.cur.Problem.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every report under a location and validates it: legacy CUR ({@code <report>/<yyyymmdd-yyyymmdd>/}
 * with {@code <report>-Manifest.json}, with or without {@code <assemblyId>/} folders), the Athena layout
 * ({@code year=YYYY/month=M/}), CUR 2.0 and FOCUS Data Exports ({@code data/BILLING_PERIOD=YYYY-MM/}
 * with {@code metadata/} manifests), and loose CSV or Parquet files.
 */
public final class CurDiscovery {
    private static final Pattern LEGACY_MANIFEST = Pattern.compile("((?:.*/)?)([^/]+)/(\\d{8})-(\\d{8})/([^/]+)-Manifest\\.json");
    private static final Pattern LEGACY_DATA = Pattern.compile("((?:.*/)?)([^/]+)/(\\d{8})-(\\d{8})/(?:[^/]+/)?[^/]+\\.(?:csv\\.gz|csv\\.zip|zip|csv|parquet)");
    private static final Pattern ATHENA = Pattern.compile("((?:.*/)?)([^/]+)/year=(\\d{4})/month=(\\d{1,2})/[^/]+\\.parquet");
    private static final Pattern EXPORT_DATA = Pattern.compile("((?:.*/)?)([^/]+)/data/BILLING_PERIOD=(\\d{4}-\\d{2})/.+\\.(?:csv\\.gz|csv\\.zip|csv|parquet)");
    private static final Pattern EXPORT_MANIFEST = Pattern.compile("((?:.*/)?)([^/]+)/metadata/BILLING_PERIOD=(\\d{4}-\\d{2})/(?:.+/)?[^/]+-Manifest\\.json");
    private static final Pattern DATA_FILE = Pattern.compile(".+\\.(?:csv\\.gz|csv\\.zip|zip|csv|parquet)");

    private final CurStorage storage;
    private final Path staging;

    public CurDiscovery(CurStorage storage, Path staging) {
        this.storage = storage;
        this.staging = staging;
    }

    /** Every report under the location, each with its current deliveries and problems. */
    public List<DiscoveredReport> discover() {
        List<StoredObject> objects;
        try {
            objects = storage.list();
        } catch (IOException e) {
            Reason reason = e instanceof CurAccessException access ? access.reason() : Reason.LOCATION_UNREADABLE;
            String message = e instanceof CurAccessException ? e.getMessage() : "the location cannot be listed: " + e.getMessage();
            return List.of(new DiscoveredReport("", "", "NONE", null, List.of(), List.of(new Problem(reason, storage.describe(""), message))));
        }
        Map<String, StoredObject> byKey = new LinkedHashMap<>();
        objects.forEach(o -> byKey.put(o.key(), o));
        Set<String> claimed = new HashSet<>();
        List<DiscoveredReport> reports = new ArrayList<>();
        try (Connection duck = DuckDb.open(staging)) {
            reports.addAll(dataExports(byKey, claimed, duck));
            reports.addAll(legacy(byKey, claimed, duck));
            reports.addAll(athena(byKey, claimed, duck));
            for (StoredObject o : objects) {
                if (!claimed.contains(o.key()) && DATA_FILE.matcher(o.key()).matches() && !o.key().contains("cost_and_usage_data_status/")) {
                    reports.add(loose(o, duck));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the embedded DuckDB could not start: " + e.getMessage(), e);
        }
        return reports;
    }

    private List<DiscoveredReport> legacy(Map<String, StoredObject> byKey, Set<String> claimed, Connection duck) {
        Map<String, List<Delivery>> deliveries = new TreeMap<>();
        Map<String, List<Problem>> problems = new TreeMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (StoredObject o : byKey.values()) {
            Matcher m = LEGACY_MANIFEST.matcher(o.key());
            if (!m.matches() || !m.group(5).equals(m.group(2))) {
                continue;
            }
            String reportKey = m.group(1) + m.group(2);
            String periodFolder = m.group(3) + "-" + m.group(4);
            names.put(reportKey, m.group(2));
            claimed.add(o.key());
            List<Problem> reportProblems = problems.computeIfAbsent(reportKey, k -> new ArrayList<>());
            deliveries.computeIfAbsent(reportKey, k -> new ArrayList<>());
            Manifest manifest;
            try {
                manifest = Manifest.parse(storage.open(o.key()), storage.describe(o.key()));
            } catch (CurException e) {
                reportProblems.add(new Problem(Reason.MANIFEST_UNREADABLE, e.file(), e.getMessage()));
                continue;
            } catch (IOException e) {
                reportProblems.add(new Problem(e instanceof CurAccessException a ? a.reason() : Reason.MANIFEST_UNREADABLE, storage.describe(o.key()),
                        "manifest unreadable: " + e.getMessage()));
                continue;
            }
            // also claim the assembly-folder copies of the manifest and every data file of the period
            String periodPrefix = reportKey + "/" + periodFolder + "/";
            byKey.keySet().stream().filter(k -> k.startsWith(periodPrefix)).forEach(claimed::add);
            CurFormat format;
            String compression = manifest.compression() == null ? "GZIP" : manifest.compression().toUpperCase(Locale.ROOT);
            switch (compression) {
                case "GZIP", "ZIP" -> format = CurFormat.LEGACY_CSV;
                case "PARQUET" -> format = CurFormat.LEGACY_PARQUET;
                default -> {
                    reportProblems.add(new Problem(Reason.UNSUPPORTED_COMPRESSION, storage.describe(o.key()),
                            "compression \"" + manifest.compression() + "\" is not supported: choose GZIP or Parquet"));
                    continue;
                }
            }
            List<String> keys = new ArrayList<>();
            long bytes = 0;
            Instant newest = o.lastModified();
            for (String reportObject : manifest.dataKeys()) {
                String relative = resolveReportKey(reportObject, m.group(2) + "/" + periodFolder + "/", m.group(1));
                StoredObject data = relative == null ? null : byKey.get(relative);
                if (data == null) {
                    reportProblems.add(new Problem(Reason.MANIFEST_OBJECT_MISSING, storage.describe(o.key()),
                            "the manifest lists " + reportObject + ", which is not in the location"));
                    continue;
                }
                keys.add(relative);
                bytes += data.size();
                newest = newest.isAfter(data.lastModified()) ? newest : data.lastModified();
            }
            YearMonth period = manifest.billingPeriod() != null ? manifest.billingPeriod()
                    : YearMonth.of(Integer.parseInt(m.group(3).substring(0, 4)), Integer.parseInt(m.group(3).substring(4, 6)));
            deliveries.get(reportKey).add(new Delivery(m.group(2), format, period, manifest.deliveryId(), List.copyOf(keys), o.key(),
                    manifest.columns(), bytes, newest));
        }
        List<DiscoveredReport> reports = new ArrayList<>();
        for (var e : deliveries.entrySet()) {
            List<Problem> p = problems.get(e.getKey());
            reports.add(finish(e.getKey(), names.get(e.getKey()), "LEGACY", e.getValue(), p, duck));
        }
        // period folders with data but no manifest
        for (StoredObject o : byKey.values()) {
            Matcher m = LEGACY_DATA.matcher(o.key());
            if (m.matches() && !claimed.contains(o.key()) && !deliveries.containsKey(m.group(1) + m.group(2))) {
                claimed.add(o.key());
                String reportKey = m.group(1) + m.group(2);
                deliveries.put(reportKey, new ArrayList<>());
                reports.add(new DiscoveredReport(reportKey, m.group(2), "LEGACY", null, List.of(), List.of(new Problem(Reason.MANIFEST_UNREADABLE,
                        storage.describe(o.key()), "the period folder has no " + m.group(2) + "-Manifest.json: the delivery cannot be identified"))));
            }
        }
        return reports;
    }

    /** A manifest's reportKey relative to the location: from {@code <report>/<period>/} on, under the report's parent folder. */
    static String resolveReportKey(String reportKey, String reportAndPeriod, String parent) {
        int at = reportKey.indexOf(reportAndPeriod);
        if (at < 0) {
            return null;
        }
        return parent + reportKey.substring(at);
    }

    private List<DiscoveredReport> athena(Map<String, StoredObject> byKey, Set<String> claimed, Connection duck) {
        Map<String, Map<YearMonth, List<StoredObject>>> reports = new TreeMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (StoredObject o : byKey.values()) {
            Matcher m = ATHENA.matcher(o.key());
            if (m.matches() && !claimed.contains(o.key())) {
                claimed.add(o.key());
                String key = m.group(1) + m.group(2);
                names.put(key, m.group(2));
                reports.computeIfAbsent(key, k -> new TreeMap<>())
                        .computeIfAbsent(YearMonth.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))), k -> new ArrayList<>()).add(o);
            }
        }
        List<DiscoveredReport> result = new ArrayList<>();
        reports.forEach((key, periods) -> {
            List<Delivery> deliveries = new ArrayList<>();
            periods.forEach((period, files) -> deliveries.add(derived(names.get(key), CurFormat.LEGACY_PARQUET, period, files, null, List.of())));
            result.add(finish(key, names.get(key), "ATHENA", deliveries, new ArrayList<>(), duck));
        });
        return result;
    }

    private List<DiscoveredReport> dataExports(Map<String, StoredObject> byKey, Set<String> claimed, Connection duck) {
        Map<String, Map<YearMonth, List<StoredObject>>> data = new TreeMap<>();
        Map<String, Map<YearMonth, StoredObject>> manifests = new TreeMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (StoredObject o : byKey.values()) {
            Matcher d = EXPORT_DATA.matcher(o.key());
            Matcher mf = EXPORT_MANIFEST.matcher(o.key());
            if (d.matches()) {
                claimed.add(o.key());
                String key = d.group(1) + d.group(2);
                names.put(key, d.group(2));
                data.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(YearMonth.parse(d.group(3)), k -> new ArrayList<>()).add(o);
            } else if (mf.matches()) {
                claimed.add(o.key());
                String key = mf.group(1) + mf.group(2);
                names.put(key, mf.group(2));
                manifests.computeIfAbsent(key, k -> new TreeMap<>()).merge(YearMonth.parse(mf.group(3)), o,
                        (a, b) -> a.lastModified().isAfter(b.lastModified()) ? a : b);
                data.computeIfAbsent(key, k -> new TreeMap<>());
            }
        }
        List<DiscoveredReport> result = new ArrayList<>();
        data.forEach((key, periods) -> {
            List<Problem> problems = new ArrayList<>();
            List<Delivery> deliveries = new ArrayList<>();
            Map<YearMonth, StoredObject> periodManifests = manifests.getOrDefault(key, Map.of());
            Set<YearMonth> all = new java.util.TreeSet<>(periods.keySet());
            all.addAll(periodManifests.keySet());
            CurFormat format = null;
            for (YearMonth period : all) {
                List<StoredObject> files = periods.getOrDefault(period, List.of());
                StoredObject manifestObject = periodManifests.get(period);
                if (format == null && !files.isEmpty()) {
                    format = sniffExport(files.get(0), duck, problems);
                    if (format == null) {
                        break;
                    }
                }
                if (manifestObject == null) {
                    deliveries.add(derived(names.get(key), format, period, files, null, List.of()));
                    continue;
                }
                try {
                    Manifest manifest = Manifest.parse(storage.open(manifestObject.key()), storage.describe(manifestObject.key()));
                    List<String> keys = new ArrayList<>();
                    long bytes = 0;
                    for (String file : manifest.dataKeys()) {
                        String relative = resolveReportKey(file, names.get(key) + "/data/", key.substring(0, key.length() - names.get(key).length()));
                        StoredObject object = relative == null ? null : byKey.get(relative);
                        if (object == null) {
                            problems.add(new Problem(Reason.MANIFEST_OBJECT_MISSING, storage.describe(manifestObject.key()),
                                    "the manifest lists " + file + ", which is not in the location"));
                        } else {
                            keys.add(relative);
                            bytes += object.size();
                        }
                    }
                    if (format == null && !keys.isEmpty()) {
                        format = sniffExport(byKey.get(keys.get(0)), duck, problems);
                    }
                    deliveries.add(new Delivery(names.get(key), format, period, manifest.deliveryId(), List.copyOf(keys), manifestObject.key(),
                            manifest.columns(), bytes, manifestObject.lastModified()));
                } catch (CurException e) {
                    problems.add(new Problem(Reason.MANIFEST_UNREADABLE, e.file(), e.getMessage()));
                } catch (IOException e) {
                    problems.add(new Problem(e instanceof CurAccessException a ? a.reason() : Reason.MANIFEST_UNREADABLE, storage.describe(manifestObject.key()),
                            "manifest unreadable: " + e.getMessage()));
                }
            }
            CurFormat f = format;
            List<Delivery> typed = deliveries.stream().map(dl -> dl.format() != null ? dl
                    : new Delivery(dl.reportName(), f, dl.billingPeriod(), dl.deliveryId(), dl.dataKeys(), dl.manifestKey(), dl.manifestColumns(),
                            dl.bytes(), dl.deliveredAt())).toList();
            result.add(finish(key, names.get(key), "DATA_EXPORT", typed, problems, duck));
        });
        return result;
    }

    private CurFormat sniffExport(StoredObject first, Connection duck, List<Problem> problems) {
        boolean parquet = first.key().endsWith(".parquet");
        try {
            Map<String, String> cols = header(first, parquet ? CurFormat.CUR2_PARQUET : CurFormat.CUR2_CSV, duck);
            boolean focus = cols.keySet().stream().anyMatch(c -> c.equalsIgnoreCase("BilledCost"));
            return focus ? (parquet ? CurFormat.FOCUS_PARQUET : CurFormat.FOCUS_CSV) : (parquet ? CurFormat.CUR2_PARQUET : CurFormat.CUR2_CSV);
        } catch (CurException e) {
            problems.add(new Problem(Reason.OBJECT_UNREADABLE, e.file(), e.getMessage()));
            return null;
        }
    }

    private DiscoveredReport loose(StoredObject o, Connection duck) {
        String name = o.key().substring(o.key().lastIndexOf('/') + 1);
        boolean parquet = name.endsWith(".parquet");
        List<Problem> problems = new ArrayList<>();
        CurFormat format = parquet ? CurFormat.LEGACY_PARQUET : CurFormat.LEGACY_CSV;
        try {
            Map<String, String> cols = header(o, format, duck);
            if (cols.keySet().stream().anyMatch(c -> c.equalsIgnoreCase("BilledCost"))) {
                format = parquet ? CurFormat.FOCUS_PARQUET : CurFormat.FOCUS_CSV;
            }
        } catch (CurException e) {
            problems.add(new Problem(o.size() == 0 ? Reason.EMPTY_OBJECT : Reason.OBJECT_UNREADABLE, e.file(), e.getMessage()));
        }
        Delivery delivery = derived(name, format, null, List.of(o), null, List.of());
        return finish(o.key(), name, "FILE", List.of(delivery), problems, duck);
    }

    private Delivery derived(String report, CurFormat format, YearMonth period, List<StoredObject> files, String manifest, List<String> columns) {
        StringBuilder identity = new StringBuilder();
        long bytes = 0;
        Instant newest = Instant.EPOCH;
        for (StoredObject f : files) {
            identity.append(f.key()).append('|').append(f.size()).append('|').append(f.lastModified().toEpochMilli()).append('\n');
            bytes += f.size();
            newest = newest.isAfter(f.lastModified()) ? newest : f.lastModified();
        }
        return new Delivery(report, format, period, "sha256:" + sha256(identity.toString()).substring(0, 32),
                files.stream().map(StoredObject::key).toList(), manifest, columns, bytes, newest);
    }

    /** Validates the newest delivery's data header and granularity, adding the reasons found. */
    private DiscoveredReport finish(String key, String name, String layout, List<Delivery> deliveries, List<Problem> problems, Connection duck) {
        List<Problem> all = new ArrayList<>(problems == null ? List.of() : problems);
        CurFormat format = deliveries.stream().map(Delivery::format).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        Optional<Delivery> newest = deliveries.stream().filter(d -> !d.dataKeys().isEmpty())
                .max(java.util.Comparator.comparing((Delivery d) -> d.billingPeriod() == null ? YearMonth.of(1, 1) : d.billingPeriod()));
        if (newest.isPresent() && format != null) {
            all.addAll(CurValidation.validate(storage, newest.get(), duck, staging));
        }
        return new DiscoveredReport(key, name, layout, format, List.copyOf(deliveries), List.copyOf(all.stream().distinct().toList()));
    }

    private Map<String, String> header(StoredObject o, CurFormat format, Connection duck) {
        try {
            return CurValidation.header(storage, o.key(), format, duck, staging);
        } catch (CurException e) {
            throw e;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void ensure(Path dir) throws IOException {
        Files.createDirectories(dir);
    }
}
