package dev.openpayer.tenancy.web;

import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The public page behind an invitation's link: the invited user sets his password, once. */
@Controller
@ConsolePage
class ActivationPage {
    private final UserAccounts userAccounts;
    private final Tenancy tenancy;

    ActivationPage(UserAccounts userAccounts, Tenancy tenancy) {
        this.userAccounts = userAccounts;
        this.tenancy = tenancy;
    }

    @GetMapping("/activate")
    String form(@RequestParam(required = false) String token, Model model, HttpServletResponse response) {
        return render(token, FormErrors.none(), model, response);
    }

    @PostMapping("/activate")
    String activate(@RequestParam(required = false) String token, @RequestParam(required = false) String password,
            @RequestParam(required = false) String confirmPassword, Model model, HttpServletResponse response) {
        try {
            if (password != null && !password.equals(confirmPassword)) {
                throw new InvalidInputException("confirmPassword", "does not match the password");
            }
            userAccounts.activate(token, password);
            return "redirect:/login?activated";
        } catch (InvalidInputException e) {
            return render(token, FormErrors.of(e), model, response);
        }
    }

    private String render(String token, FormErrors errors, Model model, HttpServletResponse response) {
        Optional<UserAccount> user = userAccounts.pendingActivation(token);
        model.addAttribute("token", token);
        model.addAttribute("errors", errors);
        model.addAttribute("invalidLink", user.isEmpty());
        user.ifPresent(u -> {
            model.addAttribute("user", u);
            model.addAttribute("organizationName", tenancy.find(u.organizationId()).map(o -> o.name()).orElse(""));
        });
        model.addAttribute("minLength", UserAccounts.MIN_PASSWORD_LENGTH);
        if (user.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        } else if (!errors.isEmpty()) {
            response.setStatus(422);
        }
        return "users/activate";
    }
}
