/**
 * The Spark face of the predict use case: a batch job that spreads clips over a Spark cluster (or
 * an embedded local Spark) and writes what {@code predict} writes plus queryable Parquet tables.
 * Every clip goes through {@link ovavss.studio.app.predict.ResumablePrediction} (the same analysis,
 * post-processing and writer as {@code predict}); this package only plans, schedules through Spark,
 * reports progress and writes the tables. It is packed into {@code ovavss-spark-job.jar} only, never
 * into the desktop jar; nothing else in the app depends on it.
 */
package ovavss.studio.spark;
