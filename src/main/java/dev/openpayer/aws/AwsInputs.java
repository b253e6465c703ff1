package dev.openpayer.aws;

import java.util.Map;
import java.util.regex.Pattern;

/** Checks inputs before they reach AWS (or the sandbox), with the limits of the AWS API models. */
final class AwsInputs {
    static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    static final Pattern HANDSHAKE_ID = Pattern.compile("h-[0-9a-z]{8,32}");
    static final Pattern CREATE_ACCOUNT_REQUEST_ID = Pattern.compile("car-[a-z0-9]{8,32}");
    static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws(?:-cn|-us-gov)?:iam::(\\d{12}):role/(?:[\\x21-\\x7E]+/)?([\\w+=,.@-]{1,64})");
    static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");
    static final int MAX_NOTES = 1024;
    static final int MAX_TAGS = 50;

    private AwsInputs() {}

    static String accountId(String value) {
        if (value == null || !ACCOUNT_ID.matcher(value).matches()) {
            throw invalid("account ID must be 12 digits: " + value);
        }
        return value;
    }

    static String handshakeId(String value) {
        if (value == null || !HANDSHAKE_ID.matcher(value).matches()) {
            throw invalid("handshake ID must be h- followed by 8 to 32 lower-case letters or digits: " + value);
        }
        return value;
    }

    static String createAccountRequestId(String value) {
        if (value == null || !CREATE_ACCOUNT_REQUEST_ID.matcher(value).matches()) {
            throw invalid("account creation request ID must be car- followed by 8 to 32 lower-case letters or digits: " + value);
        }
        return value;
    }

    static String notes(String value) {
        if (value != null && value.length() > MAX_NOTES) {
            throw invalid("notes must be at most " + MAX_NOTES + " characters, not " + value.length());
        }
        return value == null || value.isBlank() ? null : value;
    }

    static Map<String, String> tags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw invalid("at most " + MAX_TAGS + " tags, not " + tags.size());
        }
        tags.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw invalid("tag keys must have 1 to 128 characters: " + key);
            }
            if (key.startsWith("aws:")) {
                throw invalid("tag keys must not start with aws: " + key);
            }
            if (value == null || value.length() > 256) {
                throw invalid("tag values must have 0 to 256 characters (tag " + key + ")");
            }
        });
        return Map.copyOf(tags);
    }

    static String email(String value) {
        if (value == null || value.length() < 6 || value.length() > 64 || !EMAIL.matcher(value).matches()) {
            throw invalid("email must be an address of 6 to 64 characters: " + value);
        }
        return value;
    }

    static String accountName(String value) {
        if (value == null || value.isBlank() || value.length() > 50) {
            throw invalid("account name must have 1 to 50 characters");
        }
        return value;
    }

    /** The role ARN's account ID, or an INVALID_INPUT refusal. */
    static String roleAccount(String roleArn) {
        var m = roleArn == null ? null : ROLE_ARN.matcher(roleArn);
        if (m == null || !m.matches()) {
            throw invalid("role ARN must look like arn:aws:iam::123456789012:role/Name: " + roleArn);
        }
        return m.group(1);
    }

    /** The role's name (the last path segment of the ARN); call after {@link #roleAccount}. */
    static String roleName(String roleArn) {
        var m = ROLE_ARN.matcher(roleArn);
        return m.matches() ? m.group(2) : null;
    }

    static String externalId(String value) {
        if (value != null && !EXTERNAL_ID.matcher(value).matches()) {
            throw invalid("external ID must have 2 to 1,224 characters of letters, digits and +=,.@:/-");
        }
        return value;
    }

    static String sessionName(String value) {
        if (value == null || !SESSION_NAME.matcher(value).matches()) {
            throw invalid("session name must have 2 to 64 characters of letters, digits and +=,.@-: " + value);
        }
        return value;
    }

    static AwsRefusal invalid(String message) {
        return new AwsRefusal(AwsRefusal.Reason.INVALID_INPUT, null, message);
    }
}
