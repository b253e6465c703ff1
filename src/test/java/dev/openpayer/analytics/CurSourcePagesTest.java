package dev.openpayer.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import dev.openpayer.testsupport.OpenPayerTest;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;

/** The source pages: every validation reason is shown, a refusal to ingest is explained, and sources stay within their tenant. */
class CurSourcePagesTest extends ApiTestSupport {
    @Autowired CurSources sources;

    private static org.springframework.test.web.servlet.request.RequestPostProcessor signedIn(String email) {
        return org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user(email);
    }

    private MvcResult page(String email, String path) throws Exception {
        return mvc.perform(get(path).with(signedIn(email))).andReturn();
    }

    @Test
    void aReportMissingRequiredColumnsIsListedWithItsReasonAndCannotBeIngested() throws Exception {
        Path root = Files.createTempDirectory("pages-cur");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(root.resolve("odd-report.csv.gz")))) {
            out.write("lineItem/UsageAccountId,lineItem/UnblendedCost\n123456789012,1.5\n".getBytes(StandardCharsets.UTF_8));
        }
        CurSource source = sources.create(top().id(), null, unique("Odd source"), "file:" + root.toAbsolutePath());
        String body = page(OpenPayerTest.ADMIN_EMAIL, "/cur/sources/" + source.id()).getResponse().getContentAsString();
        assertThat(body).contains("odd-report", "Not usable", "REQUIRED_COLUMN_MISSING", "required column(s) missing");

        MvcResult started = mvc.perform(post("/cur/sources/" + source.id() + "/ingest").with(signedIn(OpenPayerTest.ADMIN_EMAIL)).with(csrf())).andReturn();
        assertThat(started.getResponse().getRedirectedUrl()).isEqualTo("/cur/sources/" + source.id());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            String fragment = page(OpenPayerTest.ADMIN_EMAIL, "/cur/sources/" + source.id() + "/ingestions").getResponse().getContentAsString();
            return fragment.contains("data-status=\"FAILED\"") && !fragment.contains("every 1s");
        });
        String fragment = page(OpenPayerTest.ADMIN_EMAIL, "/cur/sources/" + source.id() + "/ingestions").getResponse().getContentAsString();
        assertThat(fragment).contains("odd-report.csv.gz", "required column");

        String list = page(OpenPayerTest.ADMIN_EMAIL, "/cur/sources").getResponse().getContentAsString();
        assertThat(list).contains(source.name(), "FAILED");
    }

    @Test
    void aSourceIsSeenWithinItsTenantOnlyAndChangedByAdminsAndBillingManagers() throws Exception {
        Organization r1 = reseller("Source R1");
        Organization r2 = reseller("Source R2");
        CurSource own = sources.create(r1.id(), null, unique("R1 source"), "file:/nonexistent/r1");
        TestUser r1Analyst = user(r1.id(), Role.ANALYST, "R1 analyst");
        TestUser r2Admin = user(r2.id(), Role.ADMIN, "R2 admin");
        assertThat(page(r1Analyst.email(), "/cur/sources").getResponse().getContentAsString()).contains(own.name());
        assertThat(page(r1Analyst.email(), "/cur/sources/" + own.id()).getResponse().getStatus()).isEqualTo(200);
        assertThat(page(r2Admin.email(), "/cur/sources").getResponse().getContentAsString()).doesNotContain(own.name());
        assertThat(page(r2Admin.email(), "/cur/sources/" + own.id()).getResponse().getStatus()).isEqualTo(404);
        assertThat(page(r2Admin.email(), "/cur/sources/" + own.id() + "/ingestions").getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(post("/cur/sources/" + own.id() + "/ingest").with(signedIn(r1Analyst.email())).with(csrf())).andReturn()
                .getResponse().getStatus()).isEqualTo(403);
        assertThat(mvc.perform(post("/cur/sources/" + own.id() + "/backfill").with(signedIn(r2Admin.email())).with(csrf())).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
        assertThat(page(r1Analyst.email(), "/cur/sources/new").getResponse().getStatus()).isEqualTo(403);

        TestUser r1Manager = user(r1.id(), Role.BILLING_MANAGER, "R1 manager");
        MvcResult payerReport = mvc.perform(post("/cur/sources").param("name", "R1 payer bucket").param("location", "s3://r1-cur-bucket/payer")
                .with(signedIn(r1Manager.email())).with(csrf())).andReturn();
        assertThat(payerReport.getResponse().getStatus()).as("only the top tenant connects a payer's report").isEqualTo(403);
        Organization c1 = customer(r1.id(), "Source C1");
        MvcResult created = mvc.perform(post("/cur/sources").param("name", "C1 bucket").param("location", "s3://r1-cur-bucket/reports")
                .param("customerId", c1.id().toString()).param("roleArn", "arn:aws:iam::123456789012:role/OpenPayerReadOnly")
                .with(signedIn(r1Manager.email())).with(csrf())).andReturn();
        assertThat(created.getResponse().getRedirectedUrl()).startsWith("/cur/sources/");
        CurSource bucket = sources.list().stream().filter(s -> s.location().equals("s3://r1-cur-bucket/reports")).findFirst().orElseThrow();
        assertThat(bucket.organizationId()).isEqualTo(c1.id());
        assertThat(bucket.payerAccountId()).isEqualTo("123456789012");
        String show = page(r1Manager.email(), "/cur/sources/" + bucket.id()).getResponse().getContentAsString();
        assertThat(show).contains("arn:aws:s3:::r1-cur-bucket/*", "billingreports.amazonaws.com");
    }
}
