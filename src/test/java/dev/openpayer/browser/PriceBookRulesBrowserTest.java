package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.ExchangeRates;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.PricingRule;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A seller prices with rules: drafts them on the price book's page (with the errors shown next to the fields),
 * previews, publishes from a month and reads the history; records an exchange rate; sets how a customer's
 * billing profile is invoiced and adds a fee to it. Analysts and the buyer's side only read.
 */
class PriceBookRulesBrowserTest extends BrowserTest {
    @Autowired
    PriceBooks priceBooks;

    @Autowired
    PriceBookRules rules;

    @Autowired
    ExchangeRates exchangeRates;

    @Autowired
    BillingProfiles billingProfiles;

    @Autowired
    InvoiceSettings invoiceSettings;

    @Autowired
    CustomLineItems customLineItems;

    @Autowired
    Clock clock;

    @Test
    void aSellerDraftsRulesPreviewsThemPublishesFromAMonthAndSeesTheHistory() throws Exception {
        Organization reseller = reseller(unique("Rules reseller"));
        YearMonth thisMonth = YearMonth.now(clock);
        signInAsAdmin();

        open("/price-books/new?ownerId=" + reseller.id());
        type(By.id("name"), "Retail 2027");
        type(By.id("currency"), "eur");
        click(By.id("create-price-book"));
        waitForText(By.id("page-title"), "Retail 2027");
        PriceBook book = priceBooks.list(admin(), reseller.id()).getFirst();
        assertThat(driver.findElement(By.id("precedence")).getText()).isEqualTo("The most specific matching rule prices each line: SKU (usage type or "
                + "operation) > service > account > everything; among equals, more conditions win, then the earlier rule.");
        assertThat(driver.findElement(By.id("rules-in-force")).getText()).contains("every line is passed through at AWS cost");
        assertThat(driver.findElement(By.id("history")).getText()).contains("Nothing published yet");

        addRule("Global markup", "", "", "Markup", "10");
        notice("Added rule 1 (Markup 10 % on unblended cost) to draft v1");

        addRule("EC2 discount", "AmazonEC2", "", "Discount", "150");
        assertThat(waitFor(By.cssSelector("#rule-form .field-error[data-field=percent]")).getText())
                .contains("must be between 0 and 100 for a discount, not 150");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).as("the refused field has the focus").isEqualTo("rule-percent");
        screenshot("price-book-rule-error");
        assertThat(driver.findElement(By.cssSelector("#add-rule .alert-error")).getText()).contains("Nothing was saved");
        assertThat(driver.findElement(By.id("rule-serviceCode")).getAttribute("value")).isEqualTo("AmazonEC2");
        assertThat(driver.findElement(By.cssSelector("#rule-action option:checked")).getText()).contains("Discount");
        assertThat(driver.findElement(By.id("name")).getAttribute("value")).as("the price book's own form keeps its name").isEqualTo("Retail 2027");
        assertThat(rules.draft(book.id()).orElseThrow().rules()).hasSize(1);
        type(By.id("rule-percent"), "20");
        click(By.id("add-rule-button"));
        notice("Added rule 2 (Discount 20 % on unblended cost)");

        addRule("No credits", "", "Credit", "Exclude", "");
        notice("Added rule 3 (Excluded)");
        List<String> draftRows = rows("#draft-rules");
        assertThat(draftRows).hasSize(3);
        assertThat(draftRows.get(0)).contains("Global markup", "every line", "Markup 10 % on unblended cost", "Global");
        assertThat(draftRows.get(1)).contains("EC2 discount", "service AmazonEC2", "Discount 20 % on unblended cost", "Service");
        assertThat(draftRows.get(2)).contains("No credits", "line item type Credit", "Excluded", "Global");
        screenshot("price-book-rules-draft");

