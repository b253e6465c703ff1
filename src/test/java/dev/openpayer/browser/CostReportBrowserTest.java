package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.analytics.CostFixtures;
import dev.openpayer.cur.CurGenerator;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A partner connects a directory of generated reports, sees the report validated, ingests it and follows the
 * run to its figures, then explores the costs of his customers' accounts as a chart and a table.
 */
class CostReportBrowserTest extends BrowserTest {
    @Autowired
    JdbcClient jdbc;

    @Autowired
    BillingProfiles billingProfiles;

    @Autowired
    Clock clock;

    @Test
    void aSourceIsConnectedValidatedAndIngestedAndItsCostsAreCharted() throws Exception {
        LocalDate today = LocalDate.now(clock);
        YearMonth month = YearMonth.from(today);
        LocalDate first = month.minusMonths(1).atDay(1);
        int days = (int) ChronoUnit.DAYS.between(first, today) + 1;
        Path root = Files.createTempDirectory("browser-cur");
        CurGenerator.Generated generated = new CurGenerator().write(root, "hourly-cur", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(5, 3, days, first, 1));
        Organization customer = customer(unique("Charted customer"), reseller(unique("Charted reseller")));
        BillingProfile profile = billingProfiles.create(admin(), customer.id(), new BillingProfile.Details("Charted", "Charted GmbH", "Weg 1", null,
                "Berlin", "10115", null, "DE", "USD", 30, List.of("billing@example.test")));
        for (String account : CurGenerator.accounts(3)) {
            CostFixtures.account(jdbc, account, customer.id(), profile.id(), null);
        }
        CostFixtures.account(jdbc, CurGenerator.PAYER, customer.id(), profile.id(), null);

        signInAsAdmin();
        open("/cur/sources");
        click(By.id("add-source"));
        waitForText(By.id("page-title"), "Connect a report source");
        assertThat(driver.findElement(By.id("aws-settings")).getText()).contains("legacy CUR export", "Include resource IDs", "Split cost allocation data",
                "hourly", "Parquet");
        assertThat(driver.findElement(By.id("bucket-policy")).getText()).contains("billingreports.amazonaws.com", "s3:GetBucketAcl", "s3:GetBucketPolicy",
                "s3:PutObject");
        type(By.id("name"), "Generated payer report");
        type(By.id("location"), "nowhere");
        click(By.id("create-source"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=location]")).getText()).contains("s3://bucket/prefix");
        type(By.id("location"), "file:" + root.toAbsolutePath());
        click(By.id("create-source"));

        waitForText(By.id("page-title"), "Generated payer report");
        WebElement report = waitFor(By.cssSelector("#reports tr.report"));
        assertThat(report.getText()).contains("hourly-cur", month.toString(), month.minusMonths(1).toString());
        assertThat(report.findElement(By.cssSelector(".validation")).getText()).isEqualTo("Valid");
        assertThat(waitFor(By.id("chosen-report")).getText()).isEqualTo("In use");

        click(By.id("ingest"));
        assertThat(waitFor(By.id("notice")).getText()).contains("Ingestion started");
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> d.findElements(By.cssSelector("#runs tr[data-status=SUCCEEDED]")).size() == 2);
        assertThat(waitFor(By.id("ingestions")).getAttribute("hx-trigger")).isNull();
        long rows = generated.total(month).rows();
        WebElement current = driver.findElements(By.cssSelector("#runs tbody tr")).stream()
                .filter(tr -> tr.getText().contains(month.toString())).findFirst().orElseThrow();
        assertThat(current.findElement(By.cssSelector(".run-rows")).getText()).isEqualTo(String.format("%,d", rows));
        assertThat(current.findElement(By.cssSelector(".run-files")).getText()).isEqualTo("1 / 1");
        assertThat(current.findElement(By.cssSelector(".run-bytes")).getText()).isNotEqualTo("0");
        assertThat(current.findElement(By.cssSelector(".run-elapsed")).getText()).endsWith(" s");
        assertThat(current.findElement(By.cssSelector(".run-throughput")).getText()).contains("rows/s", "MB/s");
        assertThat(driver.findElements(By.cssSelector("#partitions tbody tr"))).hasSize(2);
        screenshot("cost-source");

        open("/cur/sources");
        WebElement listed = waitFor(By.cssSelector("#sources tbody tr"));
        assertThat(listed.getText()).contains("Generated payer report", "SUCCEEDED").doesNotContain("none yet");

        open("/reports/costs?groupBy=account&granularity=monthly&from=" + first + "&to=" + today);
        waitForText(By.id("page-title"), "Cost explorer");
        WebElement canvas = waitFor(By.id("cost-chart"));
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> "true".equals(canvas.getAttribute("data-drawn")));
        assertThat(script("return Chart.getChart(arguments[0]).data.datasets.length", canvas)).isEqualTo(4L);
        assertThat(script("return Chart.getChart(arguments[0]).data.labels", canvas)).isEqualTo(List.of(month.minusMonths(1).toString(), month.toString()));
        BigDecimal expected = generated.total(month.minusMonths(1)).unblended().add(generated.total(month).unblended());
        BigDecimal shown = new BigDecimal(waitFor(By.id("grand-total")).getText().replace(",", ""));
        assertThat(shown.subtract(expected).abs()).isLessThanOrEqualTo(new BigDecimal("0.005"));
        assertThat(driver.findElements(By.cssSelector("#cost-table tbody tr"))).hasSize(4);
        assertThat(driver.findElement(By.id("report-currency")).getText()).isEqualTo("USD");
        assertThat(driver.findElement(By.id("download-csv")).getAttribute("href")).contains("/reports/costs/csv?").contains("groupBy=account");
        screenshot("cost-explorer");

        select(By.id("groupBy"), "Tag");
        type(By.id("tag"), "user:Team");
        select(By.id("granularity"), "Daily");
        click(By.id("run-report"));
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> "true".equals(d.findElement(By.id("cost-chart")).getAttribute("data-drawn")));
        assertThat(waitFor(By.id("cost-table")).getText()).contains("payments", "search", "platform");

        open("/dashboard/costs?customerId=" + customer.id());
        waitForText(By.id("page-title"), "Cost dashboard");
        BigDecimal monthToDate = new BigDecimal(waitFor(By.cssSelector("#stat-month-to-date .value")).getText().replace(",", "").replace(" USD", ""));
        assertThat(monthToDate.subtract(generated.total(month).unblended()).abs()).isLessThanOrEqualTo(new BigDecimal("0.005"));
        assertThat(driver.findElement(By.id("top-services")).getText()).contains("AmazonEC2");
        assertThat(driver.findElement(By.id("top-accounts")).getText()).contains(CurGenerator.accounts(3).get(0));
        screenshot("cost-dashboard");
    }
}
