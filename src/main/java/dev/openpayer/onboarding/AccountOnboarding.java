package dev.openpayer.onboarding;

import dev.openpayer.aws.AccountCreation;
import dev.openpayer.aws.AwsAccount;
import dev.openpayer.aws.AwsRefusal;
import dev.openpayer.aws.Handshake;
import dev.openpayer.aws.OrganizationsGateway;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.onboarding.CustomerAccount.AccountType;
import dev.openpayer.onboarding.CustomerAccount.ConnectionType;
import dev.openpayer.onboarding.CustomerAccount.Health;
import dev.openpayer.onboarding.CustomerAccount.HealthStatus;
import dev.openpayer.shared.Actor;
import dev.openpayer.shared.AwsAccountId;
import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.shared.MailRequested;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings customers' AWS accounts under OpenPayer: invitation into a payer organisation (with the
 * tenant's approval where required), a read-only connection, or a new account; then follows the AWS
 * handshake to acceptance, expiry or refusal.
 *
 * <p>AWS is called outside database transactions. Before a call the AWS account ID is claimed in the
 * database, so concurrent requests for the same account produce one invitation; a DuplicateHandshake
 * answer (for example after a retried request that AWS had already carried out) adopts the pending
 * handshake instead of sending another.
 */
@Service
public class AccountOnboarding {
    public static final String OBJECT_TYPE = "AwsAccount";
    public static final String TAG_CUSTOMER = "openpayer:customer-id";
    static final Duration RESEND_INTERVAL = Duration.ofMinutes(5);
    static final int MAX_BULK = 500;
    private static final Logger log = LoggerFactory.getLogger(AccountOnboarding.class);
    private static final Pattern ACCOUNT_ID_IN_TEXT = Pattern.compile("[0-9]{4}-[0-9]{4}-[0-9]{4}|[0-9]+");

    private final CustomerAccounts accounts;
    private final Payers payers;
    private final PayerAccounts payerAccounts;
    private final Tenancy tenancy;
    private final BillingProfiles billingProfiles;
    private final UserAccounts userAccounts;
    private final Contracts contracts;
    private final PriceBooks priceBooks;
    private final CostCenters costCenters;
    private final Terms terms;
    private final ApprovalPolicies approvalPolicies;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final String baseUrl;

    AccountOnboarding(CustomerAccounts accounts, Payers payers, PayerAccounts payerAccounts, Tenancy tenancy, BillingProfiles billingProfiles,
            UserAccounts userAccounts, Contracts contracts, PriceBooks priceBooks, CostCenters costCenters, Terms terms,
            ApprovalPolicies approvalPolicies, ApplicationEventPublisher events, Clock clock, PlatformTransactionManager transactionManager,
            @Value("${openpayer.base-url}") String baseUrl) {
        this.accounts = accounts;
        this.payers = payers;
        this.payerAccounts = payerAccounts;
        this.tenancy = tenancy;
        this.billingProfiles = billingProfiles;
        this.userAccounts = userAccounts;
        this.contracts = contracts;
        this.priceBooks = priceBooks;
        this.costCenters = costCenters;
        this.terms = terms;
        this.approvalPolicies = approvalPolicies;
        this.events = events;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactionManager);
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** What a user fills in to add an account. */
    public record Request(
            ConnectionType connectionType,
            UUID billingProfileId,
            String accountId,
            String rootEmail,
            String accountName,
            String notes,
            AccountType accountType,
            UUID priceBookId,
            UUID costCenterId,
            UUID payerId) {}

    /** The outcome of one line of a bulk invitation. */
    public record BulkOutcome(String input, String accountId, CustomerAccount account, String error) {}

    // ---------------------------------------------------------------- reading

    public List<CustomerAccount> list(Viewer viewer, UUID customerId, AccountStatus status) {
        return inTx(() -> {
            String path = customerId == null ? viewer.organizationPath() : tenancy.visible(viewer, customerId).path();
            Set<UUID> profiles = viewer.isAdmin() ? null : billingProfiles.list(viewer, null).stream().map(BillingProfile::id).collect(Collectors.toSet());
            return accounts.inSubtree(path, customerId, status).stream().filter(a -> profiles == null || profiles.contains(a.billingProfileId())).toList();
        });
    }

    /**
     * Every usage account that belongs to a customer in a payer's report for a billing month, keyed by its 12-digit ID:
     * accounts that joined a payer organisation (whenever they joined or left) or were created in one. An account that was
     * onboarded more than once (it moved to another customer) belongs, for a month, to the newest onboarding that had joined
     * before the month ended; for months before its first joining, to that first one. For invoicing and reconciliation,
     * which read the payer's report.
     */
    public java.util.Map<String, CustomerAccount> payerMembers(java.time.YearMonth month) {
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        return inTx(() -> {
            java.util.Map<String, CustomerAccount> byId = new java.util.LinkedHashMap<>();
            java.util.Map<String, CustomerAccount> first = new java.util.HashMap<>();
            for (CustomerAccount a : accounts.members()) { // newest first
                Instant joined = a.membership() != null && a.membership().joinedAt() != null ? a.membership().joinedAt() : a.createdAt();
                if (joined.isBefore(end)) {
                    byId.putIfAbsent(a.accountId(), a);
                }
                first.put(a.accountId(), a); // the last written is the oldest
            }
            first.forEach(byId::putIfAbsent);
            return byId;
        });
    }

    /** The account if the viewer may see it (its customer in scope and, below ADMIN, its billing profile assigned), else 404. */
    public CustomerAccount visible(Viewer viewer, UUID id) {
        return inTx(() -> {
            CustomerAccount account = accounts.find(id).orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
            try {
                billingProfiles.visible(viewer, account.billingProfileId());
            } catch (NotFoundException e) {
                throw new NotFoundException(OBJECT_TYPE, id);
            }
            return account;
        });
    }

