/**
 * File › Export AVSBench: the dialog over {@code app.export.ProjectExport}, with progress, ETA,
 * Cancel and a summary.
 */
package ovavss.studio.ui.export;
