/**
 * Ground package: how the app puts files on disk — atomic replacement through a flushed temp file
 * beside the target. Depends on the JDK only.
 */
package ovavss.studio.files;
