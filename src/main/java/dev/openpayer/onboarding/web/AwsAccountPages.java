package dev.openpayer.onboarding.web;

import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.onboarding.AccountHealth;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.AccountStatus;
import dev.openpayer.onboarding.CrossAccountAccess;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.onboarding.CustomerAccount.AccountType;
import dev.openpayer.onboarding.CustomerAccount.ConnectionType;
import dev.openpayer.onboarding.PayerAccount;
import dev.openpayer.onboarding.PayerAccounts;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.FormErrors;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.Viewer;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Customers' AWS accounts: the list (invites and active), adding one account (invite, read-only, create)
 * or many (bulk invitation), and the account's page with its refusal, checklist, timeline, cross-account
 * role, health and, against the sandbox organisation, the account owner's part.
 */
@Controller
@ConsolePage
class AwsAccountPages {
    private final AccountOnboarding onboarding;
    private final AccountHealth health;
    private final CrossAccountAccess access;
    private final PayerAccounts payerAccounts;
    private final BillingProfiles billingProfiles;
    private final Tenancy tenancy;
    private final PriceBooks priceBooks;
    private final CostCenters costCenters;

    AwsAccountPages(AccountOnboarding onboarding, AccountHealth health, CrossAccountAccess access, PayerAccounts payerAccounts,
            BillingProfiles billingProfiles, Tenancy tenancy, PriceBooks priceBooks, CostCenters costCenters) {
        this.onboarding = onboarding;
        this.health = health;
        this.access = access;
        this.payerAccounts = payerAccounts;
        this.billingProfiles = billingProfiles;
        this.tenancy = tenancy;
        this.priceBooks = priceBooks;
        this.costCenters = costCenters;
    }

    /** One line of the list. */
    record Row(CustomerAccount account, String customer, String profile, String payer, boolean sandbox) {}

    /** The "Add account" form as typed. */
    record AccountForm(String connectionType, UUID billingProfileId, String accountId, String rootEmail, String accountName, String notes,
            String accountType, UUID priceBookId, UUID costCenterId, UUID payerId) {

        public ConnectionType type() {
            try {
                return connectionType == null || connectionType.isBlank() ? ConnectionType.INVITE : ConnectionType.valueOf(connectionType);
            } catch (IllegalArgumentException e) {
                return ConnectionType.INVITE;
            }
        }

        AccountType commercialType() {
            try {
                return accountType == null || accountType.isBlank() ? AccountType.RESALE : AccountType.valueOf(accountType);
            } catch (IllegalArgumentException e) {
                return AccountType.RESALE;
            }
        }

        AccountOnboarding.Request request() {
            ConnectionType type = type();
            return new AccountOnboarding.Request(type, billingProfileId, type == ConnectionType.CREATE ? null : accountId, rootEmail,
                    type == ConnectionType.CREATE ? accountName : null, notes, commercialType(), priceBookId, costCenterId,
                    type == ConnectionType.READ_ONLY ? null : payerId);
        }
    }

    /** The bulk invitation form as typed. */
    record BulkForm(UUID billingProfileId, String accountIds, String notes, String accountType, UUID priceBookId, UUID costCenterId, UUID payerId) {

        AccountOnboarding.Request template() {
            AccountType type;
            try {
                type = accountType == null || accountType.isBlank() ? AccountType.RESALE : AccountType.valueOf(accountType);
            } catch (IllegalArgumentException e) {
                type = AccountType.RESALE;
            }
            return new AccountOnboarding.Request(ConnectionType.INVITE, billingProfileId, null, null, null, notes, type, priceBookId, costCenterId, payerId);
        }
    }

    // ---------------------------------------------------------------- list

