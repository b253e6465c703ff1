package dev.openpayer.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.LakePartition;
import dev.openpayer.invoicing.Invoice;
import dev.openpayer.invoicing.Invoicing;
import dev.openpayer.invoicing.Margins;
import dev.openpayer.invoicing.Reconciliations;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.AccountStatus;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The demo seeded on first start: tenants, users of each role, contracts, AWS accounts in the sandbox, and a
 * month-to-date report of the sandbox payer that turns the connected account Active.
 */
@SpringBootTest(properties = {"openpayer.demo=true", "openpayer.admin.email=admin@demo.test", "openpayer.admin.password=demo-admin-password"})
class DemoDataTest {
    @Autowired Tenancy tenancy;
    @Autowired UserAccounts users;
    @Autowired AccountOnboarding onboarding;
    @Autowired JdbcClient jdbc;
    @Autowired CurSources curSources;
    @Autowired CurIngestion curIngestion;
    @Autowired Invoicing invoicing;
    @Autowired Margins margins;
    @Autowired Reconciliations reconciliations;
    @Autowired java.time.Clock clock;

    @Test
    void aBelievableDistributorWithResellersCustomersAndAccounts() {
        var system = tenancy.system();
        assertThat(tenancy.list(system, new Tenancy.OrganizationQuery(null, OrganizationType.RESELLER, null, null))).hasSize(2);
        assertThat(tenancy.list(system, new Tenancy.OrganizationQuery(null, OrganizationType.CUSTOMER, null, null))).hasSize(5);
        assertThat(jdbc.sql("select count(*) from billing_profiles").query(Long.class).single()).isEqualTo(7);
        assertThat(jdbc.sql("select count(*) from contracts where status = 'ACTIVE'").query(Long.class).single()).isEqualTo(7);
        assertThat(jdbc.sql("select count(*) from price_books").query(Long.class).single()).isEqualTo(4);
        assertThat(jdbc.sql("select count(*) from cost_centers").query(Long.class).single()).isEqualTo(5);
        assertThat(jdbc.sql("select distinct role from users").query(String.class).list())
                .containsExactlyInAnyOrder("ADMIN", "BILLING_MANAGER", "ANALYST");
        assertThat(users.viewer("billing@cirrus.example")).isPresent();

        CurSource source = curSources.list(system).stream().filter(s -> s.location().contains("sandbox-cur")).findFirst().orElseThrow();
        assertThat(source.owner()).isEqualTo(CurSource.Owner.PAYER);
        assertThat(curIngestion.partitions(source.id())).isNotEmpty().allSatisfy(p -> assertThat(p.rows()).isPositive());
        assertThat(curIngestion.partitions(source.id())).extracting(LakePartition::billedCost).allSatisfy(c -> assertThat(c).isNotZero());

        await().atMost(Duration.ofSeconds(30)).until(() -> onboarding.list(system, null, null).stream().anyMatch(a -> a.status() == AccountStatus.ACTIVE));
        List<CustomerAccount> accounts = onboarding.list(system, null, null);
        assertThat(accounts).hasSize(5);
        assertThat(accounts).filteredOn(a -> a.status() == AccountStatus.INVITED).extracting(CustomerAccount::accountId).containsExactly("310000000002");
        assertThat(accounts).filteredOn(a -> "310000000001".equals(a.accountId())).singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE))
                .satisfies(a -> assertThat(a.health().status()).isEqualTo(CustomerAccount.HealthStatus.HEALTHY));
        assertThat(jdbc.sql("select count(*) from approval_policies where requires_approval = true").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void lastMonthIsInvoicedAtBothTiersAndTheResellerSeesItsCustomersInvoicesMarginAndABalancedReconciliation() {
        YearMonth lastMonth = YearMonth.now(clock).minusMonths(1);
        Viewer cirrusAdmin = users.viewer("admin@cirrus.example").orElseThrow();
        List<Invoice> invoices = invoicing.list(cirrusAdmin, lastMonth, null, null);
        assertThat(invoices).extracting(Invoice::customerName).contains("Acme Retail", "Cirrus Partners");
        Invoice acme = invoices.stream().filter(i -> i.customerName().equals("Acme Retail")).findFirst().orElseThrow();
        assertThat(acme.status()).isEqualTo(Invoice.Status.ISSUED);
        assertThat(acme.number()).isEqualTo("INV-000001");
        Invoice full = invoicing.visible(cirrusAdmin, acme.id());
        assertThat(full.priceBooks()).contains("Cirrus Standard v1");
        assertThat(full.currency()).isEqualTo("EUR");
        assertThat(full.lines()).extracting(Invoice.Line::description).contains("Cirrus Care support plan", "VAT 19 %");
        assertThat(full.total()).isEqualByComparingTo(full.lines().stream().map(Invoice.Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThat(full.subtotal()).isGreaterThan(full.costConverted());
        byte[] pdf = invoicing.pdf(cirrusAdmin, acme.id());
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

        Margins.Report report = margins.month(cirrusAdmin, lastMonth);
        assertThat(report.rows()).filteredOn(r -> r.customerName().equals("Acme Retail")).singleElement()
                .satisfies(r -> assertThat(r.margin()).isPositive());
        Reconciliations.Reconciliation reconciliation = reconciliations.month(cirrusAdmin, lastMonth);
        assertThat(reconciliation.balanced()).isTrue();
        assertThat(reconciliation.customers()).extracting(Reconciliations.CustomerRow::customerName).containsExactly("Acme Retail");
        assertThat(reconciliation.customers()).allSatisfy(c -> assertThat(c.difference()).isZero());
        Reconciliations.Reconciliation whole = reconciliations.month(system(), lastMonth);
        assertThat(whole.balanced()).isTrue();
        assertThat(whole.unassigned()).extracting(Reconciliations.Unassigned::accountId).contains("310000000009");
    }

    private Viewer system() {
        return users.viewer("admin@demo.test").orElseThrow();
    }
}
