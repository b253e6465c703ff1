package dev.openpayer.invoicing;

import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.billing.Contract;
import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CostCenter;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.ExchangeRates;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.Pricing;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.FieldChecks;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.MailRequested;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Monthly invoicing. A run computes every invoice a seller sends for a month: the distributor bills each
 * reseller for its customers' accounts at the reseller's wholesale price book and each direct customer at its
 * price book; a reseller bills each of its customers. Drafts are recomputed by every run (and when AWS restates
 * the month); issuing numbers an invoice without gaps, freezes it, renders its PDF and emails the billing
 * contacts. After issue, differences become credit notes or supplementary invoices, never edits.
 */
@Service
public class Invoicing {
    public static final String OBJECT_TYPE = "Invoice";
    private static final Logger log = LoggerFactory.getLogger(Invoicing.class);

    private final Invoices invoices;
    private final LakeCosts lake;
    private final Tenancy tenancy;
    private final BillingProfiles profiles;
    private final Contracts contracts;
    private final PriceBooks priceBooks;
    private final PriceBookRules rules;
    private final InvoiceSettings settings;
    private final CustomLineItems customItems;
    private final ExchangeRates rates;
    private final CostCenters costCenters;
    private final AccountOnboarding onboarding;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    Invoicing(Invoices invoices, LakeCosts lake, Tenancy tenancy, BillingProfiles profiles, Contracts contracts, PriceBooks priceBooks,
            PriceBookRules rules, InvoiceSettings settings, CustomLineItems customItems, ExchangeRates rates, CostCenters costCenters,
            AccountOnboarding onboarding, ApplicationEventPublisher events, PlatformTransactionManager transactions, Clock clock) {
        this.invoices = invoices;
        this.lake = lake;
        this.tenancy = tenancy;
        this.profiles = profiles;
        this.contracts = contracts;
        this.priceBooks = priceBooks;
        this.rules = rules;
        this.settings = settings;
        this.customItems = customItems;
        this.rates = rates;
        this.costCenters = costCenters;
        this.onboarding = onboarding;
        this.events = events;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    // ------------------------------------------------------------------ runs

    /** Runs a seller's month for a user on the seller's side (ADMIN or BILLING_MANAGER). */
    public InvoiceRun run(Viewer viewer, UUID sellerId, YearMonth month) {
        if (sellerId == null) {
            throw new InvalidInputException("sellerId", "is required: the distributor or reseller whose invoices to compute");
        }
        Organization seller = tenancy.referenced(viewer, sellerId, "sellerId");
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        if (!seller.type().sells()) {
            throw new InvalidInputException("sellerId", seller.name() + " is a customer: only the distributor and resellers send invoices");
        }
        checkMonth(month);
        return run(seller, month, "MANUAL", viewer.email());
    }

    /** Runs a seller's month (schedules, restatements, the demo). */
    public InvoiceRun run(Organization seller, YearMonth month, String trigger, String requestedBy) {
        return run(List.of(seller), month, trigger, requestedBy).get(0);
    }

    /**
     * Runs several sellers' month over one read of the lake: each seller gets its own run, invoices and warnings, exactly as
     * if it ran alone (a seller's slices are priced by its own books only, and pricing is linear, so grouping by the other
     * sellers' tag keys as well changes no amount). Returns the runs in the order of the sellers.
     */
    public List<InvoiceRun> run(List<Organization> sellers, YearMonth month, String trigger, String requestedBy) {
        record Pending(int index, Organization seller, UUID runId, List<String> warnings, Plan plan, InvoiceCalculator.Run calc) {}
        InvoiceRun[] results = new InvoiceRun[sellers.size()];
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < sellers.size(); i++) {
            Organization seller = sellers.get(i);
            UUID runId = UUID.randomUUID();
            invoices.startRun(runId, seller.id(), month, trigger, requestedBy, clock.instant());
            List<String> warnings = new ArrayList<>();
            try {
                Plan plan = plan(seller, month, warnings);
                pending.add(new Pending(i, seller, runId, warnings, plan, new InvoiceCalculator.Run(plan.targets(), plan.books())));
            } catch (RuntimeException e) {
                results[i] = failed(seller, month, runId, warnings, e);
            }
        }
        if (pending.isEmpty()) {
            return List.of(results);
        }
        LakeCosts.MonthData data;
        long rows;
        try {
            data = lake.month(month);
            List<dev.openpayer.billing.PricingRule> used = new ArrayList<>();
            Set<String> accounts = new java.util.HashSet<>();
            for (Pending p : pending) {
                p.plan().books().values().forEach(b -> used.addAll(b.pricing().rules()));
                p.plan().targets().forEach(t -> accounts.addAll(t.accounts().keySet()));
            }
            rows = lake.scan(data, LakeCosts.Needs.of(used), accounts, slice -> {
                for (Pending p : pending) {
                    p.calc().add(slice.serviceName(), slice.group());
                }
            });
        } catch (RuntimeException e) {
            pending.forEach(p -> results[p.index()] = failed(p.seller(), month, p.runId(), p.warnings(), e));
            return List.of(results);
        }
        var monthRates = rates.ofMonth(month);
        for (Pending p : pending) {
            try {
                List<InvoiceCalculator.Computed> computed = new ArrayList<>();
                Set<UUID> failed = new java.util.HashSet<>();
                for (InvoiceCalculator.Computed c : p.calc().finish(monthRates)) {
                    if (c == null) {
                        continue;
                    }
                    if (c.problem() != null) {
                        p.warnings().add(c.target().profile().name() + ": " + c.problem());
                        failed.add(c.target().profile().id());
                    } else {
                        computed.add(c);
                    }
                }
                Invoices.Outcome outcome = tx.execute(s -> invoices.store(p.seller().id(), month, p.runId(), data.version(), computed, failed,
                        clock.instant()));
                results[p.index()] = invoices.finishRun(p.runId(), InvoiceRun.Status.COMPLETED, outcome, rows, p.warnings(), null, clock.instant());
            } catch (RuntimeException e) {
                results[p.index()] = failed(p.seller(), month, p.runId(), p.warnings(), e);
            }
        }
        return List.of(results);
    }

