package dev.openpayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

class AuditApiTest extends ApiTestSupport {

    @Test
    void recordsWhoChangedWhatWhereWithBeforeAndAfter() throws Exception {
        Organization reseller = reseller("Audited");
        TestUser admin = user(reseller.id(), Role.ADMIN, "Auditing admin");
        Organization customer = customer(reseller.id(), "Audited customer");
        String newName = unique("Audited renamed");
        Instant renamedAt = clock.advance(Duration.ofSeconds(5));
        assertThat(call(admin, PATCH, "/api/v1/organizations/" + customer.id(), Map.of("name", newName)).getResponse().getStatus())
                .isEqualTo(200);

        MvcResult events = call(admin, GET, "/api/v1/audit-events?action=organization.renamed&objectId=" + customer.id(), null);
        assertThat(events.getResponse().getStatus()).isEqualTo(200);
        assertThat((List<?>) read(events, "$")).hasSize(1);
        assertThat((String) read(events, "$[0].actorId")).isEqualTo(admin.id().toString());
        assertThat((String) read(events, "$[0].actorEmail")).isEqualTo(admin.email());
        assertThat((String) read(events, "$[0].organizationId")).isEqualTo(customer.id().toString());
        assertThat((String) read(events, "$[0].organizationName")).isEqualTo(newName);
        assertThat((String) read(events, "$[0].objectType")).isEqualTo("Organization");
        assertThat((String) read(events, "$[0].before")).contains(customer.name());
        assertThat((String) read(events, "$[0].after")).contains(newName);
        assertThat(Instant.parse(read(events, "$[0].occurredAt"))).isEqualTo(renamedAt);
    }

    @Test
    void filtersByActionPrefixActorObjectTypeOrganisationAndTime() throws Exception {
        Organization reseller = reseller("Filtered");
        TestUser admin = user(reseller.id(), Role.ADMIN, "Filtering admin");
        TestUser other = user(reseller.id(), Role.ADMIN, "Other admin");
        Instant before = clock.advance(Duration.ofMinutes(1));
        Organization first = customer(reseller.id(), "First");
        clock.advance(Duration.ofSeconds(1));
        call(admin, PATCH, "/api/v1/organizations/" + first.id(), Map.of("name", unique("First renamed")));
        Instant between = clock.advance(Duration.ofMinutes(1));
        call(other, POST, "/api/v1/organizations/" + first.id() + "/deactivate", null);
        Instant after = clock.advance(Duration.ofMinutes(1));

        String base = "/api/v1/audit-events?organizationId=" + first.id();
        assertThat(actions(admin, base)).containsExactly("organization.deactivated", "organization.renamed", "organization.created");
        assertThat(actions(admin, base + "&action=organization.re")).containsExactly("organization.renamed");
        assertThat(actions(admin, base + "&actor=" + other.email().toUpperCase())).containsExactly("organization.deactivated");
        assertThat(actions(admin, base + "&objectType=User")).isEmpty();
        assertThat(actions(admin, base + "&from=" + before + "&to=" + between)).containsExactly("organization.renamed", "organization.created");
        assertThat(actions(admin, base + "&from=" + between + "&to=" + after)).containsExactly("organization.deactivated");
        assertThat(actions(admin, base + "&limit=1")).containsExactly("organization.deactivated");
        assertThat(actions(admin, "/api/v1/audit-events?objectType=User&objectId=" + other.id())).containsExactly("user.created");

        assertThat(assertProblem(call(admin, GET, "/api/v1/audit-events?limit=0", null), 400)).containsExactly("limit");
        assertThat(assertProblem(call(admin, GET, "/api/v1/audit-events?from=" + after + "&to=" + before, null), 400)).containsExactly("from");
        assertThat(assertProblem(call(admin, GET, "/api/v1/audit-events?from=yesterday", null), 400)).containsExactly("from");
    }

    private List<String> actions(TestUser as, String uri) throws Exception {
        MvcResult result = call(as, GET, uri, null);
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
        return read(result, "$[*].action");
    }
}
