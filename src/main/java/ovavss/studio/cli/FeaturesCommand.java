package ovavss.studio.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ovavss.studio.audio.AudioFiles;
import ovavss.studio.audio.NpyIo;
import ovavss.studio.audio.PcmBuffer;
import ovavss.studio.audio.VggishLogMel;
import ovavss.studio.files.OutputTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code features <wav> --out <file.npy>}: VGGish log-mel examples (N×96×64 float32) of an audio file. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Write the VGGish log-mel examples of an audio file (N x 96 x 64, float32) as .npy.")
public final class FeaturesCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<wav>", description = "audio file (WAV/AIFF/AU; PCM 8/16/24/32-bit or float)")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "<file.npy>", description = "output .npy file")
    Path out;

    @Override
    public Integer call() {
        PcmBuffer pcm;
        try {
            OutputTargets.checkFile(out, input);
            pcm = AudioFiles.read(input);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("features: " + e.getMessage());
            return StudioCli.EXIT_BAD_INPUT;
        }
        float[][][] examples = VggishLogMel.examples(pcm);
        try {
            if (examples.length == 0) {
                // Still a valid (0, 96, 64) array: the model side pads missing examples in log-mel space.
                NpyIo.write(out, new float[0], 0, VggishLogMel.EXAMPLE_FRAMES, VggishLogMel.MEL_BANDS);
                System.err.printf("features: %s is shorter than one 0.96 s example; wrote 0 examples%n", input);
            } else {
                NpyIo.write(out, examples);
            }
        } catch (IOException e) {
            System.err.println("features: cannot write " + out + ": " + e.getMessage());
            return StudioCli.EXIT_BAD_INPUT;
        }
        System.out.printf("%s: %d Hz, %d ch, %.2f s -> %d x %d x %d log-mel examples in %s%n", input,
                pcm.sampleRate(), pcm.channels(), pcm.length() / (double) pcm.sampleRate(), examples.length,
                VggishLogMel.EXAMPLE_FRAMES, VggishLogMel.MEL_BANDS, out);
        return 0;
    }
}