    /** The account, for a viewer who may act on it: an ADMIN in scope or a BILLING_MANAGER of its billing profile. */
    CustomerAccount actionable(Viewer viewer, UUID id) {
        CustomerAccount account = visible(viewer, id);
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        return account;
    }

    public List<Timeline> timeline(Viewer viewer, UUID id) {
        visible(viewer, id);
        return inTx(() -> accounts.timeline(id).stream().map(e -> new Timeline(e.at(), e.actorEmail(), e.kind(), e.detail())).toList());
    }

    /** One step of an account's timeline. */
    public record Timeline(Instant at, String actor, String kind, String detail) {}

    /** The payer's name as the console shows it: "Sandbox", the payer, or "N/A" when it cannot be known. */
    public String payerLabel(CustomerAccount account) {
        if (account.connectionType() == ConnectionType.READ_ONLY) {
            return "N/A";
        }
        return payers.label(account.payerId());
    }

    public boolean usesSandbox(CustomerAccount account) {
        return account.connectionType() != ConnectionType.READ_ONLY && payers.sandbox(account.payerId());
    }

    /** One step of the onboarding checklist; {@code done} is null for steps OpenPayer cannot check itself. */
    public record ChecklistItem(String step, Boolean done, String detail) {}

    /** The steps of the account's onboarding, done and remaining, for its page. */
    public List<ChecklistItem> checklist(Viewer viewer, UUID id) {
        CustomerAccount account = visible(viewer, id);
        return inTx(() -> {
            Organization customer = tenancy.find(account.customerId()).orElseThrow();
            BillingProfile profile = billingProfiles.find(account.billingProfileId()).orElseThrow();
            List<ChecklistItem> items = new ArrayList<>();
            Contracts.Check contract = contracts.check(customer);
            items.add(new ChecklistItem("Contract in force", contract.allowed(), contract.reason()));
            Terms.Status termsStatus = terms.status(customer, profile.country());
            items.add(new ChecklistItem("Terms and conditions accepted", termsStatus.satisfied(), termsStatus.current() == null
                    ? "no terms are published for " + profile.country()
                    : termsStatus.satisfied() ? "version " + termsStatus.current().version() + " accepted by " + termsStatus.acceptance().acceptedBy()
                            + " on " + termsStatus.acceptance().acceptedAt()
                    : "an admin of " + customer.name() + " must accept version " + termsStatus.current().version() + " for " + termsStatus.current().territory()));
            boolean joined = Set.of(AccountStatus.JOINED, AccountStatus.CONNECTED, AccountStatus.ACTIVE).contains(account.status());
            if (account.approverId() != null) {
                items.add(new ChecklistItem("Approved", account.status() == AccountStatus.REQUESTED ? Boolean.FALSE
                        : account.status() == AccountStatus.DECLINED ? Boolean.FALSE : Boolean.TRUE,
                        account.status() == AccountStatus.REQUESTED ? "waiting in the approvals inbox of " + tenancy.find(account.approverId()).map(Organization::name).orElse("?")
                        : account.status() == AccountStatus.DECLINED ? "declined: " + account.decisionReason() : "approved"));
            }
            switch (account.connectionType()) {
                case INVITE -> {
                    items.add(new ChecklistItem("Invitation sent", account.invitation() != null, account.invitation() == null
                            ? (account.refusal() != null ? account.refusal().title() + ": " + account.refusal().remedy() : "not sent yet")
                            : "handshake " + account.invitation().handshakeId() + ", expires " + account.invitation().expiresAt()));
                    items.add(new ChecklistItem("Invitation accepted by the account owner", joined, joined
                            ? "member of " + payerLabel(account) + (account.membership() != null && account.membership().joinedAt() != null
                                    ? " since " + account.membership().joinedAt() : "")
                            : "the account owner accepts the invitation in the AWS Organizations console (root user or an admin of the account)"));
                }
                case CREATE -> items.add(new ChecklistItem("Account created in the payer organisation", joined, joined ? "account " + account.accountId()
                        : account.status() == AccountStatus.CREATION_FAILED && account.refusal() != null ? account.refusal().explanation() : "AWS is creating it"));
                case READ_ONLY -> {
                    // no membership: the owner keeps paying AWS
                }
            }
            boolean connected = account.status() == AccountStatus.CONNECTED || account.status() == AccountStatus.ACTIVE;
            items.add(new ChecklistItem("Read-only cross-account role verified", connected, connected ? account.roleArn()
                    : "create the role with the CloudFormation template on this page, then enter its ARN"));
            payers.payer(account.payerId()).filter(PayerAccount::requiresBusinessSupport).ifPresent(p -> items.add(new ChecklistItem(
                    "Business Support plan", null, "the partner requires AWS Business Support (or higher) on this account: the account owner subscribes"
                            + " in the AWS Support Center; OpenPayer cannot check it")));
            items.add(new ChecklistItem("Cost data flowing", account.status() == AccountStatus.ACTIVE, account.status() == AccountStatus.ACTIVE ? "costs are flowing"
                    : "cost data appears 24–72 hours after the account joined; the account moves to Active at its first spend"));
            return items;
        });
    }

    // ---------------------------------------------------------------- requesting

    /** Adds one account: invites it, connects it read-only, or creates it, as the request says. */
    public CustomerAccount request(Viewer viewer, Request request) {
        Prepared prepared = inTx(() -> prepare(viewer, request, true));
        return submit(viewer, prepared);
    }