    @GetMapping("/aws/accounts")
    String list(Viewer viewer, @RequestParam(required = false) String tab, @RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) AccountStatus status, Model model) {
        boolean active = "active".equals(tab);
        Map<UUID, Organization> organizations = organizations(viewer);
        Map<UUID, BillingProfile> profiles = billingProfiles.list(viewer, null).stream()
                .collect(Collectors.toMap(BillingProfile::id, Function.identity()));
        List<CustomerAccount> all = onboarding.list(viewer, customerId, null);
        List<Row> rows = all.stream()
                .filter(a -> active == (a.status() == AccountStatus.ACTIVE))
                .filter(a -> status == null || a.status() == status)
                .sorted(Comparator.comparing(CustomerAccount::updatedAt).reversed())
                .map(a -> new Row(a, name(organizations.get(a.customerId())), profiles.containsKey(a.billingProfileId())
                        ? profiles.get(a.billingProfileId()).name() : "", onboarding.payerLabel(a), onboarding.usesSandbox(a)))
                .toList();
        model.addAttribute("rows", rows);
        model.addAttribute("tab", active ? "active" : "invites");
        model.addAttribute("inviteCount", all.stream().filter(a -> a.status() != AccountStatus.ACTIVE).count());
        model.addAttribute("activeCount", all.stream().filter(a -> a.status() == AccountStatus.ACTIVE).count());
        model.addAttribute("customers", organizations.values().stream().filter(o -> o.type() == OrganizationType.CUSTOMER)
                .sorted(Comparator.comparing(Organization::name, String.CASE_INSENSITIVE_ORDER)).toList());
        model.addAttribute("customerId", customerId);
        model.addAttribute("status", status);
        model.addAttribute("statuses", active ? List.of(AccountStatus.ACTIVE)
                : List.of(AccountStatus.values()).stream().filter(s -> s != AccountStatus.ACTIVE).toList());
        model.addAttribute("mayAdd", viewer.role() == Role.ADMIN || viewer.role() == Role.BILLING_MANAGER);
        return "aws/accounts";
    }

    // ---------------------------------------------------------------- adding one account

    @GetMapping("/aws/accounts/new")
    String createForm(Viewer viewer, @RequestParam(required = false) UUID billingProfileId, @RequestParam(required = false) String connectionType,
            Model model) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        AccountForm form = new AccountForm(connectionType == null ? ConnectionType.INVITE.name() : connectionType, billingProfileId, "", "", "", "",
                AccountType.RESALE.name(), null, null, null);
        return createForm(viewer, form, FormErrors.none(), null, model);
    }

    private String createForm(Viewer viewer, AccountForm form, FormErrors errors, String precondition, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("precondition", precondition);
        choices(viewer, model);
        return "aws/new";
    }

    @PostMapping("/aws/accounts")
    String create(Viewer viewer, AccountForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        try {
            CustomerAccount account = onboarding.request(viewer, form.request());
            redirect.addFlashAttribute("notice", switch (account.status()) {
                case REQUESTED -> "Requested AWS account " + account.label() + ": it waits for approval.";
                case INVITED -> "Invited AWS account " + account.accountId() + ". The account owner receives an email from AWS.";
                case REFUSED -> "AWS refused the invitation of " + account.accountId() + ": see below what fixes it.";
                case AWAITING_ROLE -> "Added AWS account " + account.accountId() + ": next, create the read-only role.";
                default -> "Added AWS account " + account.label() + ".";
            });
            return "redirect:/aws/accounts/" + account.id();
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return createForm(viewer, form, FormErrors.of(e), null, model);
        } catch (ConflictException e) {
            response.setStatus(422);
            if ("accountId".equals(e.field())) {
                return createForm(viewer, form, FormErrors.of(e), null, model);
            }
            return createForm(viewer, form, FormErrors.none(), e.getMessage(), model);
        }
    }

    // ---------------------------------------------------------------- bulk invitation

    @GetMapping("/aws/accounts/bulk")
    String bulkForm(Viewer viewer, @RequestParam(required = false) UUID billingProfileId, Model model) {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        return bulkForm(viewer, new BulkForm(billingProfileId, "", "", AccountType.RESALE.name(), null, null, null), FormErrors.none(), null, model);
    }

    private String bulkForm(Viewer viewer, BulkForm form, FormErrors errors, String precondition, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("precondition", precondition);
        choices(viewer, model);
        return "aws/bulk";
    }

    @PostMapping("/aws/accounts/bulk")
    String bulk(Viewer viewer, BulkForm form, @RequestParam(name = "file", required = false) MultipartFile file, Model model,
            HttpServletResponse response) throws IOException {
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        String text = form.accountIds() == null ? "" : form.accountIds();
        if (file != null && !file.isEmpty()) {
            text = text + "\n" + new String(file.getBytes(), StandardCharsets.UTF_8);
        }
        try {
            List<AccountOnboarding.BulkOutcome> outcomes = onboarding.requestBulk(viewer, form.template(), text);
            model.addAttribute("outcomes", outcomes);
            model.addAttribute("invited", outcomes.stream().filter(o -> o.account() != null && o.account().status() != AccountStatus.REFUSED).count());
            model.addAttribute("failed", outcomes.stream().filter(o -> o.account() == null || o.account().status() == AccountStatus.REFUSED).count());
            model.addAttribute("profile", billingProfiles.visible(viewer, form.billingProfileId()));
            return "aws/bulk-result";
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return bulkForm(viewer, form, FormErrors.of(e), null, model);
        } catch (ConflictException e) {
            response.setStatus(422);
            return bulkForm(viewer, form, FormErrors.none(), e.getMessage(), model);
        }
    }

    /** The choices of the add and bulk forms: billing profiles the viewer may act on, payers, price books, cost centers. */
    private void choices(Viewer viewer, Model model) {
        Map<UUID, Organization> organizations = organizations(viewer);
        List<BillingProfile> profiles = billingProfiles.list(viewer, null).stream()
                .filter(BillingProfile::active)
                .filter(p -> organizations.containsKey(p.organizationId()) && organizations.get(p.organizationId()).type() == OrganizationType.CUSTOMER)
                .toList();
        model.addAttribute("profiles", profiles);
        model.addAttribute("organizations", organizations);
        List<PayerAccount> payers = payerAccounts.list(viewer).stream().filter(PayerAccount::active).toList();
        model.addAttribute("payers", payers);
        model.addAttribute("priceBooks", priceBooks.list(viewer, null));
        model.addAttribute("costCenters", costCenters.list(viewer, null));
        model.addAttribute("accountTypes", AccountType.values());
        model.addAttribute("connectionTypes", ConnectionType.values());
    }

    // ---------------------------------------------------------------- one account

    @GetMapping("/aws/accounts/{id}")
    String show(Viewer viewer, @PathVariable UUID id, Model model) {
        CustomerAccount account = onboarding.visible(viewer, id);
        return show(viewer, account, "", FormErrors.none(), null, model);
    }

    private String show(Viewer viewer, CustomerAccount account, String roleArn, FormErrors errors, String actionError, Model model) {
        Organization customer = tenancy.visible(viewer, account.customerId());
        model.addAttribute("account", account);
        model.addAttribute("customer", customer);
        model.addAttribute("profile", billingProfiles.visible(viewer, account.billingProfileId()));
        model.addAttribute("payer", onboarding.payerLabel(account));
        model.addAttribute("sandbox", onboarding.usesSandbox(account));
        model.addAttribute("checklist", onboarding.checklist(viewer, account.id()));
        model.addAttribute("timeline", onboarding.timeline(viewer, account.id()).reversed());
        model.addAttribute("setup", access.setup(viewer, customer.id(), null));
        model.addAttribute("mayAct", viewer.role() == Role.ADMIN || viewer.role() == Role.BILLING_MANAGER);
        model.addAttribute("roleValue", roleArn == null || roleArn.isEmpty() ? (account.roleArn() == null ? "" : account.roleArn()) : roleArn);
        model.addAttribute("errors", errors);
        model.addAttribute("actionError", actionError);
        model.addAttribute("joined", account.status() == AccountStatus.JOINED || account.status() == AccountStatus.CONNECTED
                || account.status() == AccountStatus.ACTIVE || account.status() == AccountStatus.AWAITING_ROLE);
        return "aws/show";
    }

    @GetMapping("/aws/accounts/{id}/template")
    ResponseEntity<String> template(Viewer viewer, @PathVariable UUID id) {
        CustomerAccount account = onboarding.visible(viewer, id);
        CrossAccountAccess.Setup setup = access.setup(viewer, account.customerId(), null);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/yaml"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(setup.templateFileName()).build().toString())
                .body(access.template(viewer, account.customerId(), null));
    }

    @PostMapping("/aws/accounts/{id}/refresh")
    String refresh(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> onboarding.refresh(viewer, id),
                a -> "Asked AWS for the current state: " + words(a.status()) + ".");
    }

    @PostMapping("/aws/accounts/{id}/resend")
    String resend(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> onboarding.resend(viewer, id), a -> a.status() == AccountStatus.INVITED
                ? "Sent the invitation again (handshake " + a.invitation().handshakeId() + ")."
                : "AWS answered: " + words(a.status()) + ".");
    }

    @PostMapping("/aws/accounts/{id}/cancel")
    String cancel(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> onboarding.cancel(viewer, id), a -> "Cancelled.");
    }

    @PostMapping("/aws/accounts/{id}/health")
    String checkHealth(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> health.check(viewer, id), a -> "Health checked: " + a.health().status() + ".");
    }

    @PostMapping("/aws/accounts/{id}/verify")
    String verify(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> health.verify(viewer, id), a -> "Verified the role: " + a.health().status() + ".");
    }

    @PostMapping("/aws/accounts/{id}/role")
    String setRole(Viewer viewer, @PathVariable UUID id, @RequestParam(required = false) String roleArn, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        CustomerAccount account = onboarding.visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        try {
            CustomerAccount changed = health.setRole(viewer, id, roleArn);
            redirect.addFlashAttribute("notice", "Saved the role and verified it: " + changed.health().status() + ".");
            return "redirect:/aws/accounts/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(422);
            return show(viewer, account, roleArn, FormErrors.of(e), null, model);
        } catch (ConflictException e) {
            response.setStatus(422);
            return show(viewer, account, roleArn, FormErrors.none().add("roleArn", e.getMessage()), null, model);
        }
    }

    @PostMapping("/aws/accounts/{id}/sandbox/accept")
    String sandboxAccept(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> onboarding.sandboxAnswer(viewer, id, true),
                a -> "Sandbox: accepted the invitation as the account owner. The account is " + words(a.status()).toLowerCase() + ".");
    }

    @PostMapping("/aws/accounts/{id}/sandbox/decline")
    String sandboxDecline(Viewer viewer, @PathVariable UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> onboarding.sandboxAnswer(viewer, id, false),
                a -> "Sandbox: declined the invitation as the account owner.");
    }

    @PostMapping("/aws/accounts/{id}/sandbox/role")
    String sandboxRole(Viewer viewer, @PathVariable UUID id, @RequestParam(defaultValue = "true") boolean withExternalId, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        return act(viewer, id, model, response, redirect, () -> health.sandboxDeployRole(viewer, id, withExternalId),
                a -> "Sandbox: created the role" + (withExternalId ? "" : " without the external-ID condition") + ". Health: " + a.health().status() + ".");
    }

    /**
     * Runs an action on the account for an ADMIN or BILLING_MANAGER (analysts only read, even where the service would let them ask
     * AWS again); a refusal that the state explains is shown on the account's page, with nothing changed.
     */
    private String act(Viewer viewer, UUID id, Model model, HttpServletResponse response, RedirectAttributes redirect,
            java.util.function.Supplier<CustomerAccount> action, Function<CustomerAccount, String> notice) {
        CustomerAccount account = onboarding.visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        try {
            CustomerAccount changed = action.get();
            redirect.addFlashAttribute("notice", notice.apply(changed));
            return "redirect:/aws/accounts/" + id;
        } catch (InvalidInputException | ConflictException e) {
            response.setStatus(409);
            String message = e instanceof InvalidInputException invalid
                    ? invalid.errors().stream().map(f -> f.message()).collect(Collectors.joining("; "))
                    : e.getMessage();
            return show(viewer, onboarding.visible(viewer, account.id()), "", FormErrors.none(), message, model);
        }
    }

    private static String words(AccountStatus status) {
        return new AccountWords().status(status);
    }

    private Map<UUID, Organization> organizations(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream().collect(Collectors.toMap(Organization::id, Function.identity()));
    }

    private static String name(Organization organization) {
        return organization == null ? "" : organization.name();
    }
}
