package dev.openpayer.billing;

import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.BillingProfile;
import dev.openpayer.tenancy.BillingProfiles;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Who bills a billing profile: the parent of the profile's organisation (the reseller of an end customer, the
 * distributor of a reseller or of a direct customer). Its settings are the seller's to change, not the buyer's.
 */
@Component
class BillingProfileSellers {
    private final BillingProfiles profiles;
    private final Tenancy tenancy;

    BillingProfileSellers(BillingProfiles profiles, Tenancy tenancy) {
        this.profiles = profiles;
        this.tenancy = tenancy;
    }

    record Billed(BillingProfile profile, Organization buyer, Organization seller) {}

    /** The profile, its organisation and seller, if the viewer may see the profile. */
    Billed visible(Viewer viewer, UUID billingProfileId, String field) {
        BillingProfile profile;
        try {
            profile = profiles.visible(viewer, billingProfileId);
        } catch (NotFoundException e) {
            if (field == null) {
                throw e;
            }
            throw new InvalidInputException(field, "no billing profile " + billingProfileId + " that you may see");
        }
        Organization buyer = tenancy.find(profile.organizationId()).orElseThrow();
        if (buyer.parentId() == null) {
            throw new InvalidInputException(field == null ? "billingProfileId" : field, "the top tenant is not billed by anyone in OpenPayer");
        }
        return new Billed(profile, buyer, tenancy.find(buyer.parentId()).orElseThrow());
    }

    /** The same, for a viewer on the seller's side (the seller or above) who may change billing: ADMIN or BILLING_MANAGER. */
    Billed changeable(Viewer viewer, UUID billingProfileId, String field) {
        Billed billed = visible(viewer, billingProfileId, field);
        if (!viewer.covers(billed.seller())) {
            throw new dev.openpayer.shared.ForbiddenException("Only " + billed.seller().name() + ", who bills " + billed.buyer().name()
                    + ", may change how it is invoiced.");
        }
        viewer.requireRole(Role.ADMIN, Role.BILLING_MANAGER);
        return billed;
    }
}
