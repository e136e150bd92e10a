/**
 * The headless face: picocli commands that parse arguments, call the same use cases as the window
 * and print; the benchmarks of {@code bench}. Exit 0 done, 1 some items failed, 2 bad input.
 */
package ovavss.studio.cli;
