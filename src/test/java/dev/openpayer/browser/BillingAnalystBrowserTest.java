package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.Contract;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

class BillingAnalystBrowserTest extends BrowserTest {
    private static final String PASSWORD = "analyst reads prices";

    @Autowired
    PriceBooks priceBooks;

    @Autowired
    Contracts contracts;

    @Autowired
    CostCenters costCenters;

    private Organization reseller;
    private Organization customer;
    private PriceBook book;
    private Contract contract;
    private CostCenter center;
    private String analyst;

    @BeforeEach
    void billingData() {
        reseller = reseller(unique("Read reseller"));
        customer = customer(unique("Read customer"), reseller);
        book = priceBooks.create(admin(), reseller.id(), new PriceBooks.Details("Read list", "EUR", "Looked at, never touched"));
        contract = contracts.create(admin(), reseller.id(), customer.id(),
                new Contracts.Details(book.id(), LocalDate.of(2026, 1, 1), null, ContractStatus.ACTIVE));
        center = costCenters.create(admin(), customer.id(), new CostCenters.Details("Research", "RND-1"));
        analyst = "billing-analyst-" + System.nanoTime() + "@example.com";
        activeUser(reseller, analyst, Role.ANALYST, PASSWORD);
    }

    @Test
    void anAnalystReadsPriceBooksContractsAndCostCentersWithoutEditControls() throws Exception {
        signIn(analyst, PASSWORD);
        waitFor(By.id("signed-in-user"));

        for (String path : List.of("/price-books", "/price-books/" + book.id(), "/contracts", "/contracts/" + contract.id(), "/cost-centers",
                "/cost-centers/" + center.id(), "/organizations/" + reseller.id(), "/organizations/" + customer.id())) {
            open(path);
            waitFor(By.id("page-title"));
            assertNoneOf(controls(), "Add", "Save", "Create", "Delete", "Activate", "End");
            assertThat(driver.findElements(By.cssSelector("form[data-confirm]"))).as(path).isEmpty();
        }

        open("/price-books");
        assertThat(waitFor(By.id("price-books")).getText()).contains("Read list", reseller.name());
        open("/price-books/" + book.id());
        assertThat(waitFor(By.id("name")).getAttribute("readonly")).isNotNull();
        assertThat(driver.findElement(By.id("currency")).getAttribute("readonly")).isNotNull();
        open("/contracts/" + contract.id());
        assertThat(waitFor(By.id("contract-details")).getText()).contains(reseller.name(), customer.name(), "Read list (EUR)", "2026-01-01");
        assertThat(driver.findElements(By.id("contract-form"))).isEmpty();
        assertThat(driver.findElement(By.id("read-only-note")).getText()).contains("Only the seller's admins and billing managers");
        open("/cost-centers/" + center.id());
        assertThat(waitFor(By.id("code")).getAttribute("readonly")).isNotNull();
        open("/organizations/" + customer.id());
        assertThat(waitFor(By.id("contract-check-answer")).getText()).isEqualTo("Yes");
        screenshot("analyst-contract-check");

        open("/price-books/new");
        assertThat(errorStatus()).isEqualTo("403");
        open("/contracts/new");
        assertThat(errorStatus()).isEqualTo("403");
        open("/cost-centers/new");
        assertThat(errorStatus()).isEqualTo("403");
    }

    @Test
    void forgedChangesAreRefusedWithTheForbiddenPageAndChangeNothing() {
        signIn(analyst, PASSWORD);
        waitFor(By.id("signed-in-user"));

        forge("/price-books/" + book.id(), "/price-books/" + book.id() + "/delete");
        assertThat(errorStatus()).isEqualTo("403");
        assertThat(driver.findElement(By.id("error-page")).getText()).contains("Not allowed", "ADMIN or BILLING_MANAGER", "ANALYST");
        assertThat(priceBooks.visible(admin(), book.id()).name()).isEqualTo("Read list");

        forge("/price-books/" + book.id(), "/price-books/" + book.id(), "name", "Taken over", "currency", "USD");
        assertThat(errorStatus()).isEqualTo("403");
        assertThat(priceBooks.visible(admin(), book.id()).currency()).isEqualTo("EUR");

        forge("/contracts/" + contract.id(), "/contracts/" + contract.id() + "/end");
        assertThat(errorStatus()).isEqualTo("403");
        assertThat(contracts.visible(admin(), contract.id()).status()).isEqualTo(ContractStatus.ACTIVE);

        forge("/cost-centers/" + center.id(), "/cost-centers/" + center.id() + "/delete");
        assertThat(errorStatus()).isEqualTo("403");
        assertThat(costCenters.visible(admin(), center.id()).code()).isEqualTo("RND-1");

        forge("/cost-centers", "/cost-centers", "customerId", customer.id().toString(), "name", "Shadow", "code", "SH-1");
        assertThat(errorStatus()).isEqualTo("403");
        assertThat(costCenters.list(admin(), customer.id())).extracting(CostCenter::code).containsExactly("RND-1");
    }

    /** Opens a page, then posts a form built in it with the page's CSRF token, as a tampering user could. */
    private void forge(String page, String action, String... fields) {
        open(page);
        waitFor(By.id("page-title"));
        script("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                const pairs = [[document.querySelector('meta[name=_csrf_parameter]').content, document.querySelector('meta[name=_csrf]').content]];
                for (let i = 0; i < arguments[1].length; i += 2) {
                    pairs.push([arguments[1][i], arguments[1][i + 1]]);
                }
                for (const [name, value] of pairs) {
                    const input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
                """, action, List.of(fields));
        waitFor(By.id("error-page"));
    }
}
