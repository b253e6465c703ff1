package dev.openpayer.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.cur.CurGenerator;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.IngestionRun;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * The cost report API over a generated legacy CUR (three usage accounts and the payer, January and February
 * 2031; no other test writes those months): exact totals per metric, grouping, granularity, CSV, and the
 * viewer's scope. C1 (under reseller R1) holds accounts 1 and 2 and the payer's; C2 (under R2) account 3.
 */
class CostReportApiTest extends ApiTestSupport {
    static final String FROM = "2031-01-01";
    static final String TO = "2031-02-28";
    static final String A1 = CurGenerator.accounts(3).get(0);
    static final String A2 = CurGenerator.accounts(3).get(1);
    static final String A3 = CurGenerator.accounts(3).get(2);

    /** Reads amounts as exact decimals. */
    static final JsonMapper EXACT = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** One fixture for the class: the lake is shared by the whole test context. */
    private static Fixture f;

    record Fixture(CurGenerator.Generated generated, Organization r1, Organization r2, Organization c1, Organization c2, CostCenter center,
            TestUser r1Admin, TestUser r1Manager, TestUser r2Admin, TestUser top) {}

    @Autowired CurSources sources;
    @Autowired CurIngestion ingestion;
    @Autowired CostCenters costCenters;

    @BeforeEach
    void fixture() throws Exception {
        if (f != null) {
            return;
        }
        Path root = Files.createTempDirectory("cost-report-api");
        CurGenerator.Generated g = new CurGenerator().write(root, "hourly", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(31, 3, 59, LocalDate.of(2031, 1, 1), 1));
        CurSource source = sources.create(null, CurGenerator.PAYER, unique("Report API source"), "file:" + root.toAbsolutePath());
        assertThat(ingestion.backfill(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
        Organization r1 = reseller("Cost R1");
        Organization r2 = reseller("Cost R2");
        Organization c1 = customer(r1.id(), "Cost C1");
        Organization c2 = customer(r2.id(), "Cost C2");
        TestUser r1Manager = user(r1.id(), Role.BILLING_MANAGER, "R1 manager");
        BillingProfile assigned = profile(c1.id(), "C1 assigned", r1Manager.id());
        BillingProfile other = profile(c1.id(), "C1 other");
        BillingProfile c2Profile = profile(c2.id(), "C2 profile");
        CostCenter center = costCenters.create(topAdmin(), c1.id(), new CostCenters.Details("Payments team", "PAY-1"));
        CostFixtures.account(jdbc, A1, c1.id(), assigned.id(), center.id());
        CostFixtures.account(jdbc, A2, c1.id(), other.id(), null);
        CostFixtures.account(jdbc, CurGenerator.PAYER, c1.id(), other.id(), null);
        CostFixtures.account(jdbc, A3, c2.id(), c2Profile.id(), null);
        f = new Fixture(g, r1, r2, c1, c2, center, user(r1.id(), Role.ADMIN, "R1 admin"), r1Manager, user(r2.id(), Role.ADMIN, "R2 admin"),
                topAdminUser());
    }

    private MvcResult get(TestUser user, String query) throws Exception {
        return call(user, HttpMethod.GET, "/api/v1/reports/costs?" + query, null);
    }

    private Map<String, BigDecimal> rows(MvcResult result) throws Exception {
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
        Map<String, BigDecimal> byKey = new TreeMap<>();
        for (JsonNode r : EXACT.readTree(result.getResponse().getContentAsString()).get("rows")) {
            assertThat(r.get("amount").isBigDecimal()).as(r.toString()).isTrue();
            byKey.merge(r.get("period").asString() + "|" + r.get("label").asString(), r.get("amount").decimalValue(), BigDecimal::add);
        }
        return byKey;
    }

    private Map<String, BigDecimal> groups(MvcResult result) throws Exception {
        Map<String, BigDecimal> groups = new TreeMap<>();
        rows(result).forEach((k, v) -> groups.merge(k.substring(k.indexOf('|') + 1), v, BigDecimal::add));
        return groups;
    }

    private Map<String, BigDecimal> expected(java.util.function.Function<CurGenerator.Totals, BigDecimal> metric) {
        Map<String, BigDecimal> expected = new TreeMap<>();
        f.generated().totals().forEach((month, types) -> types.forEach((type, t) -> expected.put(month + "|" + type, metric.apply(t).setScale(10))));
        return expected;
    }

    private static BigDecimal sum(Map<String, BigDecimal> values) {
        return values.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void everyMetricByLineItemTypeAndMonthEqualsTheGeneratedTotalsToTheLastDecimal() throws Exception {
        String range = "groupBy=line-item-type&granularity=monthly&from=" + FROM + "&to=" + TO;
        MvcResult unblended = get(f.top(), range);
        assertThat(rows(unblended)).isEqualTo(expected(CurGenerator.Totals::unblended));
        assertThat((String) read(unblended, "$.currency")).isEqualTo("USD");
        assertThat((String) read(unblended, "$.metric")).isEqualTo("unblended");
        assertThat((List<String>) read(unblended, "$.periods")).containsExactly("2031-01", "2031-02");
        assertThat(EXACT.readTree(unblended.getResponse().getContentAsString()).get("total").decimalValue()).isEqualTo(
                f.generated().total(YearMonth.of(2031, 1)).unblended().add(f.generated().total(YearMonth.of(2031, 2)).unblended()).setScale(10));
        assertThat(rows(get(f.top(), range + "&metric=amortized"))).isEqualTo(expected(CurGenerator.Totals::amortized));
        assertThat(rows(get(f.top(), range + "&metric=net"))).isEqualTo(expected(CurGenerator.Totals::netUnblended));
    }

    @Test
    void dailyRowsAddUpToTheMonthsAndCoverEveryDayOfTheRange() throws Exception {
        MvcResult daily = get(f.top(), "groupBy=none&granularity=daily&from=" + FROM + "&to=" + TO);
        assertThat((List<String>) read(daily, "$.periods")).hasSize(59).startsWith("2031-01-01").endsWith("2031-02-28");
        Map<String, BigDecimal> byMonth = new TreeMap<>();
        rows(daily).forEach((k, v) -> byMonth.merge(k.substring(0, 7), v, BigDecimal::add));
        assertThat(byMonth).containsOnlyKeys("2031-01", "2031-02");
        assertThat(byMonth.get("2031-01")).isEqualByComparingTo(f.generated().total(YearMonth.of(2031, 1)).unblended());
        assertThat(byMonth.get("2031-02")).isEqualByComparingTo(f.generated().total(YearMonth.of(2031, 2)).unblended());
        // a sub-range: only its days
        MvcResult week = get(f.top(), "groupBy=service&granularity=daily&from=2031-01-10&to=2031-01-16&service=AmazonEC2");
        assertThat(rows(week).keySet()).allSatisfy(k -> assertThat(k).matches("2031-01-1[0-6]\\|AmazonEC2"));
        assertThat(rows(week)).hasSize(7);
    }

    @Test
    void aResellersUsersSeeOnlyTheirSubtreeAndABillingManagerOnlyHisProfilesAccounts() throws Exception {
        String byAccount = "groupBy=account&from=" + FROM + "&to=" + TO;
        Map<String, BigDecimal> all = groups(get(f.top(), byAccount));
        assertThat(all).containsKeys(A1, A2, A3, CurGenerator.PAYER);
        assertThat(groups(get(f.r1Admin(), byAccount))).containsOnlyKeys(A1, A2, CurGenerator.PAYER).containsEntry(A1, all.get(A1));
        assertThat(groups(get(f.r2Admin(), byAccount))).containsOnlyKeys(A3).containsEntry(A3, all.get(A3));
        assertThat(groups(get(f.r1Manager(), byAccount))).containsOnlyKeys(A1).containsEntry(A1, all.get(A1));
        // naming a sibling's account only narrows: nothing is summed
        assertThat(rows(get(f.r1Admin(), byAccount + "&account=" + A3))).isEmpty();
        assertThat(rows(get(f.r1Admin(), byAccount + "&account=" + A1))).isNotEmpty();
        // a customer filter inside the scope narrows, outside it is not found
        assertThat(groups(get(f.r1Admin(), byAccount + "&customerId=" + f.c1().id()))).containsOnlyKeys(A1, A2, CurGenerator.PAYER);
        assertProblem(get(f.r1Admin(), byAccount + "&customerId=" + f.c2().id()), 404);
        assertProblem(get(f.r1Admin(), byAccount + "&customerId=" + UUID.randomUUID()), 404);
        MvcResult byCustomer = get(f.top(), "groupBy=customer&from=" + FROM + "&to=" + TO);
        assertThat(groups(byCustomer)).containsEntry(f.c2().name(), all.get(A3))
                .containsEntry(f.c1().name(), all.get(A1).add(all.get(A2)).add(all.get(CurGenerator.PAYER)));
        assertThat(get(f.r1Admin(), "groupBy=customer&from=" + FROM + "&to=" + TO).getResponse().getContentAsString()).doesNotContain(f.c2().name());
    }

    @Test
    void costCentersTagsAndFiltersGroupTheScopedAccounts() throws Exception {
        String range = "&from=" + FROM + "&to=" + TO;
        Map<String, BigDecimal> accounts = groups(get(f.r1Admin(), "groupBy=account" + range));
        Map<String, BigDecimal> centers = groups(get(f.r1Admin(), "groupBy=cost-center" + range));
        assertThat(centers).containsOnlyKeys("PAY-1 · Payments team", "(no cost center)");
        assertThat(centers.get("PAY-1 · Payments team")).isEqualByComparingTo(accounts.get(A1));
        assertThat(centers.get("(no cost center)")).isEqualByComparingTo(accounts.get(A2).add(accounts.get(CurGenerator.PAYER)));

        Map<String, BigDecimal> teams = groups(get(f.r1Admin(), "groupBy=tag&tag=user:Team" + range));
        assertThat(teams).containsKeys("payments", "search", "(untagged)").doesNotContainKey("platform");
        assertThat(sum(teams)).isEqualByComparingTo(sum(accounts));
        assertThat(groups(get(f.r1Admin(), "groupBy=tag&tag=user_team" + range))).isEqualTo(teams);

        Map<String, BigDecimal> usage = groups(get(f.r1Admin(), "groupBy=account&lineItemType=Usage&region=us-east-1" + range));
        assertThat(usage).isNotEmpty();
        assertThat(sum(usage)).isLessThan(sum(accounts));
        Map<String, BigDecimal> services = groups(get(f.r1Admin(), "groupBy=service" + range));
        Map<String, BigDecimal> ec2 = groups(get(f.r1Admin(), "groupBy=service&service=AmazonEC2" + range));
        assertThat(ec2).containsOnlyKeys("AmazonEC2").containsEntry("AmazonEC2", services.get("AmazonEC2"));
        assertThat(groups(get(f.r1Admin(), "groupBy=region" + range))).isNotEmpty();
        assertThat(groups(get(f.r1Admin(), "groupBy=usage-type" + range))).isNotEmpty();
    }

    @Test
    void theSameReportDownloadsAsCsv() throws Exception {
        String query = "groupBy=line-item-type&from=" + FROM + "&to=" + TO;
        MvcResult json = get(f.top(), query);
        List<Object> rows = read(json, "$.rows");
        MvcResult csv = get(f.top(), query + "&format=csv");
        assertThat(csv.getResponse().getStatus()).isEqualTo(200);
        assertThat(csv.getResponse().getContentType()).startsWith("text/csv");
        assertThat(csv.getResponse().getHeader("Content-Disposition")).contains("attachment").contains(".csv");
        List<String> lines = csv.getResponse().getContentAsString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("period,group,label,metric,amount,currency");
        assertThat(lines).hasSize(rows.size() + 1);
        Map<String, BigDecimal> fromCsv = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertThat(cells[5]).isEqualTo("USD");
            fromCsv.put(cells[0] + "|" + cells[2], new BigDecimal(cells[4]));
        }
        assertThat(new TreeMap<>(fromCsv)).isEqualTo(expected(CurGenerator.Totals::unblended));
        MvcResult accepted = mvc.perform(MockMvcRequestBuilders.get("/api/v1/reports/costs?" + query).accept("text/csv").with(bearer(f.top().token())))
                .andReturn();
        assertThat(accepted.getResponse().getContentType()).startsWith("text/csv");
        assertThat(accepted.getResponse().getContentAsString()).isEqualTo(csv.getResponse().getContentAsString());
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() throws Exception {
        assertThat(assertProblem(get(f.r1Admin(), "metric=gross"), 400)).containsExactly("metric");
        assertThat(assertProblem(get(f.r1Admin(), "groupBy=colour"), 400)).containsExactly("groupBy");
        assertThat(assertProblem(get(f.r1Admin(), "groupBy=tag"), 400)).containsExactly("tag");
        assertThat(assertProblem(get(f.r1Admin(), "granularity=hourly"), 400)).containsExactly("granularity");
        assertThat(assertProblem(get(f.r1Admin(), "from=2031-13-01"), 400)).containsExactly("from");
        assertThat(assertProblem(get(f.r1Admin(), "from=2031-02-01&to=2031-01-01"), 400)).containsExactly("to");
        assertThat(assertProblem(get(f.r1Admin(), "granularity=daily&from=2029-01-01&to=2031-01-01"), 400)).containsExactly("granularity");
        assertThat(assertProblem(get(f.r1Admin(), "account=12345"), 400)).containsExactly("account");
        assertThat(assertProblem(get(f.r1Admin(), "customerId=nope"), 400)).containsExactly("customerId");
        assertThat(assertProblem(get(f.r1Admin(), "format=xml"), 400)).containsExactly("format");
    }

    @Autowired CostExplorer explorer;
    @Autowired dev.openpayer.onboarding.AccountOnboarding onboarding;

    @Test
    void theDashboardShowsMonthToDateLastMonthALinearForecastAndTheTopServicesAndAccounts() throws Exception {
        java.time.Clock tenthOfFebruary = java.time.Clock.fixed(java.time.Instant.parse("2031-02-10T15:00:00Z"), java.time.ZoneOffset.UTC);
        CostReports reports = new CostReports(explorer, onboarding, costCenters, tenancy, tenthOfFebruary);
        CostReports.Dashboard d = reports.dashboard(viewer(f.r1Admin().email()), null);
        BigDecimal monthToDate = sum(rows(get(f.r1Admin(), "groupBy=none&from=2031-02-01&to=2031-02-10")));
        BigDecimal january = sum(rows(get(f.r1Admin(), "groupBy=none&from=2031-01-01&to=2031-01-31")));
        assertThat(d.month()).isEqualTo(YearMonth.of(2031, 2));
        assertThat(d.monthToDate()).isEqualByComparingTo(monthToDate);
        assertThat(d.lastMonth()).isEqualByComparingTo(january);
        assertThat(d.daysElapsed()).isEqualTo(10);
        assertThat(d.daysInMonth()).isEqualTo(28);
        assertThat(d.forecast()).isEqualByComparingTo(monthToDate.multiply(BigDecimal.valueOf(28)).divide(BigDecimal.TEN, 10, java.math.RoundingMode.HALF_EVEN));
        assertThat(d.currency()).isEqualTo("USD");
        Map<String, BigDecimal> services = groups(get(f.r1Admin(), "groupBy=service&from=2031-02-01&to=2031-02-10"));
        String largest = services.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(d.topServices()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        assertThat(d.topServices().get(0).label()).isEqualTo(largest);
        assertThat(d.topServices().get(0).amount()).isEqualByComparingTo(services.get(largest));
        assertThat(d.topAccounts()).extracting(CostReports.Top::group).containsAnyOf(A1, A2, CurGenerator.PAYER).doesNotContain(A3);
        CostReports.Dashboard ofC2 = reports.dashboard(viewer(f.r2Admin().email()), f.c2().id());
        assertThat(ofC2.topAccounts()).extracting(CostReports.Top::group).containsOnly(A3);
    }

    @Test
    void theDefaultIsTheCurrentMonthToTodayByService() throws Exception {
        MvcResult result = get(f.r1Admin(), "");
        LocalDate today = LocalDate.now(clock);
        assertThat((String) read(result, "$.from")).isEqualTo(today.withDayOfMonth(1).toString());
        assertThat((String) read(result, "$.to")).isEqualTo(today.toString());
        assertThat((String) read(result, "$.groupBy")).isEqualTo("service");
        assertThat((String) read(result, "$.granularity")).isEqualTo("monthly");
        assertThat((String) read(result, "$.metric")).isEqualTo("unblended");
    }
}
