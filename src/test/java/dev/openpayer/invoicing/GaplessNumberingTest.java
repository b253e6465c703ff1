package dev.openpayer.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.Timestamps;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.testsupport.ApiTestSupport;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Invoice numbers have no gaps and no duplicates per seller, even when drafts are issued concurrently and some issues fail. */
class GaplessNumberingTest extends ApiTestSupport {
    @Autowired Invoicing invoicing;

    private UUID draft(Organization seller, Organization customer, BillingProfile profile) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.sql("insert into invoices (id, seller_id, customer_id, billing_profile_id, billing_month, kind, tier, status, currency, source_currency, cost_basis, "
                        + "cost_converted, subtotal, tax, total, computed_at) values (?, ?, ?, ?, ?, 'INVOICE', 'RETAIL', 'DRAFT', 'EUR', 'USD', 10, 9, 12.50, 0, 12.50, ?)")
                .params(id, seller.id(), customer.id(), profile.id(), LocalDate.of(2018, 11, 1), Timestamps.toDb(now))
                .update();
        jdbc.sql("insert into invoice_lines (invoice_id, position, kind, line_key, description, cost_basis, amount) values (?, 1, 'USAGE', 'USAGE|x', 'AWS usage', 10, 12.50)")
                .param(id).update();
        return id;
    }

    @Test
    void concurrentIssuesTakeConsecutiveNumbersAndAFailedIssueTakesNone() throws Exception {
        Organization seller = reseller(unique("Numbering"));
        List<UUID> drafts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Organization customer = customer(seller.id(), unique("Numbered"));
            drafts.add(draft(seller, customer, profile(customer.id(), "Numbered profile")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Invoice>> issued = new ArrayList<>();
            for (UUID id : drafts) {
                issued.add(pool.submit((Callable<Invoice>) () -> invoicing.issue(topAdmin(), id)));
            }
            List<String> numbers = new ArrayList<>();
            for (Future<Invoice> f : issued) {
                numbers.add(f.get().number());
            }
            assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 8).mapToObj(n -> String.format("INV-%06d", n)).toList());
        } finally {
            pool.shutdownNow();
        }
        // Issuing an issued invoice fails and consumes no number.
        assertThatThrownBy(() -> invoicing.issue(topAdmin(), drafts.getFirst())).isInstanceOf(ConflictException.class);
        Organization late = customer(seller.id(), unique("Numbered late"));
        Invoice ninth = invoicing.issue(topAdmin(), draft(seller, late, profile(late.id(), "Late profile")));
        assertThat(ninth.number()).isEqualTo("INV-000009");
        assertThat(ninth.issueDate()).isNotNull();
        assertThat(ninth.dueDate()).isEqualTo(ninth.issueDate().plusDays(30));
        assertThat(jdbc.sql("select count(*) from invoices where id = ? and pdf is not null").param(ninth.id()).query(Long.class).single()).isEqualTo(1);
        // Another seller's sequence starts at one.
        Organization other = reseller(unique("Numbering other"));
        Organization customer = customer(other.id(), unique("Other numbered"));
        assertThat(invoicing.issue(topAdmin(), draft(other, customer, profile(customer.id(), "Other profile"))).number()).isEqualTo("INV-000001");
        assertThat(ninth.total()).isEqualByComparingTo(new BigDecimal("12.50"));
    }
}
