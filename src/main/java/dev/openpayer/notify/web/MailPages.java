package dev.openpayer.notify.web;

import dev.openpayer.notify.Mailbox;
import dev.openpayer.notify.OutboxMail;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.tenancy.Viewer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The mail this installation sent (or, without SMTP, only kept): for admins of the top tenant. Links in a
 * body are clickable, so that an installation without SMTP can still pass activation links on.
 */
@Controller
@ConsolePage
class MailPages {
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");
    private final Mailbox mailbox;

    MailPages(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    /** A piece of a mail body: plain text, or a link. */
    record Segment(String text, boolean link) {}

    @GetMapping("/mail")
    String list(Viewer viewer, @RequestParam(required = false) String recipient, Model model) {
        model.addAttribute("mails", mailbox.latest(viewer, recipient, 200));
        model.addAttribute("recipient", recipient);
        model.addAttribute("deliveryEnabled", mailbox.deliveryEnabled());
        return "mail/list";
    }

    @GetMapping("/mail/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        OutboxMail mail = mailbox.find(viewer, id);
        model.addAttribute("mail", mail);
        model.addAttribute("segments", segments(mail.body()));
        model.addAttribute("deliveryEnabled", mailbox.deliveryEnabled());
        return "mail/show";
    }

    static List<Segment> segments(String body) {
        List<Segment> segments = new ArrayList<>();
        String text = body == null ? "" : body;
        Matcher matcher = LINK.matcher(text);
        int at = 0;
        while (matcher.find()) {
            if (matcher.start() > at) {
                segments.add(new Segment(text.substring(at, matcher.start()), false));
            }
            segments.add(new Segment(matcher.group(), true));
            at = matcher.end();
        }
        if (at < text.length()) {
            segments.add(new Segment(text.substring(at), false));
        }
        return segments;
    }
}
