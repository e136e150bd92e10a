/**
 * Ground package: the few task primitives every layer passes around — cooperative
 * {@link ovavss.studio.task.Cancellation}, {@link ovavss.studio.task.Progress} snapshots and their
 * sinks, and the one factory for named daemon threads. Depends on the JDK (and SLF4J) only.
 */
package ovavss.studio.task;
