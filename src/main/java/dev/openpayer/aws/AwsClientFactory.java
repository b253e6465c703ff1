package dev.openpayer.aws;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds and caches the SDK clients of each payer. All clients share one Apache HTTP client; credentials
 * come from the base provider (the default chain in production) or, when the payer names a role, from
 * STS by assuming that role (with its external ID) and refreshing the session before it expires.
 */
final class AwsClientFactory implements AutoCloseable {
    static final String SESSION_NAME = "openpayer";

    /** The SDK clients of one payer. */
    record PayerClients(OrganizationsGateway organizations, StsGateway sts, List<SdkAutoCloseable> closeables) {}

    private final AwsClientSettings settings;
    private final AwsCredentialsProvider baseCredentials;
    private final SdkHttpClient http;
    private final Map<PayerConnection, PayerClients> clients = new ConcurrentHashMap<>();
    private final Map<S3Access, S3Clients> s3Clients = new ConcurrentHashMap<>();

    /** An S3 client and what must be closed with it. */
    private record S3Clients(S3Client s3, List<SdkAutoCloseable> closeables) {}

    /** The STS endpoint the application's own credentials assume customers' roles at; null for AWS itself. */
    private final URI platformStsEndpoint;

    AwsClientFactory(AwsClientSettings settings, AwsCredentialsProvider baseCredentials) {
        this(settings, baseCredentials, null);
    }

    AwsClientFactory(AwsClientSettings settings, AwsCredentialsProvider baseCredentials, URI platformStsEndpoint) {
        this.platformStsEndpoint = platformStsEndpoint;
        this.settings = settings;
        this.baseCredentials = baseCredentials;
        this.http = ApacheHttpClient.builder()
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.socketTimeout())
                .maxConnections(50)
                .build();
    }

    OrganizationsGateway organizations(PayerConnection payer) {
        return clients(payer).organizations();
    }

    StsGateway sts(PayerConnection payer) {
        return clients(payer).sts();
    }

    /**
     * An S3 client for the access: the customer's role (assumed with the application's own credentials and the
     * customer's external ID), else the payer's credentials, else the application's own.
     */
    S3Client s3(S3Access access) {
        if (access.payer() != null) {
            AwsInputs.accountId(access.payer().accountId());
        }
        if (access.roleArn() != null) {
            AwsInputs.roleAccount(access.roleArn());
            AwsInputs.externalId(access.externalId());
        }
        return s3Clients.computeIfAbsent(access, this::buildS3).s3();
    }

    private S3Clients buildS3(S3Access access) {
        List<SdkAutoCloseable> closeables = new ArrayList<>();
        AwsCredentialsProvider credentials = baseCredentials;
        if (access.roleArn() != null) {
            StsClient baseSts = sts(new PayerConnection(AwsInputs.roleAccount(access.roleArn()), access.region(), platformStsEndpoint, null, null),
                    baseCredentials);
            closeables.add(baseSts);
            StsAssumeRoleCredentialsProvider assumed = assumedRole(baseSts, access.roleArn(), access.externalId());
            closeables.add(assumed);
            credentials = assumed;
        } else if (access.payer() != null && access.payer().roleArn() != null) {
            StsClient baseSts = sts(access.payer(), baseCredentials);
            closeables.add(baseSts);
            StsAssumeRoleCredentialsProvider assumed = assumedRole(baseSts, access.payer().roleArn(), access.payer().externalId());
            closeables.add(assumed);
            credentials = assumed;
        }
        var s3 = S3Client.builder()
                .httpClient(http)
                .region(Region.of(access.effectiveRegion()))
                .credentialsProvider(credentials)
                .forcePathStyle(access.pathStyle())
                .overrideConfiguration(overrides());
        if (access.endpointOverride() != null) {
            s3.endpointOverride(access.endpointOverride());
        }
        S3Client client = s3.build();
        closeables.add(client);
        return new S3Clients(client, closeables);
    }

    private static StsAssumeRoleCredentialsProvider assumedRole(StsClient sts, String roleArn, String externalId) {
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).externalId(externalId).roleSessionName(SESSION_NAME).durationSeconds(3600))
                .asyncCredentialUpdateEnabled(false)
                .build();
    }

    private PayerClients clients(PayerConnection payer) {
        AwsInputs.accountId(payer.accountId());
        if (payer.roleArn() != null) {
            AwsInputs.roleAccount(payer.roleArn());
            AwsInputs.externalId(payer.externalId());
        }
        return clients.computeIfAbsent(payer, this::build);
    }

    private PayerClients build(PayerConnection payer) {
        List<SdkAutoCloseable> closeables = new ArrayList<>();
        AwsCredentialsProvider credentials = baseCredentials;
        if (payer.roleArn() != null) {
            StsClient baseSts = sts(payer, baseCredentials);
            closeables.add(baseSts);
            StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(baseSts)
                    .refreshRequest(r -> r.roleArn(payer.roleArn())
                            .externalId(payer.externalId())
                            .roleSessionName(SESSION_NAME)
                            .durationSeconds(3600))
                    .asyncCredentialUpdateEnabled(false)
                    .build();
            closeables.add(assumed);
            credentials = assumed;
        }
        var organizations = OrganizationsClient.builder()
                .httpClient(http)
                .region(organizationsRegion(payer))
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        if (payer.endpointOverride() != null) {
            organizations.endpointOverride(payer.endpointOverride());
        }
        OrganizationsClient organizationsClient = organizations.build();
        closeables.add(organizationsClient);
        StsClient sts = sts(payer, credentials);
        closeables.add(sts);
        return new PayerClients(new SdkOrganizationsGateway(organizationsClient), new SdkStsGateway(sts), closeables);
    }

    private StsClient sts(PayerConnection payer, AwsCredentialsProvider credentials) {
        var sts = StsClient.builder()
                .httpClient(http)
                .region(Region.of(payer.effectiveRegion()))
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        if (payer.endpointOverride() != null) {
            sts.endpointOverride(payer.endpointOverride());
        }
        return sts.build();
    }

    /** Organizations is a global service signed in its partition's home region. */
    static Region organizationsRegion(PayerConnection payer) {
        String region = payer.effectiveRegion();
        if (region.startsWith("cn-")) {
            return Region.CN_NORTHWEST_1;
        }
        if (region.startsWith("us-gov-")) {
            return Region.US_GOV_WEST_1;
        }
        return Region.US_EAST_1;
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy(settings))
                .apiCallTimeout(settings.apiCallTimeout())
                .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
                .build();
    }

    static RetryStrategy retryStrategy(AwsClientSettings settings) {
        RetryStrategy base = settings.retryMode().equalsIgnoreCase("adaptive")
                ? AwsRetryStrategy.adaptiveRetryStrategy()
                : AwsRetryStrategy.standardRetryStrategy();
        RetryStrategy.Builder<?, ?> builder = base.toBuilder();
        builder.maxAttempts(settings.maxAttempts());
        builder.backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxBackoff()));
        builder.throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(settings.throttledBaseDelay(), settings.maxBackoff()));
        return builder.build();
    }

    @Override
    public void close() {
        clients.values().forEach(c -> c.closeables().forEach(SdkAutoCloseable::close));
        clients.clear();
        s3Clients.values().forEach(c -> c.closeables().forEach(SdkAutoCloseable::close));
        s3Clients.clear();
        http.close();
    }
}
