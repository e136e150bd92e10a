/**
 * OV-AVSS Studio: the {@link ovavss.studio.Launcher} of the jar, which starts the window or the
 * command line. Packages by capability, dependencies pointing one way (see ArchitectureTest):
 * ground ({@code task}, {@code files}, {@code pcm}) → {@code annotation}, {@code audio},
 * {@code media} → {@code model}, {@code avsbench} → {@code app} → {@code ui}, {@code cli}.
 */
package ovavss.studio;
