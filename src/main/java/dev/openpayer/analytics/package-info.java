/**
 * Analytics: the lake's query engine and the cost reports. Embedded DuckDB reads the Parquet lake
 * ({@code <data-dir>/lake/cost/source=<id>/billing_period=YYYY-MM/data.parquet}) and sums costs
 * exactly as {@code DECIMAL(38,10)}, always restricted to the usage accounts the viewer may see (the
 * onboarded accounts of his subtree and, below ADMIN, of his billing profiles). Its console also shows
 * the cost data sources of the {@code cur} module: their reports, freshness and ingestions.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics", allowedDependencies = {"shared", "tenancy", "onboarding", "billing", "cur"})
package dev.openpayer.analytics;
