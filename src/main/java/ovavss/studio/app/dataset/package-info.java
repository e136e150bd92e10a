/**
 * The import use case: AVSBench datasets read into projects ({@link ovavss.studio.app.dataset.DatasetImport}).
 */
package ovavss.studio.app.dataset;
