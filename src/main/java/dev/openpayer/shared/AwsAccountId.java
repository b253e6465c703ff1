package dev.openpayer.shared;

/**
 * A 12-digit AWS account ID. Accepts the dashed form the AWS console shows ({@code 1234-5678-9012})
 * and surrounding spaces; anything else is refused with a message that says what was wrong.
 */
public record AwsAccountId(String value) {

    public AwsAccountId {
        if (value == null || !value.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("not a 12-digit AWS account ID: " + value);
        }
    }

    /** Parses user input, naming {@code field} in the error. */
    public static AwsAccountId parse(String input, String field) {
        if (input == null || input.isBlank()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        String compact = input.strip();
        if (compact.matches("[0-9]{4}-[0-9]{4}-[0-9]{4}")) {
            compact = compact.replace("-", "");
        }
        if (!compact.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException(field, "\"" + input.strip() + "\" is not an AWS account ID: use exactly 12 digits (0-9), "
                    + "optionally written 1234-5678-9012 as the AWS console shows it");
        }
        if (compact.length() != 12) {
            throw new InvalidInputException(field, "an AWS account ID has exactly 12 digits; \"" + input.strip() + "\" has " + compact.length());
        }
        return new AwsAccountId(compact);
    }

    @Override
    public String toString() {
        return value;
    }
}
