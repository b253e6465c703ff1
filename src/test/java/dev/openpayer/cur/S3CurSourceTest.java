package dev.openpayer.cur;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import dev.openpayer.testsupport.ApiTestSupport;
import dev.openpayer.testsupport.OpenPayerTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 locations through the real SDK: S3Mock (its executable jar, started as a separate process on free ports)
 * for a bucket holding generated reports, and a small HTTP server answering as S3 does when access is denied
 * or the bucket lives in another region.
 */
@OpenPayerTest
class S3CurSourceTest extends ApiTestSupport {
    static final String BUCKET = "cur-bucket";
    static Process s3mock;
    static Path s3mockRoot;
    static int port;
    static S3Client s3;
    static HttpServer refusing;

    static dev.openpayer.aws.emulator.AwsEmulator sts;

    /** The platform's STS, where customers' roles are assumed with their external IDs: the AWS-protocol emulator. */
    @org.springframework.test.context.DynamicPropertySource
    static void platformSts(org.springframework.test.context.DynamicPropertyRegistry registry) {
        if (sts == null) {
            sts = dev.openpayer.aws.emulator.AwsEmulator.start("999999999999");
        }
        registry.add("openpayer.aws.sts-endpoint", () -> sts.endpoint().toString());
    }

    @BeforeAll
    static void startS3Mock() throws Exception {
        System.setProperty("aws.accessKeyId", "test-access-key");
        System.setProperty("aws.secretAccessKey", "test-secret-key");
        Path jar = Path.of("target/s3mock/s3mock.jar");
        assertThat(jar).as("S3Mock's executable jar, copied by the maven-dependency-plugin (execution s3mock)").exists();
        port = freePort();
        int httpsPort = freePort();
        s3mockRoot = Files.createTempDirectory("s3mock");
        String java = ProcessHandle.current().info().command().orElse("java");
        s3mock = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--http.port=" + port, "--server.port=" + httpsPort,
                "--com.adobe.testing.s3mock.store.root=" + s3mockRoot, "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                "--logging.level.root=WARN")
                .redirectErrorStream(true).redirectOutput(s3mockRoot.resolveSibling(s3mockRoot.getFileName() + ".log").toFile()).start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        s3 = S3Client.builder().httpClient(ApacheHttpClient.create()).region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key"))).build();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> s3.headBucket(r -> r.bucket(BUCKET)) != null);
        refusing = refusingServer();
    }

