package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

class OrganizationBrowserTest extends BrowserTest {

    @Test
    void anAdminAddsAResellerAndACustomerUnderIt() throws Exception {
        String resellerName = unique("Reseller");
        String customerName = unique("Customer");
        signInAsAdmin();

        open("/organizations");
        click(By.id("add-organization"));
        select(By.id("type"), "Reseller");
        type(By.id("name"), resellerName);
        select(By.id("parentId"), "Browser Distribution");
        click(By.id("create-organization"));

        waitForText(By.id("page-title"), resellerName);
        assertThat(waitFor(By.id("notice")).getText()).contains("Created reseller");
        assertThat(driver.findElement(By.id("breadcrumb")).getText()).contains("Browser Distribution", resellerName);

        click(By.id("add-customer"));
        assertThat(waitFor(By.cssSelector("#type option:checked")).getText()).isEqualTo("Customer");
        assertThat(driver.findElement(By.cssSelector("#parentId option:checked")).getText()).contains(resellerName);
        type(By.id("name"), customerName);
        click(By.id("create-organization"));

        waitForText(By.id("page-title"), customerName);
        List<String> chain = driver.findElements(By.cssSelector("#breadcrumb a, #breadcrumb .current")).stream().map(WebElement::getText).toList();
        assertThat(chain).containsExactly("Browser Distribution", resellerName, customerName);

        driver.findElement(By.linkText(resellerName)).click();
        waitForText(By.id("page-title"), resellerName);
        assertThat(waitFor(By.id("children")).getText()).contains(customerName, "Customer", "Active");
        screenshot("organization");

        open("/organizations");
        String tree = waitFor(By.id("organizations")).getText();
        assertThat(tree.indexOf(resellerName)).isLessThan(tree.indexOf(customerName));
        assertThat(tree).contains("Browser Distribution");
        screenshot("organizations");
    }

    @Test
    void aFormWithErrorsShowsThemInlineKeepsTheInputAndStoresNothing() {
        int before = tenancy.list(admin(), OrganizationQuery.ALL).size();
        signInAsAdmin();

        open("/organizations/new");
        select(By.id("type"), "Customer");
        type(By.id("name"), "   ");
        click(By.id("create-organization"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=name]")).getText()).isEqualTo("must not be empty");
        assertThat(driver.findElement(By.cssSelector(".field-error[data-field=parentId]")).getText()).contains("choose");
        assertThat(driver.findElement(By.cssSelector("#type option:checked")).getText()).isEqualTo("Customer");
        assertThat(tenancy.list(admin(), OrganizationQuery.ALL)).hasSize(before);

        select(By.id("type"), "Choose");
        type(By.id("name"), "Nameless parent");
        select(By.id("parentId"), "Browser Distribution");
        click(By.id("create-organization"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=type]")).getText()).contains("reseller or a customer");
        assertThat(driver.findElement(By.id("name")).getAttribute("value")).isEqualTo("Nameless parent");
        assertThat(tenancy.list(admin(), OrganizationQuery.ALL)).hasSize(before);
    }

    @Test
    void renamingToASiblingsNameIsRefusedInlineAndDeactivationWorks() {
        Organization first = reseller(unique("First"));
        Organization second = reseller(unique("Second"));
        signInAsAdmin();

        open("/organizations/" + second.id());
        type(By.id("rename-name"), first.name());
        click(By.id("rename"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=name]")).getText()).contains("already exists");
        assertThat(driver.findElement(By.id("rename-name")).getAttribute("value")).isEqualTo(first.name());
        assertThat(tenancy.visible(admin(), second.id()).name()).isEqualTo(second.name());

        String renamed = unique("Renamed");
        type(By.id("rename-name"), renamed);
        click(By.id("rename"));
        waitForText(By.id("page-title"), renamed);

        click(By.id("deactivate"));
        acceptConfirmation();
        waitFor(By.id("inactive-badge"));
        assertThat(tenancy.visible(admin(), second.id()).active()).isFalse();

        click(By.id("reactivate"));
        waitFor(By.id("deactivate"));
        assertThat(tenancy.visible(admin(), second.id()).active()).isTrue();
    }

    @Test
    void theListFiltersByNameAndType() {
        Organization reseller = reseller(unique("Filterable"));
        Organization customer = customer(unique("Filtered customer"), reseller);
        signInAsAdmin();

        open("/organizations");
        type(By.id("name"), customer.name());
        click(By.cssSelector("#organization-filters button[type=submit]"));

        waitForText(By.id("organizations"), customer.name());
        List<WebElement> rows = driver.findElements(By.cssSelector("#organizations tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().findElement(By.cssSelector("td a")).getText()).isEqualTo(customer.name());

        open("/organizations?type=RESELLER");
        assertThat(waitFor(By.id("organizations")).getText()).contains(reseller.name()).doesNotContain(customer.name());
    }
}
