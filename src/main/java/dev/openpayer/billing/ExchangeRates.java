package dev.openpayer.billing;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.ChangeRecorded;
import dev.openpayer.shared.Currencies;
import dev.openpayer.shared.FieldChecks;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.InvalidInputException.FieldError;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Viewer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The monthly exchange rates that convert the AWS billing currency into a billing profile's currency. One rate
 * per month and currency pair, recorded by the distributor (for example the central bank's rate on the last day
 * of the month); each invoice keeps the rate it was converted with.
 */
@Service
public class ExchangeRates {
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ExchangeRates(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** One unit of {@code from} is worth {@code rate} units of {@code to} for invoices of {@code month}. */
    public record ExchangeRate(YearMonth month, String from, String to, BigDecimal rate, String source, Instant recordedAt, String recordedBy) {}

    @Transactional(readOnly = true)
    public List<ExchangeRate> list(YearMonth month) {
        return jdbc.sql("select * from exchange_rates" + (month == null ? "" : " where billing_month = ?") + " order by billing_month desc, from_currency, to_currency")
                .params(month == null ? List.of() : List.of(month.atDay(1)))
                .query((rs, n) -> new ExchangeRate(YearMonth.from(rs.getObject("billing_month", LocalDate.class)), rs.getString("from_currency"),
                        rs.getString("to_currency"), rs.getBigDecimal("rate").stripTrailingZeros(), rs.getString("source"), fromDb(rs, "recorded_at"),
                        rs.getString("recorded_by")))
                .list();
    }

    /** The rate of a month, if recorded; 1 for the same currency. */
    @Transactional(readOnly = true)
    public Optional<BigDecimal> rate(YearMonth month, String from, String to) {
        return ofMonth(month).apply(from, to);
    }

    /** Every rate of a month, read once: what an invoice run converts with ({@code (from, to)} → rate; 1 for the same currency). */
    @Transactional(readOnly = true)
    public java.util.function.BiFunction<String, String, Optional<BigDecimal>> ofMonth(YearMonth month) {
        java.util.Map<String, BigDecimal> rates = new java.util.HashMap<>();
        list(month).forEach(r -> rates.put(r.from() + "/" + r.to(), r.rate()));
        return (from, to) -> from.equals(to) ? Optional.of(BigDecimal.ONE) : Optional.ofNullable(rates.get(from + "/" + to));
    }

    /** Records (or replaces) a month's rate: distributor ADMIN or BILLING_MANAGER. Draft invoices follow at their next run. */
    @Transactional
    public ExchangeRate record(Viewer viewer, YearMonth month, String from, String to, BigDecimal rate, String source) {
        if (viewer.organizationType() != OrganizationType.DISTRIBUTOR) {
            throw new dev.openpayer.shared.ForbiddenException("Exchange rates are recorded by the distributor for the whole installation.");
        }
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        List<FieldError> errors = new ArrayList<>();
        String f = from == null ? "" : from.strip().toUpperCase(Locale.ROOT);
        String t = to == null ? "" : to.strip().toUpperCase(Locale.ROOT);
        if (month == null) {
            errors.add(new FieldError("month", "is required (YYYY-MM)"));
        }
        if (!Currencies.isIso4217(f)) {
            errors.add(new FieldError("from", "must be an ISO 4217 currency code such as USD"));
        }
        if (!Currencies.isIso4217(t)) {
            errors.add(new FieldError("to", "must be an ISO 4217 currency code such as EUR"));
        } else if (t.equals(f)) {
            errors.add(new FieldError("to", "must differ from the currency converted from"));
        }
        if (rate == null || rate.signum() <= 0) {
            errors.add(new FieldError("rate", "must be a positive number: how many " + t + " one " + f + " is worth"));
        } else if (rate.stripTrailingZeros().scale() > 10 || rate.compareTo(new BigDecimal("1000000000")) >= 0) {
            errors.add(new FieldError("rate", "must have at most 10 decimals and be below 1,000,000,000"));
        }
        String cleanSource = FieldChecks.text(source, "source", 300, false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Optional<ExchangeRate> before = list(month).stream().filter(r -> r.from().equals(f) && r.to().equals(t)).findFirst();
        Instant now = clock.instant();
        jdbc.sql("delete from exchange_rates where billing_month = ? and from_currency = ? and to_currency = ?").params(month.atDay(1), f, t).update();
        jdbc.sql("insert into exchange_rates (billing_month, from_currency, to_currency, rate, source, recorded_at, recorded_by) values (?, ?, ?, ?, ?, ?, ?)")
                .params(month.atDay(1), f, t, rate.stripTrailingZeros(), cleanSource, toDb(now), viewer.email())
                .update();
        String summary = month + " 1 " + f + " = " + rate.stripTrailingZeros().toPlainString() + " " + t;
        events.publishEvent(new ChangeRecorded(now, viewer.userId(), viewer.email(), viewer.organizationId(), "exchange-rate.recorded", "ExchangeRate",
                month + "/" + f + "/" + t, "Recorded exchange rate " + summary, before.map(r -> r.rate().toPlainString()).orElse(null), summary));
        return list(month).stream().filter(r -> r.from().equals(f) && r.to().equals(t)).findFirst().orElseThrow();
    }
}
