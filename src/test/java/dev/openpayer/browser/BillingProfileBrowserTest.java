package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

class BillingProfileBrowserTest extends BrowserTest {

    @Autowired
    BillingProfiles billingProfiles;

    @Test
    void anAdminCreatesAProfileAfterCorrectingEveryFieldShownInline() throws Exception {
        Organization reseller = reseller(unique("Billed reseller"));
        Organization customer = customer(unique("Billed customer"), reseller);
        signInAsAdmin();

        open("/organizations/" + customer.id());
        click(By.id("add-billing-profile"));
        assertThat(waitFor(By.cssSelector("#organizationId option:checked")).getText()).contains(customer.name());
        type(By.id("name"), "Main account");
        type(By.id("legalName"), "Billed Customer SARL");
        type(By.id("addressLine1"), "1 rue de la Paix");
        type(By.id("city"), "Paris");
        type(By.id("postalCode"), "75002");
        type(By.id("country"), "XX");
        type(By.id("currency"), "ABC");
        type(By.id("paymentTermsDays"), "thirty");
        type(By.id("contactEmails"), "billing@example.com, not-an-address");
        click(By.id("create-billing-profile"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=country]")).getText()).contains("ISO 3166");
        assertThat(driver.findElement(By.cssSelector(".field-error[data-field=currency]")).getText()).contains("ISO 4217");
        assertThat(driver.findElement(By.cssSelector(".field-error[data-field=paymentTermsDays]")).getText()).contains("whole number");
        assertThat(driver.findElement(By.cssSelector(".field-error[data-field=contactEmails]")).getText()).contains("not-an-address");
        assertThat(driver.findElement(By.id("city")).getAttribute("value")).isEqualTo("Paris");
        assertThat(billingProfiles.list(admin(), customer.id())).isEmpty();
        screenshot("billing-profile-errors");

        type(By.id("country"), "fr");
        type(By.id("currency"), "eur");
        type(By.id("paymentTermsDays"), "45");
        type(By.id("contactEmails"), "billing@example.com, finance@example.com");
        click(By.id("create-billing-profile"));

        waitForText(By.id("page-title"), "Main account");
        assertThat(driver.findElement(By.id("breadcrumb")).getText()).contains(reseller.name(), customer.name());
        assertThat(driver.findElement(By.id("country")).getAttribute("value")).isEqualTo("FR");
        assertThat(driver.findElement(By.id("paymentTermsDays")).getAttribute("value")).isEqualTo("45");

        type(By.id("paymentTermsDays"), "400");
        click(By.id("save-billing-profile"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=paymentTermsDays]")).getText()).contains("between 0 and 365");
        assertThat(billingProfiles.list(admin(), customer.id()).getFirst().paymentTermsDays()).isEqualTo(45);

        type(By.id("paymentTermsDays"), "60");
        click(By.id("save-billing-profile"));
        assertThat(waitFor(By.id("notice")).getText()).contains("Saved billing profile");
        assertThat(billingProfiles.list(admin(), customer.id()).getFirst().paymentTermsDays()).isEqualTo(60);

        open("/billing-profiles");
        assertThat(waitFor(By.id("billing-profiles")).getText()).contains("Main account", customer.name(), "EUR", "60 days");
    }

    @Test
    void anAdminAssignsUsersOfTheProfilesOrganisationAndThoseAboveIt() throws Exception {
        Organization reseller = reseller(unique("Assigning reseller"));
        Organization customer = customer(unique("Assigned customer"), reseller);
        Organization sibling = customer(unique("Sibling customer"), reseller);
        BillingProfile profile = billingProfiles.create(admin(), customer.id(), AnalystBrowserTest.details("Assigned profile"));
        UserAccount manager = activeUser(reseller, "manager-" + System.nanoTime() + "@example.com", Role.BILLING_MANAGER, "manager password");
        UserAccount member = activeUser(customer, "member-" + System.nanoTime() + "@example.com", Role.ANALYST, "member password");
        UserAccount outsider = activeUser(sibling, "outsider-" + System.nanoTime() + "@example.com", Role.ANALYST, "outsider password");
        signInAsAdmin();

        open("/billing-profiles/" + profile.id());
        String candidates = waitFor(By.id("assignment-form")).getText();
        assertThat(candidates).contains(manager.email(), member.email()).doesNotContain(outsider.email());
        click(By.id("assign-" + manager.id()));
        click(By.id("assign-" + member.id()));
        click(By.id("save-assignments"));

        assertThat(waitFor(By.id("notice")).getText()).contains("Assigned \"Assigned profile\"", manager.email(), member.email());
        assertThat(billingProfiles.assignees(admin(), profile.id())).extracting(UserAccount::id).containsExactlyInAnyOrder(manager.id(), member.id());
        assertThat(driver.findElement(By.id("assign-" + manager.id())).isSelected()).isTrue();
        screenshot("billing-profile");

        open("/organizations/" + reseller.id() + "/users/" + manager.id());
        assertThat(waitFor(By.id("assigned-profiles")).getText()).contains("Assigned profile");
        open("/users");
        assertThat(waitFor(By.id("users")).getText()).contains(manager.email(), "Assigned profile");

        open("/billing-profiles/" + profile.id());
        click(By.id("deactivate"));
        acceptConfirmation();
        waitFor(By.id("inactive-badge"));
        assertThat(billingProfiles.visible(admin(), profile.id()).active()).isFalse();
    }

    @Test
    void aBillingManagerEditsHisProfileButCannotAssignOrDeactivate() {
        Organization customer = customer(unique("Managed customer"), reseller(unique("Managing reseller")));
        BillingProfile profile = billingProfiles.create(admin(), customer.id(), AnalystBrowserTest.details("Managed profile"));
        UserAccount manager = activeUser(customer, "own-manager-" + System.nanoTime() + "@example.com", Role.BILLING_MANAGER, "manager password");
        billingProfiles.assign(admin(), profile.id(), List.of(manager.id()));

        signIn(manager.email(), "manager password");
        waitFor(By.id("signed-in-user"));
        open("/billing-profiles/" + profile.id());
        type(By.id("city"), "Hamburg");
        click(By.id("save-billing-profile"));

        assertThat(waitFor(By.id("notice")).getText()).contains("Saved");
        assertThat(billingProfiles.visible(admin(), profile.id()).city()).isEqualTo("Hamburg");
        assertThat(driver.findElements(By.id("assignment-form"))).isEmpty();
        assertThat(driver.findElements(By.id("deactivate"))).isEmpty();
        assertThat(waitFor(By.id("assignees")).getText()).contains(manager.email());
    }
}
