package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

class SignInBrowserTest extends BrowserTest {

    @Test
    void aWrongPasswordIsRefusedWithAMessage() {
        signIn(ADMIN_EMAIL, "not-the-password");

        assertThat(waitFor(By.id("login-error")).getText()).contains("email address or password is not correct");
        assertThat(driver.getCurrentUrl()).endsWith("/login?error");
        assertThat(driver.findElements(By.id("signed-in-user"))).isEmpty();
    }

    @Test
    void signingInShowsTheDashboardAndSigningOutSaysSo() throws Exception {
        String reseller = reseller(unique("Recent reseller")).name();
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);

        assertThat(heading()).isEqualTo("Dashboard");
        assertThat(waitFor(By.id("signed-in-user")).getText()).isEqualTo(ADMIN_EMAIL);
        assertThat(driver.findElement(By.cssSelector(".nav")).getText())
                .contains("Dashboard", "Organizations", "Users", "Billing profiles", "Contracts", "Price books", "Cost centers", "Audit log",
                        "API tokens", "Sent mail");
        assertThat(waitFor(By.id("recent-activity")).getText()).contains("Created RESELLER \"" + reseller + "\"");
        screenshot("dashboard");

        signOut();

        assertThat(waitFor(By.id("login-signed-out")).getText()).contains("signed out");
        open("/organizations");
        waitFor(By.id("login-form"));
        assertThat(driver.getCurrentUrl()).contains("/login");
    }

    @Test
    void pagesNeedASignedInUser() {
        open("/billing-profiles");

        waitFor(By.id("login-form"));
        assertThat(driver.getCurrentUrl()).contains("/login");
    }

    @Test
    void anAddressNothingAnswersShowsTheNotFoundPage() {
        signInAsAdmin();

        open("/no-such-page");

        assertThat(errorStatus()).isEqualTo("404");
        assertThat(waitFor(By.id("signed-in-user")).getText()).isEqualTo(ADMIN_EMAIL);
    }
}
