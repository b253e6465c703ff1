package dev.openpayer.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Who is invoiced, where, in which currency and on which terms; belongs to a customer or a reseller. */
public record BillingProfile(
        UUID id,
        UUID organizationId,
        String name,
        String legalName,
        String addressLine1,
        String addressLine2,
        String city,
        String postalCode,
        String region,
        String country,
        String currency,
        int paymentTermsDays,
        List<String> contactEmails,
        boolean active,
        Instant createdAt,
        Instant updatedAt) {

    public String summary() {
        return "\"" + name + "\" (" + legalName + ", " + country + ", " + currency + ", net " + paymentTermsDays + " days"
                + (active ? "" : ", inactive") + ")";
    }

    /** The fields a user edits. */
    public record Details(
            String name,
            String legalName,
            String addressLine1,
            String addressLine2,
            String city,
            String postalCode,
            String region,
            String country,
            String currency,
            Integer paymentTermsDays,
            List<String> contactEmails) {}
}
