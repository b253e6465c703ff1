package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.analytics.CostFixtures;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.PricingRule;
import dev.openpayer.cur.CurGenerator;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.IngestionRun;
import dev.openpayer.invoicing.InvoiceRun;
import dev.openpayer.invoicing.Invoicing;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A reseller runs a past month of its customer's AWS usage through the console, opens the draft, issues it, downloads
 * its PDF and CSV, credits it, and finds the AWS bill balanced and its margin; the customer's analyst sees the issued
 * documents without what the reseller paid for them. Each test owns a billing month of 2018 that no other test uses:
 * every browser test shares one lake and database, and a draft goes stale when its month is re-delivered.
 */
class InvoiceBrowserTest extends BrowserTest {
    private static final String PASSWORD = "invoice-browser-password";

    @Autowired JdbcClient jdbc;
    @Autowired BillingProfiles billingProfiles;
    @Autowired PriceBooks priceBooks;
    @Autowired PriceBookRules rules;
    @Autowired Contracts contracts;
    @Autowired CostCenters costCenters;
    @Autowired CurSources sources;
    @Autowired CurIngestion ingestion;
    @Autowired Invoicing invoicing;

    /** What a test set up: the reseller and its customer, their users and the report of the month. */
    record Seeded(Organization reseller, Organization customer, BillingProfile profile, UserAccount resellerAdmin, UserAccount customerAnalyst,
            List<String> accounts, Path root, CurSource source, PriceBook retail) {}

