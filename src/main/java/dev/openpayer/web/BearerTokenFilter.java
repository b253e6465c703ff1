package dev.openpayer.web;

import dev.openpayer.tenancy.ApiTokens;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer op_…} with a personal API token; a bad token answers 401 at once. */
class BearerTokenFilter extends OncePerRequestFilter {
    private final ApiTokens tokens;
    private final ProblemResponses problems;

    BearerTokenFilter(ApiTokens tokens, ProblemResponses problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Viewer> viewer = tokens.authenticate(header.substring(7).strip());
        if (viewer.isEmpty()) {
            problems.write(response, 401, "unauthorized", "Invalid API token",
                    "The bearer token is unknown, revoked or expired, or its user can no longer sign in.");
            return;
        }
        var authentication = UsernamePasswordAuthenticationToken.authenticated(viewer.get().email(), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + viewer.get().role().name())));
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
