/**
 * Keyboard shortcuts: the registry of actions and their (rebindable) keys, and the cheat sheet.
 */
package ovavss.studio.ui.keys;
