package dev.openpayer.onboarding;

import dev.openpayer.shared.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IAM role ARNs, checked against the grammar AWS documents. */
final class RoleArns {
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws(-cn|-us-gov)?:iam::(\\d{12}):role/(?:[\\x21-\\x7E]+/)?[\\w+=,.@-]{1,64}$");

    private RoleArns() {}

    /** The ARN stripped of spaces, or a field error explaining the expected form. */
    static String parse(String arn, String field) {
        String clean = arn == null ? "" : arn.strip();
        if (clean.isEmpty()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        if (!ROLE_ARN.matcher(clean).matches()) {
            throw new InvalidInputException(field, "is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>, "
                    + "for example arn:aws:iam::123456789012:role/OpenPayerReadOnly");
        }
        return clean;
    }

    /** The 12-digit account the role belongs to. */
    static String accountOf(String arn) {
        Matcher m = ROLE_ARN.matcher(arn);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a role ARN: " + arn);
        }
        return m.group(2);
    }
}
