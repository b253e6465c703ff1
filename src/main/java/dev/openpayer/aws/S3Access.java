package dev.openpayer.aws;

import java.net.URI;

/**
 * How to read a bucket.
 *
 * @param payer the payer whose credentials read the bucket (its role when it has one, otherwise the
 *     application's own credentials), or null for the application's own credentials
 * @param region the bucket's region (null: us-east-1)
 * @param endpointOverride an S3-compatible endpoint (an emulator), or null for AWS itself
 * @param pathStyle address buckets in the path ({@code endpoint/bucket/key}) rather than the host name, as emulators need
 * @param roleArn a customer's role to assume with the application's own credentials before reading, or null
 * @param externalId the external ID the customer's role requires, or null
 */
public record S3Access(PayerConnection payer, String region, URI endpointOverride, boolean pathStyle, String roleArn, String externalId) {

    public String effectiveRegion() {
        return region == null || region.isBlank() ? "us-east-1" : region;
    }

    @Override
    public String toString() {
        return "S3Access[payer=" + payer + ", region=" + region + ", endpointOverride=" + endpointOverride + ", pathStyle=" + pathStyle + ", roleArn="
                + roleArn + ", externalId=" + (externalId == null ? "none" : "set") + "]";
    }
}