    @AfterAll
    static void stopS3Mock() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (refusing != null) {
            refusing.stop(0);
        }
        if (s3mock != null) {
            s3mock.destroy();
            s3mock.waitFor();
        }
        LakeWriter.deleteTree(s3mockRoot);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Answers as S3 does for a bucket the credentials may list but not read ({@code denied-get}), a bucket they may not
     * list ({@code denied}), and a bucket in eu-west-1 ({@code elsewhere}).
     */
    private static HttpServer refusingServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            int status;
            String body;
            if (path.startsWith("/elsewhere")) {
                status = 301;
                exchange.getResponseHeaders().add("x-amz-bucket-region", "eu-west-1");
                body = "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>";
            } else if (path.startsWith("/denied-get") && query != null && query.contains("list-type=2")) {
                status = 200;
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>denied-get</Name>"
                        + "<Prefix>cur/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents>"
                        + "<Key>cur/report/20261001-20261101/report-Manifest.json</Key><LastModified>2026-11-02T00:00:00.000Z</LastModified>"
                        + "<Size>100</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>";
            } else {
                status = 403;
                body = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void upload(Path root, String prefix) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String key = prefix + root.relativize(f).toString().replace('\\', '/');
                s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromFile(f));
            }
        }
    }

    private UUID source(String location, String endpoint, String region) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("name", "S3 " + UUID.randomUUID(), "location", location, "endpointOverride", endpoint,
                "pathStyle", true));
        if (region != null) {
            body.put("region", region);
        }
        MvcResult created = call(topAdminUser(), POST, "/api/v1/cur/sources", body);
        assertThat(created.getResponse().getStatus()).as(created.getResponse().getContentAsString()).isEqualTo(201);
        return id(created);
    }

    private Map<String, Object> ingestAndWait(UUID source) throws Exception {
        UUID run = id(call(topAdminUser(), POST, "/api/v1/cur/sources/" + source + "/ingestions", null));
        String uri = "/api/v1/cur/sources/" + source + "/ingestions/" + run;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !List.of("QUEUED", "RUNNING")
                .contains(JsonPath.read(call(topAdminUser(), GET, uri, null).getResponse().getContentAsString(), "$.status")));
        return JsonPath.read(call(topAdminUser(), GET, uri, null).getResponse().getContentAsString(), "$");
    }

    @Test
    void generatedReportsInABucketAreDiscoveredAndIngestedWithExactTotals(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String prefix = "ok-" + UUID.randomUUID() + "/";
        CurGenerator.Generated generated = new CurGenerator().write(dir, "s3report", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(21, 2, 35, LocalDate.of(2026, 9, 20), 1));
        upload(dir, prefix);
        UUID source = source("s3://" + BUCKET + "/" + prefix, "http://127.0.0.1:" + port, "us-east-1");

        MvcResult refreshed = call(topAdminUser(), POST, "/api/v1/cur/sources/" + source + "/refresh", null);
        assertThat(refreshed.getResponse().getStatus()).as(refreshed.getResponse().getContentAsString()).isEqualTo(200);
        assertThat((List<Boolean>) read(refreshed, "$[*].ingestible")).as(refreshed.getResponse().getContentAsString()).containsExactly(true);
        assertThat((List<String>) read(refreshed, "$[0].deliveries[*].billingPeriod")).containsExactly("2026-09", "2026-10");

        Map<String, Object> done = ingestAndWait(source);
        assertThat(done.get("status")).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("filesDone")).isEqualTo(done.get("filesTotal"));
        CurIngestion ingestion = ingestion();
        for (LakePartition p : ingestion.partitions(source)) {
            assertThat(p.billedCost()).isEqualByComparingTo(generated.total(YearMonth.parse(p.billingPeriod())).unblended());
            assertThat(p.rows()).isEqualTo(generated.total(YearMonth.parse(p.billingPeriod())).rows());
        }
    }

    @Test
    void aCustomersBucketIsReadThroughItsRoleWithItsExternalId(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String prefix = "customer-" + UUID.randomUUID() + "/";
        CurGenerator.Generated generated = new CurGenerator().write(dir, "own", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(8, 1, 4, LocalDate.of(2026, 10, 1), 1));
        upload(dir, prefix);
        dev.openpayer.tenancy.Organization reseller = reseller("S3 reseller");
        dev.openpayer.tenancy.Organization customer = customer(reseller.id(), "S3 customer");
        String externalId = read(call(topAdminUser(), GET, "/api/v1/customers/" + customer.id() + "/cross-account-access", null), "$.externalId");
        String roleArn = "arn:aws:iam::424242424242:role/OpenPayerReadOnly";

        Map<String, Object> body = new HashMap<>(Map.of("name", "Customer bucket " + UUID.randomUUID(), "location", "s3://" + BUCKET + "/" + prefix,
                "endpointOverride", "http://127.0.0.1:" + port, "pathStyle", true, "customerId", customer.id(), "roleArn", roleArn, "region", "us-east-1"));
        MvcResult created = call(topAdminUser(), POST, "/api/v1/cur/sources", body);
        assertThat(created.getResponse().getStatus()).as(created.getResponse().getContentAsString()).isEqualTo(201);
        UUID source = id(created);

        Map<String, Object> refused = ingestAndWait(source);
        assertThat(refused.get("status")).as("no role trusts OpenPayer yet: " + refused).isEqualTo("FAILED");

        sts.role(roleArn, externalId);
        Map<String, Object> done = ingestAndWait(source);
        assertThat(done.get("status")).as(done.toString()).isEqualTo("SUCCEEDED");
        for (LakePartition p : ingestion().partitions(source)) {
            assertThat(p.billedCost()).isEqualByComparingTo(generated.total(YearMonth.parse(p.billingPeriod())).unblended());
        }
        assertThat(sts.calls()).filteredOn(c -> "AssumeRole".equals(c.operation()))
                .anySatisfy(c -> {
                    assertThat(c.form()).containsEntry("RoleArn", roleArn);
                    assertThat(c.form()).containsEntry("ExternalId", externalId);
                });
    }

    @Test
    void aManifestListingAMissingObjectIsReportedAndIngestionFailsNamingIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String prefix = "missing-" + UUID.randomUUID() + "/";
        CurGenerator.Generated generated = new CurGenerator().write(dir, "gone", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(5, 1, 3, LocalDate.of(2026, 10, 1), 1));
        upload(dir, prefix);
        String dataKey = generated.files().stream().map(f -> prefix + dir.relativize(f).toString().replace('\\', '/')).filter(k -> k.endsWith(".csv.gz"))
                .findFirst().orElseThrow();
        s3.deleteObject(r -> r.bucket(BUCKET).key(dataKey));
        UUID source = source("s3://" + BUCKET + "/" + prefix, "http://127.0.0.1:" + port, null);

        MvcResult reports = call(topAdminUser(), GET, "/api/v1/cur/sources/" + source + "/reports", null);
        assertThat((List<String>) read(reports, "$[0].problems[*].reason")).as(reports.getResponse().getContentAsString()).contains("MANIFEST_OBJECT_MISSING");
        Map<String, Object> failed = ingestAndWait(source);
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat((String) failed.get("errorMessage")).contains(dataKey.substring(dataKey.lastIndexOf('/') + 1));
    }

    @Test
    void accessDeniedNamesThePermissionAndTheBucket() throws Exception {
        String endpoint = "http://127.0.0.1:" + refusing.getAddress().getPort();
        UUID denied = source("s3://denied/cur", endpoint, null);
        MvcResult reports = call(topAdminUser(), POST, "/api/v1/cur/sources/" + denied + "/refresh", null);
        assertThat((List<String>) read(reports, "$[0].problems[*].reason")).containsExactly("ACCESS_DENIED");
        assertThat((List<String>) read(reports, "$[0].problems[*].message")).singleElement().asString().contains("s3:ListBucket").contains("denied");
        Map<String, Object> failed = ingestAndWait(denied);
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat((String) failed.get("errorMessage")).contains("s3:ListBucket");

        UUID deniedGet = source("s3://denied-get/cur", endpoint, null);
        MvcResult unreadable = call(topAdminUser(), GET, "/api/v1/cur/sources/" + deniedGet + "/reports", null);
        assertThat((List<String>) read(unreadable, "$[*].problems[*].reason")).as(unreadable.getResponse().getContentAsString()).contains("ACCESS_DENIED");
        assertThat(unreadable.getResponse().getContentAsString()).contains("s3:GetObject").contains("denied-get");
    }

    @Test
    void aBucketInAnotherRegionNamesItsRegion() throws Exception {
        UUID elsewhere = source("s3://elsewhere/cur", "http://127.0.0.1:" + refusing.getAddress().getPort(), "us-east-1");
        MvcResult reports = call(topAdminUser(), POST, "/api/v1/cur/sources/" + elsewhere + "/refresh", null);
        assertThat((List<String>) read(reports, "$[0].problems[*].reason")).as(reports.getResponse().getContentAsString()).containsExactly("WRONG_REGION");
        assertThat(reports.getResponse().getContentAsString()).contains("eu-west-1");
    }

    @org.springframework.beans.factory.annotation.Autowired CurIngestion ingestionBean;

    private CurIngestion ingestion() {
        return ingestionBean;
    }
}
