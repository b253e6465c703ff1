package dev.openpayer.billing.web;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Tenancy.OrganizationQuery;
import dev.openpayer.tenancy.Viewer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The organisations in a viewer's scope as the billing pages offer them in pickers and show them in tables. */
@Component
class Scope {
    private static final Comparator<Organization> ORDER =
            Comparator.comparing(Organization::type).thenComparing(Organization::name, String.CASE_INSENSITIVE_ORDER);

    private final Tenancy tenancy;

    Scope(Tenancy tenancy) {
        this.tenancy = tenancy;
    }

    /** Every organisation the viewer sees, by id. */
    Map<UUID, Organization> byId(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream()
                .sorted(ORDER)
                .collect(Collectors.toMap(Organization::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    /** The distributor and resellers in scope: they own price books and sell under contracts. */
    List<Organization> sellers(Viewer viewer) {
        return tenancy.list(viewer, OrganizationQuery.ALL).stream().filter(o -> o.type().sells()).sorted(ORDER).toList();
    }

    /** Organisations directly below a seller in scope: those a contract may bind. */
    List<Organization> billed(Viewer viewer) {
        Map<UUID, Organization> all = byId(viewer);
        return all.values().stream()
                .filter(o -> o.parentId() != null && all.containsKey(o.parentId()) && all.get(o.parentId()).type().sells())
                .sorted(ORDER)
                .toList();
    }

    /** End customers in scope: they own cost centers. */
    List<Organization> customers(Viewer viewer) {
        return tenancy.list(viewer, new OrganizationQuery(null, OrganizationType.CUSTOMER, null, null)).stream().sorted(ORDER).toList();
    }

    Organization visible(Viewer viewer, UUID id) {
        return tenancy.visible(viewer, id);
    }

    List<Organization> chain(Viewer viewer, Organization organization) {
        return tenancy.chain(viewer, organization);
    }
}
