package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.ApprovalPolicies;
import dev.openpayer.onboarding.Terms;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.List;
import java.util.Objects;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What onboarding adds to pages of other modules: the approval policy and the terms and conditions on an
 * organisation's page, and the number of requests waiting in the viewer's approvals inbox for the
 * navigation. The pages themselves know nothing of onboarding; they include the fragments when the
 * model carries these values.
 */
@Configuration
class OrganizationPageAdditions implements WebMvcConfigurer {
    private final ApprovalPolicies policies;
    private final Terms terms;
    private final BillingProfiles billingProfiles;
    private final AccountOnboarding onboarding;
    private final UserAccounts userAccounts;

    OrganizationPageAdditions(@Lazy ApprovalPolicies policies, @Lazy Terms terms, @Lazy BillingProfiles billingProfiles,
            @Lazy AccountOnboarding onboarding, @Lazy UserAccounts userAccounts) {
        this.policies = policies;
        this.terms = terms;
        this.billingProfiles = billingProfiles;
        this.onboarding = onboarding;
        this.userAccounts = userAccounts;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView page) {
                add(request, page);
            }
        }).excludePathPatterns("/api/**", "/css/**", "/js/**", "/webjars/**");
    }

    private void add(HttpServletRequest request, ModelAndView page) {
        if (page == null || page.getViewName() == null || page.getViewName().startsWith("redirect:")) {
            return;
        }
        Viewer viewer = viewer(request.getUserPrincipal());
        if (viewer == null) {
            return;
        }
        if (viewer.isAdmin()) {
            page.addObject("pendingApprovals", onboarding.approvals(viewer).size());
        }
        if ("organizations/show".equals(page.getViewName()) && page.getModel().get("organization") instanceof Organization organization) {
            if (viewer.isAdmin() && organization.type() != OrganizationType.DISTRIBUTOR) {
                page.addObject("approvalPolicy", policies.requiresApproval(viewer, organization.id()));
            }
            if (organization.type() == OrganizationType.CUSTOMER) {
                page.addObject("termsStatuses", statuses(viewer, organization));
                page.addObject("mayAcceptTerms", viewer.isAdmin() && organization.id().equals(viewer.organizationId()));
            }
        }
    }

    /** The terms that apply to each country the customer is billed in, and whether they are accepted. */
    List<Terms.Status> statuses(Viewer viewer, Organization customer) {
        return billingProfiles.list(viewer, customer.id()).stream()
                .map(BillingProfile::country)
                .filter(Objects::nonNull)
                .distinct()
                .sorted()
                .map(country -> terms.status(viewer, customer.id(), country))
                .toList();
    }

    private Viewer viewer(Principal principal) {
        return principal == null || principal.getName() == null ? null : userAccounts.viewer(principal.getName()).orElse(null);
    }
}
