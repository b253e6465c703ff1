package dev.openpayer.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import com.jayway.jsonpath.JsonPath;
import dev.openpayer.tenancy.ApiTokens;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the API tests: one shared application context ({@link OpenPayerTest}), helpers that build
 * tenants, users and tokens through the application's own services, and request helpers.
 */
@OpenPayerTest
public abstract class ApiTestSupport {
    public static final String PASSWORD = "correct horse battery staple";
    protected static final Pattern ACTIVATION_LINK = Pattern.compile("https://openpayer\\.test/activate\\?token=([A-Za-z0-9_-]+)");

    @Autowired protected MockMvc mvc;
    @Autowired protected JsonMapper json;
    @Autowired protected MutableClock clock;
    @Autowired protected JdbcClient jdbc;
    @Autowired protected Tenancy tenancy;
    @Autowired protected UserAccounts userAccounts;
    @Autowired protected ApiTokens apiTokens;
    @Autowired protected BillingProfiles billingProfiles;

    /** A user created for a test, with his password and a personal API token. */
    public record TestUser(UUID id, String email, String password, String token, UUID organizationId, Role role) {}

    protected static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static String uniqueEmail(String prefix) {
        return prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    protected Viewer viewer(String email) {
        return userAccounts.viewer(email).orElseThrow(() -> new IllegalStateException(email + " cannot sign in"));
    }

    protected Viewer topAdmin() {
        return viewer(OpenPayerTest.ADMIN_EMAIL);
    }

    protected Organization top() {
        return tenancy.top().orElseThrow();
    }

    protected Organization reseller(String name) {
        return tenancy.create(topAdmin(), OrganizationType.RESELLER, unique(name), top().id());
    }

    protected Organization customer(UUID parentId, String name) {
        return tenancy.create(topAdmin(), OrganizationType.CUSTOMER, unique(name), parentId);
    }

    /** An active user with {@link #PASSWORD} and an API token that does not expire. */
    protected TestUser user(UUID organizationId, Role role, String name) {
        UserAccount account = userAccounts.createActive(organizationId, uniqueEmail(name), name, role, PASSWORD);
        String token = apiTokens.create(viewer(account.email()), "test token", null).secret();
        return new TestUser(account.id(), account.email(), PASSWORD, token, organizationId, role);
    }

    protected TestUser topAdminUser() {
        Viewer admin = topAdmin();
        return new TestUser(admin.userId(), admin.email(), OpenPayerTest.ADMIN_PASSWORD,
                apiTokens.create(admin, "test token", null).secret(), admin.organizationId(), Role.ADMIN);
    }

    protected static BillingProfile.Details details(String name) {
        return new BillingProfile.Details(name, name + " GmbH", "Hauptstrasse 1", null, "Berlin", "10115", null, "DE", "EUR", 30,
                List.of("billing@example.test"));
    }

    protected BillingProfile profile(UUID organizationId, String name, UUID... assignees) {
        BillingProfile profile = billingProfiles.create(topAdmin(), organizationId, details(unique(name)));
        if (assignees.length > 0) {
            billingProfiles.assign(topAdmin(), profile.id(), List.of(assignees));
        }
        return profile;
    }

    public static RequestPostProcessor bearer(String token) {
        return r -> {
            r.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            return r;
        };
    }

    protected MockHttpServletRequestBuilder jsonRequest(HttpMethod method, String uri, Object body) {
        MockHttpServletRequestBuilder builder = request(method, URI.create(uri)).accept(MediaType.APPLICATION_JSON);
        if (body != null) {
            builder.contentType(MediaType.APPLICATION_JSON).content(body instanceof String s ? s : json.writeValueAsString(body));
        }
        return builder;
    }

    /** Performs a request as the user (bearer token) and returns the result whatever its status. */
    protected MvcResult call(TestUser user, HttpMethod method, String uri, Object body) throws Exception {
        return mvc.perform(jsonRequest(method, uri, body).with(bearer(user.token()))).andReturn();
    }

    /** Performs a request with HTTP Basic. */
    protected MvcResult basic(String email, String password, HttpMethod method, String uri, Object body) throws Exception {
        return mvc.perform(jsonRequest(method, uri, body).with(httpBasic(email, password))).andReturn();
    }

    /** Asserts an RFC 9457 problem answer with this status and returns the names of the fields it blames. */
    protected static List<String> assertProblem(MvcResult result, int status) throws Exception {
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        assertThat(result.getResponse().getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        String body = result.getResponse().getContentAsString();
        assertThat((String) JsonPath.read(body, "$.type")).startsWith("urn:openpayer:problem:");
        assertThat((String) JsonPath.read(body, "$.title")).isNotBlank();
        assertThat((Integer) JsonPath.read(body, "$.status")).isEqualTo(status);
        assertThat((String) JsonPath.read(body, "$.detail")).isNotBlank();
        Map<String, Object> problem = JsonPath.read(body, "$");
        if (!problem.containsKey("errors")) {
            return List.of();
        }
        List<String> fields = JsonPath.read(body, "$.errors[*].field");
        return fields;
    }

    /** The activation token in the newest mail to this address whose subject starts with the prefix. */
    protected String activationToken(String email, String subjectPrefix) {
        List<String> bodies = jdbc.sql("select body from mail_outbox where recipient = ? and subject like ? order by created_at desc")
                .params(email, subjectPrefix + "%")
                .query(String.class)
                .list();
        assertThat(bodies).as("mail to " + email).isNotEmpty();
        Matcher matcher = ACTIVATION_LINK.matcher(bodies.getFirst());
        assertThat(matcher.find()).as("activation link in " + bodies.getFirst()).isTrue();
        return matcher.group(1);
    }

    protected static <T> T read(MvcResult result, String path) throws Exception {
        return JsonPath.read(result.getResponse().getContentAsString(), path);
    }

    protected static UUID id(MvcResult result) throws Exception {
        return UUID.fromString(read(result, "$.id"));
    }
}
