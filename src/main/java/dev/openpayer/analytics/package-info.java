/**
 * Analytics: the lake's query engine. Embedded DuckDB reads the Parquet lake
 * ({@code <data-dir>/lake/cost/source=<id>/billing_period=YYYY-MM/data.parquet}) and sums costs
 * exactly as {@code DECIMAL(38,10)}, always restricted to the usage accounts the caller may see.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics", allowedDependencies = {"shared", "tenancy"})
package dev.openpayer.analytics;
