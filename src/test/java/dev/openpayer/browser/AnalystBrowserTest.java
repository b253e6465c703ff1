package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

class AnalystBrowserTest extends BrowserTest {
    private static final String PASSWORD = "analyst reads only";

    @Autowired
    BillingProfiles billingProfiles;

    private Organization reseller;
    private Organization customer;
    private Organization otherCustomer;
    private BillingProfile profile;
    private BillingProfile otherProfile;
    private String analyst;

    @BeforeEach
    void tenants() {
        reseller = reseller(unique("Analysed reseller"));
        customer = customer(unique("Analysed customer"), reseller);
        otherCustomer = customer(unique("Foreign customer"), reseller(unique("Foreign reseller")));
        profile = billingProfiles.create(admin(), customer.id(), details("Analysed profile"));
        otherProfile = billingProfiles.create(admin(), otherCustomer.id(), details("Foreign profile"));
        analyst = "analyst-" + System.nanoTime() + "@example.com";
        UserAccount user = activeUser(reseller, analyst, Role.ANALYST, PASSWORD);
        billingProfiles.assign(admin(), profile.id(), List.of(user.id()));
    }

    @Test
    void anAnalystSeesNoEditControlsAnywhere() {
        signIn(analyst, PASSWORD);
        waitFor(By.id("signed-in-user"));

        for (String path : List.of("/", "/organizations", "/organizations/" + reseller.id(), "/organizations/" + customer.id(),
                "/billing-profiles", "/billing-profiles/" + profile.id(), "/audit")) {
            open(path);
            waitFor(By.id("page-title"));
            assertNoneOf(controls(), "Add", "Invite", "Rename", "Deactivate", "Reactivate", "Save", "Create");
            assertThat(driver.findElements(By.id("rename-form"))).as(path).isEmpty();
        }
        open("/billing-profiles/" + profile.id());
        assertThat(waitFor(By.id("name")).getAttribute("readonly")).isNotNull();
        assertThat(driver.findElements(By.id("assignment-form"))).isEmpty();
        assertThat(driver.findElement(By.cssSelector(".nav")).getText()).doesNotContain("Users", "Sent mail");
    }

    @Test
    void aForgedRenameIsRefusedWithTheForbiddenPageAndChangesNothing() {
        signIn(analyst, PASSWORD);
        open("/organizations/" + reseller.id());
        waitForText(By.id("page-title"), reseller.name());

        script("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                for (const [name, value] of [[document.querySelector('meta[name=_csrf_parameter]').content,
                        document.querySelector('meta[name=_csrf]').content], ['name', 'Taken over']]) {
                    const input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
                """, "/organizations/" + reseller.id() + "/rename");

        assertThat(errorStatus()).isEqualTo("403");
        assertThat(driver.findElement(By.id("error-page")).getText()).contains("Not allowed", "ADMIN");
        assertThat(tenancy.visible(admin(), reseller.id()).name()).isEqualTo(reseller.name());
    }

    @Test
    void objectsOutsideTheAnalystsScopeAreNotFound() {
        signIn(analyst, PASSWORD);
        waitFor(By.id("signed-in-user"));

        open("/organizations/" + otherCustomer.id());
        assertThat(errorStatus()).isEqualTo("404");
        assertThat(driver.findElement(By.id("error-page")).getText()).contains("Page not found").doesNotContain(otherCustomer.name());

        open("/organizations/" + top().id());
        assertThat(errorStatus()).isEqualTo("404");

        open("/billing-profiles/" + otherProfile.id());
        assertThat(errorStatus()).isEqualTo("404");

        open("/organizations");
        List<String> names = driver.findElements(By.cssSelector("#organizations tbody tr td:first-child a")).stream()
                .map(WebElement::getText).toList();
        assertThat(names).containsExactly(reseller.name(), customer.name());
    }

    static BillingProfile.Details details(String name) {
        return new BillingProfile.Details(name, name + " GmbH", "Hauptstraße 1", null, "Berlin", "10115", null, "DE", "EUR", 30,
                List.of("billing@example.com"));
    }
}
