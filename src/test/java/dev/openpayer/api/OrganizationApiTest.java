package dev.openpayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

class OrganizationApiTest extends ApiTestSupport {
    TestUser admin;

    @BeforeEach
    void distributorAdmin() {
        admin = topAdminUser();
    }

    private MvcResult create(TestUser as, String type, String name, UUID parentId) throws Exception {
        return call(as, POST, "/api/v1/organizations", Map.of("type", type, "name", name, "parentId", parentId));
    }

    @Test
    void createsResellersUnderTheDistributorAndCustomersUnderResellers() throws Exception {
        String resellerName = unique("Reseller");
        MvcResult reseller = create(admin, "RESELLER", "  " + resellerName + "  ", top().id());
        assertThat(reseller.getResponse().getStatus()).isEqualTo(201);
        UUID resellerId = id(reseller);
        assertThat(reseller.getResponse().getHeader("Location")).isEqualTo("/api/v1/organizations/" + resellerId);
        assertThat((String) read(reseller, "$.name")).isEqualTo(resellerName);
        assertThat((String) read(reseller, "$.parentId")).isEqualTo(top().id().toString());

        MvcResult customer = create(admin, "CUSTOMER", unique("Customer"), resellerId);
        assertThat(customer.getResponse().getStatus()).isEqualTo(201);
        List<String> chain = read(customer, "$.chain[*].type");
        assertThat(chain).containsExactly("DISTRIBUTOR", "RESELLER", "CUSTOMER");

        MvcResult direct = create(admin, "CUSTOMER", unique("Direct customer"), top().id());
        assertThat(direct.getResponse().getStatus()).isEqualTo(201);

        MvcResult fetched = call(admin, GET, "/api/v1/organizations/" + id(customer), null);
        assertThat(fetched.getResponse().getStatus()).isEqualTo(200);
        assertThat((String) read(fetched, "$.parentId")).isEqualTo(resellerId.toString());
        List<String> children = read(call(admin, GET, "/api/v1/organizations?parentId=" + resellerId, null), "$[*].id");
        assertThat(children).containsExactly(id(customer).toString());
    }

    @Test
    void enforcesTheTypeRulesOfTheTree() throws Exception {
        Organization reseller = reseller("Parent reseller");
        Organization customer = customer(reseller.id(), "Leaf customer");
        assertThat(assertProblem(create(admin, "RESELLER", unique("Nested reseller"), reseller.id()), 400)).containsExactly("type");
        assertThat(assertProblem(create(admin, "CUSTOMER", unique("Nested customer"), customer.id()), 400)).containsExactly("type");
        assertThat(assertProblem(create(admin, "DISTRIBUTOR", unique("Second top"), top().id()), 400)).containsExactly("type");
        assertThat(assertProblem(create(admin, "RESELLER", " ", top().id()), 400)).containsExactly("name");
        assertThat(assertProblem(create(admin, "RESELLER", unique("Orphan"), UUID.randomUUID()), 400)).containsExactly("parentId");
        assertThat(assertProblem(call(admin, POST, "/api/v1/organizations", Map.of("type", "PARTNER", "name", "x", "parentId", top().id())), 400))
                .containsExactly("type");
        assertThat(tenancy.list(topAdmin(), new dev.openpayer.tenancy.Tenancy.OrganizationQuery(reseller.id(), null, null, null)))
                .extracting(Organization::id).containsExactly(customer.id());
    }

    @Test
    void renamesAndRefusesNamesTakenAtTheSameLevel() throws Exception {
        Organization first = reseller("First");
        Organization second = reseller("Second");
        String newName = unique("Renamed");
        MvcResult renamed = call(admin, PATCH, "/api/v1/organizations/" + first.id(), Map.of("name", newName));
        assertThat(renamed.getResponse().getStatus()).isEqualTo(200);
        assertThat(tenancy.find(first.id()).orElseThrow().name()).isEqualTo(newName);

        assertThat(assertProblem(call(admin, PATCH, "/api/v1/organizations/" + second.id(), Map.of("name", newName.toUpperCase())), 409))
                .containsExactly("name");
        assertThat(assertProblem(create(admin, "RESELLER", newName, top().id()), 409)).containsExactly("name");
        assertThat(tenancy.find(second.id()).orElseThrow().name()).isEqualTo(second.name());

        // the same name is fine under another parent
        assertThat(create(admin, "CUSTOMER", newName, first.id()).getResponse().getStatus()).isEqualTo(201);
    }

    @Test
    void deactivationLocksOutTheUsersOfTheSubtreeUntilReactivation() throws Exception {
        Organization reseller = reseller("Deactivated reseller");
        Organization customer = customer(reseller.id(), "Customer below");
        TestUser resellerAdmin = user(reseller.id(), Role.ADMIN, "Reseller admin");
        TestUser customerUser = user(customer.id(), Role.ANALYST, "Customer analyst");
        assertThat(basic(customerUser.email(), customerUser.password(), GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);

        assertThat(assertProblem(call(resellerAdmin, POST, "/api/v1/organizations/" + reseller.id() + "/deactivate", null), 403)).isEmpty();

        MvcResult deactivated = call(admin, POST, "/api/v1/organizations/" + reseller.id() + "/deactivate", null);
        assertThat(deactivated.getResponse().getStatus()).isEqualTo(200);
        assertThat((Boolean) read(deactivated, "$.active")).isFalse();
        assertThat(tenancy.find(customer.id()).orElseThrow().active()).as("the customer keeps its own flag").isTrue();

        assertProblem(basic(customerUser.email(), customerUser.password(), GET, "/api/v1/me", null), 401);
        assertProblem(call(customerUser, GET, "/api/v1/me", null), 401);
        assertProblem(call(resellerAdmin, GET, "/api/v1/me", null), 401);
        assertProblem(create(admin, "CUSTOMER", unique("Under inactive"), reseller.id()), 400);

        assertThat(call(admin, POST, "/api/v1/organizations/" + reseller.id() + "/reactivate", null).getResponse().getStatus()).isEqualTo(200);
        assertThat(call(customerUser, GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);
        assertThat(basic(customerUser.email(), customerUser.password(), GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);
    }
}
