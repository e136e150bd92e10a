package ovavss.studio.media;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AVSBench clip folder ({@code frames/0.jpg…}, {@code audio.wav}, see AVSBENCH.md §1.4):
 * frame k is shown from k s to k+1 s (AVSBench's 1 fps convention), sample 0 of
 * {@code audio.wav} is time 0. Frame numbers must run 0…N-1 without gaps (the AVSBench loaders
 * open {@code "%d.jpg"} for every index), so a gap is an error that names the missing file.
 */
final class AvsbenchClipSource implements MediaSource {
    private static final Logger LOG = LoggerFactory.getLogger(AvsbenchClipSource.class);
    private static final Pattern FRAME_NAME = Pattern.compile("(\\d+)\\.(?i:jpe?g|png)");
    private static final int CACHE_SIZE = 4;

    private final Path folder;
    private final Path[] frameFiles;
    private final MediaInfo info;
    private final PtsTable table;
    private final MediaSource audioSource;
    private final Map<Integer, VideoFrame> cache = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, VideoFrame> e) {
            return size() > CACHE_SIZE;
        }
    };

    private AvsbenchClipSource(Path folder, Path[] frameFiles, MediaInfo info, MediaSource audioSource) {
        this.folder = folder;
        this.frameFiles = frameFiles;
        this.info = info;
        this.table = PtsTable.uniform(frameFiles.length, 1_000_000L);
        this.audioSource = audioSource;
    }

    /** True when {@code dir} looks like an AVSBench clip folder (has a {@code frames/} folder). */
    static boolean looksLikeClip(Path dir) {
        return Files.isDirectory(dir) && Files.isDirectory(dir.resolve("frames"));
    }

    static MediaSource open(Path folder, boolean decodeAudio, boolean requireAudio) throws MediaException {
        Path framesDir = folder.resolve("frames");
        if (!Files.isDirectory(framesDir)) {
            throw new MediaException(folder + " is not an AVSBench clip folder: it has no frames/ folder.");
        }
        TreeSet<Integer> numbers = new TreeSet<>();
        Map<Integer, Path> byNumber = new LinkedHashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(framesDir)) {
            for (Path p : ds) {
                Matcher m = FRAME_NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    int k;
                    try {
                        k = Integer.parseInt(m.group(1));
                    } catch (NumberFormatException e) {
                        continue;   // absurdly long digit run: not a frame name
                    }
                    if (byNumber.put(k, p) != null) {
                        throw new MediaException(folder.getFileName() + ": frame " + k
                                + " exists twice in frames/ (e.g. " + p.getFileName() + ").");
                    }
                    numbers.add(k);
                }
            }
        } catch (IOException e) {
            throw new MediaException("cannot list " + framesDir + ": " + e.getMessage(), e);
        }
        if (numbers.isEmpty()) {
            throw new MediaException(folder.getFileName() + ": frames/ holds no numbered images (0.jpg, 1.jpg, …).");
        }
        int last = numbers.last();
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k <= last && missing.size() < 5; k++) {
            if (!numbers.contains(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (int k : missing) {
                sb.append(sb.length() == 0 ? "" : ", ").append("frames/").append(k).append(".jpg");
            }
            throw new MediaException("AVSBench clip " + folder.getFileName() + " is missing " + sb
                    + " (frames must be numbered 0 to " + last + " without gaps).");
        }
        Path[] files = new Path[last + 1];
        for (int k = 0; k <= last; k++) {
            files[k] = byNumber.get(k);
        }
        int[] size = imageSize(files[0]);
        if (Pictures.exifOrientation(files[0]) >= 5) {
            size = new int[] {size[1], size[0]};   // shown upright: a quarter turn swaps the sides
        }

        Path wav = folder.resolve("audio.wav");
        MediaSource audioSrc = null;
        if (Files.exists(wav)) {
            audioSrc = FfmpegMediaSource.open(wav, decodeAudio, false);
            if (!audioSrc.info().hasAudio()) {
                audioSrc.close();
                throw new MediaException(folder.getFileName() + ": audio.wav holds no audio stream.");
            }
        } else if (requireAudio) {
            throw new MediaException("AVSBench clip " + folder.getFileName() + " has no audio.wav.");
        } else {
            LOG.warn("{}: no audio.wav; opening frames only", folder);
        }
        MediaInfo ai = audioSrc != null ? audioSrc.info() : null;
        long videoEnd = files.length * 1_000_000L;
        MediaInfo info = new MediaInfo(folder.toString(), "avsbench-clip", true, true, size[0], size[1],
                "mjpeg", 1.0, files.length, false, ai != null, ai != null ? ai.sampleRate() : 0,
                ai != null ? ai.channels() : 0, ai != null ? ai.audioCodec() : "",
                Math.max(videoEnd, ai != null ? ai.durationMicros() : 0));
        return new AvsbenchClipSource(folder, files, info, audioSrc);
    }

    /** Reads only the header: absurd sizes are refused before any pixel is allocated. */
    private static int[] imageSize(Path file) throws MediaException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> it = in == null ? null : ImageIO.getImageReaders(in);
            if (it == null || !it.hasNext()) {
                throw new MediaException(file + " is not a readable image.");
            }
            ImageReader r = it.next();
            try {
                r.setInput(in);
                int w = r.getWidth(0);
                int h = r.getHeight(0);
                FfmpegSupport.checkResolution(file.getFileName().toString(), w, h);
                return new int[] {w, h};
            } finally {
                r.dispose();
            }
        } catch (IOException e) {
            throw new MediaException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    @Override
    public FrameIndex frames() {
        return table;
    }

    @Override
    public VideoFrame frame(int index) throws MediaException {
        if (index < 0 || index >= frameFiles.length) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frameFiles.length);
        }
        VideoFrame hit = cache.get(index);
        if (hit != null) {
            return hit;
        }
        Path file = frameFiles[index];
        imageSize(file);   // the header's size checked before any pixel is decoded
        Pictures.Rgb img;
        try {
            img = Pictures.read(file);
        } catch (IOException e) {
            img = null;
        }
        if (img == null) {
            // e.g. CMYK JPEG: FFmpeg reads more variants than ImageIO
            VideoFrame f = decodeWithFfmpeg(file, index);
            cache.put(index, f);
            return f;
        }
        VideoFrame f = new VideoFrame(index, table.timeMicros(index), img.width(), img.height(), img.argb());
        cache.put(index, f);
        return f;
    }

    private VideoFrame decodeWithFfmpeg(Path file, int index) throws MediaException {
        try (MediaSource one = FfmpegMediaSource.open(file, false, true)) {
            VideoFrame f = one.frame(0);
            return new VideoFrame(index, table.timeMicros(index), f.width(), f.height(), f.argb());
        } catch (MediaException e) {
            throw new MediaException(folder.getFileName() + "/frames/" + file.getFileName()
                    + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    @Override
    public AudioTrack audio() {
        return audioSource != null ? audioSource.audio() : null;
    }

    void awaitAudio() throws InterruptedException {
        if (audioSource instanceof FfmpegMediaSource f) {
            f.awaitAudio();
        }
    }

    @Override
    public void close() {
        cache.clear();
        if (audioSource != null) {
            audioSource.close();
        }
    }
}
