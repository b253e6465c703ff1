package dev.openpayer.aws;

/**
 * The outcome of assuming a cross-account role: either assumed (with the account and the assumed-role
 * ARN AWS answered) or refused with a classified reason. Credentials are never exposed here.
 *
 * @param failure null when the role was assumed
 * @param failureMessage AWS's message (or the validation message) when refused
 */
public record RoleAssumption(
        String roleArn, String accountId, String assumedRoleArn, AwsRefusal.Reason failure, String failureMessage) {

    public static RoleAssumption assumed(String roleArn, String accountId, String assumedRoleArn) {
        return new RoleAssumption(roleArn, accountId, assumedRoleArn, null, null);
    }

    public static RoleAssumption refused(String roleArn, AwsRefusal.Reason failure, String message) {
        return new RoleAssumption(roleArn, null, null, failure, message);
    }

    public boolean assumed() {
        return failure == null;
    }
}