    private InvoiceRun failed(Organization seller, YearMonth month, UUID runId, List<String> warnings, RuntimeException e) {
        log.warn("Invoice run of {} for {} failed", seller.name(), month, e);
        return invoices.finishRun(runId, InvoiceRun.Status.FAILED, new Invoices.Outcome(0, 0, 0, 0), 0, warnings,
                e.getMessage() == null ? e.toString() : e.getMessage(), clock.instant());
    }

    public List<InvoiceRun> runs(Viewer viewer, UUID sellerId, YearMonth month) {
        String path = sellerId == null ? viewer.organizationPath() : tenancy.visible(viewer, sellerId).path();
        return invoices.runs(path, sellerId, month);
    }

    public InvoiceRun visibleRun(Viewer viewer, UUID id) {
        InvoiceRun run = invoices.run(id).orElseThrow(() -> new NotFoundException("InvoiceRun", id));
        if (tenancy.find(run.sellerId()).filter(viewer::covers).isEmpty()) {
            throw new NotFoundException("InvoiceRun", id);
        }
        return run;
    }

    /** Runs again every seller that already invoiced the month: AWS re-delivered it. */
    public void recompute(YearMonth month, String trigger) {
        List<Organization> sellers = invoices.sellersWithInvoices(month).stream().map(tenancy::find).flatMap(Optional::stream).toList();
        if (!sellers.isEmpty()) {
            run(sellers, month, trigger, null);
        }
    }

    private record Plan(List<InvoiceCalculator.Target> targets, Map<UUID, InvoiceCalculator.Book> books) {}

