package dev.openpayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.UserStatus;
import dev.openpayer.testsupport.ApiTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

class UserApiTest extends ApiTestSupport {
    static final String NEW_PASSWORD = "a long enough new password";
    Organization organization;
    TestUser admin;

    @BeforeEach
    void organizationWithAdmin() {
        organization = customer(top().id(), "Users customer");
        admin = user(organization.id(), Role.ADMIN, "Customer admin");
    }

    private String users() {
        return "/api/v1/organizations/" + organization.id() + "/users";
    }

    private UUID invite(String email) throws Exception {
        MvcResult invited = call(admin, POST, users(), Map.of("email", email, "displayName", "New User", "role", "BILLING_MANAGER"));
        assertThat(invited.getResponse().getStatus()).as(invited.getResponse().getContentAsString()).isEqualTo(201);
        return id(invited);
    }

    private UserStatus status(UUID userId) {
        return userAccounts.inScope(topAdmin(), userId).orElseThrow().status();
    }

    @Test
    void anInvitationMailsASingleUseActivationLink() throws Exception {
        String email = uniqueEmail("invitee");
        UUID userId = invite(email.toUpperCase());
        assertThat(status(userId)).isEqualTo(UserStatus.INVITED);

        Map<String, Object> mail = jdbc.sql("select subject, body, status, organization_id from mail_outbox where recipient = ?")
                .param(email).query().singleRow();
        assertThat((String) mail.get("subject")).contains(organization.name());
        assertThat((String) mail.get("body")).contains(admin.email(), "BILLING_MANAGER", "https://openpayer.test/activate?token=");
        assertThat(mail.get("status")).as("no SMTP server configured: kept for the Sent mail page").isEqualTo("LOGGED");
        assertThat(mail.get("organization_id")).isEqualTo(organization.id());
        MvcResult listed = call(admin, GET, users() + "/" + userId, null);
        assertThat((String) read(listed, "$.invitationExpiresAt")).isNotNull();

        String token = activationToken(email, "Your OpenPayer invitation");
        assertThat(userAccounts.pendingActivation(token)).isPresent();
        assertThatThrownBy(() -> userAccounts.activate(token, "short")).isInstanceOf(InvalidInputException.class);
        userAccounts.activate(token, NEW_PASSWORD);
        assertThat(status(userId)).isEqualTo(UserStatus.ACTIVE);
        MvcResult me = basic(email, NEW_PASSWORD, GET, "/api/v1/me", null);
        assertThat(me.getResponse().getStatus()).isEqualTo(200);
        assertThat((String) read(me, "$.role")).isEqualTo("BILLING_MANAGER");

        assertThatThrownBy(() -> userAccounts.activate(token, "another long password")).isInstanceOf(InvalidInputException.class);
        assertThat(basic(email, "another long password", GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(401);
        assertThat(userAccounts.pendingActivation(token)).isEmpty();
    }

    @Test
    void anActivationLinkExpiresAfterSevenDays() throws Exception {
        String late = uniqueEmail("late");
        String inTime = uniqueEmail("in-time");
        invite(late);
        invite(inTime);
        clock.advance(Duration.ofDays(7).minusMinutes(1));
        userAccounts.activate(activationToken(inTime, "Your"), NEW_PASSWORD);
        clock.advance(Duration.ofMinutes(1));
        String expired = activationToken(late, "Your");
        assertThat(userAccounts.pendingActivation(expired)).isEmpty();
        assertThatThrownBy(() -> userAccounts.activate(expired, NEW_PASSWORD)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void resendingInvalidatesThePreviousLink() throws Exception {
        String email = uniqueEmail("resent");
        UUID userId = invite(email);
        String first = activationToken(email, "Your");
        assertThat(call(admin, POST, users() + "/" + userId + "/resend-invitation", null).getResponse().getStatus()).isEqualTo(200);
        String second = activationToken(email, "Reminder: ");
        assertThat(second).isNotEqualTo(first);
        assertThatThrownBy(() -> userAccounts.activate(first, NEW_PASSWORD)).isInstanceOf(InvalidInputException.class);
        userAccounts.activate(second, NEW_PASSWORD);
        assertThat(status(userId)).isEqualTo(UserStatus.ACTIVE);
        assertProblem(call(admin, POST, users() + "/" + userId + "/resend-invitation", null), 409);
    }

    @Test
    void revokingAnInvitationKillsItsLink() throws Exception {
        String email = uniqueEmail("revoked");
        UUID userId = invite(email);
        String token = activationToken(email, "Your");
        MvcResult revoked = call(admin, POST, users() + "/" + userId + "/revoke-invitation", null);
        assertThat((String) read(revoked, "$.status")).isEqualTo("REVOKED");
        assertThatThrownBy(() -> userAccounts.activate(token, NEW_PASSWORD)).isInstanceOf(InvalidInputException.class);
        assertThat(status(userId)).isEqualTo(UserStatus.REVOKED);
        // the address can be invited again
        assertThat(invite(email)).isEqualTo(userId);
        assertThat(status(userId)).isEqualTo(UserStatus.INVITED);
    }

    @Test
    void deactivationBlocksSignInAtOnce() throws Exception {
        TestUser analyst = user(organization.id(), Role.ANALYST, "To deactivate");
        assertThat(call(analyst, GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);

        MvcResult deactivated = call(admin, POST, users() + "/" + analyst.id() + "/deactivate", null);
        assertThat((String) read(deactivated, "$.status")).isEqualTo("DEACTIVATED");
        assertProblem(call(analyst, GET, "/api/v1/me", null), 401);
        assertProblem(basic(analyst.email(), analyst.password(), GET, "/api/v1/me", null), 401);

        assertThat(call(admin, POST, users() + "/" + analyst.id() + "/reactivate", null).getResponse().getStatus()).isEqualTo(200);
        assertThat(call(analyst, GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void adminsCannotDeactivateThemselvesOrChangeTheirOwnRole() throws Exception {
        assertProblem(call(admin, POST, users() + "/" + admin.id() + "/deactivate", null), 403);
        assertProblem(call(admin, PATCH, users() + "/" + admin.id(), Map.of("role", "ANALYST")), 403);
        assertThat(call(admin, GET, "/api/v1/me", null).getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void refusesBadInvitations() throws Exception {
        TestUser existing = user(organization.id(), Role.ANALYST, "Existing");
        assertThat(assertProblem(call(admin, POST, users(), Map.of("email", "not-an-address", "role", "ANALYST")), 400)).containsExactly("email");
        assertThat(assertProblem(call(admin, POST, users(), Map.of("email", uniqueEmail("x"))), 400)).containsExactly("role");
        assertThat(assertProblem(call(admin, POST, users(), Map.of("email", existing.email(), "role", "ANALYST")), 409)).containsExactly("email");
        List<String> emails = read(call(admin, GET, users(), null), "$[*].email");
        assertThat(emails).containsExactlyInAnyOrder(admin.email(), existing.email());
    }
}