        assertThat(driver.findElement(By.id("preview-month")).getAttribute("value")).isEqualTo(thisMonth.minusMonths(1).toString());
        click(By.id("preview-button"));
        waitForText(By.id("page-title"), "Preview of Retail 2027");
        assertThat(driver.findElement(By.id("preview-draft")).getText()).isEqualTo("Retail 2027 v1 (draft)");
        assertThat(driver.findElement(By.id("preview-current")).getText()).contains("no published rules");
        assertThat(driver.findElement(By.id("preview-empty")).getText()).contains("No billing profile is priced by this price book in "
                + thisMonth.minusMonths(1));
        click(By.id("back-to-price-book"));
        waitForText(By.id("page-title"), "Retail 2027");

        click(By.id("remove-rule-1"));
        notice("Removed the rule from draft v1; 2 rule(s) remain");
        assertThat(rows("#draft-rules")).hasSize(2).noneMatch(r -> r.contains("Global markup"));

        assertThat(driver.findElement(By.id("effectiveFrom")).getAttribute("value")).isEqualTo(thisMonth.plusMonths(1).toString());
        setValue(By.id("effectiveFrom"), thisMonth.toString());
        click(By.id("publish-button"));
        notice("Published v1 with 2 rule(s), effective from " + thisMonth);
        assertThat(driver.findElement(By.id("rules-in-force")).getText()).contains("In force: v1", "effective from " + thisMonth, "2 rule(s)");
        assertThat(rows("#current-rules")).hasSize(2);
        assertThat(driver.findElements(By.id("draft-rules"))).isEmpty();
        assertThat(driver.findElements(By.id("publish-form"))).as("nothing to publish without a draft").isEmpty();

        // The next draft starts from the rules in force and, published with the default month, waits for next month.
        addRule("SKU rate", "AmazonEC2", "", "Fixed rate", "");
        assertThat(waitFor(By.cssSelector("#rule-form .field-error[data-field=rate]")).getText()).contains("must be given for a fixed rate");
        type(By.id("rule-usageType"), "EUC1-BoxUsage:t3.micro");
        type(By.id("rule-rate"), "0.0104");
        click(By.id("add-rule-button"));
        notice("Added rule 3 (0.0104 per unit) to draft v2");
        assertThat(rows("#draft-rules").get(2)).contains("SKU");
        click(By.id("publish-button"));
        notice("Published v2 with 3 rule(s), effective from " + thisMonth.plusMonths(1));

