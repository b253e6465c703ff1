package dev.openpayer.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FormatsTest {
    private final Formats fmt = new Formats();

    @Test
    void moneyHasTheDigitsOfItsCurrencyRoundedHalfEvenWithoutPassingThroughADouble() {
        assertThat(fmt.money(new BigDecimal("1234567.125"), "EUR")).isEqualTo("1,234,567.12");
        assertThat(fmt.money(new BigDecimal("1234567.135"), "EUR")).isEqualTo("1,234,567.14");
        assertThat(fmt.money(new BigDecimal("-0.5"), "JPY")).as("no negative zero").isEqualTo("0");
        assertThat(fmt.money(new BigDecimal("1500.5"), "JPY")).isEqualTo("1,500");
        assertThat(fmt.money(new BigDecimal("1.2345"), "BHD")).isEqualTo("1.234");
        assertThat(fmt.money(new BigDecimal("-315.7"), "USD")).isEqualTo("-315.70");
        // 2^53 + 1 cents is not representable as a double
        assertThat(fmt.money(new BigDecimal("90071992547409.93"), "USD")).isEqualTo("90,071,992,547,409.93");
        assertThat(fmt.money(new BigDecimal("1"), "XXX")).isEqualTo("1.00");
        assertThat(fmt.money(new BigDecimal("1"), null)).isEqualTo("1.00");
        assertThat(fmt.money(null, "EUR")).isEmpty();
        assertThat(fmt.moneyWithCurrency(new BigDecimal("2"), "EUR")).isEqualTo("2.00 EUR");
        assertThat(fmt.percent(new BigDecimal("9.09"))).isEqualTo("9.09 %");
        assertThat(fmt.percent(new BigDecimal("-12.50"))).isEqualTo("-12.5 %");
    }
}
