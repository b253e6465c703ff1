package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.AccountHealth;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.AccountStatus;
import dev.openpayer.onboarding.ApprovalPolicies;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.onboarding.PayerAccount;
import dev.openpayer.onboarding.PayerAccounts;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "AWS accounts", description = "Invite, connect or create customers' AWS accounts; approvals; cross-account role and health")
class AwsAccountApi {
    private final AccountOnboarding onboarding;
    private final AccountHealth health;
    private final PayerAccounts payers;
    private final ApprovalPolicies approvalPolicies;

    AwsAccountApi(AccountOnboarding onboarding, AccountHealth health, PayerAccounts payers, ApprovalPolicies approvalPolicies) {
        this.onboarding = onboarding;
        this.health = health;
        this.payers = payers;
        this.approvalPolicies = approvalPolicies;
    }

    /** An account with the payer's label ("Sandbox", the payer, or "N/A"). */
    record AccountView(CustomerAccount account, String payer, boolean sandbox) {}

    record AccountDetails(CustomerAccount account, String payer, boolean sandbox, List<AccountOnboarding.ChecklistItem> checklist,
            List<AccountOnboarding.Timeline> timeline) {}

    /** One invitation, or with {@code accountIds} (text: one per line, commas, or a CSV) one per account. */
    record InvitationRequest(UUID billingProfileId, String accountId, String accountIds, String rootEmail, String notes,
            CustomerAccount.AccountType accountType, UUID priceBookId, UUID costCenterId, UUID payerId) {}

    record BulkResult(List<AccountOnboarding.BulkOutcome> outcomes, long invited, long failed) {}

    record Decline(String reason) {}

    record RoleRequest(String roleArn) {}

    record ApprovalPolicy(UUID organizationId, @NotNull Boolean requiresApproval) {}

    record SandboxRole(Boolean withExternalId) {}

    private AccountView view(CustomerAccount a) {
        return new AccountView(a, onboarding.payerLabel(a), onboarding.usesSandbox(a));
    }

    @PostMapping("/api/v1/aws/payers/{id}/test")
    @Operation(summary = "Test connection: DescribeOrganization as the payer; top-tenant ADMIN")
    PayerAccount test(Viewer viewer, @PathVariable UUID id) {
        return payers.testConnection(viewer, id);
    }

    @PostMapping("/api/v1/aws/invitations")
    @Operation(summary = "Invite one account (accountId) or many (accountIds) into a payer organisation; ADMIN, or BILLING_MANAGER of the billing profile",
            description = "A single invitation answers 201 with the account; a bulk invitation answers 200 with one outcome per account.")
    ResponseEntity<?> invite(Viewer viewer, @RequestBody InvitationRequest body) {
        AccountOnboarding.Request request = new AccountOnboarding.Request(CustomerAccount.ConnectionType.INVITE, body.billingProfileId(), body.accountId(),
                body.rootEmail(), null, body.notes(), body.accountType(), body.priceBookId(), body.costCenterId(), body.payerId());
        if (body.accountIds() != null) {
            List<AccountOnboarding.BulkOutcome> outcomes = onboarding.requestBulk(viewer, request, body.accountIds());
            long ok = outcomes.stream().filter(o -> o.account() != null).count();
            return ResponseEntity.ok(new BulkResult(outcomes, ok, outcomes.size() - ok));
        }
        CustomerAccount account = onboarding.request(viewer, request);
        return ResponseEntity.created(URI.create("/api/v1/aws/accounts/" + account.id())).body(view(account));
    }

    @GetMapping("/api/v1/aws/invitations")
    @Operation(summary = "Invitations (accounts added by invitation) in your scope")
    List<AccountView> invitations(Viewer viewer, @RequestParam(required = false) UUID customerId, @RequestParam(required = false) AccountStatus status) {
        return onboarding.list(viewer, customerId, status).stream()
                .filter(a -> a.connectionType() == CustomerAccount.ConnectionType.INVITE)
                .map(this::view)
                .toList();
    }

    @GetMapping("/api/v1/aws/invitations/{id}")
    AccountView invitation(Viewer viewer, @PathVariable UUID id) {
        return view(onboarding.visible(viewer, id));
    }

    @PostMapping("/api/v1/aws/invitations/{id}/resend")
    @Operation(summary = "Cancel the pending handshake and send a new invitation (at most every five minutes)")
    AccountView resend(Viewer viewer, @PathVariable UUID id) {
        return view(onboarding.resend(viewer, id));
    }

    @PostMapping("/api/v1/aws/invitations/{id}/cancel")
    AccountView cancel(Viewer viewer, @PathVariable UUID id) {
        return view(onboarding.cancel(viewer, id));
    }

    @PostMapping("/api/v1/aws/invitations/{id}/refresh")
    @Operation(summary = "Ask AWS for the invitation's state now")
    AccountView refresh(Viewer viewer, @PathVariable UUID id) {
        return view(onboarding.refresh(viewer, id));
    }

