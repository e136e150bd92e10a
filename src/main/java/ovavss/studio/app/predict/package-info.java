/**
 * The predict use case: a model bundle run over a video, an AVSBench clip folder or a whole
 * AVSBench tree, writing AVSBench-semantic label maps and {@code predictions.json} per clip.
 * The {@code predict} command is its face; {@link ovavss.studio.app.predict.DatasetPrediction} owns
 * clip discovery, sharding, the split filter, the pipelined inference and the writer.
 */
package ovavss.studio.app.predict;
