/**
 * Settings dialogs and stored preferences: model and inference settings, the window layout.
 */
package ovavss.studio.ui.settings;