    @GetMapping("/api/v1/aws/approvals")
    @Operation(summary = "Requests waiting for your approval (ADMINs of the approving tenant or above)")
    List<AccountView> approvals(Viewer viewer) {
        return onboarding.approvals(viewer).stream().map(this::view).toList();
    }

    @PostMapping("/api/v1/aws/approvals/{id}/approve")
    @Operation(summary = "Approve and provision: sends the AWS invitation (or starts the creation)")
    AccountView approve(Viewer viewer, @PathVariable UUID id) {
        return view(onboarding.approve(viewer, id));
    }

    @PostMapping("/api/v1/aws/approvals/{id}/decline")
    @Operation(summary = "Decline with a reason; the requester is notified")
    AccountView decline(Viewer viewer, @PathVariable UUID id, @RequestBody Decline body) {
        return view(onboarding.decline(viewer, id, body.reason()));
    }

    @GetMapping("/api/v1/aws/approval-policies/{organizationId}")
    ApprovalPolicy approvalPolicy(Viewer viewer, @PathVariable UUID organizationId) {
        return new ApprovalPolicy(organizationId, approvalPolicies.requiresApproval(viewer, organizationId));
    }

    @PutMapping("/api/v1/aws/approval-policies/{organizationId}")
    @Operation(summary = "Whether accounts requested below this tenant wait for its approval; ADMIN")
    ApprovalPolicy setApprovalPolicy(Viewer viewer, @PathVariable UUID organizationId, @Valid @RequestBody ApprovalPolicy body) {
        return new ApprovalPolicy(organizationId, approvalPolicies.set(viewer, organizationId, body.requiresApproval()));
    }

    @GetMapping("/api/v1/aws/accounts")
    @Operation(summary = "Customers' AWS accounts in your scope, with state and health")
    List<AccountView> accounts(Viewer viewer, @RequestParam(required = false) UUID customerId, @RequestParam(required = false) AccountStatus status) {
        return onboarding.list(viewer, customerId, status).stream().map(this::view).toList();
    }

    @PostMapping("/api/v1/aws/accounts")
    @Operation(summary = "Add an account: connectionType INVITE, READ_ONLY (owner keeps paying AWS) or CREATE (new account in the payer organisation)")
    ResponseEntity<AccountView> add(Viewer viewer, @RequestBody AccountOnboarding.Request body) {
        CustomerAccount account = onboarding.request(viewer, body);
        return ResponseEntity.created(URI.create("/api/v1/aws/accounts/" + account.id())).body(view(account));
    }

    @GetMapping("/api/v1/aws/accounts/{id}")
    @Operation(summary = "One account with its checklist and timeline")
    AccountDetails account(Viewer viewer, @PathVariable UUID id) {
        CustomerAccount a = onboarding.visible(viewer, id);
        return new AccountDetails(a, onboarding.payerLabel(a), onboarding.usesSandbox(a), onboarding.checklist(viewer, id), onboarding.timeline(viewer, id));
    }

    @PutMapping("/api/v1/aws/accounts/{id}/role")
    @Operation(summary = "Enter the ARN of the role created from the template; it is verified at once")
    AccountView setRole(Viewer viewer, @PathVariable UUID id, @RequestBody RoleRequest body) {
        return view(health.setRole(viewer, id, body.roleArn()));
    }

    @PostMapping("/api/v1/aws/accounts/{id}/role")
    @Operation(summary = "Verify the role: assumable with the external ID, refused without it")
    AccountView verify(Viewer viewer, @PathVariable UUID id) {
        return view(health.verify(viewer, id));
    }

    @PostMapping("/api/v1/aws/accounts/{id}/health")
    @Operation(summary = "Recompute the account's health now")
    AccountView checkHealth(Viewer viewer, @PathVariable UUID id) {
        return view(health.check(viewer, id));
    }

    @PostMapping("/api/v1/aws/accounts/{id}/sandbox/accept")
    @Operation(summary = "Sandbox only: accept the invitation as the account owner")
    AccountView sandboxAccept(Viewer viewer, @PathVariable UUID id) {
        return view(onboarding.sandboxAnswer(viewer, id, true));
    }

    @PostMapping("/api/v1/aws/accounts/{id}/sandbox/decline")
    @Operation(summary = "Sandbox only: decline the invitation as the account owner")
    AccountView sandboxDecline(Viewer viewer, @PathVariable UUID id) {
        return view(onboarding.sandboxAnswer(viewer, id, false));
    }

    @PostMapping("/api/v1/aws/accounts/{id}/sandbox/role")
    @Operation(summary = "Sandbox only: create the role as the customer would with the template (withExternalId=false leaves out the condition)")
    AccountView sandboxRole(Viewer viewer, @PathVariable UUID id, @RequestBody(required = false) SandboxRole body) {
        return view(health.sandboxDeployRole(viewer, id, body == null || body.withExternalId() == null || body.withExternalId()));
    }
}
