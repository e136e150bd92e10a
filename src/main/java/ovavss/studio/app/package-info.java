/**
 * The use cases, once, for both faces: analysing media with a model, the project session (open,
 * save, autosave, crash recovery, close), recent projects; export and predict live in
 * subpackages. Plain Java; the window and the command line only call these.
 */
package ovavss.studio.app;
