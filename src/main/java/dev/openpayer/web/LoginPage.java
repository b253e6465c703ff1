package dev.openpayer.web;

import dev.openpayer.shared.ConsolePage;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security processes the POST and sends failures back here with the reason. */
@Controller
@ConsolePage
class LoginPage {

    @GetMapping("/login")
    String login(Principal principal) {
        return principal == null ? "login" : "redirect:/";
    }
}
