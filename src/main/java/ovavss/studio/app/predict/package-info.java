/**
 * The predict use case: a model bundle run over a video, an AVSBench clip folder, a whole AVSBench
 * tree or a manifest of media paths ({@link ovavss.studio.app.predict.PredictionInputs}), writing
 * AVSBench-semantic label maps and {@code predictions.json} per clip
 * ({@link ovavss.studio.app.predict.PredictionWriter}) after one analysis and labelling path
 * ({@link ovavss.studio.app.predict.ClipLabeller}). Two drivers share it:
 * {@link ovavss.studio.app.predict.DatasetPrediction} (the {@code predict} command: sharding, the
 * split filter, one output tree built beside its place) and
 * {@link ovavss.studio.app.predict.ResumablePrediction} (the Spark job's tasks: clip by clip moved
 * into place with a {@code _done/} record, so retries and re-runs skip complete clips).
 */
package ovavss.studio.app.predict;
