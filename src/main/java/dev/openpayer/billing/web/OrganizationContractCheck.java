package dev.openpayer.billing.web;

import dev.openpayer.billing.Contracts;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Optional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Adds the contract check ({@code contractCheck}: may the customer connect AWS accounts, and why not) to
 * a customer's organisation page, which the tenancy module renders without knowing about contracts.
 */
@Configuration
class OrganizationContractCheck implements WebMvcConfigurer, HandlerInterceptor {
    static final String VIEW = "organizations/show";

    private final Contracts contracts;
    private final UserAccounts userAccounts;

    OrganizationContractCheck(@Lazy Contracts contracts, @Lazy UserAccounts userAccounts) {
        this.contracts = contracts;
        this.userAccounts = userAccounts;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/organizations/*", "/organizations/*/rename");
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView page) {
        if (page == null || !VIEW.equals(page.getViewName()) || !(page.getModel().get("organization") instanceof Organization organization)
                || organization.type() != OrganizationType.CUSTOMER) {
            return;
        }
        viewer(request.getUserPrincipal()).ifPresent(viewer -> page.addObject("contractCheck", contracts.check(viewer, organization.id())));
    }

    private Optional<Viewer> viewer(Principal principal) {
        return principal == null || principal.getName() == null ? Optional.empty() : userAccounts.viewer(principal.getName());
    }
}