    /**
     * Invites every account ID found in the text (one per line, or separated by commas, semicolons or
     * spaces; a CSV with a header works too). Each becomes its own invitation with its own outcome.
     */
    public List<BulkOutcome> requestBulk(Viewer viewer, Request template, String accountIds) {
        List<FieldError> errors = new ArrayList<>();
        try {
            inTx(() -> prepare(viewer, new Request(ConnectionType.INVITE, template.billingProfileId(), "000000000000", template.rootEmail(), null,
                    template.notes(), template.accountType(), template.priceBookId(), template.costCenterId(), template.payerId()), false));
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        List<String> inputs = tokens(accountIds);
        if (inputs.isEmpty()) {
            errors.add(new FieldError("accountIds", "no account IDs found: paste one 12-digit ID per line, or upload a CSV of them"));
        } else if (inputs.size() > MAX_BULK) {
            errors.add(new FieldError("accountIds", "at most " + MAX_BULK + " accounts at a time; " + inputs.size() + " given"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<BulkOutcome> outcomes = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String input : inputs) {
            String id;
            try {
                id = AwsAccountId.parse(input, "accountIds").value();
            } catch (InvalidInputException e) {
                outcomes.add(new BulkOutcome(input, null, null, e.errors().getFirst().message()));
                continue;
            }
            if (!seen.add(id)) {
                outcomes.add(new BulkOutcome(input, id, null, "listed twice; invited once"));
                continue;
            }
            try {
                CustomerAccount account = request(viewer, new Request(ConnectionType.INVITE, template.billingProfileId(), id, null, null, template.notes(),
                        template.accountType(), template.priceBookId(), template.costCenterId(), template.payerId()));
                outcomes.add(new BulkOutcome(input, id, account, null));
            } catch (InvalidInputException e) {
                outcomes.add(new BulkOutcome(input, id, null, e.getMessage()));
            } catch (ConflictException e) {
                outcomes.add(new BulkOutcome(input, id, null, e.getMessage()));
            }
        }
        return outcomes;
    }

    /**
     * The account IDs in pasted text or a CSV: one per line (further columns such as names are ignored),
     * or several per line when every cell looks like an ID. A header line ("account_id", "Account ID"...)
     * is skipped wherever it appears (pasted text and an uploaded file are read one after the other).
     */
    static List<String> tokens(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            List<String> cells = new ArrayList<>();
            for (String cell : lines[i].split("[,;\\t]")) {
                String clean = cell.strip().replace("\"", "").replace("'", "");
                if (!clean.isEmpty()) {
                    cells.add(clean);
                }
            }
            if (cells.isEmpty()) {
                continue;
            }
            boolean allIds = cells.stream().allMatch(c -> c.matches("[0-9][0-9 -]*"));
            if (allIds) {
                for (String cell : cells) {
                    result.addAll(List.of(cell.matches("[0-9-]+(\\s+[0-9-]+)+") && !cell.matches("[0-9]{4} [0-9]{4} [0-9]{4}") ? cell.split("\\s+")
                            : new String[] {cell}));
                }
            } else if (cells.getFirst().matches("(?i)(aws[ _-]?)?account([ _-]?(id|ids|number))?|id")) {
                continue;
            } else if (cells.getFirst().chars().anyMatch(Character::isDigit) || i > 0 || result.size() > 0) {
                result.add(cells.getFirst());
            }
        }
        return result;
    }

    private record Prepared(CustomerAccount account, Organization customer, BillingProfile profile) {}

    /** Checks a request; the role is checked once the billing profile is known to be visible, as for any referenced object. */
    private Prepared prepare(Viewer viewer, Request request, boolean checkAccount) {
        if (request == null || request.billingProfileId() == null) {
            throw new InvalidInputException("billingProfileId", "must not be empty");
        }
        BillingProfile profile;
        try {
            profile = billingProfiles.actionable(viewer, request.billingProfileId());
        } catch (NotFoundException e) {
            throw new InvalidInputException("billingProfileId", "no billing profile with id " + request.billingProfileId() + " that you may act on");
        }
        Organization customer = tenancy.find(profile.organizationId()).orElseThrow();
        ConnectionType type = request.connectionType() == null ? ConnectionType.INVITE : request.connectionType();
        List<FieldError> errors = new ArrayList<>();
        if (customer.type() != OrganizationType.CUSTOMER) {
            errors.add(new FieldError("billingProfileId", "AWS accounts belong to end customers; this profile belongs to " + customer.name()));
        }
        if (!profile.active()) {
            errors.add(new FieldError("billingProfileId", "the billing profile is deactivated"));
        }
        String accountId = null;
        if (type != ConnectionType.CREATE) {
            try {
                accountId = AwsAccountId.parse(request.accountId(), "accountId").value();
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        String email = null;
        if (request.rootEmail() != null && !request.rootEmail().isBlank()) {
            try {
                email = UserAccounts.validEmailAddress(request.rootEmail());
            } catch (InvalidInputException e) {
                errors.add(new FieldError("rootEmail", "is not a valid email address"));
            }
        } else if (type == ConnectionType.CREATE) {
            errors.add(new FieldError("rootEmail", "a new account needs the email address of its root user"));
        }
        String name = request.accountName() == null || request.accountName().isBlank() ? null : request.accountName().strip();
        if (type == ConnectionType.CREATE && (name == null || name.length() > 50)) {
            errors.add(new FieldError("accountName", "a new account needs a name of 1 to 50 characters"));
        }
        String notes = request.notes() == null || request.notes().isBlank() ? null : request.notes().strip();
        if (notes != null && notes.length() > 1024) {
            errors.add(new FieldError("notes", "must be at most 1,024 characters (AWS shows them in the invitation email); " + notes.length() + " given"));
        }
        if (request.priceBookId() != null) {
            try {
                priceBooks.visible(viewer, request.priceBookId());
            } catch (NotFoundException e) {
                errors.add(new FieldError("priceBookId", "no price book with id " + request.priceBookId() + " in your scope"));
            }
        }
        if (request.costCenterId() != null) {
            Optional<CostCenter> center = Optional.empty();
            try {
                center = Optional.of(costCenters.visible(viewer, request.costCenterId()));
            } catch (NotFoundException e) {
                // reported below
            }
            if (center.isEmpty() || !center.get().customerId().equals(customer.id())) {
                errors.add(new FieldError("costCenterId", "must be a cost center of " + customer.name()));
            }
        }
        UUID payerId = null;
        if (type != ConnectionType.READ_ONLY) {
            if (request.payerId() != null) {
                Optional<PayerAccount> payer = payerAccounts.find(request.payerId()).filter(PayerAccount::active).filter(p -> payerAccounts.usableBy(p, customer));
                if (payer.isEmpty()) {
                    errors.add(new FieldError("payerId", "no active payer account with id " + request.payerId() + " that " + customer.name() + " may use"));
                } else {
                    payerId = payer.get().id();
                }
            } else {
                payerId = payerAccounts.defaultFor(customer).map(PayerAccount::id).orElse(null);
                if (payerId == null && !payerAccounts.list(tenancy.system()).isEmpty()) {
                    errors.add(new FieldError("payerId", "no payer account is open to " + customer.name() + "; ask the distributor to allow its reseller on a payer"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        requireEligible(customer, profile, payerId, type);
        Instant now = clock.instant();
        UUID approver = approvalPolicies.approverFor(viewer, customer).map(Organization::id).orElse(null);
        AccountStatus status = approver != null ? AccountStatus.REQUESTED
                : switch (type) {
                    case INVITE -> AccountStatus.SENDING;
                    case READ_ONLY -> AccountStatus.AWAITING_ROLE;
                    case CREATE -> AccountStatus.CREATING;
                };
        CustomerAccount account = new CustomerAccount(UUID.randomUUID(), accountId, customer.id(), profile.id(), payerId, type, status,
                request.accountType() == null ? AccountType.RESALE : request.accountType(), email, notes, request.priceBookId(),
                request.costCenterId(), approver, null, null, null, null, null, null, new Health(HealthStatus.UNKNOWN, null, null),
                viewer.email(), now, now);
        if (checkAccount && accountId != null) {
            accounts.claimHolder(accountId).flatMap(accounts::find).ifPresent(holder -> {
                throw new ConflictException("accountId", alreadyOnboarding(viewer, holder));
            });
        }
        if (type == ConnectionType.CREATE && name != null) {
            account = withName(account, name);
        }
        return new Prepared(account, customer, profile);
    }

    private static CustomerAccount withName(CustomerAccount a, String name) {
        return new CustomerAccount(a.id(), a.accountId(), a.customerId(), a.billingProfileId(), a.payerId(), a.connectionType(), a.status(),
                a.accountType(), a.rootEmail(), a.notes(), a.priceBookId(), a.costCenterId(), a.approverId(), a.decisionReason(), a.invitation(),
                a.refusal(), a.createRequestId(), new CustomerAccount.Membership(name, a.rootEmail(), null, null), a.roleArn(), a.health(),
                a.requestedEmail(), a.createdAt(), a.updatedAt());
    }

    private String alreadyOnboarding(Viewer viewer, CustomerAccount holder) {
        boolean sees = tenancy.find(holder.customerId()).filter(viewer::covers).isPresent();
        return "AWS account " + holder.accountId() + " is already " + (holder.status() == AccountStatus.REQUESTED ? "waiting for approval"
                : holder.status() == AccountStatus.INVITED ? "invited (use Resend on its page if the email did not arrive)"
                : "onboarded") + (sees ? "" : " for another customer of this installation");
    }

    /** The preconditions of every connection: contract in force, terms accepted, payer eligibility. */
    private void requireEligible(Organization customer, BillingProfile profile, UUID payerId, ConnectionType type) {
        if (!customer.active() || !tenancy.activeWithAncestors(customer)) {
            throw new ConflictException("billingProfileId", customer.name() + " is deactivated");
        }
        Contracts.Check contract = contracts.check(customer);
        if (!contract.allowed()) {
            throw new ConflictException("billingProfileId", "Accounts cannot be connected yet: " + contract.reason() + ".");
        }
        Terms.Status status = terms.status(customer, profile.country());
        if (!status.satisfied()) {
            throw new ConflictException("billingProfileId", "An admin of " + customer.name() + " must first accept version " + status.current().version()
                    + " of the terms and conditions for " + status.current().territory() + " (\"" + status.current().title() + "\").");
        }
        if (payerId != null) {
            PayerAccount payer = payerAccounts.find(payerId).orElseThrow();
            if (!payer.acceptsDemoTenants() && tenancy.isDemo(customer)) {
                throw new ConflictException("payerId", customer.name() + " is demo data, and payer account " + payer.name()
                        + " accepts no demo tenants. Use the Sandbox, or allow demo tenants on the payer account.");
            }
            if (!payer.allowedCountries().isEmpty() && !payer.allowedCountries().contains(profile.country())) {
                throw new ConflictException("payerId", "Payer account " + payer.name() + " accepts customers billed in "
                        + String.join(", ", payer.allowedCountries()) + "; this billing profile is in " + profile.country()
                        + ". Choose another payer account or billing profile.");
            }
        }
    }

    private CustomerAccount submit(Viewer viewer, Prepared prepared) {
        CustomerAccount account = prepared.account();
        Boolean claimed = tx.execute(s -> {
            if (!accounts.insertClaimed(account)) {
                s.setRollbackOnly();
                return false;
            }
            accounts.setRequestedBy(account.id(), viewer.userId());
            String what = switch (account.connectionType()) {
                case INVITE -> "Requested the invitation of AWS account " + account.accountId() + " into " + payers.label(account.payerId());
                case READ_ONLY -> "Requested a read-only connection of AWS account " + account.accountId();
                case CREATE -> "Requested a new AWS account \"" + account.membership().name() + "\" in " + payers.label(account.payerId());
            };
            accounts.event(account.id(), clock.instant(), viewer.userId(), viewer.email(), "requested", what + " for " + prepared.customer().name());
            audit(viewer.actor(), account, "aws-account.requested", what, null, account.status().name());
            if (account.status() == AccountStatus.REQUESTED) {
                Organization approver = tenancy.find(account.approverId()).orElseThrow();
                accounts.event(account.id(), clock.instant(), null, null, "awaiting-approval", "Waiting for the approval of " + approver.name());
                for (UserAccount admin : userAccounts.activeAdmins(approver.id())) {
                    events.publishEvent(new MailRequested(approver.id(), admin.email(), "Approval needed: AWS account " + account.label() + " for "
                            + prepared.customer().name(), """
                            %s asked to add AWS account %s for %s (billing profile "%s").

                            Approve and provision, or decline with a reason, in the Approvals inbox:
                            %s/aws/approvals
                            """.formatted(viewer.email(), account.label(), prepared.customer().name(), prepared.profile().name(), baseUrl)));
                }
            }
            return true;
        });
        if (!Boolean.TRUE.equals(claimed)) {
            CustomerAccount holder = accounts.claimHolder(account.accountId()).flatMap(accounts::find).orElse(account);
            throw new ConflictException("accountId", alreadyOnboarding(viewer, holder));
        }
        provision(viewer.actor(), accounts.find(account.id()).orElseThrow());
        return accounts.find(account.id()).orElseThrow();
    }

    /** Carries out an approved request: sends the invitation or starts the account creation. */
    private void provision(Actor actor, CustomerAccount account) {
        switch (account.status()) {
            case SENDING -> sendInvitation(actor, account);
            case CREATING -> startCreation(actor, account);
            default -> {
                // REQUESTED waits for approval; AWAITING_ROLE waits for the customer's role.
            }
        }
    }

    private void sendInvitation(Actor actor, CustomerAccount account) {
        OrganizationsGateway organizations = payers.organizations(account.payerId());
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_CUSTOMER, account.customerId().toString());
        try {
            Handshake handshake = organizations.inviteAccount(account.accountId(), account.notes(), tags);
            invited(actor, account, handshake, "Sent the invitation (handshake " + handshake.id() + "); the account owner receives an email from AWS");
        } catch (AwsRefusal refusal) {
            if (refusal.reason() == AwsRefusal.Reason.DUPLICATE_HANDSHAKE) {
                Optional<Handshake> pending = pendingFor(organizations, account.accountId());
                if (pending.isPresent() && accounts.findByHandshake(pending.get().id()).filter(other -> !other.id().equals(account.id())).isEmpty()) {
                    invited(actor, account, pending.get(), "An invitation to this account was already pending (handshake " + pending.get().id()
                            + "); OpenPayer follows it instead of sending a second one");
                    return;
                }
            }
            refused(actor, account, refusal);
        }
    }

    private Optional<Handshake> pendingFor(OrganizationsGateway organizations, String accountId) {
        try {
            return organizations.listHandshakesForOrganization().stream()
                    .filter(h -> h.pending() && accountId.equals(h.targetAccountId()))
                    .findFirst();
        } catch (AwsRefusal e) {
            return Optional.empty();
        }
    }

    private void invited(Actor actor, CustomerAccount account, Handshake handshake, String detail) {
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            accounts.setHandshake(account.id(), handshake.id(), handshake.arn(), handshake.state().name(), handshake.requestedAt(), handshake.expiresAt(), now);
            accounts.setStatus(account.id(), AccountStatus.INVITED, now);
            accounts.event(account.id(), now, actor.id(), actor.email(), "invited", detail);
            audit(actor, account, "aws-account.invited", "Invited AWS account " + account.accountId() + ": " + detail, account.status().name(), "INVITED");
        });
    }

    private void refused(Actor actor, CustomerAccount account, AwsRefusal refusal) {
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            accounts.setRefusal(account.id(), refusal.reason().name(), refusal.title(), refusal.explanation(), refusal.remedy(), refusal.awsMessage(), now);
            accounts.setStatus(account.id(), AccountStatus.REFUSED, now);
            accounts.release(account);
            accounts.event(account.id(), now, actor.id(), actor.email(), "refused", refusal.title() + ". " + refusal.remedy());
            audit(actor, account, "aws-account.refused", "AWS refused the invitation of " + account.accountId() + ": " + refusal.reason(),
                    account.status().name(), "REFUSED");
        });
    }

    private void startCreation(Actor actor, CustomerAccount account) {
        OrganizationsGateway organizations = payers.organizations(account.payerId());
        try {
            AccountCreation creation = organizations.createAccount(account.rootEmail(), account.membership().name());
            tx.executeWithoutResult(s -> {
                accounts.setCreation(account.id(), creation.id(), null, clock.instant());
                accounts.event(account.id(), clock.instant(), actor.id(), actor.email(), "creating",
                        "AWS is creating the account (request " + creation.id() + ")");
            });
            followCreation(actor, accounts.find(account.id()).orElseThrow());
        } catch (AwsRefusal refusal) {
            tx.executeWithoutResult(s -> {
                Instant now = clock.instant();
                accounts.setRefusal(account.id(), refusal.reason().name(), refusal.title(), refusal.explanation(), refusal.remedy(), refusal.awsMessage(), now);
                accounts.setStatus(account.id(), AccountStatus.CREATION_FAILED, now);
                accounts.event(account.id(), now, actor.id(), actor.email(), "creation-failed", refusal.title() + ". " + refusal.remedy());
            });
        }
    }

    private void followCreation(Actor actor, CustomerAccount account) {
        if (account.createRequestId() == null) {
            return;
        }
        OrganizationsGateway organizations = payers.organizations(account.payerId());
        AccountCreation status = organizations.describeCreateAccountStatus(account.createRequestId());
        switch (status.state()) {
            case IN_PROGRESS -> {
                // followed again by the next synchronisation
            }
            case FAILED -> tx.executeWithoutResult(s -> {
                Instant now = clock.instant();
                accounts.setRefusal(account.id(), status.failureReason(), "AWS could not create the account", "AWS answered " + status.failureReason() + ".",
                        "Correct the email address or name (an email address can belong to only one AWS account) and add the account again.",
                        status.failureReason(), now);
                accounts.setStatus(account.id(), AccountStatus.CREATION_FAILED, now);
                accounts.event(account.id(), now, actor.id(), actor.email(), "creation-failed", "AWS could not create the account: " + status.failureReason());
            });
            case SUCCEEDED -> {
                AwsAccount member = describe(organizations, status.accountId()).orElse(null);
                tx.executeWithoutResult(s -> {
                    Instant now = clock.instant();
                    accounts.setCreation(account.id(), status.id(), status.accountId(), now);
                    accounts.claim(status.accountId(), account.id());
                    if (member != null) {
                        accounts.setMembership(account.id(), member.name(), member.email(), member.state().name(), member.joinedAt(), now);
                    }
                    accounts.setStatus(account.id(), AccountStatus.JOINED, now);
                    accounts.event(account.id(), now, actor.id(), actor.email(), "joined", "AWS created account " + status.accountId()
                            + " in the payer organisation; next: set up the cross-account role");
                });
                joinedMail(accounts.find(account.id()).orElseThrow());
            }
        }
    }

    private Optional<AwsAccount> describe(OrganizationsGateway organizations, String accountId) {
        try {
            return Optional.of(organizations.describeAccount(accountId));
        } catch (AwsRefusal e) {
            log.warn("DescribeAccount {} failed: {}", accountId, e.getMessage());
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- approvals

    /** Requests waiting for the viewer's approval: ADMINs of the approving tenant or above. */
    public List<CustomerAccount> approvals(Viewer viewer) {
        if (!viewer.isAdmin()) {
            return List.of();
        }
        return inTx(() -> accounts.inSubtree(viewer.organizationPath(), null, AccountStatus.REQUESTED).stream()
                .filter(a -> tenancy.find(a.approverId()).filter(viewer::covers).isPresent())
                .toList());
    }

    public CustomerAccount approve(Viewer viewer, UUID id) {
        CustomerAccount account = pendingApproval(viewer, id);
        AccountStatus next = switch (account.connectionType()) {
            case INVITE -> AccountStatus.SENDING;
            case READ_ONLY -> AccountStatus.AWAITING_ROLE;
            case CREATE -> AccountStatus.CREATING;
        };
        Boolean moved = tx.execute(s -> {
            CustomerAccount current = accounts.find(id).orElseThrow();
            if (current.status() != AccountStatus.REQUESTED) {
                return false;
            }
            Instant now = clock.instant();
            accounts.setStatus(id, next, now);
            accounts.event(id, now, viewer.userId(), viewer.email(), "approved", "Approved by " + viewer.email());
            audit(viewer.actor(), account, "aws-account.approved", "Approved the request for AWS account " + account.label(), "REQUESTED", next.name());
            return true;
        });
        if (!Boolean.TRUE.equals(moved)) {
            throw new ConflictException("status", "this request was already decided");
        }
        provision(viewer.actor(), accounts.find(id).orElseThrow());
        return accounts.find(id).orElseThrow();
    }

    public CustomerAccount decline(Viewer viewer, UUID id, String reason) {
        CustomerAccount account = pendingApproval(viewer, id);
        String clean = reason == null ? "" : reason.strip();
        if (clean.isEmpty() || clean.length() > 1000) {
            throw new InvalidInputException("reason", "say why, in 1 to 1000 characters: the requester receives it");
        }
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            accounts.setStatus(id, AccountStatus.DECLINED, now);
            accounts.setDecision(id, clean);
            accounts.release(account);
            accounts.event(id, now, viewer.userId(), viewer.email(), "declined", "Declined by " + viewer.email() + ": " + clean);
            audit(viewer.actor(), account, "aws-account.declined", "Declined the request for AWS account " + account.label() + ": " + clean,
                    "REQUESTED", "DECLINED");
            if (account.requestedEmail() != null) {
                events.publishEvent(new MailRequested(account.customerId(), account.requestedEmail(),
                        "Declined: AWS account " + account.label(), """
                        %s declined your request to add AWS account %s.

                        Reason: %s

                        %s/aws/accounts/%s
                        """.formatted(viewer.email(), account.label(), clean, baseUrl, id)));
            }
        });
        return accounts.find(id).orElseThrow();
    }

    private CustomerAccount pendingApproval(Viewer viewer, UUID id) {
        CustomerAccount account = visible(viewer, id);
        if (account.status() != AccountStatus.REQUESTED) {
            throw new ConflictException("status", "this account is " + account.status() + ", not waiting for approval");
        }
        Organization approver = tenancy.find(account.approverId()).orElseThrow();
        if (!viewer.isAdmin() || !viewer.covers(approver)) {
            throw new ForbiddenException("Only admins of " + approver.name() + " (or above) approve this request.");
        }
        return account;
    }

    // ---------------------------------------------------------------- invitation lifecycle

    /** Cancels the pending handshake and sends a new invitation (at most once every five minutes). */
    public CustomerAccount resend(Viewer viewer, UUID id) {
        CustomerAccount account = actionable(viewer, id);
        if (account.connectionType() != ConnectionType.INVITE || !account.status().resendable()) {
            throw new ConflictException("status", "only an invitation that is pending, refused, declined, expired or cancelled can be sent again; this account is "
                    + account.status());
        }
        Instant last = accounts.lastEvent(id, "invited").orElse(null);
        if (last != null && last.plus(RESEND_INTERVAL).isAfter(clock.instant())) {
            long wait = Duration.between(clock.instant(), last.plus(RESEND_INTERVAL)).toSeconds();
            throw new ConflictException("status", "the invitation was sent less than five minutes ago; AWS's email can take that long. Try again in "
                    + Math.max(1, (wait + 59) / 60) + " minute(s)");
        }
        Boolean claimed = tx.execute(s -> accounts.claim(account.accountId(), account.id()));
        if (!Boolean.TRUE.equals(claimed)) {
            throw new ConflictException("accountId", alreadyOnboarding(viewer, accounts.claimHolder(account.accountId()).flatMap(accounts::find).orElseThrow()));
        }
        OrganizationsGateway organizations = payers.organizations(account.payerId());
        List<String> toCancel = new ArrayList<>();
        if (account.invitation() != null && account.status() == AccountStatus.INVITED) {
            toCancel.add(account.invitation().handshakeId());
        }
        if (account.refusal() != null && AwsRefusal.Reason.DUPLICATE_HANDSHAKE.name().equals(account.refusal().code())) {
            pendingFor(organizations, account.accountId()).ifPresent(h -> toCancel.add(h.id()));
        }
        for (String handshakeId : toCancel) {
            try {
                organizations.cancelHandshake(handshakeId);
            } catch (AwsRefusal refusal) {
                if (refusal.reason() != AwsRefusal.Reason.HANDSHAKE_ALREADY_IN_STATE && refusal.reason() != AwsRefusal.Reason.HANDSHAKE_NOT_FOUND) {
                    if (refusal.reason() == AwsRefusal.Reason.INVALID_HANDSHAKE_TRANSITION) {
                        refresh(viewer, id);
                        throw new ConflictException("status", "the account owner answered the invitation in the meantime; its state is refreshed");
                    }
                    throw new ConflictException("status", refusal.title() + ": " + refusal.remedy());
                }
            }
        }
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            accounts.setStatus(id, AccountStatus.SENDING, now);
            accounts.event(id, now, viewer.userId(), viewer.email(), "resent",
                    toCancel.isEmpty() ? "Sending the invitation again" : "Cancelled handshake " + String.join(", ", toCancel) + " to send a new invitation");
            audit(viewer.actor(), account, "aws-account.resent", "Resent the invitation of AWS account " + account.accountId(), account.status().name(), "SENDING");
        });
        sendInvitation(viewer.actor(), accounts.find(id).orElseThrow());
        return accounts.find(id).orElseThrow();
    }

    /** Cancels a pending invitation (or a request still waiting for approval). */
    public CustomerAccount cancel(Viewer viewer, UUID id) {
        CustomerAccount account = actionable(viewer, id);
        if (account.status() == AccountStatus.REQUESTED) {
            tx.executeWithoutResult(s -> closeWith(viewer.actor(), account, AccountStatus.CANCELED, "canceled", "Cancelled the request before approval"));
            return accounts.find(id).orElseThrow();
        }
        if (account.status() != AccountStatus.INVITED) {
            throw new ConflictException("status", "only a pending invitation can be cancelled; this account is " + account.status());
        }
        try {
            payers.organizations(account.payerId()).cancelHandshake(account.invitation().handshakeId());
        } catch (AwsRefusal refusal) {
            if (refusal.reason() == AwsRefusal.Reason.INVALID_HANDSHAKE_TRANSITION || refusal.reason() == AwsRefusal.Reason.HANDSHAKE_ALREADY_IN_STATE) {
                refresh(viewer, id);
                throw new ConflictException("status", "the invitation was already answered or closed; its state is refreshed");
            }
            throw new ConflictException("status", refusal.title() + ": " + refusal.remedy());
        }
        tx.executeWithoutResult(s -> closeWith(viewer.actor(), account, AccountStatus.CANCELED, "canceled",
                "Cancelled the invitation (handshake " + account.invitation().handshakeId() + ")"));
        return accounts.find(id).orElseThrow();
    }

    private void closeWith(Actor actor, CustomerAccount account, AccountStatus status, String kind, String detail) {
        Instant now = clock.instant();
        accounts.setStatus(account.id(), status, now);
        accounts.release(account);
        accounts.event(account.id(), now, actor.id(), actor.email(), kind, detail);
        audit(actor, account, "aws-account." + kind, detail + " — AWS account " + account.label(), account.status().name(), status.name());
    }

    /** Asks AWS for the invitation's (or account creation's) current state now. */
    public CustomerAccount refresh(Viewer viewer, UUID id) {
        CustomerAccount account = visible(viewer, id);
        OrganizationsGateway organizations = payers.organizations(account.payerId());
        if (account.status() == AccountStatus.CREATING) {
            followCreation(viewer.actor(), account);
        } else if (account.invitation() != null && account.status() == AccountStatus.INVITED) {
            try {
                apply(viewer.actor(), account, organizations.describeHandshake(account.invitation().handshakeId()), organizations);
            } catch (AwsRefusal refusal) {
                throw new ConflictException("status", refusal.title() + ": " + refusal.remedy());
            }
        }
        return accounts.find(id).orElseThrow();
    }

    /**
     * Brings every pending invitation and account creation up to date with AWS: one
     * ListHandshakesForOrganization (every page) per payer. Run by the schedule and safe to run anywhere.
     */
    public int synchronize() {
        int changed = 0;
        Map<UUID, List<CustomerAccount>> byPayer = new LinkedHashMap<>();
        for (CustomerAccount a : accounts.withStatus(AccountStatus.INVITED, AccountStatus.SENDING, AccountStatus.CREATING)) {
            byPayer.computeIfAbsent(a.payerId() == null ? new UUID(0, 0) : a.payerId(), k -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<UUID, List<CustomerAccount>> entry : byPayer.entrySet()) {
            UUID payerId = entry.getKey().equals(new UUID(0, 0)) ? null : entry.getKey();
            OrganizationsGateway organizations = payers.organizations(payerId);
            Map<String, Handshake> handshakes;
            try {
                handshakes = organizations.listHandshakesForOrganization().stream().collect(Collectors.toMap(Handshake::id, h -> h, (a, b) -> a));
            } catch (AwsRefusal refusal) {
                log.warn("Could not list the handshakes of payer {}: {}", payers.label(payerId), refusal.getMessage());
                continue;
            }
            for (CustomerAccount account : entry.getValue()) {
                try {
                    changed += synchronize(account, handshakes, organizations) ? 1 : 0;
                } catch (AwsRefusal refusal) {
                    log.warn("Could not synchronise AWS account {}: {}", account.label(), refusal.getMessage());
                }
            }
        }
        return changed;
    }

    private boolean synchronize(CustomerAccount account, Map<String, Handshake> handshakes, OrganizationsGateway organizations) {
        switch (account.status()) {
            case CREATING -> {
                followCreation(Actor.SYSTEM, account);
                return accounts.find(account.id()).map(a -> a.status() != AccountStatus.CREATING).orElse(false);
            }
            case SENDING -> {
                if (account.updatedAt().plus(Duration.ofMinutes(10)).isAfter(clock.instant())) {
                    return false;
                }
                Optional<Handshake> pending = handshakes.values().stream().filter(h -> h.pending() && account.accountId().equals(h.targetAccountId())).findFirst();
                if (pending.isPresent() && accounts.findByHandshake(pending.get().id()).isEmpty()) {
                    invited(Actor.SYSTEM, account, pending.get(), "Found the pending invitation (handshake " + pending.get().id()
                            + ") of a send that was interrupted");
                } else {
                    sendInvitation(Actor.SYSTEM, account);
                }
                return true;
            }
            case INVITED -> {
                Handshake handshake = handshakes.get(account.invitation().handshakeId());
                if (handshake == null) {
                    handshake = organizations.describeHandshake(account.invitation().handshakeId());
                }
                return apply(Actor.SYSTEM, account, handshake, organizations);
            }
            default -> {
                return false;
            }
        }
    }

    /** Applies a handshake's state to the account; true when something changed. */
    private boolean apply(Actor actor, CustomerAccount account, Handshake handshake, OrganizationsGateway organizations) {
        if (account.invitation() != null && handshake.state().name().equals(account.invitation().handshakeState()) && handshake.pending()) {
            return false;
        }
        switch (handshake.state()) {
            case REQUESTED, OPEN -> {
                tx.executeWithoutResult(s -> accounts.setHandshakeState(account.id(), handshake.state().name(), clock.instant()));
                return true;
            }
            case ACCEPTED -> {
                AwsAccount member = describe(organizations, account.accountId()).orElse(null);
                tx.executeWithoutResult(s -> {
                    Instant now = clock.instant();
                    accounts.setHandshakeState(account.id(), handshake.state().name(), now);
                    accounts.event(account.id(), now, actor.id(), actor.email(), "accepted", "The account owner accepted the invitation");
                    if (member != null) {
                        accounts.setMembership(account.id(), member.name(), member.email(), member.state().name(), member.joinedAt(), now);
                        accounts.event(account.id(), now, null, null, "joined", "AWS account " + member.id() + " (" + member.name()
                                + ") is a member of " + payers.label(account.payerId()) + " since " + member.joinedAt()
                                + "; costs appear 24–72 hours after joining");
                    }
                    accounts.setStatus(account.id(), AccountStatus.JOINED, now);
                    audit(actor, account, "aws-account.joined", "AWS account " + account.accountId() + " accepted the invitation and joined "
                            + payers.label(account.payerId()), "INVITED", "JOINED");
                });
                joinedMail(accounts.find(account.id()).orElseThrow());
                return true;
            }
            case DECLINED -> {
                tx.executeWithoutResult(s -> {
                    accounts.setHandshakeState(account.id(), handshake.state().name(), clock.instant());
                    closeWith(actor, account, AccountStatus.INVITATION_DECLINED, "invitation-declined", "The account owner declined the invitation");
                });
                return true;
            }
            case EXPIRED -> {
                tx.executeWithoutResult(s -> {
                    accounts.setHandshakeState(account.id(), handshake.state().name(), clock.instant());
                    closeWith(actor, account, AccountStatus.INVITATION_EXPIRED, "invitation-expired",
                            "Nobody answered the invitation within 15 days; send it again if the account should still join");
                });
                return true;
            }
            case CANCELED -> {
                tx.executeWithoutResult(s -> {
                    accounts.setHandshakeState(account.id(), handshake.state().name(), clock.instant());
                    closeWith(actor, account, AccountStatus.CANCELED, "canceled", "The invitation was cancelled in AWS");
                });
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void joinedMail(CustomerAccount account) {
        BillingProfile profile = billingProfiles.find(account.billingProfileId()).orElseThrow();
        tx.executeWithoutResult(s -> {
            for (String contact : profile.contactEmails()) {
                events.publishEvent(new MailRequested(account.customerId(), contact, "AWS account " + account.accountId() + " joined — next: the read-only role",
                        """
                        AWS account %s is now a member of the payer organisation and billed through your partner.

                        Next step: create the read-only cross-account role with the CloudFormation template on the account's page, then paste
                        the role ARN there:
                        %s/aws/accounts/%s

                        Cost data appears 24–72 hours after the account joined.
                        """.formatted(account.accountId(), baseUrl, account.id())));
            }
        });
    }

    // ---------------------------------------------------------------- sandbox (the account owner's part)

    /** Plays the account owner accepting the sandbox invitation, then refreshes the account. */
    public CustomerAccount sandboxAnswer(Viewer viewer, UUID id, boolean accept) {
        CustomerAccount account = actionable(viewer, id);
        if (!usesSandbox(account)) {
            throw new ConflictException("payerId", "this account was invited by a real payer account; its owner answers in AWS");
        }
        if (account.status() != AccountStatus.INVITED) {
            throw new ConflictException("status", "only a pending invitation can be answered; this account is " + account.status());
        }
        if (accept) {
            payers.sandboxGateway().acceptAsAccountOwner(account.invitation().handshakeId());
        } else {
            payers.sandboxGateway().decline(account.invitation().handshakeId());
        }
        return refresh(viewer, id);
    }

    // ---------------------------------------------------------------- helpers

    void audit(Actor actor, CustomerAccount account, String action, String summary, String before, String after) {
        events.publishEvent(new ChangeRecorded(clock.instant(), actor.id(), actor.email(), account.customerId(), action, OBJECT_TYPE,
                account.id().toString(), summary, before, after));
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(s -> work.get());
    }
}
