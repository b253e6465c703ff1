package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.tenancy.ApiTokens;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserStatus;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/** API tokens, the audit log, user administration and the pages only top-tenant admins see. */
class AdministrationBrowserTest extends BrowserTest {

    @Autowired
    ApiTokens apiTokens;

    @Test
    void aTokenSecretIsShownOnceAndTheTokenCanBeRevoked() throws Exception {
        signInAsAdmin();

        open("/tokens");
        type(By.id("expiresInDays"), "soon");
        click(By.id("create-token"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=name]")).getText()).isEqualTo("must not be empty");
        assertThat(driver.findElement(By.cssSelector(".field-error[data-field=expiresInDays]")).getText()).contains("whole number");

        type(By.id("name"), "Reporting script");
        type(By.id("expiresInDays"), "soon");
        click(By.id("create-token"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=expiresInDays]")).getText()).contains("whole number");
        assertThat(apiTokens.mine(admin())).isEmpty();

        type(By.id("expiresInDays"), "30");
        click(By.id("create-token"));
        String secret = waitFor(By.id("token-secret")).getText();
        assertThat(secret).startsWith(ApiTokens.PREFIX);
        assertThat(apiTokens.authenticate(secret)).isPresent();
        assertThat(driver.findElement(By.id("tokens")).getText()).contains("Reporting script", secret.substring(0, 10));
        screenshot("tokens");

        driver.navigate().refresh();
        waitFor(By.id("tokens"));
        assertThat(driver.findElements(By.id("token-secret"))).isEmpty();

        click(By.cssSelector("#tokens button"));
        acceptConfirmation();
        assertThat(waitFor(By.id("notice")).getText()).contains("Revoked the token");
        assertThat(driver.findElement(By.id("tokens")).getText()).contains("Revoked");
        assertThat(apiTokens.authenticate(secret)).isEmpty();
    }

    @Test
    void theAuditLogFiltersByActionActorAndOrganisation() throws Exception {
        Organization reseller = reseller(unique("Audited reseller"));
        tenancy.rename(admin(), reseller.id(), reseller.name() + " renamed");
        signInAsAdmin();

        open("/audit");
        type(By.id("action"), "organization.renamed");
        select(By.id("organizationId"), reseller.name());
        click(By.id("filter"));

        waitFor(By.id("audit-events"));
        assertThat(driver.findElements(By.cssSelector("#audit-events tbody tr"))).hasSize(1);
        assertThat(driver.findElement(By.id("audit-events")).getText()).contains("organization.renamed", ADMIN_EMAIL, "Renamed");

        open("/audit");
        waitFor(By.id("audit-events"));
        screenshot("audit");

        open("/audit?actor=nobody-at-all");
        assertThat(waitFor(By.cssSelector(".empty")).getText()).contains("No changes match");

        open("/audit?from=2026-13-45");
        assertThat(waitFor(By.cssSelector(".field-error[data-field=from]")).getText()).contains("must be a date");
    }

    @Test
    void anAdminChangesARoleAndDeactivatesAndReactivatesAUser() throws Exception {
        Organization reseller = reseller(unique("Staffed reseller"));
        UserAccount user = activeUser(reseller, "staff-" + System.nanoTime() + "@example.com", Role.ANALYST, "staff password");
        signInAsAdmin();

        open("/organizations/" + reseller.id());
        click(By.id("manage-users"));
        waitFor(By.id("users")).findElement(By.linkText(user.email())).click();

        select(By.id("role"), "Billing manager");
        type(By.id("displayName"), "Stella Staff");
        click(By.id("save-user"));
        assertThat(waitFor(By.id("notice")).getText()).contains("Saved");
        assertThat(heading()).isEqualTo("Stella Staff");
        assertThat(userAccounts.visible(admin(), reseller.id(), user.id()).role()).isEqualTo(Role.BILLING_MANAGER);

        click(By.id("deactivate-user"));
        acceptConfirmation();
        waitForText(By.id("user-status"), "Deactivated");
        assertThat(userAccounts.visible(admin(), reseller.id(), user.id()).status()).isEqualTo(UserStatus.DEACTIVATED);

        click(By.id("reactivate-user"));
        waitForText(By.id("user-status"), "Active");

        screenshot("user");

        open("/users?role=BILLING_MANAGER");
        assertThat(waitFor(By.id("users")).getText()).contains(user.email());
        screenshot("users");
    }

    @Test
    void anInvitationForAnAddressInUseIsRefusedInline() {
        signInAsAdmin();

        open("/users/invite");
        type(By.id("email"), ADMIN_EMAIL);
        click(By.id("send-invitation"));

        assertThat(waitFor(By.cssSelector(".field-error[data-field=email]")).getText()).contains("already belongs to a user");
        assertThat(driver.findElement(By.id("email")).getAttribute("value")).isEqualTo(ADMIN_EMAIL);
    }

    @Test
    void sentMailIsOnlyForAdminsOfTheTopTenant() {
        Organization reseller = reseller(unique("Mailless reseller"));
        UserAccount resellerAdmin = activeUser(reseller, "reseller-admin-" + System.nanoTime() + "@example.com", Role.ADMIN, "reseller password");

        signIn(resellerAdmin.email(), "reseller password");
        waitFor(By.id("signed-in-user"));
        assertThat(driver.findElement(By.cssSelector(".nav")).getText()).contains("Users").doesNotContain("Sent mail");
        open("/mail");
        assertThat(errorStatus()).isEqualTo("403");
    }

    @Test
    void aUserDeactivatedWhileSignedInIsSentBackToTheSignInForm() {
        Organization reseller = reseller(unique("Deactivating reseller"));
        UserAccount user = activeUser(reseller, "signed-in-" + System.nanoTime() + "@example.com", Role.ANALYST, "signed in password");
        signIn(user.email(), "signed in password");
        waitFor(By.id("signed-in-user"));

        userAccounts.setActive(admin(), reseller.id(), user.id(), false);
        open("/organizations");

        waitFor(By.id("login-form"));
        assertThat(driver.findElements(By.id("signed-in-user"))).isEmpty();
        signIn(user.email(), "signed in password");
        assertThat(waitFor(By.id("login-disabled")).getText()).contains("not active");
    }
}
