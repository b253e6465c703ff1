package dev.openpayer.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.LakePartition;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.AccountStatus;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccounts;
import java.time.Duration;
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
        assertThat(accounts).extracting(CustomerAccount::status).containsExactlyInAnyOrder(AccountStatus.ACTIVE, AccountStatus.INVITED);
        assertThat(accounts).filteredOn(a -> a.status() == AccountStatus.ACTIVE).singleElement()
                .satisfies(a -> assertThat(a.health().status()).isEqualTo(CustomerAccount.HealthStatus.HEALTHY));
        assertThat(jdbc.sql("select count(*) from approval_policies where requires_approval = true").query(Long.class).single()).isEqualTo(1);
    }
}
