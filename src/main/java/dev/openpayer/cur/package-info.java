/**
 * Cost and Usage Report sources: storage access ({@code file:} now, S3 behind the same interface),
 * discovery of legacy CUR, CUR 2.0 and FOCUS exports, manifests, validation, the CUR generator, and the
 * ingestion that replaces one billing period of a source atomically in the Parquet lake.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cost data", allowedDependencies = {"shared"})
package dev.openpayer.cur;
