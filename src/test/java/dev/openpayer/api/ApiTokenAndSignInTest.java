package dev.openpayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.testsupport.ApiTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

class ApiTokenAndSignInTest extends ApiTestSupport {
    TestUser user;

    @BeforeEach
    void aUser() {
        Organization organization = customer(top().id(), "Token customer");
        user = user(organization.id(), Role.ANALYST, "Token user");
    }

    private TestUser withToken(String secret) {
        return new TestUser(user.id(), user.email(), user.password(), secret, user.organizationId(), user.role());
    }

    @Test
    void aTokenCreatedWithHttpBasicWorksAsBearerUntilRevoked() throws Exception {
        MvcResult created = basic(user.email(), PASSWORD, POST, "/api/v1/tokens", Map.of("name", "ci"));
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        String secret = read(created, "$.secret");
        String tokenId = read(created, "$.token.id");
        assertThat(secret).startsWith("op_");

        MvcResult me = call(withToken(secret), GET, "/api/v1/me", null);
        assertThat(me.getResponse().getStatus()).isEqualTo(200);
        assertThat((String) read(me, "$.email")).isEqualTo(user.email());
        MvcResult listed = call(withToken(secret), GET, "/api/v1/tokens", null);
        assertThat((List<String>) read(listed, "$[*].id")).contains(tokenId);
        assertThat(listed.getResponse().getContentAsString()).doesNotContain(secret);
        assertThat((String) read(call(withToken(secret), GET, "/api/v1/tokens/" + tokenId, null), "$.lastUsedAt")).isNotNull();

        assertThat(call(user, DELETE, "/api/v1/tokens/" + tokenId, null).getResponse().getStatus()).isEqualTo(200);
        assertProblem(call(withToken(secret), GET, "/api/v1/me", null), 401);
        assertThat(call(user, GET, "/api/v1/me", null).getResponse().getStatus()).as("other tokens keep working").isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        MvcResult created = call(user, POST, "/api/v1/tokens", Map.of("name", "short-lived", "expiresInDays", 1));
        String secret = read(created, "$.secret");
        clock.advance(Duration.ofHours(23));
        assertThat(call(withToken(secret), GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);
        clock.advance(Duration.ofHours(1));
        assertProblem(call(withToken(secret), GET, "/api/v1/me", null), 401);
        assertThat(assertProblem(call(user, POST, "/api/v1/tokens", Map.of("name", "x", "expiresInDays", 0)), 400)).containsExactly("expiresInDays");
        assertThat(assertProblem(call(user, POST, "/api/v1/tokens", Map.of("name", "")), 400)).containsExactly("name");
    }

    @Test
    void unknownCredentialsAnswer401Problems() throws Exception {
        MvcResult anonymous = mvc.perform(jsonRequest(GET, "/api/v1/me", null)).andReturn();
        assertProblem(anonymous, 401);
        assertThat(anonymous.getResponse().getHeader("WWW-Authenticate")).contains("Bearer", "Basic");
        assertProblem(call(withToken("op_not-a-real-token"), GET, "/api/v1/me", null), 401);
        assertProblem(call(withToken("garbage"), GET, "/api/v1/me", null), 401);
        assertProblem(basic("nobody@example.test", PASSWORD, GET, "/api/v1/me", null), 401);
    }

    @Test
    void fiveWrongPasswordsLockTheAccountForFifteenMinutes() throws Exception {
        assertThat(basic(user.email(), PASSWORD, GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);
        for (int i = 0; i < 4; i++) {
            assertProblem(basic(user.email(), "wrong password " + i, GET, "/api/v1/me", null), 401);
        }
        assertThat(basic(user.email(), PASSWORD, GET, "/api/v1/me", null).getResponse().getStatus())
                .as("a success resets the count").isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertProblem(basic(user.email(), "wrong password " + i, GET, "/api/v1/me", null), 401);
        }
        MvcResult locked = basic(user.email(), PASSWORD, GET, "/api/v1/me", null);
        assertProblem(locked, 401);
        assertThat((String) read(locked, "$.detail")).contains("locked");
        clock.advance(Duration.ofMinutes(14));
        assertProblem(basic(user.email(), PASSWORD, GET, "/api/v1/me", null), 401);
        clock.advance(Duration.ofMinutes(1));
        assertThat(basic(user.email(), PASSWORD, GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);
    }
}
