package dev.openpayer.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openpayer.analytics.CostFixtures;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.ExchangeRates;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBookRules.RuleInput;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.PricingRule.Action;
import dev.openpayer.billing.PricingRule.Basis;
import dev.openpayer.cur.CurGenerator;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.IngestionRun;
import dev.openpayer.cur.LakePartition;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rebilling end to end over generated payer reports: a reseller R (EUR) bills its customer C (EUR, two accounts)
 * at price book B; the distributor bills R at the wholesale book W and its direct customer D (USD) at cost; an
 * account in the report belongs to nobody. Expected amounts are computed here from the lake with DuckDB and the
 * rules written out by hand, then compared to the invoices to the cent. Months 2019-04 (pricing) and 2019-06
 * (restatements) are used by no other test.
 */
class InvoicingScenarioTest extends ApiTestSupport {
    static final JsonMapper EXACT = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final YearMonth PRICED = YearMonth.of(2019, 4);
    static final BigDecimal RATE = new BigDecimal("0.9");

    @Autowired CurSources sources;
    @Autowired CurIngestion ingestion;
    @Autowired PriceBooks priceBooks;
    @Autowired PriceBookRules rules;
    @Autowired Contracts contracts;
    @Autowired CostCenters costCenters;
    @Autowired ExchangeRates rates;
    @Autowired InvoiceSchedule schedule;

    record Fixture(Organization r, Organization c, Organization d, BillingProfile cProfile, BillingProfile rProfile, BillingProfile dProfile, String a1, String a2,
            String a3, String a4, CurSource source, TestUser rAdmin, TestUser cAnalyst, TestUser otherReseller, TestUser top, PriceBook b) {}

    private static Fixture f;

