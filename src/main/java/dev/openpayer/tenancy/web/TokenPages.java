package dev.openpayer.tenancy.web;

import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.ApiToken;
import dev.openpayer.tenancy.ApiTokens;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The viewer's personal API tokens; a new token's secret is shown once. */
@Controller
@ConsolePage
class TokenPages {
    private final ApiTokens tokens;
    private final Clock clock;

    TokenPages(ApiTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @GetMapping("/tokens")
    String list(Viewer viewer, Model model) {
        return render(viewer, "", "", FormErrors.none(), model);
    }

    private String render(Viewer viewer, String name, String expiresInDays, FormErrors errors, Model model) {
        model.addAttribute("tokens", tokens.mine(viewer));
        model.addAttribute("now", clock.instant());
        model.addAttribute("name", name);
        model.addAttribute("expiresInDays", expiresInDays);
        model.addAttribute("errors", errors);
        return "tokens/list";
    }

    @PostMapping("/tokens")
    String create(Viewer viewer, @RequestParam(required = false) String name, @RequestParam(required = false) String expiresInDays,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            Integer days = null;
            String text = expiresInDays == null ? "" : expiresInDays.strip();
            if (!text.isEmpty()) {
                try {
                    days = Integer.valueOf(text);
                } catch (NumberFormatException e) {
                    FormErrors errors = FormErrors.none();
                    if (name == null || name.isBlank()) {
                        errors.add("name", "must not be empty");
                    }
                    errors.add("expiresInDays", "must be a whole number of days, or empty for a token that does not expire");
                    errors.throwIfAny();
                }
            }
            ApiTokens.CreatedToken created = tokens.create(viewer, name, days);
            redirect.addFlashAttribute("created", created.token());
            redirect.addFlashAttribute("secret", created.secret());
            return "redirect:/tokens";
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return render(viewer, name, expiresInDays, FormErrors.of(e), model);
        }
    }

    @PostMapping("/tokens/{id}/revoke")
    String revoke(Viewer viewer, @PathVariable UUID id, RedirectAttributes redirect) {
        ApiToken token = tokens.revoke(viewer, id);
        redirect.addFlashAttribute("notice", "Revoked the token \"" + token.name() + "\"; it no longer works.");
        return "redirect:/tokens";
    }
}
