package dev.openpayer.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How pasted lists and CSV files of account IDs are read for a bulk invitation. */
class BulkInputTest {

    @Test
    void oneIdPerLineWithFurtherColumnsIgnored() {
        assertThat(AccountOnboarding.tokens("account_id,name\n123456789012,Team 2\n\"2345-6789-0123\";Data 7\r\n\nhello\n"))
                .containsExactly("123456789012", "2345-6789-0123", "hello");
    }

    @Test
    void headersAreSkippedWhereverTheyAppear() {
        assertThat(AccountOnboarding.tokens("123456789012\naccount_id\n234567890123\nAccount ID,Name\n")).containsExactly("123456789012", "234567890123");
    }

    @Test
    void severalIdsOnOneLine() {
        assertThat(AccountOnboarding.tokens("123456789012, 234567890123;345678901234\t456789012345"))
                .containsExactly("123456789012", "234567890123", "345678901234", "456789012345");
        assertThat(AccountOnboarding.tokens("123456789012 234567890123")).containsExactly("123456789012", "234567890123");
    }

    @Test
    void spacedConsoleFormStaysOneEntryToBeRefusedClearly() {
        assertThat(AccountOnboarding.tokens("1234 5678 9012")).containsExactly("1234 5678 9012");
    }

    @Test
    void emptyInputHasNoIds() {
        assertThat(AccountOnboarding.tokens(null)).isEmpty();
        assertThat(AccountOnboarding.tokens("account_id\n\n")).isEmpty();
    }
}
