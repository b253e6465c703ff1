package dev.openpayer.billing;

import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.FieldChecks;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** How a billing profile's invoices group their lines and are taxed; set by the seller. */
@Service
public class InvoiceSettings {
    private final JdbcClient jdbc;
    private final BillingProfileSellers sellers;
    private final ApplicationEventPublisher events;
    private final java.time.Clock clock;

    InvoiceSettings(JdbcClient jdbc, BillingProfileSellers sellers, ApplicationEventPublisher events, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.sellers = sellers;
        this.events = events;
        this.clock = clock;
    }

    /** How usage lines are grouped on the invoice. */
    public enum Grouping {
        /** One line per account and service (the default). */
        ACCOUNT_SERVICE,
        /** One line per service, all accounts together. */
        SERVICE,
        /** One line per account. */
        ACCOUNT
    }

    /** What happens to AWS's own tax lines. */
    public enum TaxMode {
        /** AWS tax lines are invoiced as tax, priced by the price book (passed through at cost unless a rule says otherwise). */
        PASS_THROUGH,
        /** AWS tax lines are left out; the invoice charges the profile's tax rate on its subtotal. */
        RATE
    }

    public record Settings(UUID billingProfileId, Grouping grouping, TaxMode taxMode, BigDecimal taxRate, String taxLabel) {
        public static Settings defaults(UUID billingProfileId) {
            return new Settings(billingProfileId, Grouping.ACCOUNT_SERVICE, TaxMode.PASS_THROUGH, null, "Tax");
        }

        public String summary() {
            return grouping + ", tax " + (taxMode == TaxMode.RATE ? taxLabel + " " + taxRate.toPlainString() + " %" : "passed through from AWS");
        }
    }

    @Transactional(readOnly = true)
    public Settings get(Viewer viewer, UUID billingProfileId) {
        sellers.visible(viewer, billingProfileId, null);
        return of(billingProfileId);
    }

    /** The settings in force for a profile (the defaults when none were saved). */
    @Transactional(readOnly = true)
    public Settings of(UUID billingProfileId) {
        return jdbc.sql("select * from invoice_settings where billing_profile_id = ?").param(billingProfileId)
                .query((rs, n) -> new Settings(billingProfileId, Grouping.valueOf(rs.getString("line_grouping")), TaxMode.valueOf(rs.getString("tax_mode")),
                        rs.getBigDecimal("tax_rate") == null ? null : rs.getBigDecimal("tax_rate").stripTrailingZeros(), rs.getString("tax_label")))
                .optional()
                .orElse(Settings.defaults(billingProfileId));
    }

    @Transactional
    public Settings save(Viewer viewer, UUID billingProfileId, Settings input) {
        BillingProfileSellers.Billed billed = sellers.changeable(viewer, billingProfileId, null);
        if (input == null) {
            throw new InvalidInputException("body", "must not be empty");
        }
        List<FieldError> errors = new ArrayList<>();
        Grouping grouping = input.grouping() == null ? Grouping.ACCOUNT_SERVICE : input.grouping();
        TaxMode mode = input.taxMode() == null ? TaxMode.PASS_THROUGH : input.taxMode();
        BigDecimal rate = input.taxRate();
        if (mode == TaxMode.RATE) {
            if (rate == null) {
                errors.add(new FieldError("taxRate", "is required when the invoice charges its own tax rate (for example 19 for 19 %)"));
            } else if (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0 || rate.stripTrailingZeros().scale() > 4) {
                errors.add(new FieldError("taxRate", "must be a percentage between 0 and 100 with at most 4 decimals"));
            }
        } else {
            rate = null;
        }
        String label = FieldChecks.text(input.taxLabel(), "taxLabel", 100, false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Settings before = of(billingProfileId);
        Settings clean = new Settings(billingProfileId, grouping, mode, rate == null ? null : rate.stripTrailingZeros(), label == null ? (mode == TaxMode.RATE ? "VAT" : "Tax") : label);
        jdbc.sql("delete from invoice_settings where billing_profile_id = ?").param(billingProfileId).update();
        jdbc.sql("insert into invoice_settings (billing_profile_id, line_grouping, tax_mode, tax_rate, tax_label, updated_at) values (?, ?, ?, ?, ?, ?)")
                .params(billingProfileId, clean.grouping().name(), clean.taxMode().name(), clean.taxRate(), clean.taxLabel(), toDb(clock.instant()))
                .update();
        events.publishEvent(new ChangeRecorded(clock.instant(), viewer.userId(), viewer.email(), billed.buyer().id(), "invoice-settings.updated",
                "BillingProfile", billingProfileId.toString(), "Invoice settings of \"" + billed.profile().name() + "\": " + clean.summary(),
                before.summary(), clean.summary()));
        return clean;
    }
}
