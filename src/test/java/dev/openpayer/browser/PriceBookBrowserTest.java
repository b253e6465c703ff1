package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Organization;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

class PriceBookBrowserTest extends BrowserTest {

    @Autowired
    PriceBooks priceBooks;

    @Autowired
    Contracts contracts;

    @Test
    void anAdminCreatesAPriceBookAfterFixingTheCurrencyThenEditsIt() throws Exception {
        Organization reseller = reseller(unique("Pricing reseller"));
        signInAsAdmin();

        open("/organizations/" + reseller.id());
        click(By.id("link-price-books"));
        waitForText(By.id("page-title"), "Price books");
        assertThat(driver.findElement(By.cssSelector(".content")).getText()).contains("No price books.");
        click(By.id("add-price-book"));
        assertThat(waitFor(By.cssSelector("#ownerId option:checked")).getText()).contains(reseller.name());
        type(By.id("name"), "Standard 2027");
        type(By.id("currency"), "ABC");
        type(By.id("description"), "List prices with the reseller discount");
        click(By.id("create-price-book"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=currency]")).getText()).contains("ISO 4217");
        assertThat(driver.findElement(By.cssSelector(".alert-error")).getText()).contains("Nothing was saved");
        assertThat(driver.findElement(By.id("name")).getAttribute("value")).isEqualTo("Standard 2027");
        assertThat(driver.findElement(By.id("description")).getAttribute("value")).isEqualTo("List prices with the reseller discount");
        assertThat(driver.findElement(By.cssSelector("#ownerId option:checked")).getText()).contains(reseller.name());
        assertThat(priceBooks.list(admin(), reseller.id())).isEmpty();

        type(By.id("currency"), "eur");
        click(By.id("create-price-book"));

        waitForText(By.id("page-title"), "Standard 2027");
        assertThat(waitFor(By.id("notice")).getText()).contains("Created price book \"Standard 2027\" (EUR)");
        assertThat(driver.findElement(By.id("breadcrumb")).getText()).contains(reseller.name());
        assertThat(driver.findElement(By.id("currency")).getAttribute("value")).isEqualTo("EUR");

        type(By.id("name"), "");
        click(By.id("save-price-book"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=name]")).getText()).contains("must not be empty");
        assertThat(priceBooks.list(admin(), reseller.id()).getFirst().name()).isEqualTo("Standard 2027");

        type(By.id("name"), "Standard 2027 (revised)");
        type(By.id("currency"), "usd");
        click(By.id("save-price-book"));
        assertThat(waitFor(By.id("notice")).getText()).contains("Saved price book \"Standard 2027 (revised)\" (USD)");
        PriceBook saved = priceBooks.list(admin(), reseller.id()).getFirst();
        assertThat(saved.name()).isEqualTo("Standard 2027 (revised)");
        assertThat(saved.currency()).isEqualTo("USD");
        screenshot("price-book");

        open("/price-books");
        select(By.id("ownerId"), reseller.name());
        click(By.cssSelector("#price-book-filters button[type=submit]"));
        waitForPath("/price-books?ownerId=" + reseller.id());
        assertThat(waitFor(By.id("price-books")).getText()).contains("Standard 2027 (revised)", reseller.name(), "USD");
    }

    @Test
    void deletingAPriceBookAContractAppliesIsRefusedWithTheReason() {
        Organization reseller = reseller(unique("Contracted reseller"));
        Organization customer = customer(unique("Contracted customer"), reseller);
        PriceBook used = priceBooks.create(admin(), reseller.id(), new PriceBooks.Details("In use", "EUR", null));
        PriceBook spare = priceBooks.create(admin(), reseller.id(), new PriceBooks.Details("Spare", "GBP", null));
        contracts.create(admin(), reseller.id(), customer.id(), new Contracts.Details(used.id(), LocalDate.of(2026, 1, 1), null, ContractStatus.DRAFT));
        signInAsAdmin();

        open("/price-books/" + used.id());
        assertThat(waitFor(By.id("contracts")).getText()).contains(customer.name(), "Draft");
        click(By.id("delete"));
        acceptConfirmation();

        assertThat(waitFor(By.id("delete-error")).getText())
                .contains("Not deleted", "\"In use\" (EUR) is applied by 1 contract(s); change them first");
        assertThat(heading()).isEqualTo("In use");
        assertThat(priceBooks.visible(admin(), used.id()).name()).isEqualTo("In use");

        open("/price-books/" + spare.id());
        click(By.id("delete"));
        acceptConfirmation();
        waitForPath("/price-books?ownerId=" + reseller.id());
        assertThat(waitFor(By.id("notice")).getText()).contains("Deleted price book \"Spare\" (GBP)");
        assertThat(waitFor(By.id("price-books")).getText()).contains("In use").doesNotContain("Spare");
        assertThatThrownBy(() -> priceBooks.visible(admin(), spare.id())).isInstanceOf(NotFoundException.class);
    }
}
