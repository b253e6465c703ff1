package dev.openpayer.billing.web;

import dev.openpayer.billing.ExchangeRates;
import dev.openpayer.shared.Months;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/exchange-rates")
@Tag(name = "Exchange rates", description = "Monthly rates converting the AWS billing currency into billing profiles' currencies")
class ExchangeRateApi {
    private final ExchangeRates rates;

    ExchangeRateApi(ExchangeRates rates) {
        this.rates = rates;
    }

    record Rate(BigDecimal rate, String source) {}

    @GetMapping
    List<ExchangeRates.ExchangeRate> list(Viewer viewer, @RequestParam(required = false) String month) {
        List<ExchangeRates.ExchangeRate> list = rates.list(Months.parse(month, "month"));
        if (viewer.organizationType() == dev.openpayer.tenancy.OrganizationType.DISTRIBUTOR) {
            return list;
        }
        // Who recorded a rate is the distributor's own business.
        return list.stream().map(r -> new ExchangeRates.ExchangeRate(r.month(), r.from(), r.to(), r.rate(), r.source(), r.recordedAt(), null)).toList();
    }

    @PutMapping("/{month}/{from}/{to}")
    @Operation(summary = "Record a month's rate: 1 {from} = rate {to}; distributor ADMIN or BILLING_MANAGER")
    ExchangeRates.ExchangeRate record(Viewer viewer, @PathVariable String month, @PathVariable String from, @PathVariable String to, @RequestBody Rate body) {
        return rates.record(viewer, Months.required(month, "month"), from, to, body == null ? null : body.rate(), body == null ? null : body.source());
    }
}
