package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.tenancy.Organization;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

class CostCenterBrowserTest extends BrowserTest {

    @Autowired
    CostCenters costCenters;

    @Test
    void anAdminCreatesCostCentersIsToldOfADuplicateCodeAndDeletesOne() throws Exception {
        Organization customer = customer(unique("Cost-conscious customer"), reseller(unique("Cost reseller")));
        signInAsAdmin();

        open("/organizations/" + customer.id());
        click(By.id("link-cost-centers"));
        waitForText(By.id("page-title"), "Cost centers");
        click(By.id("add-cost-center"));
        assertThat(waitFor(By.cssSelector("#customerId option:checked")).getText()).contains(customer.name());
        type(By.id("code"), "MKT-100");
        type(By.id("name"), "Marketing");
        click(By.id("create-cost-center"));

        waitForText(By.id("page-title"), "MKT-100 · Marketing");
        assertThat(waitFor(By.id("notice")).getText()).contains("Created cost center MKT-100 \"Marketing\"");
        assertThat(driver.findElement(By.id("breadcrumb")).getText()).contains(customer.name());

        open("/cost-centers/new?customerId=" + customer.id());
        type(By.id("code"), "mkt-100");
        type(By.id("name"), "Sales");
        click(By.id("create-cost-center"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=code]")).getText()).contains("already has a cost center with code mkt-100");
        assertThat(driver.findElement(By.id("name")).getAttribute("value")).isEqualTo("Sales");
        assertThat(driver.findElement(By.id("code")).getAttribute("value")).isEqualTo("mkt-100");
        assertThat(costCenters.list(admin(), customer.id())).extracting(CostCenter::code).containsExactly("MKT-100");

        type(By.id("code"), "bad code!");
        click(By.id("create-cost-center"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=code]")).getText()).contains("letters, digits");

        type(By.id("code"), "SLS-200");
        click(By.id("create-cost-center"));
        waitForText(By.id("page-title"), "SLS-200 · Sales");

        type(By.id("code"), "MKT-100");
        click(By.id("save-cost-center"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=code]")).getText()).contains("another cost center of this customer has the code");
        type(By.id("name"), "Sales and partners");
        type(By.id("code"), "SLS-200");
        click(By.id("save-cost-center"));
        assertThat(waitFor(By.id("notice")).getText()).contains("Saved cost center SLS-200 \"Sales and partners\"");
        screenshot("cost-center");

        click(By.id("delete"));
        acceptConfirmation();
        waitForPath("/cost-centers?customerId=" + customer.id());
        assertThat(waitFor(By.id("notice")).getText()).contains("Deleted cost center SLS-200");
        assertThat(waitFor(By.id("cost-centers")).getText()).contains("MKT-100", "Marketing", customer.name()).doesNotContain("SLS-200");
        assertThat(costCenters.list(admin(), customer.id())).extracting(CostCenter::code).containsExactly("MKT-100");
    }
}
