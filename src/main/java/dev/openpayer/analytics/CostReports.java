package dev.openpayer.analytics;

import dev.openpayer.analytics.CostReportRequest.Grouping;
import dev.openpayer.analytics.CostReportRequest.Parsed;
import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Cost reports within the viewer's scope: the usage accounts of {@link AccountOnboarding#list} (his tenant's
 * subtree and, below ADMIN, his billing profiles' accounts). Nothing a request names widens that scope; a
 * customer filter outside it is "not found".
 */
@Service
public class CostReports {
    static final BigDecimal ZERO = BigDecimal.ZERO.setScale(10);

    private final CostExplorer explorer;
    private final AccountOnboarding onboarding;
    private final CostCenters costCenters;
    private final Tenancy tenancy;
    private final Clock clock;

    CostReports(CostExplorer explorer, AccountOnboarding onboarding, CostCenters costCenters, Tenancy tenancy, Clock clock) {
        this.explorer = explorer;
        this.onboarding = onboarding;
        this.costCenters = costCenters;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    /** One sum: a period (YYYY-MM-DD or YYYY-MM), a group's key and its label, and the exact amount. */
    public record Row(String period, String group, String label, @JsonSerialize(using = PlainDecimal.class) BigDecimal amount) {}

    /** A group's total over the whole range. */
    public record GroupTotal(String group, String label, @JsonSerialize(using = PlainDecimal.class) BigDecimal amount) {}

    /**
     * A report: what was asked (resolved defaults included), the currency of its lines ({@code null} without
     * lines; several separated by commas), the rows by period and group, each group's total (largest first),
     * each period's total and the grand total.
     */
    public record Report(String metric, String groupBy, String tag, String granularity, LocalDate from, LocalDate to, UUID customerId,
            String currency, List<String> periods, List<Row> rows, List<GroupTotal> groups, @JsonSerialize(contentUsing = PlainDecimal.class) Map<String, BigDecimal> periodTotals,
            @JsonSerialize(using = PlainDecimal.class) BigDecimal total) {}

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    public Report report(Viewer viewer, CostReportRequest request) {
        Parsed p = request.parse(today());
        Map<String, CustomerAccount> scope = scope(viewer, p.customerId());
        Set<String> accounts = new TreeSet<>(scope.keySet());
        if (p.account() != null) {
            accounts.retainAll(Set.of(p.account()));
        }
        Map<String, String> filters = new LinkedHashMap<>();
        if (p.service() != null) {
            filters.put(CostQuery.Dimension.SERVICE.name(), p.service());
        }
        if (p.region() != null) {
            filters.put(CostQuery.Dimension.REGION.name(), p.region());
        }
        if (p.lineItemType() != null) {
            filters.put(CostQuery.Dimension.LINE_ITEM_TYPE.name(), p.lineItemType());
        }
        CostQuery query = new CostQuery(accounts, p.metric().metric, p.groupBy().dimension, p.tagKey(), p.granularity().granularity, p.from(),
                p.to().plusDays(1), filters);
        Function<String, String> key = groupKey(viewer, p.groupBy(), scope);
        Map<String, String> labels = new HashMap<>();
        Map<List<String>, BigDecimal> sums = new LinkedHashMap<>();
        for (CostRow r : explorer.query(query)) {
            String group = key.apply(r.group());
            labels.computeIfAbsent(String.valueOf(group), g -> label(viewer, p.groupBy(), group));
            sums.merge(java.util.Arrays.asList(r.period(), group), r.cost(), BigDecimal::add);
        }
        List<Row> rows = sums.entrySet().stream()
                .map(e -> new Row(e.getKey().get(0), e.getKey().get(1), labels.get(String.valueOf(e.getKey().get(1))), e.getValue()))
                .sorted(Comparator.comparing(Row::period, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Row::label, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        Map<String, GroupTotal> groups = new LinkedHashMap<>();
        Map<String, BigDecimal> periodTotals = new java.util.TreeMap<>();
        BigDecimal total = ZERO;
        for (Row r : rows) {
            groups.merge(String.valueOf(r.group()), new GroupTotal(r.group(), r.label(), r.amount()),
                    (a, b) -> new GroupTotal(a.group(), a.label(), a.amount().add(b.amount())));
            if (r.period() != null) {
                periodTotals.merge(r.period(), r.amount(), BigDecimal::add);
            }
            total = total.add(r.amount());
        }
        List<GroupTotal> byAmount = groups.values().stream()
                .sorted(Comparator.comparing(GroupTotal::amount).reversed().thenComparing(GroupTotal::label, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        List<String> currencies = explorer.currencies(query);
        return new Report(p.metric().parameter(), p.groupBy().parameter(), p.tagKey(), p.granularity().parameter(), p.from(), p.to(), p.customerId(),
                currencies.isEmpty() ? null : String.join(",", currencies), periods(p), rows, byAmount, periodTotals, total);
    }

    /** Every period of the range, so that a chart shows the days or months without cost too. */
    private static List<String> periods(Parsed p) {
        List<String> periods = new ArrayList<>();
        if (p.granularity() == CostReportRequest.Granularity.DAILY) {
            for (LocalDate d = p.from(); !d.isAfter(p.to()); d = d.plusDays(1)) {
                periods.add(d.toString());
            }
        } else {
            for (YearMonth m = YearMonth.from(p.from()); !m.isAfter(YearMonth.from(p.to())); m = m.plusMonths(1)) {
                periods.add(m.toString());
            }
        }
        return periods;
    }

    /**
     * The usage accounts the viewer may see (of one customer when {@code customerId} is given), by AWS account ID.
     * An account onboarded twice (closed, then invited again) keeps its latest record.
     */
    Map<String, CustomerAccount> scope(Viewer viewer, UUID customerId) {
        Map<String, CustomerAccount> scope = new LinkedHashMap<>();
        for (CustomerAccount a : onboarding.list(viewer, customerId, null)) {
            if (a.accountId() != null) {
                scope.putIfAbsent(a.accountId(), a);
            }
        }
        return scope;
    }

    /** The group a row of the lake belongs to: its value, or for cost centers and customers the account's. */
    private static Function<String, String> groupKey(Viewer viewer, Grouping grouping, Map<String, CustomerAccount> scope) {
        return switch (grouping) {
            case COST_CENTER -> account -> {
                CustomerAccount a = scope.get(account);
                return a == null || a.costCenterId() == null ? null : a.costCenterId().toString();
            };
            case CUSTOMER -> account -> {
                CustomerAccount a = scope.get(account);
                return a == null ? null : a.customerId().toString();
            };
            default -> Function.identity();
        };
    }

    private String label(Viewer viewer, Grouping grouping, String group) {
        if (group == null) {
            return switch (grouping) {
                case TAG -> "(untagged)";
                case COST_CENTER -> "(no cost center)";
                case NONE -> "Total";
                default -> "(none)";
            };
        }
        return switch (grouping) {
            case COST_CENTER -> costCenterLabels(viewer).getOrDefault(group, group);
            case CUSTOMER -> tenancy.find(UUID.fromString(group)).map(Organization::name).orElse(group);
            default -> group;
        };
    }

    private Map<String, String> costCenterLabels(Viewer viewer) {
        return costCenters.list(viewer, null).stream().collect(Collectors.toMap(c -> c.id().toString(), c -> c.code() + " · " + c.name(), (a, b) -> a));
    }

    // ---------------------------------------------------------------- the customer dashboard

    /** One of the largest groups of the month to date. */
    public record Top(String group, String label, @JsonSerialize(using = PlainDecimal.class) BigDecimal amount) {}

    /**
     * Unblended cost of the viewer's accounts (of one customer when given): the month to date (usage days from
     * the 1st through today), the whole last month, and the forecast to the month's end, a straight line
     * through the days elapsed: month to date ÷ days elapsed (today included) × days in the month.
     */
    public record Dashboard(LocalDate today, YearMonth month, String currency, BigDecimal monthToDate, BigDecimal lastMonth, BigDecimal forecast,
            int daysElapsed, int daysInMonth, List<Top> topServices, List<Top> topAccounts, int accounts) {}

    public Dashboard dashboard(Viewer viewer, UUID customerId) {
        LocalDate today = today();
        YearMonth month = YearMonth.from(today);
        Set<String> accounts = scope(viewer, customerId).keySet();
        LocalDate first = month.atDay(1);
        CostQuery mtd = new CostQuery(accounts, CostQuery.Metric.UNBLENDED, CostQuery.Dimension.NONE, null, CostQuery.Granularity.TOTAL, first,
                today.plusDays(1), Map.of());
        BigDecimal monthToDate = sum(explorer.query(mtd));
        CostQuery last = new CostQuery(accounts, CostQuery.Metric.UNBLENDED, CostQuery.Dimension.NONE, null, CostQuery.Granularity.TOTAL,
                month.minusMonths(1).atDay(1), first, Map.of());
        BigDecimal lastMonth = sum(explorer.query(last));
        int elapsed = today.getDayOfMonth();
        BigDecimal forecast = monthToDate.multiply(BigDecimal.valueOf(month.lengthOfMonth())).divide(BigDecimal.valueOf(elapsed), 10, RoundingMode.HALF_EVEN);
        List<String> currencies = explorer.currencies(new CostQuery(accounts, CostQuery.Metric.UNBLENDED, CostQuery.Dimension.NONE, null,
                CostQuery.Granularity.TOTAL, month.minusMonths(1).atDay(1), today.plusDays(1), Map.of()));
        return new Dashboard(today, month, currencies.isEmpty() ? null : String.join(",", currencies), monthToDate, lastMonth, forecast, elapsed,
                month.lengthOfMonth(), top(mtd, CostQuery.Dimension.SERVICE), top(mtd, CostQuery.Dimension.ACCOUNT), accounts.size());
    }

    private List<Top> top(CostQuery base, CostQuery.Dimension dimension) {
        CostQuery q = new CostQuery(base.accounts(), base.metric(), dimension, null, base.granularity(), base.from(), base.to(), base.filters());
        return explorer.query(q).stream().sorted(Comparator.comparing(CostRow::cost).reversed()).limit(5)
                .map(r -> new Top(r.group(), r.group() == null ? "(none)" : r.group(), r.cost())).toList();
    }

    private static BigDecimal sum(List<CostRow> rows) {
        return rows.stream().map(CostRow::cost).reduce(ZERO, BigDecimal::add);
    }
}
