/**
 * Cost and Usage Report sources and who owns them (a payer, or a customer's own management account):
 * storage access ({@code file:} directories and {@code s3://} buckets through the AWS SDK),
 * discovery of legacy CUR, CUR 2.0 and FOCUS exports, manifests, validation, the CUR generator, and the
 * ingestion that replaces one billing period of a source atomically in the Parquet lake, its schedule
 * and the sources API. The owners' credentials come from the module that implements {@link dev.openpayer.cur.SourceOwners}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cost data", allowedDependencies = {"shared", "tenancy", "aws"})
package dev.openpayer.cur;
