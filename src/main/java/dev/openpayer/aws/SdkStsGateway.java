package dev.openpayer.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/** {@link StsGateway} over the SDK's {@link StsClient}: assumes the role for the shortest duration STS allows. */
final class SdkStsGateway implements StsGateway {
    static final int SHORTEST_SESSION_SECONDS = 900;

    private final StsClient client;

    SdkStsGateway(StsClient client) {
        this.client = client;
    }

    @Override
    public RoleAssumption assumeRole(String roleArn, String externalId, String sessionName) {
        String account;
        try {
            account = AwsInputs.roleAccount(roleArn);
            AwsInputs.externalId(externalId);
            AwsInputs.sessionName(sessionName);
        } catch (AwsRefusal invalid) {
            return RoleAssumption.refused(roleArn, invalid.reason(), invalid.awsMessage());
        }
        try {
            AssumeRoleResponse response = client.assumeRole(r -> r.roleArn(roleArn)
                    .externalId(externalId)
                    .roleSessionName(sessionName)
                    .durationSeconds(SHORTEST_SESSION_SECONDS));
            String assumedArn = response.assumedRoleUser() == null ? null : response.assumedRoleUser().arn();
            return RoleAssumption.assumed(roleArn, account, assumedArn);
        } catch (SdkException e) {
            AwsRefusal refusal = SdkRefusals.map(e);
            return RoleAssumption.refused(roleArn, refusal.reason(), refusal.awsMessage());
        }
    }
}
