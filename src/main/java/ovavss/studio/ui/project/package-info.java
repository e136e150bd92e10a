/**
 * The project in the window: the view model over {@code app.ProjectSession}, recent projects
 * menu, and the recovery and save-before-closing prompts.
 */
package ovavss.studio.ui.project;
