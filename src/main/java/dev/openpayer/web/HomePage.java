package dev.openpayer.web;

import dev.openpayer.audit.AuditLog;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.UserStatus;
import dev.openpayer.tenancy.Viewer;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard: the viewer's organisation, what lies below it, and the latest changes. */
@Controller
@ConsolePage
class HomePage {
    private final Tenancy tenancy;
    private final UserAccounts userAccounts;
    private final BillingProfiles billingProfiles;
    private final AuditLog auditLog;

    HomePage(Tenancy tenancy, UserAccounts userAccounts, BillingProfiles billingProfiles, AuditLog auditLog) {
        this.tenancy = tenancy;
        this.userAccounts = userAccounts;
        this.billingProfiles = billingProfiles;
        this.auditLog = auditLog;
    }

    @GetMapping("/")
    String dashboard(Viewer viewer, Model model) {
        Organization own = tenancy.visible(viewer, viewer.organizationId());
        List<Organization> below = tenancy.list(viewer, OrganizationQuery.ALL).stream().filter(o -> !o.id().equals(own.id())).toList();
        model.addAttribute("organization", own);
        model.addAttribute("chain", tenancy.chain(viewer, own));
        model.addAttribute("resellers", below.stream().filter(o -> o.type() == OrganizationType.RESELLER).count());
        model.addAttribute("customers", below.stream().filter(o -> o.type() == OrganizationType.CUSTOMER).count());
        model.addAttribute("inactiveOrganizations", below.stream().filter(o -> !o.active()).count());
        if (viewer.isAdmin()) {
            List<UserAccount> users = userAccounts.inScope(viewer);
            model.addAttribute("users", users.stream().filter(u -> u.status() == UserStatus.ACTIVE).count());
            model.addAttribute("pendingInvitations", users.stream().filter(u -> u.status() == UserStatus.INVITED).count());
        }
        model.addAttribute("billingProfiles", billingProfiles.list(viewer, null).size());
        model.addAttribute("events", auditLog.list(viewer, new AuditLog.Query(null, null, null, null, null, null, null, 10)));
        return "home";
    }
}
