package dev.openpayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

class BillingProfileApiTest extends ApiTestSupport {
    Organization customer;
    TestUser admin;

    @BeforeEach
    void customerWithAdmin() {
        customer = customer(top().id(), "Billed customer");
        admin = topAdminUser();
    }

    private Map<String, Object> valid() {
        Map<String, Object> body = new HashMap<>();
        body.put("organizationId", customer.id());
        body.put("name", "Main");
        body.put("legalName", "Billed Customer SARL");
        body.put("addressLine1", "1 rue de la Paix");
        body.put("city", "Paris");
        body.put("postalCode", "75002");
        body.put("country", "fr");
        body.put("currency", "eur");
        body.put("paymentTermsDays", 45);
        body.put("contactEmails", List.of("ap@example.test, cfo@example.test"));
        return body;
    }

    private long stored() {
        return jdbc.sql("select count(*) from billing_profiles where organization_id = ?").param(customer.id()).query(Long.class).single();
    }

    private long audited() {
        return jdbc.sql("select count(*) from audit_events where organization_id = ? and object_type = 'BillingProfile'")
                .param(customer.id()).query(Long.class).single();
    }

    @Test
    void createsANormalisedProfile() throws Exception {
        MvcResult created = call(admin, POST, "/api/v1/billing-profiles", valid());
        assertThat(created.getResponse().getStatus()).as(created.getResponse().getContentAsString()).isEqualTo(201);
        assertThat((String) read(created, "$.country")).isEqualTo("FR");
        assertThat((String) read(created, "$.currency")).isEqualTo("EUR");
        List<String> emails = read(created, "$.contactEmails");
        assertThat(emails).containsExactly("ap@example.test", "cfo@example.test");
        MvcResult fetched = call(admin, GET, "/api/v1/billing-profiles/" + id(created), null);
        assertThat((Integer) read(fetched, "$.paymentTermsDays")).isEqualTo(45);
        assertThat(audited()).isEqualTo(1);
    }

    @Test
    void namesEveryInvalidFieldAndStoresNothing() throws Exception {
        Map<String, Object> body = valid();
        body.put("name", " ");
        body.put("country", "XX");
        body.put("currency", "EURO");
        body.put("paymentTermsDays", -1);
        body.put("contactEmails", List.of("billing@example.test", "not-an-email"));
        List<String> fields = assertProblem(call(admin, POST, "/api/v1/billing-profiles", body), 400);
        assertThat(fields).containsExactlyInAnyOrder("name", "country", "currency", "paymentTermsDays", "contactEmails");
        assertThat(stored()).isZero();
        assertThat(audited()).isZero();
    }

    @Test
    void refusesEachBadFieldOnItsOwn() throws Exception {
        Map<String, Object> cases = Map.of("country", "Germany", "currency", "XYZ", "paymentTermsDays", 366, "contactEmails", List.of());
        for (var entry : cases.entrySet()) {
            Map<String, Object> body = valid();
            body.put(entry.getKey(), entry.getValue());
            assertThat(assertProblem(call(admin, POST, "/api/v1/billing-profiles", body), 400)).as(entry.getKey()).containsExactly(entry.getKey());
        }
        Map<String, Object> wrongType = valid();
        wrongType.put("paymentTermsDays", "thirty");
        assertThat(assertProblem(call(admin, POST, "/api/v1/billing-profiles", wrongType), 400)).containsExactly("paymentTermsDays");
        Map<String, Object> distributor = valid();
        distributor.put("organizationId", top().id());
        assertThat(assertProblem(call(admin, POST, "/api/v1/billing-profiles", distributor), 400)).containsExactly("organizationId");
        assertThat(stored()).isZero();
    }

    @Test
    void aFailedUpdateChangesNothingAndAnAssignedBillingManagerMayUpdate() throws Exception {
        TestUser manager = user(customer.id(), Role.BILLING_MANAGER, "Manager");
        BillingProfile profile = profile(customer.id(), "Updated", manager.id());
        Map<String, Object> body = valid();
        body.remove("organizationId");
        body.put("currency", "DOLLAR");
        assertThat(assertProblem(call(manager, PUT, "/api/v1/billing-profiles/" + profile.id(), body), 400)).containsExactly("currency");
        assertThat(billingProfiles.visible(topAdmin(), profile.id())).isEqualTo(profile);

        body.put("currency", "USD");
        MvcResult updated = call(manager, PUT, "/api/v1/billing-profiles/" + profile.id(), body);
        assertThat(updated.getResponse().getStatus()).isEqualTo(200);
        assertThat(billingProfiles.visible(topAdmin(), profile.id()).currency()).isEqualTo("USD");
        assertProblem(call(manager, POST, "/api/v1/billing-profiles/" + profile.id() + "/deactivate", null), 403);
    }

    @Test
    void assignsOnlyUsersWhoseOrganisationIncludesTheProfile() throws Exception {
        BillingProfile profile = profile(customer.id(), "Assigned");
        TestUser local = user(customer.id(), Role.ANALYST, "Local analyst");
        Organization other = customer(top().id(), "Other customer");
        TestUser stranger = user(other.id(), Role.ANALYST, "Stranger");
        String uri = "/api/v1/billing-profiles/" + profile.id() + "/assignees";
        assertThat(assertProblem(call(admin, PUT, uri, Map.of("userIds", List.of(stranger.id()))), 400)).containsExactly("userIds");
        assertThat(assertProblem(call(admin, PUT, uri, Map.of("userIds", List.of(UUID.randomUUID()))), 400)).containsExactly("userIds");
        MvcResult assigned = call(admin, PUT, uri, Map.of("userIds", List.of(local.id())));
        assertThat((List<String>) read(assigned, "$[*].id")).containsExactly(local.id().toString());
        assertThat(call(local, GET, "/api/v1/billing-profiles/" + profile.id(), null).getResponse().getStatus()).isEqualTo(200);
        call(admin, PUT, uri, Map.of("userIds", List.of()));
        assertProblem(call(local, GET, "/api/v1/billing-profiles/" + profile.id(), null), 404);
    }
}