    /** Who the seller bills this month, for which accounts, at which price book version. */
    private Plan plan(Organization seller, YearMonth month, List<String> warnings) {
        Viewer system = tenancy.system();
        LocalDate first = month.atDay(1);
        LocalDate last = month.atEndOfMonth();
        Map<UUID, Contract> byCustomer = new LinkedHashMap<>();
        for (Contract c : contracts.list(system, null, seller.id(), null)) {
            boolean overlaps = c.status() != ContractStatus.DRAFT && !c.startDate().isAfter(last) && (c.endDate() == null || !c.endDate().isBefore(first));
            if (overlaps) {
                byCustomer.merge(c.customerId(), c, (a, b) -> a.startDate().isAfter(b.startDate()) ? a : b);
            }
        }
        Map<String, CustomerAccount> members = onboarding.payerMembers(month);
        Map<UUID, Organization> orgs = new HashMap<>();
        Map<UUID, Map<UUID, String>> centers = new HashMap<>();
        Map<String, InvoiceCalculator.Target> targets = new LinkedHashMap<>();
        Set<UUID> bookIds = new TreeSet<>();
        for (Contract contract : byCustomer.values()) {
            Organization buyer = orgs.computeIfAbsent(contract.customerId(), id -> tenancy.find(id).orElseThrow());
            if (contract.priceBookId() != null) {
                bookIds.add(contract.priceBookId());
            }
            if (buyer.type() == OrganizationType.RESELLER) {
                Optional<BillingProfile> profile = profiles.list(system, buyer.id()).stream().filter(p -> p.organizationId().equals(buyer.id()))
                        .filter(BillingProfile::active).min(Comparator.comparing(BillingProfile::createdAt));
                if (profile.isEmpty()) {
                    warnings.add(buyer.name() + " has no active billing profile: its wholesale invoice for " + month + " was not computed");
                    continue;
                }
                Map<String, InvoiceCalculator.AccountBilling> accounts = new LinkedHashMap<>();
                for (CustomerAccount a : members.values()) {
                    Organization customer = orgs.computeIfAbsent(a.customerId(), id -> tenancy.find(id).orElseThrow());
                    if (buyer.covers(customer)) {
                        accounts.put(a.accountId(), new InvoiceCalculator.AccountBilling(a.accountId(), customer.id(), customer.name(), customer.name(),
                                contract.priceBookId()));
                    }
                }
                addTarget(targets, buyer, profile.get(), InvoiceCalculator.Tier.WHOLESALE, accounts, month);
            } else {
                Map<UUID, Map<String, InvoiceCalculator.AccountBilling>> byProfile = new LinkedHashMap<>();
                for (BillingProfile p : profiles.list(system, buyer.id())) {
                    if (p.organizationId().equals(buyer.id()) && p.active()) {
                        byProfile.put(p.id(), new LinkedHashMap<>());
                    }
                }
                for (CustomerAccount a : members.values()) {
                    if (!a.customerId().equals(buyer.id())) {
                        continue;
                    }
                    Map<UUID, String> cc = centers.computeIfAbsent(buyer.id(), id -> costCenters.list(system, id).stream()
                            .collect(Collectors.toMap(CostCenter::id, c -> c.code() + " " + c.name())));
                    UUID book = a.priceBookId() != null ? a.priceBookId() : contract.priceBookId();
                    if (book != null) {
                        bookIds.add(book);
                    }
                    byProfile.computeIfAbsent(a.billingProfileId(), k -> new LinkedHashMap<>()).put(a.accountId(), new InvoiceCalculator.AccountBilling(
                            a.accountId(), buyer.id(), buyer.name(), a.costCenterId() == null ? null : cc.get(a.costCenterId()), book));
                }
                byProfile.forEach((profileId, accounts) -> profiles.find(profileId).ifPresent(p -> addTarget(targets, buyer, p,
                        InvoiceCalculator.Tier.RETAIL, accounts, month)));
            }
        }
        // Customers below the seller with accounts in a payer organisation but no contract in force are billed by nobody.
        Set<UUID> unbilled = new TreeSet<>();
        for (CustomerAccount a : members.values()) {
            Organization customer = orgs.computeIfAbsent(a.customerId(), id -> tenancy.find(id).orElseThrow());
            if (seller.id().equals(customer.parentId()) && !byCustomer.containsKey(customer.id())) {
                unbilled.add(customer.id());
            }
        }
        unbilled.forEach(id -> warnings.add(orgs.get(id).name() + " has accounts in a payer organisation but no contract in force in " + month
                + ": its costs are not invoiced (the reconciliation lists them)"));
        Map<UUID, InvoiceCalculator.Book> books = new HashMap<>();
        for (UUID id : bookIds) {
            PriceBook book = priceBooks.find(id).orElse(null);
            if (book == null) {
                continue;
            }
            Optional<PriceBookRules.Version> version = rules.effective(id, month);
            List<dev.openpayer.billing.PricingRule> list = version.map(PriceBookRules.Version::rules).orElse(List.of());
            books.put(id, new InvoiceCalculator.Book(id, version.map(v -> v.label(book.name())).orElse(book.name() + " (no published rules: at AWS cost)"),
                    Pricing.compile(list)));
        }
        return new Plan(List.copyOf(targets.values()), books);
    }

