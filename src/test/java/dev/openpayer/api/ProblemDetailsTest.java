package dev.openpayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

/** Every API error is an RFC 9457 problem (application/problem+json with type, title, status and detail). */
class ProblemDetailsTest extends ApiTestSupport {

    @Test
    void everyErrorStatusIsAProblem() throws Exception {
        Organization customer = customer(top().id(), "Problem customer");
        TestUser analyst = user(customer.id(), Role.ANALYST, "Problem analyst");
        TestUser admin = topAdminUser();

        assertThat(assertProblem(call(admin, POST, "/api/v1/organizations", Map.of("type", "CUSTOMER", "parentId", top().id())), 400))
                .containsExactly("name");
        assertThat(assertProblem(call(admin, POST, "/api/v1/organizations", "{not json"), 400)).containsExactly("body");
        assertThat(assertProblem(call(admin, GET, "/api/v1/organizations/not-a-uuid", null), 400)).containsExactly("id");
        assertProblem(mvc.perform(jsonRequest(GET, "/api/v1/organizations", null)).andReturn(), 401);
        assertProblem(call(analyst, PATCH, "/api/v1/organizations/" + customer.id(), Map.of("name", "x")), 403);
        MvcResult missing = call(admin, GET, "/api/v1/organizations/" + UUID.randomUUID(), null);
        assertProblem(missing, 404);
        assertThat((String) read(missing, "$.type")).isEqualTo("urn:openpayer:problem:not-found");
        assertThat(assertProblem(call(admin, POST, "/api/v1/organizations", Map.of("type", "CUSTOMER", "name", customer.name(),
                "parentId", top().id())), 409)).containsExactly("name");
    }
}
