package dev.openpayer.aws;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AwsProperties.class, SandboxProperties.class})
class AwsConfiguration {

    /** SDK clients authenticate with the default credential chain (environment, profile, container or instance role). */
    @Bean(destroyMethod = "close")
    AwsClientFactory awsClientFactory(AwsProperties properties) {
        java.net.URI sts = properties.stsEndpoint() == null || properties.stsEndpoint().toString().isBlank() ? null : properties.stsEndpoint();
        return new AwsClientFactory(properties.client().settings(), DefaultCredentialsProvider.builder().build(), sts);
    }
}