    private void addTarget(Map<String, InvoiceCalculator.Target> targets, Organization buyer, BillingProfile profile, InvoiceCalculator.Tier tier,
            Map<String, InvoiceCalculator.AccountBilling> accounts, YearMonth month) {
        InvoiceCalculator.Target t = new InvoiceCalculator.Target(buyer, profile, tier, settings.of(profile.id()), accounts,
                customItems.forMonth(profile.id(), month));
        targets.put(t.key(), t);
    }

    private void checkMonth(YearMonth month) {
        if (month == null) {
            throw new InvalidInputException("month", "is required (YYYY-MM)");
        }
        if (month.isAfter(YearMonth.now(clock)) || month.isBefore(YearMonth.of(2000, 1))) {
            throw new InvalidInputException("month", "must be a billing month that has begun (" + month + " is in the future)");
        }
    }

    // ------------------------------------------------------------------ preview

    /** What a month would cost each billing profile priced by a price book under its draft, against the version in force. */
    public record Preview(YearMonth month, UUID priceBookId, String currentVersion, String draftVersion, List<PreviewRow> rows, List<String> warnings) {}

    public record PreviewRow(UUID billingProfileId, String billingProfileName, String customerName, String tier, String currency, BigDecimal current,
            BigDecimal draft, BigDecimal difference) {}

    public Preview preview(Viewer viewer, UUID priceBookId, YearMonth month) {
        PriceBook book = priceBooks.visible(viewer, priceBookId);
        checkMonth(month);
        PriceBookRules.Version draft = rules.draft(book.id())
                .orElseThrow(() -> new ConflictException("draft", "the price book has no draft: add or change rules first, then preview"));
        Organization owner = tenancy.find(book.ownerId()).orElseThrow();
        List<String> warnings = new ArrayList<>();
        Plan plan = plan(owner, month, warnings);
        List<InvoiceCalculator.Target> targets = plan.targets().stream()
                .filter(t -> t.accounts().values().stream().anyMatch(a -> book.id().equals(a.priceBookId()))).toList();
        Map<UUID, InvoiceCalculator.Book> draftBooks = new HashMap<>(plan.books());
        draftBooks.put(book.id(), new InvoiceCalculator.Book(book.id(), draft.label(book.name()), Pricing.compile(draft.rules())));
        List<dev.openpayer.billing.PricingRule> used = new ArrayList<>(draft.rules());
        plan.books().values().forEach(b -> used.addAll(b.pricing().rules()));
        Set<String> accounts = new java.util.HashSet<>();
        targets.forEach(t -> accounts.addAll(t.accounts().keySet()));
        InvoiceCalculator.Run current = new InvoiceCalculator.Run(targets, plan.books());
        InvoiceCalculator.Run proposed = new InvoiceCalculator.Run(targets, draftBooks);
        LakeCosts.MonthData data = lake.month(month);
        lake.scan(data, LakeCosts.Needs.of(used), accounts, slice -> {
            current.add(slice.serviceName(), slice.group());
            proposed.add(slice.serviceName(), slice.group());
        });
        Map<String, InvoiceCalculator.Computed> after = new HashMap<>();
        var monthRates = rates.ofMonth(month);
        for (InvoiceCalculator.Computed c : proposed.finish(monthRates)) {
            if (c != null) {
                after.put(c.target().key(), c);
            }
        }
        List<PreviewRow> rows = new ArrayList<>();
        for (InvoiceCalculator.Computed c : current.finish(monthRates)) {
            if (c == null) {
                continue;
            }
            if (c.problem() != null) {
                warnings.add(c.target().profile().name() + ": " + c.problem());
                continue;
            }
            InvoiceCalculator.Computed d = after.get(c.target().key());
            BigDecimal draftTotal = d == null || d.problem() != null ? BigDecimal.ZERO : d.subtotal();
            rows.add(new PreviewRow(c.target().profile().id(), c.target().profile().name(), c.target().buyer().name(), c.target().tier().name(), c.currency(),
                    c.subtotal(), draftTotal, draftTotal.subtract(c.subtotal())));
        }
        String currentLabel = rules.effective(book.id(), month).map(v -> v.label(book.name())).orElse(book.name() + " (no published rules: at AWS cost)");
        return new Preview(month, book.id(), currentLabel, draft.label(book.name()), rows, warnings);
    }

