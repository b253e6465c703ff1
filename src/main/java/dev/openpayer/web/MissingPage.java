package dev.openpayer.web;

import dev.openpayer.tenancy.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * An address nothing answers, asked for by a browser: the console's 404 page instead of problem details.
 * API paths and clients that do not ask for HTML keep getting problem details.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class MissingPage {
    private final UserAccounts userAccounts;

    MissingPage(UserAccounts userAccounts) {
        this.userAccounts = userAccounts;
    }

    @ExceptionHandler(NoResourceFoundException.class)
    Object missing(HttpServletRequest request, NoResourceFoundException e) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (path.startsWith("/api/") || accept == null || !accept.contains(MediaType.TEXT_HTML_VALUE)) {
            ProblemDetail body = e.getBody();
            body.setInstance(URI.create(path));
            return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders()).body(body);
        }
        ModelAndView page = new ModelAndView("error", HttpStatus.NOT_FOUND);
        page.addObject("status", 404);
        page.addObject("title", "Page not found");
        page.addObject("message", "Nothing is at this address. It may not be available in this version yet.");
        page.addObject("details", List.of());
        page.addObject("currentViewer", ConsoleModel.viewerOf(userAccounts, request.getUserPrincipal()));
        page.addObject("currentPath", path);
        return page;
    }
}
