package dev.openpayer.onboarding;

import dev.openpayer.aws.AwsGateways;
import dev.openpayer.aws.PayerConnection;
import dev.openpayer.cur.SourceOwners;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.Tenancy;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Tells cost data how to reach the owners of report sources: registered payers and customers' external IDs. */
@Component
class CostDataOwners implements SourceOwners {
    private final PayerAccounts payerAccounts;
    private final AwsGateways gateways;
    private final CrossAccountAccess crossAccount;
    private final Tenancy tenancy;

    CostDataOwners(PayerAccounts payerAccounts, AwsGateways gateways, CrossAccountAccess crossAccount, Tenancy tenancy) {
        this.payerAccounts = payerAccounts;
        this.gateways = gateways;
        this.crossAccount = crossAccount;
        this.tenancy = tenancy;
    }

    @Override
    public Optional<Payer> payer(UUID payerId) {
        return payerAccounts.find(payerId).map(p -> new Payer(p.id(), p.accountId(), p.name(),
                gateways.mode() == AwsGateways.Mode.SANDBOX ? null : Payers.connection(p)));
    }

    @Override
    public Payer defaultPayer() {
        if (gateways.mode() == AwsGateways.Mode.SANDBOX) {
            return new Payer(null, gateways.sandbox().managementAccountId(), Payers.SANDBOX_LABEL, null);
        }
        PayerConnection configured = gateways.configuredPayer().orElse(null);
        return new Payer(null, configured == null ? null : configured.accountId(), "configured payer", configured);
    }

    @Override
    public String customerExternalId(UUID customerId) {
        return crossAccount.externalId(tenancy.find(customerId).orElseThrow(() -> new NotFoundException(Tenancy.OBJECT_TYPE, customerId)));
    }
}