    // ------------------------------------------------------------------ reading

    public List<Invoice> list(Viewer viewer, YearMonth month, UUID customerId, Invoice.Status status) {
        Set<UUID> visibleProfiles = profiles.list(viewer, null).stream().map(BillingProfile::id).collect(Collectors.toSet());
        String path = customerId == null ? viewer.organizationPath() : tenancy.visible(viewer, customerId).path();
        return invoices.list(path, month, customerId, status).stream().filter(i -> visibleProfiles.contains(i.billingProfileId()))
                .map(i -> forViewer(viewer, i)).filter(i -> i.sellerView() || i.status() == Invoice.Status.ISSUED).toList();
    }

    /**
     * The invoice if its billing profile is visible to the viewer: a seller sees the drafts and issued documents of the
     * profiles it may see; a buyer only what was issued to it (drafts are the seller's work in progress).
     */
    public Invoice visible(Viewer viewer, UUID id) {
        Invoice invoice = invoices.find(id).orElseThrow(() -> new NotFoundException(OBJECT_TYPE, id));
        try {
            profiles.visible(viewer, invoice.billingProfileId());
        } catch (NotFoundException e) {
            throw new NotFoundException(OBJECT_TYPE, id);
        }
        Invoice seen = forViewer(viewer, invoice);
        if (!seen.sellerView() && seen.status() == Invoice.Status.DRAFT) {
            throw new NotFoundException(OBJECT_TYPE, id);
        }
        return seen;
    }

    /** The invoice for a viewer on the seller's side who may act on it. */
    private Invoice actionable(Viewer viewer, UUID id) {
        Invoice invoice = visible(viewer, id);
        if (!invoice.sellerView()) {
            throw new dev.openpayer.shared.ForbiddenException("Only " + invoice.sellerName() + ", who sends this invoice, may change it.");
        }
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        return invoice;
    }

    private Invoice forViewer(Viewer viewer, Invoice i) {
        boolean seller = tenancy.find(i.sellerId()).filter(viewer::covers).isPresent();
        if (seller) {
            return i;
        }
        List<Invoice.Line> lines = i.lines().stream().map(l -> new Invoice.Line(l.position(), l.kind(), l.lineKey(), l.accountId(), l.customerId(),
                l.costCenter(), l.serviceCode(), l.description(), null, l.amount(), null)).toList();
        return new Invoice(i.id(), i.sellerId(), i.sellerName(), i.customerId(), i.customerName(), i.billingProfileId(), i.billingProfileName(), i.month(),
                i.kind(), i.tier(), i.status(), i.number(), i.correctsId(), i.correctsNumber(), i.reason(), i.currency(), i.sourceCurrency(), i.exchangeRate(),
                null, null, i.subtotal(), i.tax(), i.total(), i.taxLabel(), null, null, i.runId(), i.computedAt(), i.issueDate(), i.dueDate(), i.issuedAt(),
                i.issuedBy(), false, lines);
    }

    // ------------------------------------------------------------------ issuing and credit notes