    static List<String> randomAccounts(int n) {
        Random random = new Random();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(String.format("%012d", 100_000_000_000L + (long) (random.nextDouble() * 800_000_000_000L)));
        }
        return ids;
    }

    @BeforeEach
    void fixture() throws Exception {
        if (f != null) {
            return;
        }
        List<String> ids = randomAccounts(4);
        Organization r = reseller(unique("Inv R"));
        Organization c = customer(r.id(), unique("Inv C"));
        Organization d = customer(top().id(), unique("Inv D"));
        BillingProfile rProfile = profile(r.id(), "R profile");
        BillingProfile cProfile = profile(c.id(), "C profile");
        BillingProfile dProfile = billingProfiles.create(topAdmin(), d.id(), new BillingProfile.Details(unique("D profile"), "D Inc.", "1 Main St", null,
                "Austin", "78701", "TX", "US", "USD", 15, List.of("ap@d.example.test")));
        CostCenter center = costCenters.create(topAdmin(), c.id(), new CostCenters.Details("Web shop", "WEB"));
        CostFixtures.account(jdbc, ids.get(0), c.id(), cProfile.id(), center.id());
        CostFixtures.account(jdbc, ids.get(1), c.id(), cProfile.id(), null);
        CostFixtures.account(jdbc, ids.get(2), d.id(), dProfile.id(), null);

        PriceBook w = priceBooks.create(topAdmin(), top().id(), new PriceBooks.Details(unique("Wholesale"), "USD", null));
        rules.saveDraft(topAdmin(), w.id(), List.of(rule(null, null, Action.DISCOUNT, "5")), null);
        rules.publish(topAdmin(), w.id(), YearMonth.of(2019, 1));
        PriceBook b = priceBooks.create(topAdmin(), r.id(), new PriceBooks.Details(unique("Retail"), "EUR", null));
        rules.saveDraft(topAdmin(), b.id(), List.of(rule(null, null, Action.MARKUP, "10"), rule("AmazonEC2", null, Action.MARKUP, "20"),
                rule("AmazonEC2", "Tax", Action.PASS_THROUGH, null), rule(null, "Credit", Action.EXCLUDE, null), rule("AmazonEC2", "Credit", Action.EXCLUDE, null)),
                null);
        rules.publish(topAdmin(), b.id(), YearMonth.of(2019, 1));
        PriceBook p = priceBooks.create(topAdmin(), top().id(), new PriceBooks.Details(unique("Direct"), "USD", null));
        LocalDate start = LocalDate.of(2019, 1, 1);
        contracts.create(topAdmin(), top().id(), r.id(), new Contracts.Details(w.id(), start, null, ContractStatus.ACTIVE));
        contracts.create(topAdmin(), r.id(), c.id(), new Contracts.Details(b.id(), start, null, ContractStatus.ACTIVE));
        contracts.create(topAdmin(), top().id(), d.id(), new Contracts.Details(p.id(), start, null, ContractStatus.ACTIVE));
        rates.record(topAdmin(), PRICED, "USD", "EUR", RATE, "test");

        Path root = Files.createTempDirectory("invoicing-scenario");
        new CurGenerator().write(root, "hourly", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(7, 4, 30, PRICED.atDay(1), 1).withAccounts(ids));
        CurSource source = sources.create(null, CurGenerator.PAYER, unique("Invoicing source"), "file:" + root.toAbsolutePath());
        assertThat(ingestion.backfill(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
        TestUser cAnalyst = user(c.id(), Role.ANALYST, "C analyst");
        billingProfiles.assign(topAdmin(), cProfile.id(), List.of(cAnalyst.id()));
        f = new Fixture(r, c, d, cProfile, rProfile, dProfile, ids.get(0), ids.get(1), ids.get(2), ids.get(3), source, user(r.id(), Role.ADMIN, "R admin"),
                cAnalyst, user(reseller(unique("Inv other")).id(), Role.ADMIN, "Other admin"), topAdminUser(), b);
    }

    static RuleInput rule(String service, String lineItemType, Action action, String percent) {
        return new RuleInput(null, service, null, null, null, null, lineItemType, null, null, action,
                action == Action.MARKUP || action == Action.DISCOUNT ? Basis.UNBLENDED : null, percent == null ? null : new BigDecimal(percent), null);
    }

    // ------------------------------------------------------------------ oracle

    record Slice(String account, String service, String type, String category, BigDecimal cost) {}

    private List<Slice> lake(CurSource source, YearMonth month) throws Exception {
        LakePartition p = ingestion.partitions(source.id()).stream().filter(x -> x.billingPeriod().equals(month.toString())).findFirst().orElseThrow();
        List<Slice> out = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT sub_account_id, service_code, line_item_type, charge_category, sum(billed_cost) FROM read_parquet('"
                        + p.lakePath() + "', hive_partitioning = false) GROUP BY ALL")) {
            while (rs.next()) {
                out.add(new Slice(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBigDecimal(5)));
            }
        }
        return out;
    }

    /** Price book B written out by hand: EC2 +20 % (its tax passed through), everything else +10 %, credits (by type or charge category) left out. */
    private static BigDecimal retail(Slice s) {
        boolean ec2 = "AmazonEC2".equals(s.service());
        if ("Credit".equals(s.type()) || "Credit".equals(s.category())) {
            return null;
        }
        if (ec2 && "Tax".equals(s.type())) {
            return s.cost();
        }
        return s.cost().multiply(ec2 ? new BigDecimal("1.2") : new BigDecimal("1.1"));
    }

    /** The expected lines of C's invoice: "account|service" (tax: "account|TAX") → amount in EUR, rounded once. */
    private Map<String, BigDecimal> expectedRetail(List<Slice> slices) {
        Map<String, BigDecimal> exact = new TreeMap<>();
        for (Slice s : slices) {
            if (!s.account().equals(f.a1()) && !s.account().equals(f.a2())) {
                continue;
            }
            BigDecimal priced = retail(s);
            if (priced != null) {
                exact.merge(s.account() + "|" + ("Tax".equals(s.type()) || "Tax".equals(s.category()) ? "TAX" : s.service()), priced, BigDecimal::add);
            }
        }
        Map<String, BigDecimal> rounded = new TreeMap<>();
        exact.forEach((k, v) -> rounded.put(k, v.multiply(RATE).setScale(2, RoundingMode.HALF_EVEN)));
        return rounded;
    }

    private JsonNode body(MvcResult result, int status) throws Exception {
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        return EXACT.readTree(result.getResponse().getContentAsString());
    }

    private JsonNode runMonth(TestUser user, UUID seller, YearMonth month) throws Exception {
        JsonNode run = body(call(user, HttpMethod.POST, "/api/v1/invoice-runs", Map.of("sellerId", seller, "month", month.toString())), 201);
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
        return run;
    }

    private JsonNode invoiceOf(TestUser user, UUID customerId, YearMonth month, String kind) throws Exception {
        JsonNode list = body(call(user, HttpMethod.GET, "/api/v1/invoices?month=" + month + "&customerId=" + customerId, null), 200);
        for (JsonNode i : list) {
            if (i.get("kind").asString().equals(kind) && i.get("correctsId").isNull()) {
                return body(call(user, HttpMethod.GET, "/api/v1/invoices/" + i.get("id").asString(), null), 200);
            }
        }
        throw new AssertionError("no " + kind + " for " + customerId + " in " + month + ": " + list);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void theResellersInvoiceAppliesTheMostSpecificRulesConvertsAtTheRecordedRateAndRoundsOncePerLine() throws Exception {
        runMonth(f.rAdmin(), f.r().id(), PRICED);
        JsonNode invoice = invoiceOf(f.rAdmin(), f.c().id(), PRICED, "INVOICE");
        assertThat(invoice.get("status").asString()).isEqualTo("DRAFT");
        assertThat(invoice.get("currency").asString()).isEqualTo("EUR");
        assertThat(invoice.get("exchangeRate").decimalValue()).isEqualByComparingTo(RATE);
        assertThat(invoice.get("priceBooks").asString()).contains(f.b().name() + " v1");

        List<Slice> slices = lake(f.source(), PRICED);
        Map<String, BigDecimal> actual = new TreeMap<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode l : invoice.get("lines")) {
            String kind = l.get("kind").asString();
            actual.put(l.get("accountId").asString() + "|" + ("TAX".equals(kind) ? "TAX" : l.get("serviceCode").asString()), l.get("amount").decimalValue());
            assertThat(l.get("amount").decimalValue().scale()).isEqualTo(2);
            sum = sum.add(l.get("amount").decimalValue());
        }
        assertThat(actual).isEqualTo(expectedRetail(slices));
        assertThat(invoice.get("total").decimalValue()).isEqualByComparingTo(sum);
        assertThat(invoice.get("subtotal").decimalValue().add(invoice.get("tax").decimalValue())).isEqualByComparingTo(sum);
        BigDecimal costBasis = slices.stream().filter(s -> s.account().equals(f.a1()) || s.account().equals(f.a2())).map(Slice::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(invoice.get("costBasis").decimalValue()).isEqualByComparingTo(costBasis);
        assertThat(invoice.get("lines").get(0).get("costCenter").isNull() || invoice.toString().contains("WEB Web shop")).isTrue();

        // The customer does not see the seller's draft; once issued, its analyst sees the invoice, but neither the AWS cost nor the pricing.
        assertProblem(call(f.cAnalyst(), HttpMethod.GET, "/api/v1/invoices/" + invoice.get("id").asString(), null), 404);
        assertThat(body(call(f.cAnalyst(), HttpMethod.GET, "/api/v1/invoices?month=" + PRICED, null), 200)).isEmpty();
        body(call(f.rAdmin(), HttpMethod.POST, "/api/v1/invoices/" + invoice.get("id").asString() + "/issue", null), 200);
        JsonNode seen = body(call(f.cAnalyst(), HttpMethod.GET, "/api/v1/invoices/" + invoice.get("id").asString(), null), 200);
        assertThat(seen.get("costBasis").isNull()).isTrue();
        assertThat(seen.get("sellerView").asBoolean()).isFalse();
        assertThat(seen.get("lines").get(0).get("costBasis").isNull()).isTrue();
        assertThat(seen.get("total").decimalValue()).isEqualByComparingTo(invoice.get("total").decimalValue());
        assertProblem(call(f.cAnalyst(), HttpMethod.POST, "/api/v1/invoices/" + invoice.get("id").asString() + "/issue", null), 403);
        // Another reseller cannot tell it exists.
        assertProblem(call(f.otherReseller(), HttpMethod.GET, "/api/v1/invoices/" + invoice.get("id").asString(), null), 404);
    }

    @Test
    void aDraftVersionIsPreviewedAgainstTheVersionInForceAndPublishingItChangesDraftsButNotIssuedInvoices() throws Exception {
        PriceBook book = priceBooks.create(topAdmin(), f.r().id(), new PriceBooks.Details(unique("Previewed"), "EUR", null));
        rules.saveDraft(topAdmin(), book.id(), List.of(rule(null, null, Action.MARKUP, "10")), null);
        rules.publish(topAdmin(), book.id(), YearMonth.of(2019, 1));
        Organization customer = customer(f.r().id(), unique("Previewed customer"));
        BillingProfile profile = profile(customer.id(), "Previewed profile");
        // The customer's account is the fixture's unassigned one: its lines are in the report of the month.
        CostFixtures.account(jdbc, f.a4(), customer.id(), profile.id(), null);
        contracts.create(topAdmin(), f.r().id(), customer.id(), new Contracts.Details(book.id(), LocalDate.of(2019, 1, 1), null, ContractStatus.ACTIVE));
        try {
            runMonth(f.rAdmin(), f.r().id(), PRICED);
            JsonNode invoice = invoiceOf(f.rAdmin(), customer.id(), PRICED, "INVOICE");
            rules.saveDraft(topAdmin(), book.id(), List.of(rule(null, null, Action.MARKUP, "20")), "Dearer");
            JsonNode preview = body(call(f.rAdmin(), HttpMethod.POST, "/api/v1/price-books/" + book.id() + "/preview?month=" + PRICED, null), 200);
            assertThat(preview.get("currentVersion").asString()).endsWith("v1");
            assertThat(preview.get("draftVersion").asString()).endsWith("v2 (draft)");
            assertThat(preview.get("rows")).singleElement().satisfies(row -> {
                assertThat(row.get("billingProfileId").asString()).isEqualTo(profile.id().toString());
                assertThat(row.get("current").decimalValue()).isEqualByComparingTo(invoice.get("subtotal").decimalValue());
                assertThat(row.get("draft").decimalValue()).isGreaterThan(row.get("current").decimalValue());
                assertThat(row.get("difference").decimalValue()).isEqualByComparingTo(row.get("draft").decimalValue().subtract(row.get("current").decimalValue()));
            });
            // Previewing changes nothing; publishing from the month re-prices the draft at the next run.
            assertThat(invoiceOf(f.rAdmin(), customer.id(), PRICED, "INVOICE").get("total").decimalValue()).isEqualByComparingTo(invoice.get("total").decimalValue());
            rules.publish(topAdmin(), book.id(), PRICED);
            runMonth(f.rAdmin(), f.r().id(), PRICED);
            JsonNode repriced = invoiceOf(f.rAdmin(), customer.id(), PRICED, "INVOICE");
            assertThat(repriced.get("priceBooks").asString()).contains(book.name() + " v2");
            assertThat(repriced.get("subtotal").decimalValue()).isEqualByComparingTo(preview.get("rows").get(0).get("draft").decimalValue());
        } finally {
            // Give the account back to nobody, as the other tests expect.
            jdbc.sql("delete from aws_accounts where account_id = ? and customer_id = ?").params(f.a4(), customer.id()).update();
            jdbc.sql("delete from invoice_lines where invoice_id in (select id from invoices where customer_id = ?)").param(customer.id()).update();
            jdbc.sql("delete from invoices where customer_id = ?").param(customer.id()).update();
        }
    }

    @Test
    void anAccountThatMovedToAnotherCustomerIsBilledToTheCustomerItBelongedToInEachMonth() throws Exception {
        Organization before = customer(f.r().id(), unique("Owner until May"));
        Organization after = customer(f.r().id(), unique("Owner from May"));
        UUID first = CostFixtures.account(jdbc, f.a4(), before.id(), profile(before.id(), "Before profile").id(), null);
        UUID second = CostFixtures.account(jdbc, f.a4(), after.id(), profile(after.id(), "After profile").id(), null);
        jdbc.sql("update aws_accounts set joined_at = ? where id = ?").params(java.time.OffsetDateTime.parse("2019-03-10T12:00:00Z"), first).update();
        jdbc.sql("update aws_accounts set joined_at = ? where id = ?").params(java.time.OffsetDateTime.parse("2019-05-02T08:00:00Z"), second).update();
        try {
            // April's report: the account still belonged to its first customer, which is where its cost goes, not to the newer one.
            JsonNode rec = body(call(f.top(), HttpMethod.GET, "/api/v1/reconciliations?month=" + PRICED, null), 200);
            assertThat(rec.get("unassigned").toString()).doesNotContain(f.a4());
            List<String> owners = new ArrayList<>();
            for (JsonNode c : rec.get("customers")) {
                if (c.get("accounts").toString().contains(f.a4())) {
                    owners.add(c.get("customerId").asString());
                }
            }
            assertThat(owners).containsExactly(before.id().toString());
            assertThat(rec.get("balanced").asBoolean()).isTrue();
        } finally {
            jdbc.sql("delete from aws_accounts where id in (?, ?)").params(first, second).update();
        }
    }

    @Test
    void aCustomLineItemThatCouldNotBeBilledAsTypedIsRefusedWithTheFieldNamed() throws Exception {
        Map<String, Object> item = new HashMap<>(Map.of("billingProfileId", f.cProfile().id(), "description", "Support", "kind", "FEE", "charge", "PERCENT",
                "amount", new BigDecimal("2.12345"), "firstMonth", "2019-04"));
        assertThat(assertProblem(call(f.rAdmin(), HttpMethod.POST, "/api/v1/custom-line-items", item), 400)).contains("amount");
        item.putAll(Map.of("amount", new BigDecimal("2.5"), "recurring", false, "lastMonth", "2019-06"));
        assertThat(assertProblem(call(f.rAdmin(), HttpMethod.POST, "/api/v1/custom-line-items", item), 400)).contains("lastMonth");
    }

    @Test
    void theDailyScheduleDraftsTheMonthForTheDistributorAndEveryResellerWithoutIssuingAnything() throws Exception {
        List<InvoiceRun> runs = schedule.draft(PRICED);
        assertThat(runs).extracting(InvoiceRun::sellerId).contains(top().id(), f.r().id());
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(InvoiceRun.Status.COMPLETED);
            assertThat(r.trigger()).isEqualTo("SCHEDULE");
        });
        JsonNode retail = invoiceOf(f.rAdmin(), f.c().id(), PRICED, "INVOICE");
        JsonNode wholesale = invoiceOf(f.top(), f.r().id(), PRICED, "INVOICE");
        assertThat(wholesale.get("status").asString()).isEqualTo("DRAFT");
        assertThat(retail.get("total").decimalValue()).isEqualByComparingTo(retail.get("subtotal").decimalValue().add(retail.get("tax").decimalValue()));
        // A second day changes nothing that AWS did not change.
        assertThat(schedule.draft(PRICED)).filteredOn(r -> r.sellerId().equals(f.r().id())).singleElement()
                .satisfies(r -> assertThat(r.drafts() + r.corrections()).isZero());
    }

    @Test
    void theReconciliationBalancesExactlyAndToTheCentWithTheUnassignedAccountListed() throws Exception {
        runMonth(f.rAdmin(), f.r().id(), PRICED);
        runMonth(f.top(), top().id(), PRICED);
        JsonNode rec = body(call(f.top(), HttpMethod.GET, "/api/v1/reconciliations?month=" + PRICED, null), 200);
        assertThat(rec.get("balanced").asBoolean()).isTrue();
        JsonNode payer = null;
        for (JsonNode p : rec.get("payers")) {
            if (p.get("sourceId").asString().equals(f.source().id().toString())) {
                payer = p;
            }
        }
        assertThat(payer).isNotNull();
        List<Slice> slices = lake(f.source(), PRICED);
        BigDecimal total = slices.stream().map(Slice::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal unassigned = slices.stream().filter(s -> !List.of(f.a1(), f.a2(), f.a3()).contains(s.account())).map(Slice::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(payer.get("awsTotal").decimalValue()).isEqualByComparingTo(total);
        assertThat(payer.get("unassignedTotal").decimalValue()).isEqualByComparingTo(unassigned);
        assertThat(payer.get("customersTotal").decimalValue().add(payer.get("unassignedTotal").decimalValue())).isEqualByComparingTo(total);
        assertThat(payer.get("difference").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(payer.get("awsTotalCents").decimalValue()).isEqualByComparingTo(payer.get("customersCents").decimalValue()
                .add(payer.get("unassignedCents").decimalValue()).add(payer.get("roundingDifference").decimalValue()));
        assertThat(rec.get("unassigned").toString()).contains(f.a4());
        for (JsonNode c : rec.get("customers")) {
            if (c.get("customerId").asString().equals(f.c().id().toString()) || c.get("customerId").asString().equals(f.d().id().toString())) {
                assertThat(c.get("difference").decimalValue()).as(c.toString()).isEqualByComparingTo(BigDecimal.ZERO);
            }
        }
        // The reseller sees its part of the bill, balanced, and nothing unassigned.
        JsonNode mine = body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/reconciliations?month=" + PRICED, null), 200);
        assertThat(mine.get("wholePayer").asBoolean()).isFalse();
        assertThat(mine.get("unassigned")).isEmpty();
        assertThat(mine.get("customers")).hasSize(1);
        assertThat(mine.toString()).doesNotContain(f.a4()).doesNotContain(f.a3());
        assertThat(mine.get("balanced").asBoolean()).isTrue();
    }

    @Test
    void theDistributorBillsTheResellerWholesaleAndTheMarginsAddUpAtBothTiers() throws Exception {
        runMonth(f.top(), top().id(), PRICED);
        runMonth(f.rAdmin(), f.r().id(), PRICED);
        JsonNode wholesale = invoiceOf(f.top(), f.r().id(), PRICED, "INVOICE");
        assertThat(wholesale.get("tier").asString()).isEqualTo("WHOLESALE");
        List<Slice> slices = lake(f.source(), PRICED);
        BigDecimal cCost = slices.stream().filter(s -> s.account().equals(f.a1()) || s.account().equals(f.a2())).map(Slice::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(wholesale.get("costBasis").decimalValue()).isEqualByComparingTo(cCost);
        BigDecimal wholesaleSum = BigDecimal.ZERO;
        for (JsonNode l : wholesale.get("lines")) {
            assertThat(l.get("customerId").asString()).isEqualTo(f.c().id().toString());
            wholesaleSum = wholesaleSum.add(l.get("amount").decimalValue());
        }
        assertThat(wholesale.get("total").decimalValue()).isEqualByComparingTo(wholesaleSum);
        JsonNode direct = invoiceOf(f.top(), f.d().id(), PRICED, "INVOICE");
        assertThat(direct.get("currency").asString()).isEqualTo("USD");
        assertThat(direct.get("exchangeRate").isNull()).isTrue();
        BigDecimal dCost = slices.stream().filter(s -> s.account().equals(f.a3())).map(Slice::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(direct.get("total").decimalValue()).as("at cost, rounded per line").isCloseTo(dCost, org.assertj.core.data.Offset.offset(new BigDecimal("0.10")));

        JsonNode margins = body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/margins?month=" + PRICED, null), 200);
        JsonNode row = null;
        for (JsonNode r : margins.get("rows")) {
            if (r.get("customerId").asString().equals(f.c().id().toString())) {
                row = r;
            }
        }
        assertThat(row).as(margins.toString()).isNotNull();
        JsonNode retail = invoiceOf(f.rAdmin(), f.c().id(), PRICED, "INVOICE");
        assertThat(row.get("billed").decimalValue()).isEqualByComparingTo(retail.get("subtotal").decimalValue());
        assertThat(row.get("purchase").decimalValue()).isEqualByComparingTo(wholesale.get("subtotal").decimalValue());
        assertThat(row.get("margin").decimalValue()).isEqualByComparingTo(retail.get("subtotal").decimalValue().subtract(wholesale.get("subtotal").decimalValue()));
        // Customers never see margins.
        assertThat(body(call(f.cAnalyst(), HttpMethod.GET, "/api/v1/margins?month=" + PRICED, null), 200).get("rows")).isEmpty();
    }

    @Test
    void aMonthIsRestatedTwiceIssuedAndALateCreditBecomesACreditNote() throws Exception {
        YearMonth month = YearMonth.of(2019, 6);
        List<String> ids = randomAccounts(1);
        Organization customer = customer(f.r().id(), unique("Restated"));
        BillingProfile profile = profile(customer.id(), "Restated profile");
        jdbc.sql("insert into invoice_settings (billing_profile_id, line_grouping, tax_mode, tax_rate, tax_label, updated_at) values (?, 'SERVICE', 'RATE', 19, 'VAT', now())")
                .param(profile.id()).update();
        CostFixtures.account(jdbc, ids.get(0), customer.id(), profile.id(), null);
        PriceBook plain = priceBooks.create(topAdmin(), f.r().id(), new PriceBooks.Details(unique("Plain"), "EUR", null));
        rules.saveDraft(topAdmin(), plain.id(), List.of(rule(null, null, Action.MARKUP, "10")), null);
        rules.publish(topAdmin(), plain.id(), YearMonth.of(2019, 1));
        contracts.create(topAdmin(), f.r().id(), customer.id(), new Contracts.Details(plain.id(), LocalDate.of(2019, 1, 1), null, ContractStatus.ACTIVE));
        rates.record(topAdmin(), month, "USD", "EUR", new BigDecimal("0.8"), "test");
        Path root = Files.createTempDirectory("invoicing-restated");
        CurSource source = sources.create(null, CurGenerator.PAYER, unique("Restated source"), "file:" + root.toAbsolutePath());
        CurGenerator generator = new CurGenerator();
        generator.write(root, "hourly", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(11, 1, 20, month.atDay(1), 1).withAccounts(ids));
        assertThat(ingestion.ingest(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);

        runMonth(f.rAdmin(), f.r().id(), month);
        JsonNode first = invoiceOf(f.rAdmin(), customer.id(), month, "INVOICE");
        String id = first.get("id").asString();
        assertThat(first.get("lines").toString()).contains("VAT 19 %");

        // Two restatements: the draft follows each, by itself (the ingestion's event runs the month again).
        String previous = first.get("dataVersion").asString();
        CurGenerator.Generated restated = null;
        for (int delivery = 2; delivery <= 3; delivery++) {
            clock.advance(Duration.ofHours(8));
            restated = generator.write(root, "hourly", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(11, 1, 20 + delivery, month.atDay(1), delivery).withAccounts(ids));
            assertThat(ingestion.ingest(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
            String before = previous;
            await().atMost(Duration.ofSeconds(30)).until(() -> !before.equals(body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices/" + id, null), 200)
                    .get("dataVersion").asString()));
            previous = body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices/" + id, null), 200).get("dataVersion").asString();
        }
        JsonNode draft = body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices/" + id, null), 200);
        assertThat(draft.get("status").asString()).isEqualTo("DRAFT");
        assertThat(draft.get("id").asString()).as("the same draft, recomputed").isEqualTo(id);

        // Issue: the first number of R's sequence, the PDF, the email.
        JsonNode issued = body(call(f.rAdmin(), HttpMethod.POST, "/api/v1/invoices/" + id + "/issue", null), 200);
        assertThat(issued.get("status").asString()).isEqualTo("ISSUED");
        assertThat(issued.get("number").asString()).matches("INV-\\d{6}");
        assertThat(issued.get("total").decimalValue()).isEqualByComparingTo(draft.get("total").decimalValue());
        MvcResult pdf = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/invoices/" + id + "/pdf")
                .with(bearer(f.rAdmin().token())).accept(org.springframework.http.MediaType.APPLICATION_PDF)).andReturn();
        assertThat(pdf.getResponse().getStatus()).isEqualTo(200);
        assertThat(new String(pdf.getResponse().getContentAsByteArray(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(jdbc.sql("select count(*) from mail_outbox where recipient = 'billing@example.test' and subject like ?")
                .param("%" + issued.get("number").asString() + " from " + f.r().name() + " for " + month + "%").query(Long.class).single()).isEqualTo(1);
        assertProblem(call(f.rAdmin(), HttpMethod.POST, "/api/v1/invoices/" + id + "/issue", null), 409);

        // A late credit: AWS re-delivers the month with a credit line. The issued invoice stays as it was; a draft credit note carries the difference.
        clock.advance(Duration.ofDays(6));
        CurGenerator.Generated late = generator.write(root, "hourly", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(11, 1, 23, month.atDay(1), 4).withAccounts(ids));
        // The fourth delivery holds the third's lines plus the credit, so that the credit is the only change.
        Files.copy(restated.files().getFirst(), late.files().getFirst(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        appendCredit(late, ids.get(0), month, new BigDecimal("-250.00"), "late-credit-line");
        assertThat(ingestion.ingest(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
        await().atMost(Duration.ofSeconds(30)).until(() -> body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices?month=" + month + "&customerId=" + customer.id(),
                null), 200).size() == 2);
        JsonNode again = body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices/" + id, null), 200);
        assertThat(again.get("total").decimalValue()).isEqualByComparingTo(issued.get("total").decimalValue());
        assertThat(again.get("number").asString()).isEqualTo(issued.get("number").asString());
        JsonNode note = null;
        for (JsonNode i : body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices?month=" + month + "&customerId=" + customer.id(), null), 200)) {
            if (i.get("kind").asString().equals("CREDIT_NOTE")) {
                note = body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices/" + i.get("id").asString(), null), 200);
            }
        }
        assertThat(note).isNotNull();
        assertThat(note.get("correctsId").asString()).isEqualTo(id);
        assertThat(note.get("total").decimalValue()).isNegative();
        // 250 USD of credit, marked up 10 % like everything in the plain book, at 0.8 USD→EUR: 220.00 EUR less, plus 19 % VAT on it.
        BigDecimal lessUsage = new BigDecimal("-250.00").multiply(new BigDecimal("1.1")).multiply(new BigDecimal("0.8")).setScale(2, RoundingMode.HALF_EVEN);
        assertThat(note.get("subtotal").decimalValue()).isEqualByComparingTo(lessUsage);
        JsonNode issuedNote = body(call(f.rAdmin(), HttpMethod.POST, "/api/v1/invoices/" + note.get("id").asString() + "/issue", null), 200);
        assertThat(issuedNote.get("number").asString()).matches("CN-\\d{6}");
        assertThat(issuedNote.get("correctsNumber").asString()).isEqualTo(issued.get("number").asString());
        // Running again changes nothing: the issued documents together equal the newest computation.
        JsonNode rerun = runMonth(f.rAdmin(), f.r().id(), month);
        assertThat(body(call(f.rAdmin(), HttpMethod.GET, "/api/v1/invoices?month=" + month + "&customerId=" + customer.id(), null), 200)).hasSize(2);
        assertThat(rerun.get("corrections").asInt()).isZero();
    }

    /** Appends a credit line for the account to the delivery's data file. */
    private static void appendCredit(CurGenerator.Generated generated, String account, YearMonth month, BigDecimal amount, String marker) throws Exception {
        Path file = generated.files().stream().filter(p -> p.toString().endsWith(".csv.gz")).reduce((a, b) -> b).orElseThrow();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        String[] header = lines.get(0).split(",", -1);
        Map<String, String> v = new HashMap<>();
        String start = month.atDay(1) + "T00:00:00Z";
        String end = month.plusMonths(1).atDay(1) + "T00:00:00Z";
        v.put("identity/LineItemId", marker);
        v.put("identity/TimeInterval", start + "/" + end);
        v.put("bill/BillingEntity", "AWS");
        v.put("bill/PayerAccountId", CurGenerator.PAYER);
        v.put("bill/BillingPeriodStartDate", start);
        v.put("bill/BillingPeriodEndDate", end);
        v.put("lineItem/UsageAccountId", account);
        v.put("lineItem/LineItemType", "Credit");
        v.put("lineItem/UsageStartDate", start);
        v.put("lineItem/UsageEndDate", end);
        v.put("lineItem/ProductCode", "AmazonS3");
        v.put("lineItem/CurrencyCode", "USD");
        v.put("lineItem/UnblendedCost", amount.toPlainString());
        v.put("lineItem/BlendedCost", amount.toPlainString());
        v.put("lineItem/LineItemDescription", "Promotional credit");
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < header.length; i++) {
            row.append(i == 0 ? "" : ",").append(v.getOrDefault(header[i], ""));
        }
        lines.add(row.toString());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
