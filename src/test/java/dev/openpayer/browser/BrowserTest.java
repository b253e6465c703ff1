package dev.openpayer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Runs the whole application on a random port with a fresh in-memory H2 database and drives Debian's
 * headless Chromium through it. One browser per test class; every test starts signed out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class BrowserTest {
    protected static final String ADMIN_EMAIL = "admin@browser.test";
    protected static final String ADMIN_PASSWORD = "browser-admin-password";
    private static final String DATABASE = "jdbc:h2:mem:browser-" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    protected static WebDriver driver;
    private static Path profileDir;

    @LocalServerPort
    protected int port;

    @Autowired
    protected Tenancy tenancy;

    @Autowired
    protected UserAccounts userAccounts;

    @DynamicPropertySource
    static void application(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("openpayer.admin.email", () -> ADMIN_EMAIL);
        registry.add("openpayer.admin.password", () -> ADMIN_PASSWORD);
        registry.add("openpayer.distributor-name", () -> "Browser Distribution");
        registry.add("openpayer.mail.smtp.host", () -> "");
        registry.add("openpayer.sandbox.invitations-per-day", () -> "100000");
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        profileDir = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1440,1000",
                "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profileDir != null) {
            FileSystemUtils.deleteRecursively(profileDir);
        }
    }

    @BeforeEach
    void signedOut() {
        open("/login");
        driver.manage().deleteAllCookies();
    }

    // ----- navigation -----

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected void open(String path) {
        driver.get(url(path));
    }

    /**
     * A wait that looks again when the page changes under it: an element found on the page being left is stale (or, in
     * Chromium, "does not belong to the document") a moment later, which says nothing about the page that comes.
     */
    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, TIMEOUT);
        wait.ignoring(StaleElementReferenceException.class);
        wait.ignoring(WebDriverException.class);
        return wait;
    }

    protected WebElement waitFor(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    protected void waitForPath(String path) {
        waiting().until(d -> d.getCurrentUrl().startsWith(url(path)));
    }

    protected void waitForText(By by, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /**
     * Clicks; when the element submits a form or follows a link (and asks no confirmation), waits a moment for the page it
     * was on to go, so that what the test reads next is the new page, not the old one.
     */
    protected void click(By by) {
        WebElement element = waiting().until(ExpectedConditions.elementToBeClickable(by));
        boolean leaves = Boolean.TRUE.equals(script(LEAVES_PAGE, element));
        element.click();
        if (leaves) {
            try {
                new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.stalenessOf(element));
            } catch (TimeoutException e) {
                // stayed on the page (a download, a form the browser itself refused): nothing to wait for
            }
        }
    }

    private static final String LEAVES_PAGE = """
            const e = arguments[0];
            const htmx = el => !!el && [...el.attributes].some(a => a.name.startsWith('hx-'));
            if (e.closest('[data-confirm]') || (e.form && e.form.hasAttribute('data-confirm')) || htmx(e) || htmx(e.form)) return false;
            if (e.tagName === 'A') {
              const h = e.getAttribute('href');
              return !!h && !h.startsWith('#') && !h.startsWith('javascript:') && !e.hasAttribute('download') && !e.getAttribute('target');
            }
            if (e.tagName === 'BUTTON') return (e.getAttribute('type') || 'submit') === 'submit' && !!e.form;
            if (e.tagName === 'INPUT') return e.type === 'submit' && !!e.form;
            return false;""";

    protected void type(By by, String text) {
        WebElement field = waitFor(by);
        field.clear();
        field.sendKeys(text);
    }

    protected void select(By by, String visibleTextContains) {
        WebElement element = waitFor(by);
        element.findElements(By.tagName("option")).stream()
                .filter(o -> o.getText().contains(visibleTextContains))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no option containing \"" + visibleTextContains + "\" in " + by))
                .click();
    }

    /** Accepts the "are you sure?" dialog that a destructive button opens. */
    protected void acceptConfirmation() {
        new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.alertIsPresent()).accept();
    }

    protected String heading() {
        return waitFor(By.id("page-title")).getText();
    }

    /** The status shown by the console's error page. */
    protected String errorStatus() {
        return waitFor(By.id("error-page")).getAttribute("data-status");
    }

    /** Texts of all buttons and button-like links on the page. */
    protected List<String> controls() {
        return driver.findElements(By.cssSelector("button, a.btn, input[type=submit]")).stream().map(WebElement::getText).toList();
    }

    protected Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(code, arguments);
    }

    protected void screenshot(String name) throws IOException {
        Path target = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(target.getParent());
        File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    // ----- signing in -----

    protected void signIn(String email, String password) {
        open("/login");
        type(By.id("username"), email);
        type(By.id("password"), password);
        click(By.id("sign-in"));
    }

    protected void signInAsAdmin() {
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        waitFor(By.id("signed-in-user"));
    }

    protected void signOut() {
        click(By.id("sign-out"));
        waitFor(By.id("login-signed-out"));
    }

    // ----- data set up through the services -----

    protected Viewer admin() {
        return userAccounts.viewer(ADMIN_EMAIL).orElseThrow();
    }

    protected Organization top() {
        return tenancy.top().orElseThrow();
    }

    protected Organization reseller(String name) {
        return tenancy.create(admin(), OrganizationType.RESELLER, name, top().id());
    }

    protected Organization customer(String name, Organization parent) {
        return tenancy.create(admin(), OrganizationType.CUSTOMER, name, parent.id());
    }

    protected UserAccount activeUser(Organization organization, String email, Role role, String password) {
        return userAccounts.createActive(organization.id(), email, null, role, password);
    }

    protected static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static void assertNoneOf(List<String> texts, String... forbidden) {
        for (String word : forbidden) {
            assertThat(texts).as("controls on the page").noneMatch(t -> t.contains(word));
        }
    }
}
