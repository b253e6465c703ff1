package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserStatus;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

class InvitationBrowserTest extends BrowserTest {

    @Test
    void anInvitedUserActivatesHisAccountFromTheMailAndSignsIn() throws Exception {
        Organization reseller = reseller(unique("Inviting reseller"));
        String email = "invitee-" + System.nanoTime() + "@example.com";
        String password = "a long enough passphrase";
        signInAsAdmin();

        open("/organizations/" + reseller.id());
        click(By.id("invite-user"));
        assertThat(waitFor(By.cssSelector("#organizationId option:checked")).getText()).contains(reseller.name());
        type(By.id("email"), email);
        type(By.id("displayName"), "Ivy Invitee");
        select(By.id("role"), "Billing manager");
        click(By.id("send-invitation"));

        waitForText(By.id("page-title"), "Ivy Invitee");
        assertThat(driver.findElement(By.id("user-status")).getText()).isEqualTo("Invited");
        assertThat(driver.findElement(By.id("invitation-expiry")).getText()).endsWith("UTC");

        open("/mail");
        assertThat(waitFor(By.id("no-smtp")).getText()).contains("No SMTP server");
        driver.findElement(By.xpath("//table[@id='mails']//tr[td[normalize-space()='" + email + "']]//a")).click();
        assertThat(waitFor(By.id("mail-recipient")).getText()).isEqualTo(email);
        String link = waitFor(By.cssSelector("#mail-body a.mail-link")).getAttribute("href");
        assertThat(link).contains("/activate?token=");
        screenshot("mail");
        URI activation = URI.create(link);
        signOut();

        open(activation.getRawPath() + "?" + activation.getRawQuery());
        assertThat(waitFor(By.id("activation-email")).getText()).isEqualTo(email);
        screenshot("activation");

        type(By.id("password"), "too short");
        type(By.id("confirmPassword"), "too short");
        click(By.id("activate"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=password]")).getText()).contains("at least 12 characters");

        type(By.id("password"), password);
        type(By.id("confirmPassword"), password + " typo");
        click(By.id("activate"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field=confirmPassword]")).getText()).contains("does not match");
        assertThat(userAccounts.pendingActivation(activation.getRawQuery().substring("token=".length()))).isPresent();

        type(By.id("password"), password);
        type(By.id("confirmPassword"), password);
        click(By.id("activate"));
        assertThat(waitFor(By.id("login-activated")).getText()).contains("Your account is active");

        signIn(email, password);
        assertThat(waitFor(By.id("signed-in-user")).getText()).isEqualTo(email);
        assertThat(heading()).isEqualTo("Dashboard");
        assertThat(driver.findElement(By.cssSelector(".topbar .tenant")).getText()).contains(reseller.name());

        signOut();
        open(activation.getRawPath() + "?" + activation.getRawQuery());
        assertThat(waitFor(By.id("invalid-link")).getText()).contains("cannot be used");
    }

    @Test
    void anAdminResendsAndRevokesAnInvitation() {
        Organization reseller = reseller(unique("Revoking reseller"));
        UserAccount invited = userAccounts.invite(admin(), reseller.id(), "revoked-" + System.nanoTime() + "@example.com", null,
                dev.openpayer.tenancy.Role.ANALYST);
        signInAsAdmin();

        open("/organizations/" + reseller.id() + "/users/" + invited.id());
        click(By.id("resend-invitation"));
        assertThat(waitFor(By.id("notice")).getText()).contains("Sent a new activation link");

        click(By.id("revoke-invitation"));
        acceptConfirmation();
        waitForText(By.id("user-status"), "Revoked");
        assertThat(userAccounts.visible(admin(), reseller.id(), invited.id()).status()).isEqualTo(UserStatus.REVOKED);
        assertThat(driver.findElements(By.id("resend-invitation"))).isEmpty();
    }

    @Test
    void aBrokenActivationLinkSaysSo() {
        open("/activate?token=not-a-real-token");

        assertThat(waitFor(By.id("invalid-link")).getText()).contains("invalid, has already been used", "resend the invitation");
    }
}
