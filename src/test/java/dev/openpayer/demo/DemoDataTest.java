package dev.openpayer.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.AccountStatus;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccounts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The demo seeded on first start: tenants, users of each role, contracts, and AWS accounts in the sandbox. */
@SpringBootTest(properties = {"openpayer.demo=true", "openpayer.admin.email=admin@demo.test", "openpayer.admin.password=demo-admin-password"})
class DemoDataTest {
    @Autowired Tenancy tenancy;
    @Autowired UserAccounts users;
    @Autowired AccountOnboarding onboarding;
    @Autowired JdbcClient jdbc;

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

        List<CustomerAccount> accounts = onboarding.list(system, null, null);
        assertThat(accounts).extracting(CustomerAccount::status).containsExactlyInAnyOrder(AccountStatus.CONNECTED, AccountStatus.INVITED);
        assertThat(accounts).filteredOn(a -> a.status() == AccountStatus.CONNECTED).singleElement()
                .satisfies(a -> assertThat(a.health().status()).isEqualTo(CustomerAccount.HealthStatus.HEALTHY));
        assertThat(jdbc.sql("select count(*) from approval_policies where requires_approval = true").query(Long.class).single()).isEqualTo(1);
    }
}
