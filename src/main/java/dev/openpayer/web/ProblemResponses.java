package dev.openpayer.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problem details written by the security filters, before any controller runs. */
@Component
class ProblemResponses {
    static final String TYPE_PREFIX = "urn:openpayer:problem:";
    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    static ProblemDetail problem(int status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(URI.create(TYPE_PREFIX + slug));
        problem.setTitle(title);
        problem.setDetail(detail);
        return problem;
    }

    void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"OpenPayer\", Basic realm=\"OpenPayer\"");
        String detail = switch (e) {
            case org.springframework.security.authentication.LockedException l ->
                    "This account is locked after repeated failed sign-ins; try again later.";
            case org.springframework.security.authentication.DisabledException d -> "This account is not active.";
            default -> "Sign in with an API token (Authorization: Bearer op_…) or HTTP Basic with your email and password.";
        };
        write(response, 401, "unauthorized", "Authentication required", detail);
    }

    void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        write(response, 403, "forbidden", "Forbidden", "You may not do this.");
    }

    void write(HttpServletResponse response, int status, String slug, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem(status, slug, title, detail));
    }
}