    @Test
    void aResellerWritesThreeRulesRunsTheMonthIssuesTheInvoiceDownloadsItsPdfCreditsItAndFindsTheBillBalancedAndItsMargin() throws Exception {
        YearMonth month = YearMonth.of(2018, 3);
        Seeded s = seed(month, 41, false);
        // The distributor bills the reseller at its wholesale price book: that is the reseller's purchase price in the margin report.
        assertThat(invoicing.run(admin(), top().id(), month).status()).isEqualTo(InvoiceRun.Status.COMPLETED);

        signIn(s.resellerAdmin().email(), PASSWORD);
        waitFor(By.id("signed-in-user"));
        // The customer's price book gets its three rules in the console, published from the start of the year: 10 % on everything,
        // and the same 10 % named for EC2 and S3 (the more specific rules win, with the same result).
        open("/price-books/" + s.retail().id());
        addRule("Managed-service margin", "", "Markup", "10");
        addRule("Compute margin", "AmazonEC2", "Markup", "10");
        addRule("Storage margin", "AmazonS3", "Markup", "10");
        assertThat(waitFor(By.id("publish")).getText()).contains("Publish v1");
        script("arguments[0].value = arguments[1];", waitFor(By.id("effectiveFrom")), "2018-01");
        click(By.id("publish-button"));
        waitForText(By.id("notice"), "Published");
        assertThat(rules.effective(s.retail().id(), month).orElseThrow().rules()).hasSize(3);
        click(By.id("nav-invoices"));
        waitForText(By.id("page-title"), "Invoices");
        open("/invoices?month=" + month);
        assertThat(waitFor(By.id("run-month")).getAttribute("value")).isEqualTo(month.toString());
        assertThat(new Select(driver.findElement(By.id("sellerId"))).getFirstSelectedOption().getText())
                .contains(s.reseller().name());
        assertThat(driver.findElement(By.id("no-invoices")).getText()).as("the distributor's draft to the reseller is not issued yet")
                .contains("run the month");

        // Run the month.
        click(By.id("run-month-button"));
        WebElement result = waitFor(By.id("run-result"));
        assertThat(result.getAttribute("data-status")).isEqualTo("COMPLETED");
        assertThat(result.getText()).contains("Run of " + month + " for " + s.reseller().name());
        assertThat(driver.findElement(By.cssSelector("#run-drafts .value")).getText()).isEqualTo("1");
        assertThat(waitFor(By.id("notice")).getText()).contains("1 draft(s) computed");
        assertThat(driver.findElement(By.id("runs")).getText()).contains(s.reseller().name(), month.toString(), "Manual", s.resellerAdmin().email());
        List<WebElement> rows = driver.findElements(By.cssSelector("#invoices tr.invoice"));
        assertThat(rows).as("the reseller's own draft; the distributor's draft to the reseller is not issued yet").hasSize(1);
        WebElement retailRow = rows.get(0);
        assertThat(retailRow.getText()).contains("Draft", "Invoice", s.reseller().name(), s.customer().name(), s.profile().name(), "Retail", "USD");
        screenshot("invoices-run");

        // Open the draft: the seller sees the AWS cost basis, the pricing of every line and the margin.
        retailRow.findElement(By.cssSelector("a.invoice-link")).click();
        waitForText(By.id("page-title"), "Draft invoice");
        String invoicePath = URI.create(driver.getCurrentUrl()).getPath();
        assertThat(driver.findElement(By.id("invoice-seller")).getText()).isEqualTo(s.reseller().name());
        assertThat(driver.findElement(By.id("invoice-month")).getText()).isEqualTo(month.toString());
        assertThat(driver.findElement(By.id("invoice-currency")).getText()).isEqualTo("USD");
        assertThat(driver.findElement(By.id("invoice-price-book")).getText()).contains("Retail standard v1");
        assertThat(driver.findElement(By.id("bill-to")).getText()).contains("Invoiced Customer GmbH", "10115 Berlin", "DE");
        List<WebElement> lines = driver.findElements(By.cssSelector("#lines tr.line"));
        assertThat(lines).isNotEmpty();
        assertThat(driver.findElement(By.id("lines")).getText()).contains(s.accounts().get(0), s.accounts().get(1), "PLT-1 Platform team");
        assertThat(driver.findElements(By.cssSelector("#lines .line-cost-basis"))).hasSameSizeAs(lines);
        assertThat(driver.findElement(By.id("lines")).getText()).contains("Markup");
        assertThat(driver.findElement(By.id("cost-center-subtotals")).getText()).contains("PLT-1 Platform team", "Unallocated");
        BigDecimal subtotal = amount(driver.findElement(By.id("invoice-subtotal")).getText());
        BigDecimal costBasis = amount(driver.findElement(By.id("invoice-cost-basis")).getText());
        BigDecimal margin = amount(driver.findElement(By.cssSelector("#invoice-margin span")).getText());
        assertThat(costBasis.signum()).isPositive();
        // The margin is measured against the AWS cost without AWS's tax (the invoice's subtotal has no tax either), converted at the invoice's rate.
        BigDecimal costWithoutTax = amount(driver.findElement(By.id("invoice-cost-converted")).getText());
        assertThat(costWithoutTax).isLessThanOrEqualTo(costBasis);
        assertThat(margin).isEqualByComparingTo(subtotal.subtract(costWithoutTax));
        BigDecimal lineSum = lines.stream().filter(l -> !"TAX".equals(l.getAttribute("data-kind")))
                .map(l -> amount(l.findElement(By.cssSelector(".line-amount")).getText())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(lineSum).as("the subtotal is the sum of the rounded lines").isEqualByComparingTo(subtotal);
        assertThat(controls()).contains("Issue", "Discard draft", "Download PDF", "Download CSV");
        screenshot("invoice-draft");

        // Issue it: it gets the reseller's first number.
        click(By.id("issue"));
        acceptConfirmation();
        assertThat(waitFor(By.id("notice")).getText()).contains("Issued Invoice INV-000001", "billing@invoiced.test");
        assertThat(heading()).isEqualTo("Invoice INV-000001");
        assertThat(driver.findElement(By.id("invoice-status")).getText()).isEqualTo("Issued");
        assertThat(driver.findElement(By.id("invoice-issue-date")).getText()).isNotEqualTo("—");
        assertNoneOf(controls(), "Issue", "Discard");

        // The PDF, fetched with the browser's session, renders a page with ink on it.
        HttpResponse<byte[]> pdf = download(driver.findElement(By.id("download-pdf")).getAttribute("href"));
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/pdf"));
        assertThat(pdf.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("attachment")
                .contains("INV-000001-" + month + ".pdf"));
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            assertThat(new PDFTextStripper().getText(document)).contains("INV-000001", "Invoiced Customer GmbH");
            BufferedImage page = new PDFRenderer(document).renderImageWithDPI(0, 72);
            Files.createDirectories(Path.of("target", "screenshots"));
            javax.imageio.ImageIO.write(page, "png", Path.of("target", "screenshots", "invoice-pdf-page-1.png").toFile());
            assertThat(inkShare(page)).as("share of non-white pixels on page 1").isGreaterThan(0.01);
        }
        HttpResponse<byte[]> csv = download(driver.findElement(By.id("download-csv")).getAttribute("href"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).contains("INV-000001-" + month + ".csv"));
        assertThat(new String(csv.body(), StandardCharsets.UTF_8)).contains(s.accounts().get(0), s.accounts().get(1));

        // The margin: billed at the retail price book against the distributor's wholesale price, both marked up on the AWS cost.
        click(By.id("nav-margins"));
        waitForText(By.id("page-title"), "Margins");
        open("/margins?month=" + month);
        WebElement marginRow = waitFor(By.cssSelector("#margins tr.margin-row[data-customer='" + s.customer().id() + "']"));
        assertThat(marginRow.getText()).contains(s.reseller().name(), s.customer().name(), "Retail", "USD", "Issued");
        assertThat(marginRow.findElement(By.cssSelector(".purchase-basis")).getText()).isEqualTo("Wholesale price from " + top().name());
        BigDecimal billed = amount(marginRow.findElement(By.cssSelector(".billed")).getText());
        BigDecimal purchase = amount(marginRow.findElement(By.cssSelector(".purchase")).getText());
        assertThat(billed).isEqualByComparingTo(subtotal);
        assertThat(purchase).isGreaterThan(costBasis).isLessThan(billed);
        assertThat(amount(marginRow.findElement(By.cssSelector(".margin")).getText())).isEqualByComparingTo(billed.subtract(purchase));
        BigDecimal percent = amount(marginRow.findElement(By.cssSelector(".margin-percent")).getText().replace("%", ""));
        assertThat(percent).as("(1.10 - 1.05) / 1.10").isBetween(new BigDecimal("4.4"), new BigDecimal("4.7"));
        assertThat(waitFor(By.cssSelector("#margin-totals tr.margin-total[data-seller='" + s.reseller().id() + "']")).getText())
                .contains(s.reseller().name(), "USD");
        screenshot("margins");

        // Credit it: a draft credit note for the whole invoice, issued in turn.
        open(invoicePath);
        click(By.id("credit"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=reason]")).getText()).isNotBlank();
        type(By.id("reason"), "Billed to the wrong cost center");
        click(By.id("credit"));
        waitForText(By.id("page-title"), "Draft credit note");
        assertThat(waitFor(By.id("notice")).getText()).contains("Drafted a credit note for Invoice INV-000001");
        assertThat(driver.findElement(By.id("invoice-corrects")).getText()).isEqualTo("INV-000001");
        assertThat(driver.findElement(By.id("invoice-reason")).getText()).isEqualTo("Billed to the wrong cost center");
        assertThat(amount(driver.findElement(By.id("invoice-subtotal")).getText())).isEqualByComparingTo(subtotal.negate());
        click(By.id("issue"));
        acceptConfirmation();
        waitForText(By.id("page-title"), "Credit note CN-000001");
        open(invoicePath);
        WebElement related = waitFor(By.cssSelector("#related tr[data-kind=CREDIT_NOTE]"));
        assertThat(related.getText()).contains("Credit note CN-000001", "Issued", "Billed to the wrong cost center");
        type(By.id("reason"), "Once more");
        click(By.id("credit"));
        assertThat(waitFor(By.id("action-error")).getText()).contains("No credit note", "already credited in full");
        screenshot("invoice-credited");
        open("/invoices?month=" + month);
        assertThat(waitFor(By.id("invoices")).getText()).contains("INV-000001", "CN-000001", "Credit note", "corrects INV-000001");

        // The reconciliation: the reseller's part of the payer's bill is its customer's cost basis, to the cent.
        click(By.id("nav-reconciliation"));
        waitForText(By.id("page-title"), "Reconciliation");
        open("/reconciliations?month=" + month);
        assertThat(waitFor(By.id("reconciliation-status")).getText()).isEqualTo("Balanced to the cent");
        WebElement payer = waitFor(By.cssSelector(".payer[data-source='" + s.source().id() + "']"));
        assertThat(payer.findElement(By.cssSelector(".payer-status")).getText()).isEqualTo("Balanced to the cent");
        assertThat(payer.findElement(By.cssSelector(".aws-total .value")).getText()).isEqualTo(payer.findElement(By.cssSelector(".customers-total .value")).getText());
        assertThat(amount(payer.findElement(By.cssSelector(".aws-total .value")).getText())).isEqualByComparingTo(costBasis);
        assertThat(payer.findElement(By.cssSelector(".by-type")).getText()).contains("Usage", "Tax");
        assertThat(payer.findElement(By.cssSelector(".by-invoice")).getText()).contains("invoice EUINGB201803");
        WebElement customerRow = waitFor(By.cssSelector("#customers tr.customer[data-id='" + s.customer().id() + "']"));
        assertThat(amount(customerRow.findElement(By.cssSelector(".cost-basis")).getText())).isEqualByComparingTo(costBasis);
        assertThat(customerRow.getText()).contains(s.accounts().get(0), s.reseller().name());
        screenshot("reconciliation");

        assertThat(customerRow.findElement(By.cssSelector(".invoiced")).getText()).isEqualTo("0.00 USD");
        assertThat(customerRow.findElement(By.cssSelector(".explanation")).getText()).contains("A credit note cancelled what was invoiced");

        // After the credit note the reseller bills nothing for the month.
        open("/margins?month=" + month);
        marginRow = waitFor(By.cssSelector("#margins tr.margin-row[data-customer='" + s.customer().id() + "']"));
        assertThat(amount(marginRow.findElement(By.cssSelector(".billed")).getText())).isEqualByComparingTo(BigDecimal.ZERO);

        // Running the month again invoices the cost basis anew, as a supplementary invoice.
        open("/invoices?month=" + month);
        click(By.id("run-month-button"));
        assertThat(waitFor(By.id("run-result")).getAttribute("data-status")).isEqualTo("COMPLETED");
        assertThat(driver.findElement(By.cssSelector("#run-corrections .value")).getText()).isEqualTo("1");
        assertThat(driver.findElements(By.cssSelector("#invoices tr.invoice[data-status=DRAFT][data-kind=INVOICE]")).stream().map(WebElement::getText))
                .anyMatch(t -> t.contains("corrects INV-000001") && t.contains(s.customer().name()));
        open("/reconciliations?month=" + month);
        customerRow = waitFor(By.cssSelector("#customers tr.customer[data-id='" + s.customer().id() + "']"));
        assertThat(customerRow.findElement(By.cssSelector(".explanation")).getText()).isEqualTo("Invoiced on exactly this cost basis");

        // The customer's analyst sees the issued documents, but not what the reseller paid, its margin or its buttons.
        signOut();
        signIn(s.customerAnalyst().email(), PASSWORD);
        waitFor(By.id("signed-in-user"));
        open("/invoices?month=" + month);
        assertThat(waitFor(By.id("invoices")).getText()).contains("INV-000001", "CN-000001", s.reseller().name());
        assertThat(driver.findElements(By.cssSelector("#invoices tr.invoice[data-status=DRAFT]"))).as("the supplementary draft is the reseller's work in progress")
                .isEmpty();
        assertThat(driver.findElements(By.id("run-card"))).isEmpty();
        assertThat(driver.findElements(By.id("runs"))).isEmpty();
        open(invoicePath);
        waitForText(By.id("page-title"), "Invoice INV-000001");
        assertThat(driver.findElement(By.id("lines")).getText()).doesNotContain("AWS cost basis", "Pricing", "Markup");
        assertThat(driver.findElements(By.cssSelector(".line-cost-basis, .line-pricing, #seller-figures, #invoice-margin, #invoice-cost-basis"))).isEmpty();
        assertThat(amount(driver.findElement(By.id("invoice-subtotal")).getText())).isEqualByComparingTo(subtotal);
        assertNoneOf(controls(), "Issue", "Credit note", "Discard");
        assertThat(controls()).contains("Download PDF", "Download CSV");
        HttpResponse<byte[]> customerPdf = download(driver.findElement(By.id("download-pdf")).getAttribute("href"));
        assertThat(customerPdf.statusCode()).isEqualTo(200);
        screenshot("invoice-customer");
        open("/margins?month=" + month);
        assertThat(waitFor(By.id("no-margins")).getText()).contains("No invoices of yours");
    }

    @Test
    void aDraftFollowsAwsRedeliveryIsDiscardedRunAgainAndAStalePageShowsTheConflictInline() throws Exception {
        YearMonth month = YearMonth.of(2018, 5);
        Seeded s = seed(month, 77, true);

        signIn(s.resellerAdmin().email(), PASSWORD);
        waitFor(By.id("signed-in-user"));
        open("/invoices?month=" + month);
        // A month that has not begun is refused on the form.
        script("arguments[0].value = '2099-01'", waitFor(By.id("run-month")));
        click(By.id("run-month-button"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=month]")).getText()).contains("has begun");
        assertThat(driver.findElements(By.id("run-result"))).isEmpty();
        open("/invoices?month=" + month);
        click(By.id("run-month-button"));
        assertThat(waitFor(By.id("run-result")).getAttribute("data-status")).isEqualTo("COMPLETED");
        waitFor(By.cssSelector("#invoices tr.invoice a.invoice-link")).click();
        waitForText(By.id("page-title"), "Draft invoice");
        String before = driver.findElement(By.id("invoice-grand-total")).getText();

        // AWS re-delivers the month with other amounts: the draft follows by itself.
        new CurGenerator().write(s.root(), "invoice-cur", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(77, 2, month.lengthOfMonth() + 1, month.atDay(1), 2).withAccounts(s.accounts()));
        assertThat(ingestion.ingest(s.source().id())).extracting(IngestionRun::status).contains(IngestionRun.Status.SUCCEEDED);
        new WebDriverWait(driver, Duration.ofSeconds(30)).pollingEvery(Duration.ofSeconds(1)).until(d -> {
            d.navigate().refresh();
            return !d.findElement(By.id("invoice-grand-total")).getText().equals(before);
        });
        assertThat(heading()).isEqualTo("Draft invoice");
        open("/invoices?month=" + month);
        assertThat(waitFor(By.id("runs")).getText()).contains("Restatement", "Manual");

        // Discarded, the draft is gone until the month runs again.
        waitFor(By.cssSelector("#invoices tr.invoice a.invoice-link")).click();
        click(By.id("discard"));
        acceptConfirmation();
        assertThat(waitFor(By.id("notice")).getText()).contains("Discarded the draft invoice");
        assertThat(waitFor(By.id("no-invoices")).getText()).contains("run the month");
        click(By.id("run-month-button"));
        assertThat(waitFor(By.id("run-result")).getAttribute("data-status")).isEqualTo("COMPLETED");
        waitFor(By.cssSelector("#invoices tr.invoice a.invoice-link")).click();
        waitForText(By.id("page-title"), "Draft invoice");
        UUID id = UUID.fromString(URI.create(driver.getCurrentUrl()).getPath().replace("/invoices/", ""));

        // A colleague issues it meanwhile: the page's Issue button meets the conflict and says so on the page.
        invoicing.issue(userAccounts.viewer(s.resellerAdmin().email()).orElseThrow(), id);
        click(By.id("issue"));
        acceptConfirmation();
        assertThat(waitFor(By.id("action-error")).getText()).contains("Not issued", "INV-000001 is already issued", "credit notes");
        assertThat(heading()).isEqualTo("Invoice INV-000001");
        assertNoneOf(controls(), "Issue", "Discard");
        screenshot("invoice-conflict");

        // An analyst of the reseller reads the seller's side, cost basis included, but cannot act.
        UserAccount analyst = activeUser(s.reseller(), "analyst-" + s.reseller().id().toString().substring(0, 8) + "@reseller.test", Role.ANALYST, PASSWORD);
        billingProfiles.assign(admin(), s.profile().id(), List.of(s.customerAnalyst().id(), analyst.id()));
        signOut();
        signIn(analyst.email(), PASSWORD);
        waitFor(By.id("signed-in-user"));
        open("/invoices?month=" + month);
        waitFor(By.id("invoices"));
        assertThat(driver.findElements(By.id("run-card"))).isEmpty();
        open("/invoices/" + id);
        waitForText(By.id("page-title"), "Invoice INV-000001");
        assertThat(driver.findElements(By.id("invoice-cost-basis"))).isNotEmpty();
        assertNoneOf(controls(), "Issue", "Credit note", "Discard");
    }

    /** A reseller with a retail price book (10 % markup), a customer under contract with two accounts in a generated report of the month. */
    /** The seed; with {@code retailRules} false the customer's price book has no rules yet (the test writes them in the console). */
    private Seeded seed(YearMonth month, long seed, boolean retailRules) throws Exception {
        Organization reseller = reseller(unique("Invoicing reseller"));
        Organization customer = customer(unique("Invoiced customer"), reseller);
        String tag = reseller.id().toString().substring(0, 8);
        UserAccount resellerAdmin = activeUser(reseller, "admin-" + tag + "@invoices.test", Role.ADMIN, PASSWORD);
        UserAccount customerAnalyst = activeUser(customer, "analyst-" + tag + "@invoices.test", Role.ANALYST, PASSWORD);

        PriceBook retail = priceBooks.create(admin(), reseller.id(), new PriceBooks.Details("Retail standard", "USD", null));
        if (retailRules) {
            markup(retail, "10");
        }
        contracts.create(admin(), reseller.id(), customer.id(), new Contracts.Details(retail.id(), LocalDate.of(2018, 1, 1), null, ContractStatus.ACTIVE));
        PriceBook wholesale = priceBooks.create(admin(), top().id(), new PriceBooks.Details(unique("Wholesale"), "USD", null));
        markup(wholesale, "5");
        contracts.create(admin(), top().id(), reseller.id(), new Contracts.Details(wholesale.id(), LocalDate.of(2018, 1, 1), null, ContractStatus.ACTIVE));
        billingProfiles.create(admin(), reseller.id(), new BillingProfile.Details("Reseller HQ", "Invoicing Reseller Ltd", "High Street 1", null, "London",
                "EC1A 1AA", null, "GB", "USD", 30, List.of("billing@reseller.test")));
        BillingProfile profile = billingProfiles.create(admin(), customer.id(), new BillingProfile.Details("Customer main", "Invoiced Customer GmbH",
                "Weg 1", null, "Berlin", "10115", null, "DE", "USD", 30, List.of("billing@invoiced.test")));
        billingProfiles.assign(admin(), profile.id(), List.of(customerAnalyst.id()));
        CostCenter platform = costCenters.create(admin(), customer.id(), new CostCenters.Details("Platform team", "PLT-1"));

        List<String> accounts = randomAccounts(2, seed);
        CostFixtures.account(jdbc, accounts.get(0), customer.id(), profile.id(), platform.id());
        CostFixtures.account(jdbc, accounts.get(1), customer.id(), profile.id(), null);
        Path root = Files.createTempDirectory("invoice-cur");
        // The whole month and a day of the next: the month is final (AWS invoiced it), the next is month to date.
        new CurGenerator().write(root, "invoice-cur", CurGenerator.Output.LEGACY_CSV_GZIP,
                new CurGenerator.Options(seed, 2, month.lengthOfMonth() + 1, month.atDay(1), 1).withAccounts(accounts));
        CurSource source = sources.create(null, CurGenerator.PAYER, unique("Invoice payer"), "file:" + root.toAbsolutePath());
        assertThat(ingestion.backfill(source.id())).extracting(IngestionRun::status).containsOnly(IngestionRun.Status.SUCCEEDED);
        return new Seeded(reseller, customer, profile, resellerAdmin, customerAnalyst, accounts, root, source, retail);
    }

    private void addRule(String name, String serviceCode, String action, String percent) {
        type(By.id("rule-name"), name);
        type(By.id("rule-serviceCode"), serviceCode);
        select(By.id("rule-action"), action);
        type(By.id("rule-percent"), percent);
        click(By.id("add-rule-button"));
        waitForText(By.id("draft"), name);
    }

    private void markup(PriceBook book, String percent) {
        rules.saveDraft(admin(), book.id(), List.of(new PriceBookRules.RuleInput("Markup " + percent + " %", null, null, null, null, null, null, null, null,
                PricingRule.Action.MARKUP, PricingRule.Basis.UNBLENDED, new BigDecimal(percent), null)), null);
        rules.publish(admin(), book.id(), YearMonth.of(2018, 1));
    }

    /** Random 12-digit account IDs (the generator's own IDs recur in every test of the shared database). */
    private static List<String> randomAccounts(int n, long seed) {
        Random random = new Random(seed ^ System.nanoTime());
        List<String> ids = new ArrayList<>();
        while (ids.size() < n) {
            String id = String.format("%012d", 200_000_000_000L + (long) (random.nextDouble() * 700_000_000_000L));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Screenshots of the whole page: invoices are taller than the window. */
    @Override
    protected void screenshot(String name) throws java.io.IOException {
        org.openqa.selenium.Dimension size = driver.manage().window().getSize();
        long height = (Long) script("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, (int) Math.max(1000, height + 150)));
        super.screenshot(name);
        driver.manage().window().setSize(size);
    }

    /** GETs a console link with the browser's session cookies. */
    private HttpResponse<byte[]> download(String href) throws Exception {
        String cookies = driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
        HttpRequest request = HttpRequest.newBuilder(URI.create(href)).header("Cookie", cookies).GET().build();
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** The share of pixels that are not (nearly) white. */
    private static double inkShare(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r < 240 || g < 240 || b < 240) {
                    ink++;
                }
            }
        }
        return (double) ink / ((long) image.getWidth() * image.getHeight());
    }

    /** "1,234.50 USD" → 1234.50. */
    private static BigDecimal amount(String text) {
        return new BigDecimal(text.replaceAll("[^0-9.\\-]", ""));
    }
}