        List<String> history = rows("#versions");
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).contains("v2", thisMonth.plusMonths(1).toString(), "Upcoming", ADMIN_EMAIL, "3 rule(s)");
        assertThat(history.get(1)).contains("v1", thisMonth.toString(), "In force", ADMIN_EMAIL, "2 rule(s)");
        assertThat(driver.findElement(By.id("rules-in-force")).getText()).contains("In force: v1");
        screenshot("price-book-rules-history");

        PriceBookRules.Overview overview = rules.overview(admin(), book.id());
        assertThat(overview.current().version()).isEqualTo(1);
        assertThat(overview.draft()).isNull();
        assertThat(rules.effective(book.id(), thisMonth.plusMonths(1)).orElseThrow().rules()).extracting(PricingRule::name)
                .containsExactly("EC2 discount", "No credits", "SKU rate");
    }

    @Test
    void anAnalystReadsTheRulesWithoutAnyForm() {
        Organization reseller = reseller(unique("Read-only reseller"));
        PriceBook book = priceBooks.create(admin(), reseller.id(), new PriceBooks.Details("Wholesale", "USD", null));
        rules.addRule(admin(), book.id(), rule("Base", null, PricingRule.Action.MARKUP, "5"));
        rules.publish(admin(), book.id(), YearMonth.now(clock).minusMonths(1));
        rules.addRule(admin(), book.id(), rule("S3", "AmazonS3", PricingRule.Action.DISCOUNT, "3"));
        String email = "analyst-" + System.nanoTime() + "@example.com";
        activeUser(reseller, email, Role.ANALYST, "analyst password");
        signIn(email, "analyst password");
        waitFor(By.id("signed-in-user"));

        open("/price-books/" + book.id());
        assertThat(waitFor(By.id("rules-in-force")).getText()).contains("In force: v1", "Markup 5 % on unblended cost");
        assertThat(rows("#draft-rules")).hasSize(2).last().asString().contains("S3", "service AmazonS3", "Discount 3 %");
        assertThat(driver.findElements(By.cssSelector("#rules form"))).isEmpty();
        assertNoneOf(controls(), "Remove", "Publish", "Discard", "Add rule");
        click(By.id("preview-link"));
        waitForText(By.id("page-title"), "Preview of Wholesale");
        assertThat(driver.findElement(By.id("preview-draft")).getText()).isEqualTo("Wholesale v2 (draft)");
        assertThat(driver.findElement(By.id("preview-current")).getText()).isEqualTo("Wholesale v1");
    }

    @Test
    void theDistributorRecordsAnExchangeRate() throws Exception {
        YearMonth lastMonth = YearMonth.now(clock).minusMonths(1);
        signInAsAdmin();
        click(By.id("nav-exchange-rates"));
        waitForText(By.id("page-title"), "Exchange rates");
        assertThat(driver.findElement(By.id("month")).getAttribute("value")).isEqualTo(lastMonth.toString());
        assertThat(driver.findElement(By.id("from")).getAttribute("value")).isEqualTo("USD");
        type(By.id("to"), "chf");
        type(By.id("rate"), "0,88");
        click(By.id("record-rate"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=rate]")).getText()).contains("\"0,88\" is not a number");
        assertThat(driver.findElement(By.id("to")).getAttribute("value")).isEqualTo("chf");

        type(By.id("rate"), "0.8812");
        type(By.id("source"), "SNB month-end rate");
        click(By.id("record-rate"));
        notice("Recorded " + lastMonth + ": 1 USD = 0.8812 CHF");
        WebElement row = waitFor(By.cssSelector("#exchange-rates tr[data-rate='" + lastMonth + "/USD/CHF']"));
        assertThat(row.getText()).contains(lastMonth.toString(), "USD", "CHF", "0.8812", "SNB month-end rate", ADMIN_EMAIL);
        assertThat(exchangeRates.rate(lastMonth, "USD", "CHF")).contains(new BigDecimal("0.8812"));
        screenshot("exchange-rates");
        signOut();

        Organization reseller = reseller(unique("Rate-reading reseller"));
        String email = "rates-" + System.nanoTime() + "@example.com";
        activeUser(reseller, email, Role.ADMIN, "reseller password");
        signIn(email, "reseller password");
        click(By.id("nav-exchange-rates"));
        WebElement seen = waitFor(By.cssSelector("#exchange-rates tr[data-rate='" + lastMonth + "/USD/CHF']"));
        assertThat(seen.getText()).contains("0.8812", "SNB month-end rate").doesNotContain(ADMIN_EMAIL);
        assertThat(driver.findElements(By.id("exchange-rate-form"))).as("only the distributor records rates").isEmpty();
    }

    @Test
    void theSellerSetsAVatRateAndAddsASupportFeeWhichTheBuyerDoesNotSee() throws Exception {
        Organization reseller = reseller(unique("Invoicing reseller"));
        Organization customer = customer(unique("Invoiced customer"), reseller);
        BillingProfile profile = billingProfiles.create(admin(), customer.id(), AnalystBrowserTest.details("Invoiced profile"));
        YearMonth thisMonth = YearMonth.now(clock);
        signInAsAdmin();

        open("/billing-profiles/" + profile.id());
        assertThat(waitFor(By.id("invoicing-card")).getText()).contains("One line per account and service", "AWS tax lines passed through", "None");
        click(By.id("link-invoicing"));
        waitForText(By.id("page-title"), "Invoicing of Invoiced profile");

        select(By.id("taxMode"), "Charge a tax rate");
        click(By.id("save-settings"));
        assertThat(waitFor(By.cssSelector("#settings-form .field-error[data-field=taxRate]")).getText()).contains("is required");
        type(By.id("taxRate"), "19");
        type(By.id("taxLabel"), "VAT");
        select(By.id("grouping"), "One line per service");
        click(By.id("save-settings"));
        notice("Saved the invoice settings", "SERVICE, tax VAT 19 %");
        assertThat(driver.findElement(By.id("taxRate")).getAttribute("value")).isEqualTo("19");
        assertThat(invoiceSettings.of(profile.id())).isEqualTo(new InvoiceSettings.Settings(profile.id(), InvoiceSettings.Grouping.SERVICE,
                InvoiceSettings.TaxMode.RATE, new BigDecimal("19"), "VAT"));

        type(By.id("description"), "Managed support");
        type(By.id("amount"), "50.001");
        click(By.id("add-item-button"));
        assertThat(waitFor(By.cssSelector("#item-form .field-error[data-field=amount]")).getText()).contains("more decimals than");
        assertThat(driver.findElement(By.id("description")).getAttribute("value")).isEqualTo("Managed support");
        type(By.id("amount"), "50.00");
        click(By.id("add-item-button"));
        notice("Added the fee \"Managed support\" (50.00 EUR, monthly from " + thisMonth + ")");
        assertThat(rows("#custom-line-items")).singleElement().asString()
                .contains("Managed support", "Fee", "50.00", "monthly from " + thisMonth, "whole profile");

        type(By.id("description"), "Welcome credit");
        select(By.id("kind"), "Credit");
        type(By.id("amount"), "25");
        click(By.id("oneTime"));
        click(By.id("add-item-button"));
        notice("Added the credit \"Welcome credit\" (25.00 EUR, once in " + thisMonth + ")");
        assertThat(rows("#custom-line-items")).hasSize(2);
        click(By.cssSelector("#custom-line-items tr[data-item] button"));
        acceptConfirmation();
        notice("Removed the fee \"Managed support\"", "from future invoices");
        assertThat(customLineItems.list(admin(), profile.id())).hasSize(1);
        screenshot("billing-profile-invoicing");

        click(By.id("back-to-profile"));
        assertThat(waitFor(By.id("invoicing-card")).getText()).contains("One line per service", "VAT 19 % of the subtotal", "1 fee(s) or credit(s)");
        signOut();

        String buyer = "buyer-" + System.nanoTime() + "@example.com";
        activeUser(customer, buyer, Role.ADMIN, "buyer password");
        signIn(buyer, "buyer password");
        waitFor(By.id("signed-in-user"));
        open("/billing-profiles/" + profile.id());
        waitForText(By.id("page-title"), "Invoiced profile");
        assertThat(driver.findElements(By.id("invoicing-card"))).isEmpty();
        open("/billing-profiles/" + profile.id() + "/invoicing");
        assertThat(errorStatus()).isEqualTo("403");
    }

    /** Waits for the notice of the page the last action led to (the previous page may show one too), then checks it. */
    private void notice(String first, String... more) {
        waitForText(By.id("notice"), first);
        for (String text : more) {
            assertThat(driver.findElement(By.id("notice")).getText()).contains(text);
        }
    }

    private void addRule(String name, String serviceCode, String lineItemType, String action, String percent) {
        type(By.id("rule-name"), name);
        type(By.id("rule-serviceCode"), serviceCode);
        type(By.id("rule-lineItemType"), lineItemType);
        select(By.id("rule-action"), action);
        type(By.id("rule-percent"), percent);
        click(By.id("add-rule-button"));
    }

    private List<String> rows(String table) {
        return driver.findElements(By.cssSelector(table + " tbody tr")).stream().map(WebElement::getText).toList();
    }

    private void setValue(By by, String value) {
        script("arguments[0].value = arguments[1];", waitFor(by), value);
    }

    private static PriceBookRules.RuleInput rule(String name, String serviceCode, PricingRule.Action action, String percent) {
        return new PriceBookRules.RuleInput(name, serviceCode, null, null, null, null, null, null, null, action, PricingRule.Basis.UNBLENDED,
                new BigDecimal(percent), null);
    }
}
