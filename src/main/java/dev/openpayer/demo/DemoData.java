package dev.openpayer.demo;

import dev.openpayer.billing.ContractStatus;
import dev.openpayer.billing.Contracts;
import dev.openpayer.billing.CostCenters;
import dev.openpayer.billing.CustomLineItems;
import dev.openpayer.billing.ExchangeRates;
import dev.openpayer.billing.InvoiceSettings;
import dev.openpayer.billing.PriceBook;
import dev.openpayer.billing.PriceBookRules;
import dev.openpayer.billing.PriceBooks;
import dev.openpayer.billing.PricingRule;
import dev.openpayer.cur.CurGenerator;
import dev.openpayer.cur.CurIngestion;
import dev.openpayer.cur.CurSource;
import dev.openpayer.cur.CurSources;
import dev.openpayer.cur.IngestionRun;
import dev.openpayer.invoicing.Invoicing;
import dev.openpayer.onboarding.AccountHealth;
import dev.openpayer.onboarding.AccountOnboarding;
import dev.openpayer.onboarding.ApprovalPolicies;
import dev.openpayer.onboarding.CustomerAccount;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccount;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Seeds the demo tenant tree once, into an installation that has nothing below its top tenant. */
@Component
@Order(10)
class DemoData implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean enabled;
    private final Tenancy tenancy;
    private final UserAccounts users;
    private final BillingProfiles profiles;
    private final PriceBooks priceBooks;
    private final Contracts contracts;
    private final CostCenters costCenters;
    private final AccountOnboarding onboarding;
    private final AccountHealth health;
    private final ApprovalPolicies approvalPolicies;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final CurSources curSources;
    private final CurIngestion curIngestion;
    private final Path dataDir;
    private final PriceBookRules priceBookRules;
    private final ExchangeRates rates;
    private final InvoiceSettings invoiceSettings;
    private final CustomLineItems customLineItems;
    private final Invoicing invoicing;

    DemoData(@Value("${openpayer.demo}") boolean enabled, Tenancy tenancy, UserAccounts users, BillingProfiles profiles, PriceBooks priceBooks,
            Contracts contracts, CostCenters costCenters, AccountOnboarding onboarding, AccountHealth health, ApprovalPolicies approvalPolicies, Clock clock,
            PlatformTransactionManager transactionManager, CurSources curSources, CurIngestion curIngestion,
            @Value("${openpayer.data-dir}") Path dataDir, PriceBookRules priceBookRules, ExchangeRates rates, InvoiceSettings invoiceSettings,
            CustomLineItems customLineItems, Invoicing invoicing) {
        this.priceBookRules = priceBookRules;
        this.rates = rates;
        this.invoiceSettings = invoiceSettings;
        this.customLineItems = customLineItems;
        this.invoicing = invoicing;
        this.curSources = curSources;
        this.curIngestion = curIngestion;
        this.dataDir = dataDir;
        this.onboarding = onboarding;
        this.health = health;
        this.approvalPolicies = approvalPolicies;
        this.enabled = enabled;
        this.tenancy = tenancy;
        this.users = users;
        this.profiles = profiles;
        this.priceBooks = priceBooks;
        this.contracts = contracts;
        this.costCenters = costCenters;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) {
            return;
        }
        Viewer system = tenancy.system();
        if (tenancy.list(system, Tenancy.OrganizationQuery.ALL).size() > 1) {
            log.info("Demo data not seeded: the installation already has organisations below its top tenant");
            return;
        }
        List<String> credentials = transactions.execute(status -> seed(system));
        seedAccounts(system);
        seedCostData(system);
        StringBuilder banner = new StringBuilder("\n\n  OpenPayer demo data seeded. Demo users (passwords shown only this once):\n");
        credentials.forEach(c -> banner.append("    ").append(c).append('\n'));
        System.out.println(banner.append('\n'));
    }

    /** Everything in one transaction: a failure leaves the installation as it was. */
    List<String> seed(Viewer system) {
        Organization top = tenancy.rename(system, system.organizationId(), "Northwind Cloud Distribution");
        tenancy.markDemo(top.id());
        LocalDate contractStart = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1).minusMonths(6);

        PriceBook wholesale = priceBooks.create(system, top.id(), new PriceBooks.Details("Wholesale 2026", "USD",
                "Reseller price: AWS list price less the partner discount."));
        PriceBook direct = priceBooks.create(system, top.id(), new PriceBooks.Details("Direct customers", "USD",
                "Customers billed by the distributor directly."));

        Organization cirrus = tenancy.create(system, OrganizationType.RESELLER, "Cirrus Partners", top.id());
        Organization stratus = tenancy.create(system, OrganizationType.RESELLER, "Stratus IT Services", top.id());
        profile(system, cirrus, "Cirrus Partners GmbH", "Friedrichstraße 68", "Berlin", "10117", "DE", "EUR", "billing@cirrus.example");
        profile(system, stratus, "Stratus IT Services Ltd", "22 Bishopsgate", "London", "EC2N 4BQ", "GB", "GBP", "accounts@stratus.example");
        contract(system, top, cirrus, wholesale, contractStart);
        contract(system, top, stratus, wholesale, contractStart);

        PriceBook cirrusStandard = priceBooks.create(system, cirrus.id(), new PriceBooks.Details("Cirrus Standard", "EUR",
                "AWS list price plus 5 % managed-service margin."));
        PriceBook stratusStandard = priceBooks.create(system, stratus.id(), new PriceBooks.Details("Stratus Standard", "GBP",
                "AWS list price, support included."));

        List<BillingProfile> cirrusProfiles = new ArrayList<>();
        Organization acme = customer(system, cirrus, "Acme Retail", cirrusStandard, contractStart);
        cirrusProfiles.add(profile(system, acme, "Acme Retail SE", "Kaiserstraße 12", "Frankfurt am Main", "60311", "DE", "EUR", "ap@acme-retail.example"));
        Organization globex = customer(system, cirrus, "Globex Logistics", cirrusStandard, contractStart);
        cirrusProfiles.add(profile(system, globex, "Globex Logistics B.V.", "Keizersgracht 100", "Amsterdam", "1015 CV", "NL", "EUR", "finance@globex.example"));
        Organization initech = customer(system, cirrus, "Initech Software", cirrusStandard, contractStart);
        cirrusProfiles.add(profile(system, initech, "Initech Software SAS", "10 rue de Rivoli", "Paris", "75004", "FR", "EUR", "compta@initech.example"));
        Organization umbrella = customer(system, stratus, "Umbrella Health", stratusStandard, contractStart);
        profile(system, umbrella, "Umbrella Health Ltd", "1 Canada Square", "London", "E14 5AB", "GB", "GBP", "invoices@umbrella.example");
        Organization hooli = customer(system, top, "Hooli Media", direct, contractStart);
        profile(system, hooli, "Hooli Media Inc.", "1600 Amphitheatre Way", "Mountain View", "94043", "US", "USD", "ap@hooli.example");

        costCenters.create(system, acme.id(), new CostCenters.Details("E-commerce platform", "ECOM"));
        costCenters.create(system, acme.id(), new CostCenters.Details("Data warehouse", "DWH"));
        costCenters.create(system, globex.id(), new CostCenters.Details("Fleet tracking", "FLEET"));
        costCenters.create(system, umbrella.id(), new CostCenters.Details("Clinical research", "R-AND-D"));
        costCenters.create(system, hooli.id(), new CostCenters.Details("Streaming", "STREAM"));

        seedPricing(system, top, wholesale, direct, cirrusStandard, stratusStandard, acme, contractStart);

        List<String> credentials = new ArrayList<>();
        credentials.add(user(system, cirrus, "admin@cirrus.example", "Clara Admin", Role.ADMIN, List.of()));
        credentials.add(user(system, cirrus, "billing@cirrus.example", "Bastian Billing", Role.BILLING_MANAGER, cirrusProfiles.subList(0, 2)));
        credentials.add(user(system, acme, "analyst@acme-retail.example", "Anna Analyst", Role.ANALYST, cirrusProfiles.subList(0, 1)));
        return credentials;
    }

    /** AWS accounts in the sandbox organisation, after the tenants are committed (AWS is never called inside a transaction). */
    private void seedAccounts(Viewer system) {
        Organization cirrus = tenancy.list(system, new Tenancy.OrganizationQuery(null, OrganizationType.RESELLER, "Cirrus", null)).getFirst();
        Organization acme = tenancy.list(system, new Tenancy.OrganizationQuery(null, OrganizationType.CUSTOMER, "Acme", null)).getFirst();
        Organization globex = tenancy.list(system, new Tenancy.OrganizationQuery(null, OrganizationType.CUSTOMER, "Globex", null)).getFirst();
        BillingProfile acmeProfile = profiles.list(system, acme.id()).getFirst();
        BillingProfile globexProfile = profiles.list(system, globex.id()).getFirst();
        CustomerAccount production = onboarding.request(system, new AccountOnboarding.Request(CustomerAccount.ConnectionType.INVITE, acmeProfile.id(),
                "310000000001", "aws-production@acme-retail.example", null, "Acme Retail production — joining Northwind's consolidated billing",
                null, null, null, null));
        onboarding.sandboxAnswer(system, production.id(), true);
        health.sandboxDeployRole(system, production.id(), true);
        // More members of the sandbox payer organisation, so that last month's invoices have something to show at both tiers.
        UUID warehouse = costCenters.list(system, acme.id()).stream().filter(c -> c.code().equals("DWH")).map(c -> c.id()).findFirst().orElse(null);
        member(system, acmeProfile, "310000000003", "aws-dwh@acme-retail.example", "Acme Retail data warehouse", warehouse);
        Organization umbrella = tenancy.list(system, new Tenancy.OrganizationQuery(null, OrganizationType.CUSTOMER, "Umbrella", null)).getFirst();
        member(system, profiles.list(system, umbrella.id()).getFirst(), "310000000004", "aws@umbrella.example", "Umbrella Health research", null);
        Organization hooli = tenancy.list(system, new Tenancy.OrganizationQuery(null, OrganizationType.CUSTOMER, "Hooli", null)).getFirst();
        member(system, profiles.list(system, hooli.id()).getFirst(), "310000000005", "aws@hooli.example", "Hooli Media streaming", null);
        onboarding.request(system, new AccountOnboarding.Request(CustomerAccount.ConnectionType.INVITE, globexProfile.id(), "310000000002",
                "aws-root@globex.example", null, "Globex Logistics fleet platform", null, null, null, null));
        approvalPolicies.set(system, cirrus.id(), true);
    }

    private void member(Viewer system, BillingProfile profile, String accountId, String email, String notes, UUID costCenter) {
        try {
            CustomerAccount account = onboarding.request(system, new AccountOnboarding.Request(CustomerAccount.ConnectionType.INVITE, profile.id(), accountId,
                    email, null, notes, null, null, costCenter, null));
            onboarding.sandboxAnswer(system, account.id(), true);
        } catch (RuntimeException e) {
            log.warn("Demo account {} not added: {}", accountId, e.getMessage());
        }
    }

    /**
     * A month-to-date Cost and Usage Report of the sandbox payer for the connected Acme account, written to
     * {@code <data-dir>/sandbox-cur}, connected as a {@code file:} source and ingested: the account turns Active and
     * the reports have data. Kept small (one account, this month's days) so the demo starts fast.
     */
    private void seedCostData(Viewer system) {
        try {
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            Path dir = Files.createDirectories(dataDir.resolve("sandbox-cur")).toAbsolutePath();
            LocalDate lastMonth = today.withDayOfMonth(1).minusMonths(1);
            new CurGenerator().write(dir, "northwind-hourly", CurGenerator.Output.LEGACY_CSV_GZIP,
                    new CurGenerator.Options(2026, 1, lastMonth.lengthOfMonth() + today.getDayOfMonth(), lastMonth, 1)
                            .withAccounts(List.of("310000000001", "310000000003", "310000000004", "310000000005", "310000000009")));
            CurSource source = curSources.create(system, new CurSources.Details("Sandbox payer report", "file:" + dir, null, null, null, null, null, null));
            List<IngestionRun> runs = curIngestion.ingest(source.id());
            log.info("Demo cost data: {} row(s) ingested from {}", runs.stream().mapToLong(IngestionRun::rows).sum(), dir);
            invoiceLastMonth(system, YearMonth.from(lastMonth));
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("Demo cost data not seeded: {}", e.getMessage());
        }
    }

    /**
     * Last month invoiced: the distributor bills its resellers (wholesale) and Hooli, each reseller its customers. The
     * invoices to Acme Retail and to Cirrus Partners are issued; the others stay drafts.
     */
    private void invoiceLastMonth(Viewer system, YearMonth month) {
        Organization top = tenancy.top().orElseThrow();
        invoicing.run(top, month, "DEMO", null);
        for (Organization reseller : tenancy.list(system, new Tenancy.OrganizationQuery(top.id(), OrganizationType.RESELLER, null, null))) {
            invoicing.run(reseller, month, "DEMO", null);
        }
        for (var invoice : invoicing.list(system, month, null, null)) {
            if (invoice.customerName().startsWith("Acme") || invoice.customerName().startsWith("Cirrus")) {
                invoicing.issue(system, invoice.id());
            }
        }
    }

    /** Price book rules, exchange rates, invoice settings and a fee: what a partner sets up before its first invoice run. */
    private void seedPricing(Viewer system, Organization top, PriceBook wholesale, PriceBook direct, PriceBook cirrusStandard, PriceBook stratusStandard,
            Organization acme, LocalDate contractStart) {
        YearMonth from = YearMonth.from(contractStart);
        publish(system, wholesale, from, List.of(rule("Partner discount", null, null, PricingRule.Action.DISCOUNT, PricingRule.Basis.UNBLENDED, "3"),
                rule("Tax at cost", null, "Tax", PricingRule.Action.PASS_THROUGH, null, null)));
        publish(system, direct, from, List.of(rule("Direct margin", null, null, PricingRule.Action.MARKUP, PricingRule.Basis.UNBLENDED, "4"),
                rule("Tax at cost", null, "Tax", PricingRule.Action.PASS_THROUGH, null, null)));
        publish(system, cirrusStandard, from, List.of(rule("Managed-service margin", null, null, PricingRule.Action.MARKUP, PricingRule.Basis.UNBLENDED, "5"),
                rule("Compute margin", "AmazonEC2", null, PricingRule.Action.MARKUP, PricingRule.Basis.UNBLENDED, "8"),
                rule("EC2 tax at cost", "AmazonEC2", "Tax", PricingRule.Action.PASS_THROUGH, null, null),
                rule("Keep the EDP discount", null, "EdpDiscount", PricingRule.Action.EXCLUDE, null, null)));
        publish(system, stratusStandard, from, List.of(rule("List price", null, null, PricingRule.Action.MARKUP, PricingRule.Basis.PUBLIC_ON_DEMAND, "0")));
        YearMonth now = YearMonth.now(clock);
        for (YearMonth m = from; !m.isAfter(now); m = m.plusMonths(1)) {
            rates.record(system, m, "USD", "EUR", new BigDecimal("0.9215"), "Demo rate");
            rates.record(system, m, "USD", "GBP", new BigDecimal("0.7874"), "Demo rate");
        }
        BillingProfile acmeProfile = profiles.list(system, acme.id()).getFirst();
        invoiceSettings.save(system, acmeProfile.id(), new InvoiceSettings.Settings(acmeProfile.id(), InvoiceSettings.Grouping.ACCOUNT_SERVICE,
                InvoiceSettings.TaxMode.RATE, new BigDecimal("19"), "VAT"));
        customLineItems.create(system, new CustomLineItems.Details(acmeProfile.id(), null, "Cirrus Care support plan", CustomLineItems.Kind.FEE,
                CustomLineItems.Charge.FLAT, new BigDecimal("150.00"), from, null, true));
    }

    private void publish(Viewer system, PriceBook book, YearMonth from, List<PriceBookRules.RuleInput> rules) {
        priceBookRules.saveDraft(system, book.id(), rules, "Demo rules");
        priceBookRules.publish(system, book.id(), from);
    }

    private static PriceBookRules.RuleInput rule(String name, String service, String lineItemType, PricingRule.Action action, PricingRule.Basis basis,
            String percent) {
        return new PriceBookRules.RuleInput(name, service, null, null, null, null, lineItemType, null, null, action, basis,
                percent == null ? null : new BigDecimal(percent), null);
    }

    private Organization customer(Viewer system, Organization seller, String name, PriceBook book, LocalDate start) {
        Organization customer = tenancy.create(system, OrganizationType.CUSTOMER, name, seller.id());
        contract(system, seller, customer, book, start);
        return customer;
    }

    private void contract(Viewer system, Organization seller, Organization customer, PriceBook book, LocalDate start) {
        contracts.create(system, seller.id(), customer.id(), new Contracts.Details(book.id(), start, null, ContractStatus.ACTIVE));
    }

    private BillingProfile profile(Viewer system, Organization organization, String legalName, String street, String city, String postalCode,
            String country, String currency, String contact) {
        return profiles.create(system, organization.id(), new BillingProfile.Details(organization.name(), legalName, street, null, city, postalCode,
                null, country, currency, 30, List.of(contact)));
    }

    private String user(Viewer system, Organization organization, String email, String name, Role role, List<BillingProfile> assigned) {
        String password = password();
        UserAccount user = users.createActive(organization.id(), email, name, role, password);
        for (BillingProfile profile : assigned) {
            List<java.util.UUID> ids = new ArrayList<>(profiles.assignees(system, profile.id()).stream().map(UserAccount::id).toList());
            ids.add(user.id());
            profiles.assign(system, profile.id(), ids);
        }
        return String.format("%-16s %-30s %s  (%s)", role, email, password, organization.name());
    }

    private static String password() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
