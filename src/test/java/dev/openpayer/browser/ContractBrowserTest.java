package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.Contract;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.tenancy.Organization;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

class ContractBrowserTest extends BrowserTest {

    @Autowired
    PriceBooks priceBooks;

    @Autowired
    Contracts contracts;

    @Test
    void aResellersDraftContractIsActivatedLetsTheCustomerConnectAccountsAndEnds() throws Exception {
        Organization reseller = reseller(unique("Selling reseller"));
        Organization customer = customer(unique("Signing customer"), reseller);
        Organization elsewhere = customer(unique("Elsewhere customer"), reseller(unique("Other reseller")));
        PriceBook book = priceBooks.create(admin(), reseller.id(), new PriceBooks.Details("Reseller list", "EUR", null));
        signInAsAdmin();

        open("/organizations/" + customer.id());
        assertThat(waitFor(By.id("contract-check-answer")).getText()).isEqualTo("No");
        assertThat(driver.findElement(By.id("contract-check-reason")).getText()).contains("has no active contract in force");
        click(By.id("link-contracts"));
        waitForText(By.id("page-title"), "Contracts");
        assertThat(driver.findElement(By.cssSelector(".content")).getText()).contains("No contract matches these filters.");
        click(By.id("add-contract"));

        waitForText(By.id("page-title"), "New contract");
        assertThat(waitFor(By.cssSelector("#sellerId option:checked")).getText()).contains(reseller.name());
        assertThat(driver.findElement(By.cssSelector("#customerId option:checked")).getText()).contains(customer.name());
        assertThat(visibleOptions("customerId")).anyMatch(t -> t.contains(customer.name())).noneMatch(t -> t.contains(elsewhere.name()));
        assertThat(driver.findElement(By.cssSelector("#status option:checked")).getText()).isEqualTo("Draft");
        String today = driver.findElement(By.id("startDate")).getAttribute("value");
        select(By.id("priceBookId"), "Reseller list");
        script("document.getElementById('endDate').value = '2020-01-01';");
        click(By.id("create-contract"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=endDate]")).getText()).contains("must not be before the start date");
        assertThat(driver.findElement(By.cssSelector("#priceBookId option:checked")).getText()).contains("Reseller list");
        assertThat(driver.findElement(By.cssSelector("#customerId option:checked")).getText()).contains(customer.name());
        assertThat(contracts.list(admin(), customer.id(), null, null)).isEmpty();

        script("document.getElementById('endDate').value = '';");
        click(By.id("create-contract"));

        waitForText(By.id("page-title"), "Contract with " + customer.name());
        assertThat(waitFor(By.id("contract-status")).getText()).isEqualTo("Draft");
        String details = driver.findElement(By.id("contract-details")).getText();
        assertThat(details).contains(reseller.name(), customer.name(), "Reseller list (EUR)", today, "Open-ended");
        assertThat(driver.findElement(By.id("breadcrumb")).getText()).contains(reseller.name(), customer.name());
        assertThat(driver.findElement(By.id("contract-check")).getText()).contains("may connect AWS accounts", "No");
        assertThat(driver.findElements(By.id("end"))).isEmpty();
        Contract created = contracts.list(admin(), customer.id(), null, null).getFirst();
        assertThat(created.status()).isEqualTo(ContractStatus.DRAFT);

        script("document.getElementById('endDate').value = '2099-12-31';");
        click(By.id("save-contract"));
        waitForText(By.id("notice"), "Saved the contract: DRAFT from " + today + " to 2099-12-31");
        assertThat(driver.findElement(By.id("contract-end")).getText()).isEqualTo("2099-12-31");
        assertThat(contracts.visible(admin(), created.id()).endDate()).isEqualTo(LocalDate.of(2099, 12, 31));

        click(By.id("activate"));
        waitForText(By.id("notice"), "Activated the contract");
        assertThat(waitFor(By.id("contract-status")).getText()).isEqualTo("Active");
        assertThat(driver.findElements(By.id("activate"))).isEmpty();
        assertThat(driver.findElement(By.id("startDate")).getAttribute("readonly")).isNotNull();
        screenshot("contract");

        open("/organizations/" + customer.id());
        assertThat(waitFor(By.id("contract-check-answer")).getText()).isEqualTo("Yes");
        assertThat(driver.findElement(By.id("contract-check-reason")).getText()).contains("is in force");
        screenshot("customer-contract-check");
        click(By.id("contract-in-force"));

        waitForText(By.id("page-title"), "Contract with " + customer.name());
        click(By.id("end"));
        acceptConfirmation();
        waitForText(By.id("notice"), "Ended the contract");
        assertThat(waitFor(By.id("contract-status")).getText()).isEqualTo("Ended");
        assertThat(driver.findElement(By.id("contract-end")).getText()).isEqualTo(today);
        assertThat(driver.findElements(By.id("contract-form"))).isEmpty();
        assertThat(driver.findElement(By.id("read-only-note")).getText()).contains("final");
        assertThat(contracts.visible(admin(), created.id()).status()).isEqualTo(ContractStatus.ENDED);

        open("/organizations/" + customer.id());
        assertThat(waitFor(By.id("contract-check-answer")).getText()).isEqualTo("No");

        open("/contracts");
        select(By.id("status"), "Ended");
        select(By.id("sellerId"), reseller.name());
        click(By.cssSelector("#contract-filters button[type=submit]"));
        assertThat(waitFor(By.id("contracts")).getText()).contains(customer.name(), reseller.name(), "Reseller list", "Ended");
    }

    @Test
    void aSecondActiveContractOverlappingTheFirstIsRefusedOnActivation() {
        Organization reseller = reseller(unique("Overlapping reseller"));
        Organization customer = customer(unique("Overlapped customer"), reseller);
        Contract first = contracts.create(admin(), reseller.id(), customer.id(),
                new Contracts.Details(null, LocalDate.of(2026, 1, 1), null, ContractStatus.ACTIVE));
        Contract second = contracts.create(admin(), reseller.id(), customer.id(),
                new Contracts.Details(null, LocalDate.of(2026, 6, 1), null, ContractStatus.DRAFT));
        signInAsAdmin();

        open("/contracts/" + second.id());
        click(By.id("activate"));

        assertThat(waitFor(By.cssSelector(".alert-error")).getText()).contains("another active contract", "end it first");
        assertThat(waitFor(By.id("contract-status")).getText()).isEqualTo("Draft");
        assertThat(contracts.visible(admin(), second.id()).status()).isEqualTo(ContractStatus.DRAFT);
        assertThat(contracts.visible(admin(), first.id()).status()).isEqualTo(ContractStatus.ACTIVE);
    }

    /** The options the page offers, without those it hides for not matching the chosen seller. */
    @SuppressWarnings("unchecked")
    private List<String> visibleOptions(String selectId) {
        return (List<String>) script("return Array.from(document.getElementById(arguments[0]).options).filter(o => !o.hidden).map(o => o.text);",
                selectId);
    }
}
