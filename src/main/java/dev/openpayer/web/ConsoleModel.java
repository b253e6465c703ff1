package dev.openpayer.web;

import dev.openpayer.shared.ConsolePage;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page's layout needs: the signed-in viewer (null on public pages) and the current path for the navigation. */
@ControllerAdvice(annotations = ConsolePage.class)
class ConsoleModel {
    private final UserAccounts userAccounts;

    ConsoleModel(UserAccounts userAccounts) {
        this.userAccounts = userAccounts;
    }

    @ModelAttribute("currentViewer")
    Viewer currentViewer(Principal principal) {
        return viewerOf(userAccounts, principal);
    }

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    static Viewer viewerOf(UserAccounts userAccounts, Principal principal) {
        return principal == null || principal.getName() == null ? null : userAccounts.viewer(principal.getName()).orElse(null);
    }
}
