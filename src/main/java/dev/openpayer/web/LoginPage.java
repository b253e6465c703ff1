package dev.openpayer.web;

import dev.openpayer.shared.ConsolePage;
import dev.openpayer.tenancy.UserAccounts;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in form; Spring Security processes the POST and sends failures back here with the reason. A
 * user still signed in goes to the dashboard, unless his account or organisation was deactivated since.
 */
@Controller
@ConsolePage
class LoginPage {
    private final UserAccounts userAccounts;

    LoginPage(UserAccounts userAccounts) {
        this.userAccounts = userAccounts;
    }

    @GetMapping("/login")
    String login(Principal principal) {
        return ConsoleModel.viewerOf(userAccounts, principal) == null ? "login" : "redirect:/";
    }
}
