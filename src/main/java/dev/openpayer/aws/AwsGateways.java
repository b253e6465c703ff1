package dev.openpayer.aws;

import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Where callers get their gateways. In {@code sandbox} mode (the default) every gateway is the
 * {@link AwsSandbox}; in {@code aws} mode a payer's gateways talk to AWS through the SDK, and the sandbox
 * still answers when no payer is given or configured.
 */
@Service
public class AwsGateways {
    public enum Mode {
        SANDBOX,
        AWS
    }

    private final AwsProperties properties;
    private final AwsSandbox sandbox;
    private final AwsClientFactory clients;

    AwsGateways(AwsProperties properties, AwsSandbox sandbox, AwsClientFactory clients) {
        this.properties = properties;
        this.sandbox = sandbox;
        this.clients = clients;
    }

    public Mode mode() {
        return properties.sandboxMode() ? Mode.SANDBOX : Mode.AWS;
    }

    /** The payer configured by {@code openpayer.aws.payer.*}, if any. */
    public Optional<PayerConnection> configuredPayer() {
        return Optional.ofNullable(properties.payer().connection());
    }

    /** Organizations for the payer (null: the configured payer, or the sandbox when none is configured). */
    public OrganizationsGateway organizations(PayerConnection payer) {
        PayerConnection effective = effective(payer);
        return effective == null ? sandbox : clients.organizations(effective);
    }

    /** STS with the payer's credentials (null: the configured payer, or the sandbox when none is configured). */
    public StsGateway sts(PayerConnection payer) {
        PayerConnection effective = effective(payer);
        return effective == null ? sandbox : clients.sts(effective);
    }

    /**
     * An S3 client reading with the access's credentials. The sandbox has no S3: in sandbox mode the client
     * uses the application's own credentials and the access's endpoint (an emulator, or AWS itself).
     */
    public software.amazon.awssdk.services.s3.S3Client s3(S3Access access) {
        return clients.s3(access);
    }

    /** The sandbox organisation, also to play the customer's part (accept, decline, deploy a role). */
    public AwsSandbox sandbox() {
        return sandbox;
    }

    /** Whether the payer's calls go to the sandbox. */
    public boolean usesSandbox(PayerConnection payer) {
        return effective(payer) == null;
    }

    private PayerConnection effective(PayerConnection payer) {
        if (properties.sandboxMode()) {
            return null;
        }
        return payer != null ? payer : properties.payer().connection();
    }
}
