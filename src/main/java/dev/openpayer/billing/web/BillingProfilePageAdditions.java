package dev.openpayer.billing.web;

import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What billing adds to a billing profile's page (which knows nothing of billing): for the seller's side, how the
 * profile is invoiced, with a link to change it. The page includes the card when the model carries it.
 */
@Configuration
class BillingProfilePageAdditions implements WebMvcConfigurer {
    private final BillingProfileInvoicingPages invoicingPages;
    private final InvoiceSettings settings;
    private final CustomLineItems items;
    private final UserAccounts userAccounts;

    BillingProfilePageAdditions(@Lazy BillingProfileInvoicingPages invoicingPages, @Lazy InvoiceSettings settings, @Lazy CustomLineItems items,
            @Lazy UserAccounts userAccounts) {
        this.invoicingPages = invoicingPages;
        this.settings = settings;
        this.items = items;
        this.userAccounts = userAccounts;
    }

    /** The card's content: the settings in force and how many custom line items the profile has. */
    record InvoicingCard(InvoiceSettings.Settings settings, int customLineItems) {}

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView page) {
                add(request, page);
            }
        }).addPathPatterns("/billing-profiles/*");
    }

    private void add(HttpServletRequest request, ModelAndView page) {
        if (page == null || !"billing/show".equals(page.getViewName()) || !(page.getModel().get("profile") instanceof BillingProfile profile)) {
            return;
        }
        Viewer viewer = viewer(request.getUserPrincipal());
        if (viewer == null) {
            return;
        }
        invoicingPages.billed(viewer, profile).ifPresent(billed -> page.addObject("invoicingCard",
                new InvoicingCard(settings.of(profile.id()), items.list(viewer, profile.id()).size())));
    }

    private Viewer viewer(Principal principal) {
        return principal == null || principal.getName() == null ? null : userAccounts.viewer(principal.getName()).orElse(null);
    }
}
