package dev.openpayer.shared;

import java.util.Currency;

/** ISO 4217 currency codes. */
public final class Currencies {
    private Currencies() {}

    /** Whether the code is an upper-case ISO 4217 code known to the JDK (EUR, USD, GBP...). */
    public static boolean isIso4217(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