    /**
     * Issues a draft: the next number of the seller's sequence (no gaps: the number is taken in the same transaction
     * that freezes the invoice), the issue and due dates, the PDF, and an email to the billing contacts.
     */
    public Invoice issue(Viewer viewer, UUID id) {
        Invoice draft = actionable(viewer, id);
        if (draft.status() != Invoice.Status.DRAFT) {
            throw new ConflictException("status", draft.label() + " is already issued; corrections are credit notes");
        }
        if (draft.correctsId() == null && draft.dataVersion() != null && !draft.dataVersion().equals(lake.month(draft.month()).version())) {
            throw new ConflictException("dataVersion", "AWS delivered newer cost data for " + draft.month() + " since this draft was computed: run the month "
                    + "again, check the draft, then issue it");
        }
        BillingProfile profile = profiles.find(draft.billingProfileId()).orElseThrow();
        Invoice issued = tx.execute(s -> {
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            invoices.lockSeller(draft.sellerId());
            Invoice locked = invoices.lockDraft(id).orElseThrow(() -> new ConflictException("status", draft.label() + " was issued or replaced meanwhile"));
            String number = invoices.nextNumber(locked.sellerId(), locked.kind());
            invoices.markIssued(id, number, today, today.plusDays(profile.paymentTermsDays()), clock.instant(), viewer.email());
            Invoice frozen = invoices.find(id).orElseThrow();
            for (String email : profile.contactEmails()) {
                events.publishEvent(new MailRequested(frozen.customerId(), email, frozen.label() + " from " + frozen.sellerName() + " for "
                        + frozen.month(), mailBody(frozen, profile)));
            }
            events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), frozen.customerId(), "invoice.issued", OBJECT_TYPE,
                    id.toString(), "Issued " + frozen.label() + " to \"" + profile.name() + "\" for " + frozen.month() + ": " + frozen.total().toPlainString()
                            + " " + frozen.currency(), "DRAFT", number));
            return frozen;
        });
        // The document is rendered after the number is committed, so that the seller's sequence is held only briefly;
        // should rendering fail, the PDF is rendered from the frozen invoice when asked for.
        try {
            tx.executeWithoutResult(s -> invoices.storePdf(id, InvoicePdf.render(document(issued))));
        } catch (RuntimeException e) {
            log.warn("The PDF of {} could not be stored; it is rendered on demand", issued.label(), e);
        }
        return forViewer(viewer, issued);
    }

    /** A draft credit note for the whole remaining amount of an issued invoice (cancelling it); issue it to send it. */
    public Invoice creditNote(Viewer viewer, UUID id, String reason) {
        Invoice invoice = actionable(viewer, id);
        if (invoice.status() != Invoice.Status.ISSUED || invoice.kind() != Invoice.Kind.INVOICE) {
            throw new ConflictException("status", "only an issued invoice can be credited; " + invoice.label() + " is " + invoice.status()
                    + (invoice.kind() == Invoice.Kind.CREDIT_NOTE ? " and a credit note" : ""));
        }
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        String cleanReason = FieldChecks.text(reason, "reason", 1000, true, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Invoice note = tx.execute(s -> {
            UUID noteId = invoices.creditInFull(invoice.id(), cleanReason, clock.instant())
                    .orElseThrow(() -> new ConflictException("id", invoice.label() + " is already credited in full (or has a draft credit note)"));
            events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), invoice.customerId(), "invoice.credited", OBJECT_TYPE,
                    noteId.toString(), "Drafted a credit note for " + invoice.label() + ": " + cleanReason, null, null));
            return invoices.find(noteId).orElseThrow();
        });
        return forViewer(viewer, note);
    }

    /** Deletes a draft (the next run computes it again if there is still something to bill). */
    public void discard(Viewer viewer, UUID id) {
        Invoice draft = actionable(viewer, id);
        if (draft.status() != Invoice.Status.DRAFT) {
            throw new ConflictException("status", draft.label() + " is issued: it can only be credited");
        }
        tx.executeWithoutResult(s -> {
            invoices.lockSeller(draft.sellerId());
            invoices.deleteDraft(id);
        });
    }

    // ------------------------------------------------------------------ documents

    /** The PDF: the frozen document of an issued invoice, or a draft rendered now with a DRAFT watermark. */
    public byte[] pdf(Viewer viewer, UUID id) {
        Invoice invoice = visible(viewer, id);
        if (invoice.status() == Invoice.Status.ISSUED) {
            return invoices.pdf(id).orElseGet(() -> InvoicePdf.render(document(invoices.find(id).orElseThrow())));
        }
        return InvoicePdf.render(document(invoices.find(id).orElseThrow()));
    }

    public String csv(Viewer viewer, UUID id) {
        return InvoiceCsv.render(document(visible(viewer, id)));
    }

    /** The file name of a document: number or "draft", billing profile and month. */
    public static String fileName(Invoice invoice, String extension) {
        String base = (invoice.number() == null ? "draft-" + invoice.id().toString().substring(0, 8) : invoice.number()) + "-" + invoice.month();
        return base.replaceAll("[^A-Za-z0-9._-]", "_") + "." + extension;
    }

    InvoiceDocument document(Invoice i) {
        Organization seller = tenancy.find(i.sellerId()).orElseThrow();
        BillingProfile buyer = profiles.find(i.billingProfileId()).orElseThrow();
        Optional<BillingProfile> sellerProfile = profiles.list(tenancy.system(), seller.id()).stream().filter(p -> p.organizationId().equals(seller.id()))
                .filter(BillingProfile::active).min(Comparator.comparing(BillingProfile::createdAt));
        InvoiceDocument.Party sellerParty = sellerProfile.map(Invoicing::party)
                .orElse(new InvoiceDocument.Party(seller.name(), seller.name(), List.of(), null, List.of()));
        List<InvoiceDocument.Line> lines = i.lines().stream().map(l -> new InvoiceDocument.Line(l.position(), l.kind(), l.accountId(), l.costCenter(),
                l.serviceCode(), l.description(), null, l.amount())).toList();
        List<InvoiceDocument.Subtotal> subtotals = i.costCenterSubtotals().stream().map(s -> new InvoiceDocument.Subtotal(s.costCenter(), s.amount())).toList();
        return new InvoiceDocument(i.kind() == Invoice.Kind.CREDIT_NOTE ? InvoiceDocument.Kind.CREDIT_NOTE : InvoiceDocument.Kind.INVOICE, i.number(),
                i.status() == Invoice.Status.ISSUED ? InvoiceDocument.Status.ISSUED : InvoiceDocument.Status.DRAFT, i.issueDate(), i.dueDate(), i.month(),
                sellerParty, party(buyer), i.currency(), i.sourceCurrency(), i.exchangeRate(), lines, subtotals, i.subtotal(), i.taxLabel(), i.tax(), i.total(),
                i.correctsNumber(), null); // the price book is the seller's business: the document the buyer receives does not name it
    }

    private static InvoiceDocument.Party party(BillingProfile p) {
        List<String> address = new ArrayList<>();
        address.add(p.addressLine1());
        if (p.addressLine2() != null && !p.addressLine2().isBlank()) {
            address.add(p.addressLine2());
        }
        address.add(((p.postalCode() == null ? "" : p.postalCode() + " ") + p.city()).strip());
        if (p.region() != null && !p.region().isBlank()) {
            address.add(p.region());
        }
        return new InvoiceDocument.Party(p.name(), p.legalName(), address, p.country(), p.contactEmails());
    }

    private static String mailBody(Invoice i, BillingProfile profile) {
        return "Hello,\n\n" + i.sellerName() + " has issued " + (i.kind() == Invoice.Kind.CREDIT_NOTE ? "credit note " : "invoice ") + i.number() + " to "
                + profile.legalName() + " for the billing period " + i.month() + ".\n\n"
                + "Total: " + i.total().toPlainString() + " " + i.currency() + "\n"
                + (i.dueDate() == null ? "" : "Due date: " + i.dueDate() + "\n")
                + "\nThe PDF and a CSV of its lines are available in OpenPayer under Invoices.\n";
    }

    public Clock clock() {
        return clock;
    }
}
