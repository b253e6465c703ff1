package dev.openpayer.cur;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import com.jayway.jsonpath.JsonPath;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import dev.openpayer.testsupport.OpenPayerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;

@OpenPayerTest
class CurSourceApiTest extends ApiTestSupport {
    @Autowired CurIngestion ingestion;
    @Autowired CurSchedule schedule;
    @Autowired Contracts contracts;

    Path root;
    TestUser admin;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("cur-api");
        admin = topAdminUser();
    }

    @AfterEach
    void cleanUp() {
        LakeWriter.deleteTree(root);
    }

    private Path generate(String name, CurGenerator.Output output, CurGenerator.Options options) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        new CurGenerator().write(dir, "report-" + name, output, options);
        return dir;
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private UUID create(TestUser user, Map<String, Object> body) throws Exception {
        MvcResult created = call(user, POST, "/api/v1/cur/sources", body);
        assertThat(created.getResponse().getStatus()).as(created.getResponse().getContentAsString()).isEqualTo(201);
        return id(created);
    }

    private Map<String, Object> awaitEnd(TestUser user, UUID source, UUID run) {
        String uri = "/api/v1/cur/sources/" + source + "/ingestions/" + run;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !List.of("QUEUED", "RUNNING").contains(JsonPath.read(call(user, GET, uri, null).getResponse().getContentAsString(), "$.status")));
        try {
            return JsonPath.read(call(user, GET, uri, null).getResponse().getContentAsString(), "$");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPayerSourceIsCreatedValidatedIngestedWithProgressAndBackfilled() throws Exception {
        Path dir = generate("payer", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(7, 3, 40, LocalDate.of(2026, 9, 10), 1));
        UUID source = create(admin, body("name", "Payer report", "location", "file:" + dir.toAbsolutePath()));

        MvcResult got = call(admin, GET, "/api/v1/cur/sources/" + source, null);
        assertThat((String) read(got, "$.owner")).isEqualTo("PAYER");
        assertThat((String) read(got, "$.accountId")).isEqualTo("999999999999");
        List<String> listed = read(call(admin, GET, "/api/v1/cur/sources", null), "$[*].id");
        assertThat(listed).contains(source.toString());

        MvcResult refreshed = call(admin, POST, "/api/v1/cur/sources/" + source + "/refresh", null);
        assertThat(refreshed.getResponse().getStatus()).as(refreshed.getResponse().getContentAsString()).isEqualTo(200);
        assertThat((List<String>) read(refreshed, "$[*].key")).containsExactly("cur/report-payer");
        assertThat((List<Boolean>) read(refreshed, "$[*].ingestible")).containsExactly(true);
        assertThat((List<String>) read(refreshed, "$[0].deliveries[*].billingPeriod")).containsExactly("2026-09", "2026-10");
        assertThat((String) read(call(admin, GET, "/api/v1/cur/sources/" + source, null), "$.lastDeliverySeen")).isNotBlank();
        assertThat((List<String>) read(call(admin, GET, "/api/v1/cur/sources/" + source + "/reports", null), "$[*].key")).containsExactly("cur/report-payer");

        MvcResult unknown = call(admin, PUT, "/api/v1/cur/sources/" + source + "/report", body("reportKey", "nope"));
        assertThat(assertProblem(unknown, 400)).containsExactly("reportKey");
        MvcResult picked = call(admin, PUT, "/api/v1/cur/sources/" + source + "/report", body("reportKey", "cur/report-payer"));
        assertThat((String) read(picked, "$.reportKey")).isEqualTo("cur/report-payer");

        MvcResult started = call(admin, POST, "/api/v1/cur/sources/" + source + "/ingestions", null);
        assertThat(started.getResponse().getStatus()).as(started.getResponse().getContentAsString()).isEqualTo(202);
        assertThat(started.getResponse().getHeader("Location")).contains("/ingestions/");
        UUID run = id(started);
        Map<String, Object> done = awaitEnd(admin, source, run);
        assertThat(done.get("status")).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("periodsTotal")).isEqualTo(2);
        assertThat(done.get("filesDone")).isEqualTo(done.get("filesTotal"));
        assertThat(((Number) done.get("rows")).longValue()).isPositive();
        assertThat(((Number) done.get("bytesDone")).longValue()).isEqualTo(((Number) done.get("bytesTotal")).longValue()).isPositive();
        assertThat(done.get("elapsedMillis")).isNotNull();
        assertThat(done.get("percent")).isEqualTo(100);
        assertThat((List<?>) done.get("runs")).hasSize(2);
        assertThat(ingestion.partitions(source)).extracting(LakePartition::billingPeriod).containsExactly("2026-09", "2026-10");
        assertThat((String) read(call(admin, GET, "/api/v1/cur/sources/" + source, null), "$.lastIngestedAt")).isNotBlank();

        MvcResult again = call(admin, POST, "/api/v1/cur/sources/" + source + "/ingestions", null);
        assertThat(awaitEnd(admin, source, id(again)).get("status")).isEqualTo("UNCHANGED");

        MvcResult backfill = call(admin, POST, "/api/v1/cur/sources/" + source + "/backfill", null);
        assertThat(backfill.getResponse().getStatus()).isEqualTo(202);
        Map<String, Object> backfilled = awaitEnd(admin, source, id(backfill));
        assertThat(backfilled.get("kind")).isEqualTo("BACKFILL");
        assertThat(backfilled.get("periodsDone")).isEqualTo(2);

        List<String> kinds = read(call(admin, GET, "/api/v1/cur/sources/" + source + "/ingestions", null), "$[*].kind");
        assertThat(kinds).containsExactly("BACKFILL", "INGEST", "INGEST");

        List<String> sourceActions = jdbc.sql("select action from audit_events where object_type = 'CurSource' and object_id = ?").param(source.toString())
                .query(String.class).list();
        assertThat(sourceActions).contains("cur-source.created", "cur-source.report-chosen", "cur-ingestion.started", "cur-ingestion.finished",
                "cur-backfill.started", "cur-backfill.finished");
    }

    @Test
    void aFailureNamesTheFileAndLeavesThePreviousDataInPlace() throws Exception {
        Path dir = generate("broken", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(3, 2, 5, LocalDate.of(2026, 10, 1), 1));
        UUID source = create(admin, body("name", "Broken", "location", "file:" + dir.toAbsolutePath()));
        UUID first = id(call(admin, POST, "/api/v1/cur/sources/" + source + "/ingestions", null));
        assertThat(awaitEnd(admin, source, first).get("status")).isEqualTo("SUCCEEDED");
        LakePartition before = ingestion.partitions(source).get(0);

        new CurGenerator().write(dir, "report-broken", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(3, 2, 5, LocalDate.of(2026, 10, 1), 2));
        try (var files = Files.walk(dir)) {
            for (Path gz : files.filter(p -> p.toString().endsWith(".csv.gz")).toList()) {
                byte[] bytes = Files.readAllBytes(gz);
                Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            }
        }
        Map<String, Object> failed = awaitEnd(admin, source, id(call(admin, POST, "/api/v1/cur/sources/" + source + "/ingestions", null)));
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat((String) failed.get("errorMessage")).contains(".csv.gz");
        assertThat(ingestion.partitions(source)).singleElement().satisfies(p -> assertThat(p.deliveryId()).isEqualTo(before.deliveryId()));
        assertThat(jdbc.sql("select count(*) from audit_events where object_id = ? and action = 'cur-ingestion.failed'").param(source.toString())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void oneIngestionPerSourceAtATime() throws Exception {
        Path dir = generate("busy", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(5, 2, 3, LocalDate.of(2026, 10, 1), 1));
        UUID source = create(admin, body("name", "Busy", "location", "file:" + dir.toAbsolutePath()));
        jdbc.sql("update cur_sources set ingestion_id = ?, ingestion_lease_until = ? where id = ?")
                .params(UUID.randomUUID(), dev.openpayer.shared.Timestamps.toDb(clock.instant().plusSeconds(600)), source).update();
        MvcResult busy = call(admin, POST, "/api/v1/cur/sources/" + source + "/ingestions", null);
        assertProblem(busy, 409);
        clock.advance(Duration.ofMinutes(11));
        UUID run = id(call(admin, POST, "/api/v1/cur/sources/" + source + "/ingestions", null));
        assertThat(awaitEnd(admin, source, run).get("status")).isEqualTo("SUCCEEDED");
    }

    @Test
    void ownershipAndRolesDecideWhoSeesAndChangesASource() throws Exception {
        Organization reseller = reseller("CUR reseller");
        Organization customer = customer(reseller.id(), "CUR customer");
        Organization sibling = reseller("CUR sibling");
        TestUser resellerAdmin = user(reseller.id(), Role.ADMIN, "cur reseller admin");
        TestUser billingManager = user(reseller.id(), Role.BILLING_MANAGER, "cur bm");
        TestUser analyst = user(reseller.id(), Role.ANALYST, "cur analyst");
        TestUser siblingAdmin = user(sibling.id(), Role.ADMIN, "cur sibling admin");
        Path dir = generate("own", CurGenerator.Output.LEGACY_CSV_GZIP, new CurGenerator.Options(5, 1, 2, LocalDate.of(2026, 10, 1), 1));
        String location = "file:" + dir.toAbsolutePath();

        assertThat(call(resellerAdmin, POST, "/api/v1/cur/sources", body("name", "x", "location", location)).getResponse().getStatus()).isEqualTo(403);
        assertThat(assertProblem(call(admin, POST, "/api/v1/cur/sources", body("name", "x", "location", "ftp://x")), 400)).containsExactly("location");
        assertThat(assertProblem(call(admin, POST, "/api/v1/cur/sources", body("name", "x", "location", "s3://b/p", "customerId", customer.id())), 400))
                .containsExactly("roleArn");
        assertThat(call(analyst, POST, "/api/v1/cur/sources", body("name", "x", "location", location, "customerId", customer.id())).getResponse()
                .getStatus()).isEqualTo(403);
        assertThat(call(siblingAdmin, POST, "/api/v1/cur/sources", body("name", "x", "location", location, "customerId", customer.id())).getResponse()
                .getStatus()).isIn(400, 404);

        UUID own = create(billingManager, body("name", "Customer's own", "location", location, "customerId", customer.id()));
        UUID payer = create(admin, body("name", "Payer", "location", location));
        assertThat((String) read(call(analyst, GET, "/api/v1/cur/sources/" + own, null), "$.owner")).isEqualTo("CUSTOMER");
        assertThat((List<String>) read(call(analyst, GET, "/api/v1/cur/sources", null), "$[*].id")).contains(own.toString()).doesNotContain(payer.toString());
        assertThat(call(analyst, GET, "/api/v1/cur/sources/" + payer, null).getResponse().getStatus()).isEqualTo(404);
        assertThat(call(siblingAdmin, GET, "/api/v1/cur/sources/" + own, null).getResponse().getStatus()).isEqualTo(404);
        assertThat(call(siblingAdmin, POST, "/api/v1/cur/sources/" + own + "/ingestions", null).getResponse().getStatus()).isEqualTo(404);
        assertThat(call(analyst, POST, "/api/v1/cur/sources/" + own + "/ingestions", null).getResponse().getStatus()).isEqualTo(403);
        assertThat(call(analyst, GET, "/api/v1/cur/sources/" + own + "/reports", null).getResponse().getStatus()).isEqualTo(200);
        UUID run = id(call(resellerAdmin, POST, "/api/v1/cur/sources/" + own + "/ingestions", null));
        assertThat(awaitEnd(analyst, own, run).get("status")).isEqualTo("SUCCEEDED");
        assertThat(call(analyst, GET, "/api/v1/cur/sources/" + payer + "/ingestions/" + run, null).getResponse().getStatus()).isEqualTo(404);
    }

    @Test
    void anInvitedAccountTurnsActiveAtItsFirstSpendAndTheScheduleIngestsNewDeliveries() throws Exception {
        Organization reseller = reseller("Active reseller");
        Organization customer = customer(reseller.id(), "Active customer");
        TestUser bm = user(reseller.id(), Role.BILLING_MANAGER, "active bm");
        var profile = profile(customer.id(), "Active profile", bm.id());
        LocalDate start = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusMonths(1);
        contracts.create(topAdmin(), customer.parentId(), customer.id(), new Contracts.Details(null, start, null, ContractStatus.ACTIVE));
        String awsId = "4" + String.format("%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
        MvcResult invited = call(bm, POST, "/api/v1/aws/invitations", Map.of("billingProfileId", profile.id(), "accountId", awsId));
        assertThat(invited.getResponse().getStatus()).as(invited.getResponse().getContentAsString()).isEqualTo(201);
        UUID account = UUID.fromString(read(invited, "$.account.id"));
        call(bm, POST, "/api/v1/aws/accounts/" + account + "/sandbox/accept", null);
        assertThat((String) read(call(bm, GET, "/api/v1/aws/accounts/" + account, null), "$.account.status")).isEqualTo("JOINED");

        Path dir = Files.createDirectories(root.resolve("active"));
        CurGenerator.Options options = new CurGenerator.Options(11, 1, 2, LocalDate.of(2026, 11, 1), 1).withAccounts(List.of(awsId, "100000000777"));
        new CurGenerator().write(dir, "report-active", CurGenerator.Output.LEGACY_PARQUET, options);
        UUID source = create(admin, body("name", "Sandbox payer", "location", "file:" + dir.toAbsolutePath()));

        assertThat(schedule.discoverAll()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> !ingestion.partitions(source).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> "ACTIVE".equals(read(call(bm, GET, "/api/v1/aws/accounts/" + account, null), "$.account.status")));
        List<String> timeline = jdbc.sql("select kind from aws_account_events where asset_id = ?").param(account).query(String.class).list();
        assertThat(timeline).contains("first-data");
        assertThat(ingestion.ingestions(source)).first().satisfies(i -> assertThat(i.trigger()).isEqualTo("SCHEDULE"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ingestion.ingestions(source).get(0).status().ended());
        assertThat(ingestion.ingestions(source).get(0).status()).isEqualTo(Ingestion.Status.SUCCEEDED);
        assertThat(YearMonth.parse(ingestion.partitions(source).get(0).billingPeriod())).isEqualTo(YearMonth.of(2026, 11));
    }
}
