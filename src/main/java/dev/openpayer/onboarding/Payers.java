package dev.openpayer.onboarding;

import dev.openpayer.aws.AwsGateways;
import dev.openpayer.aws.OrganizationsGateway;
import dev.openpayer.aws.PayerConnection;
import dev.openpayer.aws.StsGateway;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Turns a registered payer account (or none: the sandbox) into the gateways that reach it. */
@Component
class Payers {
    static final String SANDBOX_LABEL = "Sandbox";
    private final PayerAccounts payerAccounts;
    private final AwsGateways gateways;

    Payers(PayerAccounts payerAccounts, AwsGateways gateways) {
        this.payerAccounts = payerAccounts;
        this.gateways = gateways;
    }

    static PayerConnection connection(PayerAccount payer) {
        if (payer == null) {
            return null;
        }
        return new PayerConnection(payer.accountId(), payer.region(), payer.endpointOverride() == null ? null : URI.create(payer.endpointOverride()),
                payer.accessMode() == PayerAccount.AccessMode.ASSUME_ROLE ? payer.roleArn() : null, payer.externalId());
    }

    Optional<PayerAccount> payer(UUID payerId) {
        return payerId == null ? Optional.empty() : payerAccounts.find(payerId);
    }

    OrganizationsGateway organizations(UUID payerId) {
        return gateways.organizations(connection(payer(payerId).orElse(null)));
    }

    StsGateway sts(UUID payerId) {
        return gateways.sts(connection(payer(payerId).orElse(null)));
    }

    dev.openpayer.aws.AwsSandbox sandboxGateway() {
        return gateways.sandbox();
    }

    /** Whether calls for this payer go to the sandbox organisation. */
    boolean sandbox(UUID payerId) {
        return gateways.usesSandbox(connection(payer(payerId).orElse(null)));
    }

    String label(UUID payerId) {
        if (sandbox(payerId)) {
            return SANDBOX_LABEL;
        }
        return payer(payerId).map(p -> p.name() + " (" + p.accountId() + ")").orElse("N/A");
    }
}
