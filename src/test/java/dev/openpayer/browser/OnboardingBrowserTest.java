package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.AccountStatus;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The onboarding console against the sandbox organisation: invite, accept, role, health; refusals; approvals; bulk; payers. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnboardingBrowserTest extends BrowserTest {
    private static final String PASSWORD = "onboarding in the browser";

    @Autowired BillingProfiles billingProfiles;
    @Autowired Contracts contracts;
    @Autowired AccountOnboarding onboarding;
    @Autowired JdbcClient jdbc;

    private Organization reseller;
    private Organization customer;
    private BillingProfile profile;
    private String resellerAdmin;
    private String billingManager;
    private String analyst;

    @BeforeEach
    void tenants() {
        reseller = reseller(unique("Onboarding reseller"));
        customer = customer(unique("Onboarding customer"), reseller);
        profile = billingProfiles.create(admin(), customer.id(), new BillingProfile.Details(unique("Cloud profile"), "Cloud GmbH", "Hauptstraße 1", null,
                "Berlin", "10115", null, "DE", "EUR", 30, List.of("billing@cloud.example")));
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusMonths(1);
        contracts.create(admin(), reseller.id(), customer.id(), new Contracts.Details(null, start, null, ContractStatus.ACTIVE));
        String suffix = Long.toString(System.nanoTime());
        resellerAdmin = "reseller-admin-" + suffix + "@example.com";
        billingManager = "billing-manager-" + suffix + "@example.com";
        analyst = "analyst-" + suffix + "@example.com";
        activeUser(reseller, resellerAdmin, Role.ADMIN, PASSWORD);
        UserAccount manager = activeUser(reseller, billingManager, Role.BILLING_MANAGER, PASSWORD);
        UserAccount reader = activeUser(reseller, analyst, Role.ANALYST, PASSWORD);
        billingProfiles.assign(admin(), profile.id(), List.of(manager.id(), reader.id()));
    }

    /** A random 12-digit ID the sandbox treats as an ordinary stand-alone account. */
    private static String randomAccountId() {
        return "4" + String.format("%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
    }

    private static String dashed(String id) {
        return id.substring(0, 4) + "-" + id.substring(4, 8) + "-" + id.substring(8);
    }

    private void signInAs(String email) {
        signIn(email, PASSWORD);
        waitFor(By.id("signed-in-user"));
    }

    /** Fills the "Add account" form for an invitation and submits it. */
    private void requestInvitation(String accountId) {
        open("/aws/accounts/new");
        assertThat(heading()).isEqualTo("Add AWS account");
        select(By.id("billingProfileId"), profile.name());
        type(By.id("accountId"), accountId);
        type(By.id("notes"), "Welcome to consolidated billing");
        click(By.id("submit-account"));
    }

    /** Submits a POST with the page's CSRF token and nothing else, as a hand-made request would. */
    private static final String FORGED_POST = """
            const form = document.createElement('form');
            form.method = 'post';
            form.action = arguments[0];
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = document.querySelector('meta[name=_csrf_parameter]').content;
            input.value = document.querySelector('meta[name=_csrf]').content;
            form.appendChild(input);
            document.body.appendChild(form);
            form.submit();
            """;

    private String accountStatus() {
        return waitFor(By.id("account-status")).getAttribute("data-status");
    }

    private List<String> timeline() {
        return driver.findElements(By.cssSelector("#timeline li")).stream().map(WebElement::getText).toList();
    }

    @Test
    @Order(1)
    void anInvitedAccountIsAcceptedInTheSandboxGetsItsRoleAndTurnsHealthy() throws Exception {
        String awsId = randomAccountId();
        signInAs(billingManager);
        click(By.id("nav-aws-accounts"));
        assertThat(heading()).isEqualTo("AWS accounts");
        click(By.id("add-account"));
        waitFor(By.id("account-form"));
        assertThat(driver.findElement(By.id("type-invite")).isSelected()).isTrue();
        assertThat(driver.findElement(By.id("accountName")).isDisplayed()).as("account name only for new accounts").isFalse();
        select(By.id("billingProfileId"), profile.name());
        type(By.id("accountId"), dashed(awsId));
        type(By.id("notes"), "Welcome to consolidated billing");
        click(By.id("submit-account"));

        waitForText(By.id("page-title"), awsId);
        assertThat(accountStatus()).isEqualTo("INVITED");
        assertThat(driver.findElement(By.id("account-status")).getText()).isEqualTo("Invited, waiting for the account owner");
        assertThat(driver.findElement(By.id("payer-label")).getText()).isEqualTo("Sandbox");
        assertThat(driver.findElement(By.id("handshake-id")).getText()).startsWith("h-");
        assertThat(driver.findElement(By.id("data-delay")).getText()).contains("24–72 hours");
        assertThat(driver.findElement(By.id("health-badge")).getText()).isEqualTo("Unknown");
        assertThat(driver.findElement(By.cssSelector("#sandbox .card-header")).getText()).contains("Sandbox — plays the account owner's part");
        assertThat(controls()).contains("Refresh", "Resend", "Cancel", "Accept as account owner", "Decline");
        assertThat(driver.findElement(By.id("no-quick-create")).getText()).contains("openpayer.aws.template-url");
        assertThat(driver.findElement(By.id("external-id")).getText()).startsWith("op-");
        String template = driver.findElement(By.id("download-template")).getAttribute("href");
        assertThat(template).endsWith("/template");

        click(By.id("sandbox-accept"));
        waitForText(By.id("notice"), "accepted the invitation");
        assertThat(accountStatus()).isEqualTo("JOINED");
        assertThat(controls()).contains("Create the role (simulate the CloudFormation stack)", "…without the external-ID condition")
                .doesNotContain("Accept as account owner");

        click(By.id("sandbox-role"));
        waitForText(By.id("notice"), "created the role");
        assertThat(accountStatus()).isEqualTo("CONNECTED");
        WebElement badge = driver.findElement(By.id("health-badge"));
        assertThat(badge.getText()).isEqualTo("Healthy");
        assertThat(badge.getAttribute("class")).contains("health-healthy");
        assertThat(driver.findElement(By.id("health-reason")).getText()).contains("external ID");
        assertThat(driver.findElement(By.id("roleArn")).getAttribute("value")).isEqualTo("arn:aws:iam::" + awsId + ":role/OpenPayerReadOnly");
        assertThat(driver.findElement(By.cssSelector("#checklist li[data-step='Read-only cross-account role verified'] .mark")).getText()).isEqualTo("✓");
        assertThat(driver.findElement(By.cssSelector("#checklist li[data-step='Cost data flowing'] .mark")).getText()).isEqualTo("✗");
        List<String> kinds = driver.findElements(By.cssSelector("#timeline li")).stream().map(li -> li.getAttribute("data-kind")).toList().reversed();
        assertThat(kinds).containsSubsequence("requested", "invited", "accepted", "joined", "sandbox", "role-set", "role-verified");
        assertThat(String.join("\n", timeline())).contains(billingManager, "Sent the invitation");
        screenshot("aws-account-connected");
        assertThat((Boolean) script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")).as("no sideways scrolling").isTrue();
        script("document.getElementById('role-section').scrollIntoView()");
        screenshot("aws-account-connected-role");

        open("/aws/accounts");
        WebElement row = waitFor(By.cssSelector("#accounts tr[data-account-id='" + awsId + "']"));
        assertThat(row.getText()).contains(customer.name(), "Connected", "Sandbox", "Healthy");
        assertThat(row.findElement(By.cssSelector(".health")).getAttribute("title")).contains("external ID");

        String body = (String) script("""
                const r = new XMLHttpRequest();
                r.open('GET', arguments[0], false);
                r.send();
                return r.getResponseHeader('Content-Disposition') + '\\n' + r.responseText;
                """, template);
        assertThat(body).contains("attachment", ".yaml", "AWSTemplateFormatVersion", "sts:ExternalId");
    }

    @Test
    @Order(2)
    void aRefusedInvitationShowsWhatFixesItAndLeadsToTheBulkInvitation() throws Exception {
        signInAs(billingManager);
        requestInvitation("111111111111");
        waitFor(By.id("refusal"));
        assertThat(accountStatus()).isEqualTo("REFUSED");
        assertThat(driver.findElement(By.id("refusal-title")).getText()).isEqualTo("The account already belongs to an organisation");
        assertThat(driver.findElement(By.id("refusal-remedy")).getText()).contains("leave its current organisation");
        assertThat(driver.findElement(By.id("aws-message")).getText()).isNotBlank();
        assertThat(driver.findElements(By.id("bulk-former-members"))).isEmpty();
        assertThat(driver.findElements(By.id("sandbox-accept"))).isEmpty();

        requestInvitation("222222222222");
        waitFor(By.id("refusal"));
        assertThat(driver.findElement(By.id("refusal-explanation")).getText()).contains("management account of another organisation");
        assertThat(driver.findElement(By.id("refusal-remedy")).getText()).contains("delete the organisation");
        screenshot("aws-account-refused");
        click(By.id("bulk-former-members"));
        waitForPath("/aws/accounts/bulk");
        assertThat(heading()).isEqualTo("Invite many AWS accounts");
        WebElement chosen = driver.findElement(By.cssSelector("#billingProfileId option:checked"));
        assertThat(chosen.getAttribute("value")).isEqualTo(profile.id().toString());
    }

    @Test
    @Order(3)
    void requestsWaitForTheResellersApprovalAndAreApprovedOrDeclinedWithAReason() {
        signInAs(resellerAdmin);
        open("/organizations/" + reseller.id());
        WebElement policy = waitFor(By.id("requires-approval"));
        assertThat(policy.isSelected()).isFalse();
        policy.click();
        click(By.id("save-approval-policy"));
        waitForText(By.id("notice"), "now wait for its approval");
        assertThat(waitFor(By.id("requires-approval")).isSelected()).isTrue();
        signOut();

        String approved = randomAccountId();
        String declined = randomAccountId();
        signInAs(billingManager);
        assertThat(driver.findElements(By.id("nav-approvals"))).isEmpty();
        requestInvitation(approved);
        waitForText(By.id("notice"), "waits for approval");
        assertThat(accountStatus()).isEqualTo("REQUESTED");
        assertThat(driver.findElement(By.cssSelector("#checklist li[data-step='Approved']")).getText()).contains("approvals inbox of " + reseller.name());
        requestInvitation(declined);
        waitForText(By.id("notice"), "waits for approval");
        String declinedPage = driver.getCurrentUrl();
        signOut();

        signInAs(resellerAdmin);
        assertThat(waitFor(By.id("approvals-count")).getText()).isEqualTo("2");
        click(By.id("nav-approvals"));
        assertThat(heading()).isEqualTo("Approvals");
        WebElement first = waitFor(By.cssSelector("#approvals tr[data-account-id='" + approved + "']"));
        assertThat(first.getText()).contains(billingManager, customer.name(), approved);
        first.findElement(By.cssSelector("button.approve")).click();
        waitForText(By.id("notice"), "Approved AWS account " + approved);
        assertThat(driver.findElements(By.cssSelector("#approvals tr[data-account-id='" + approved + "']"))).isEmpty();

        By declinedRow = By.cssSelector("#approvals tr[data-account-id='" + declined + "']");
        waitFor(declinedRow).findElement(By.cssSelector("button.decline")).click();
        waitFor(By.cssSelector(declinedRowCss(declined) + " .field-error"));
        assertThat(driver.findElement(By.cssSelector(declinedRowCss(declined) + " .field-error")).getText()).contains("say why");
        WebElement reason = driver.findElement(By.cssSelector(declinedRowCss(declined) + " input.reason"));
        reason.sendKeys("This account belongs to another department");
        driver.findElement(By.cssSelector(declinedRowCss(declined) + " button.decline")).click();
        waitForText(By.id("notice"), "Declined the request");
        waitFor(By.id("no-approvals"));
        signOut();

        signInAs(billingManager);
        open("/aws/accounts?customerId=" + customer.id());
        assertThat(waitFor(By.cssSelector("#accounts tr[data-account-id='" + approved + "']")).getText()).contains("Invited");
        driver.get(declinedPage);
        assertThat(accountStatus()).isEqualTo("DECLINED");
        assertThat(driver.findElement(By.id("decline-reason")).getText()).isEqualTo("This account belongs to another department");
        assertThat(onboarding.list(admin(), customer.id(), AccountStatus.INVITED)).extracting(CustomerAccount::accountId).containsExactly(approved);
    }

    private static String declinedRowCss(String accountId) {
        return "#approvals tr[data-account-id='" + accountId + "']";
    }

    @Test
    @Order(4)
    void aBulkInvitationShowsOneOutcomePerLine() throws Exception {
        String first = randomAccountId();
        String second = randomAccountId();
        String uploaded = randomAccountId();
        Path csv = Files.createTempFile("accounts", ".csv");
        Files.writeString(csv, "account_id\n" + uploaded + "\n");
        try {
            signInAs(billingManager);
            open("/aws/accounts");
            click(By.id("bulk-invite"));
            waitFor(By.id("bulk-form"));
            select(By.id("billingProfileId"), profile.name());
            type(By.id("accountIds"), first + "\n" + dashed(second) + "\n12345\n111111111111\n" + first);
            driver.findElement(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
            click(By.id("submit-bulk"));

            assertThat(heading()).isEqualTo("Invitations sent");
            List<WebElement> rows = driver.findElements(By.cssSelector("#outcomes tbody tr"));
            assertThat(rows).extracting(r -> r.getAttribute("data-input"))
                    .containsExactly(first, dashed(second), "12345", "111111111111", first, uploaded);
            assertThat(rows.get(0).getText()).contains("Invited", "Handshake h-");
            assertThat(rows.get(1).getText()).contains(second, "Invited");
            assertThat(rows.get(2).getText()).contains("Error", "exactly 12 digits");
            assertThat(rows.get(3).getText()).contains("Refused by AWS", "The account already belongs to an organisation");
            assertThat(rows.get(4).getText()).contains("Error", "listed twice");
            assertThat(rows.get(5).getText()).contains("Invited");
            assertThat(driver.findElement(By.id("invited-count")).getText()).isEqualTo("3");
            assertThat(driver.findElement(By.id("failed-count")).getText()).isEqualTo("3");
        } finally {
            Files.deleteIfExists(csv);
        }

        open("/aws/accounts/bulk");
        click(By.id("submit-bulk"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field='accountIds']")).getText()).contains("no account IDs found");
    }

    @Test
    @Order(5)
    void aCustomerWithoutAContractIsExplainedAtTheTopOfTheFormWithTheInputKept() {
        Organization uncontracted = customer(unique("Customer without contract"), reseller);
        BillingProfile bare = billingProfiles.create(admin(), uncontracted.id(), new BillingProfile.Details(unique("Bare profile"), "Bare GmbH",
                "Hauptstraße 2", null, "Berlin", "10115", null, "DE", "EUR", 30, List.of("billing@bare.example")));
        String awsId = randomAccountId();
        signInAs(resellerAdmin);
        open("/aws/accounts/new");
        select(By.id("billingProfileId"), bare.name());
        type(By.id("accountId"), "1234-5678");
        click(By.id("submit-account"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field='accountId']")).getText()).contains("exactly 12 digits");

        type(By.id("accountId"), awsId);
        click(By.id("submit-account"));
        assertThat(waitFor(By.id("precondition")).getText()).contains("cannot be added yet", "contract");
        assertThat(driver.findElement(By.id("accountId")).getAttribute("value")).isEqualTo(awsId);
        assertThat(driver.findElement(By.cssSelector("#billingProfileId option:checked")).getText()).contains(bare.name());
        assertThat(onboarding.list(admin(), uncontracted.id(), null)).isEmpty();
    }

    @Test
    @Order(6)
    void anAnalystSeesTheAccountsButNoControlsAndAForgedActionIsForbidden() {
        CustomerAccount account = onboarding.request(userAccounts.viewer(billingManager).orElseThrow(), new AccountOnboarding.Request(
                CustomerAccount.ConnectionType.INVITE, profile.id(), randomAccountId(), null, null, null, null, null, null, null));
        signInAs(analyst);
        assertThat(driver.findElement(By.cssSelector(".nav")).getText()).contains("AWS accounts").doesNotContain("Approvals", "Payer accounts");
        for (String path : List.of("/aws/accounts", "/aws/accounts/" + account.id(), "/organizations/" + customer.id())) {
            open(path);
            waitFor(By.id("page-title"));
            assertNoneOf(controls(), "Add", "Invite", "Resend", "Cancel", "Refresh", "Accept", "Decline", "Verify", "Check now", "Save", "Create");
        }
        open("/aws/accounts/" + account.id());
        assertThat(driver.findElements(By.id("sandbox"))).isEmpty();
        assertThat(driver.findElements(By.id("role-form"))).isEmpty();
        script("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                const input = document.createElement('input');
                input.type = 'hidden';
                input.name = document.querySelector('meta[name=_csrf_parameter]').content;
                input.value = document.querySelector('meta[name=_csrf]').content;
                form.appendChild(input);
                document.body.appendChild(form);
                form.submit();
                """, "/aws/accounts/" + account.id() + "/sandbox/accept");
        assertThat(errorStatus()).isEqualTo("403");
        open("/aws/accounts/" + account.id());
        waitFor(By.id("page-title"));
        script(FORGED_POST, "/aws/accounts/" + account.id() + "/refresh");
        assertThat(errorStatus()).isEqualTo("403");
        assertThat(onboarding.visible(admin(), account.id()).status()).isEqualTo(AccountStatus.INVITED);

        open("/aws/accounts/new");
        assertThat(errorStatus()).isEqualTo("403");
        open("/aws/payers");
        assertThat(errorStatus()).isEqualTo("403");
    }

    @Test
    @Order(7)
    void aCustomerAdminAcceptsTheTermsOnTheOrganisationPage() {
        Organization lux = customer(unique("Luxembourg customer"), reseller);
        billingProfiles.create(admin(), lux.id(), new BillingProfile.Details(unique("Lux profile"), "Lux SA", "Rue 1", null, "Luxembourg", "1111", null,
                "LU", "EUR", 30, List.of("billing@lux.example")));
        String luxAdmin = "lux-admin-" + System.nanoTime() + "@example.com";
        activeUser(lux, luxAdmin, Role.ADMIN, PASSWORD);

        signInAsAdmin();
        click(By.id("nav-terms"));
        assertThat(heading()).isEqualTo("Terms and conditions");
        type(By.id("territory"), "XX");
        type(By.id("title"), "Luxembourg reseller terms");
        type(By.id("body"), "You pay us; we pay AWS.");
        click(By.id("publish-terms"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field='territory']")).getText()).contains("ISO 3166");
        type(By.id("territory"), "LU");
        click(By.id("publish-terms"));
        waitForText(By.id("notice"), "Published version");
        assertThat(driver.findElement(By.id("terms-versions")).getText()).contains("LU", "Luxembourg reseller terms");
        signOut();

        signInAs(luxAdmin);
        open("/organizations/" + lux.id());
        WebElement row = waitFor(By.cssSelector("#terms tr[data-country='LU']"));
        assertThat(row.getText()).contains("Luxembourg reseller terms", "version");
        row.findElement(By.cssSelector("button.accept-terms")).click();
        waitForText(By.id("notice"), "Accepted version");
        assertThat(waitFor(By.cssSelector("#terms tr[data-country='LU'] .terms-accepted")).getText()).contains("by " + luxAdmin);
    }

    @Test
    @Order(8)
    void aPayerIsRegisteredWithInlineErrorsAndItsConnectionTestedAgainstTheSandbox() {
        // The sandbox organisation's management account: the test connection finds the organisation it expects.
        String payerAccount = "999999999999";
        signInAsAdmin();
        click(By.id("nav-payers"));
        assertThat(heading()).isEqualTo("Payer accounts");
        click(By.id("register-payer"));
        type(By.id("accountId"), "12345");
        type(By.id("name"), "Main payer");
        type(By.id("allowedCountries"), "DE, ZZ");
        click(By.id("save-payer"));
        assertThat(waitFor(By.cssSelector(".field-error[data-field='accountId']")).getText()).contains("exactly 12 digits");
        assertThat(driver.findElement(By.cssSelector(".field-error[data-field='allowedCountries']")).getText()).contains("ZZ");
        assertThat(driver.findElement(By.id("name")).getAttribute("value")).isEqualTo("Main payer");

        type(By.id("accountId"), dashed(payerAccount));
        type(By.id("allowedCountries"), "DE");
        click(By.id("save-payer"));
        waitForText(By.id("notice"), "Registered payer account");
        try {
            click(By.id("test-connection"));
            assertThat(waitFor(By.id("test-result")).getText()).contains("Connected to the Sandbox organisation");
            assertThat(driver.findElement(By.id("notice")).getText()).isEqualTo("The connection works.");
            assertThat(driver.findElement(By.id("test-organization")).getText()).startsWith("o-");
            assertThat(driver.findElement(By.id("test-email")).getText()).isEqualTo("payer@sandbox.openpayer.invalid");
            open("/aws/payers");
            assertThat(waitFor(By.id("payers")).getText()).contains("Main payer", payerAccount, "OK");
        } finally {
            // Other browser tests share this application: leave it without payer accounts, inviting into the sandbox.
            jdbc.sql("delete from payer_account_resellers where payer_id in (select id from payer_accounts where account_id = ?)").param(payerAccount).update();
            jdbc.sql("delete from payer_accounts where account_id = ?").param(payerAccount).update();
        }
    }
}
