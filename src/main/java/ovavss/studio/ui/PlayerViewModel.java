package ovavss.studio.ui;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import ovavss.studio.annotation.KeyframeTimes;
import ovavss.studio.app.playback.AudioPlayback;
import ovavss.studio.app.playback.MediaSession;
import ovavss.studio.app.playback.PlaybackClock;
import ovavss.studio.app.playback.TimeBase;
import ovavss.studio.media.FrameIndex;
import ovavss.studio.media.MediaInfo;
import ovavss.studio.ui.timeline.TimelineModel;

/**
 * Playback state of the open media: the session (decode thread), the master clock and the audio
 * output, plus the commands bound to keys and buttons. All methods run on the UI thread; workers
 * report back through {@code uiExecutor}. Frame ↔ time conversion always goes through the PTS
 * table ({@link FrameIndex}).
 */
final class PlayerViewModel {
    private static final long SECOND = 1_000_000L;

    private final TimelineModel timeline;
    private final Executor uiExecutor;
    private final MediaSession.Opener opener;
    private final ObjectProperty<MediaSession> session = new SimpleObjectProperty<>(this, "session");
    private final ObjectProperty<MediaInfo> info = new SimpleObjectProperty<>(this, "info");
    private final IntegerProperty frameIndex = new SimpleIntegerProperty(this, "frameIndex", -1);
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final DoubleProperty rate = new SimpleDoubleProperty(this, "rate", 1.0);
    private final StringProperty clockSource = new SimpleStringProperty(this, "clockSource", "");
    private final BooleanProperty opening = new SimpleBooleanProperty(this, "opening");
    private PlaybackClock clock = new PlaybackClock(TimeBase.wall());
    private AudioPlayback audio;
    private Supplier<KeyframeTimes> keyframes = () -> null;

    PlayerViewModel(TimelineModel timeline, MediaSession.Opener opener, Executor uiExecutor) {
        this.timeline = timeline;
        this.opener = opener;
        this.uiExecutor = uiExecutor;
        rate.addListener((o, a, b) -> clock.setRate(b.doubleValue()));
        timeline.loopProperty().addListener(o -> applyLoop());
        timeline.selectionStartProperty().addListener(o -> applyLoop());
        timeline.selectionEndProperty().addListener(o -> applyLoop());
    }

    ObjectProperty<MediaSession> sessionProperty() {
        return session;
    }

    ObjectProperty<MediaInfo> infoProperty() {
        return info;
    }

    IntegerProperty frameIndexProperty() {
        return frameIndex;
    }

    BooleanProperty playingProperty() {
        return playing;
    }

    DoubleProperty rateProperty() {
        return rate;
    }

    StringProperty clockSourceProperty() {
        return clockSource;
    }

    BooleanProperty openingProperty() {
        return opening;
    }

    TimelineModel timeline() {
        return timeline;
    }

    /**
     * Opens {@code path} in the background. On success the new media replaces the old one (on the
     * UI executor); on failure the future fails with the media's message and the old media stays.
     */
    CompletableFuture<MediaInfo> open(Path path) {
        opening.set(true);
        CompletableFuture<MediaInfo> done = new CompletableFuture<>();
        MediaSession.open(path, opener).whenComplete((s, err) -> uiExecutor.execute(() -> {
            opening.set(false);
            if (err != null) {
                done.completeExceptionally(ovavss.studio.task.Futures.cause(err));
            } else {
                install(s);
                done.complete(s.info());
            }
        }));
        return done;
    }

    private void install(MediaSession s) {
        MediaSession old = session.get();
        clock.pause();
        if (audio != null) {
            clock.removeListener(audio);
            audio.close();
            audio = null;
        }
        if (old != null) {
            old.close();
        }
        audio = AudioPlayback.open(s.audio());
        clock = new PlaybackClock(audio != null ? audio : TimeBase.wall());
        if (audio != null) {
            clock.addListener(audio);
        }
        clockSource.set(audio != null ? "audio clock" : "wall clock");
        clock.setDuration(durationOf(s));
        clock.setRate(rate.get());
        timeline.reset(durationOf(s));
        frameIndex.set(-1);
        session.set(s);
        info.set(s.info());
        pulse();
    }

    /** Media length: the longer of the probed duration and the last frame's PTS. */
    static long durationOf(MediaSession s) {
        long d = s.info().durationMicros();
        FrameIndex f = s.frames();
        if (f.count() > 0) {
            d = Math.max(d, f.timeMicros(f.count() - 1));
        }
        return Math.max(d, 1);
    }

    /** Samples the clock once per UI pulse: updates the playhead and asks for the frame on screen. */
    void pulse() {
        MediaSession s = session.get();
        long t = clock.tick();
        playing.set(clock.isPlaying());
        timeline.playheadProperty().set(t);
        if (s == null) {
            return;
        }
        if (clock.isPlaying()) {
            timeline.follow(t);
        }
        FrameIndex f = s.frames();
        if (f.count() > 0) {
            int idx = f.indexAt(t);
            frameIndex.set(idx);
            if (scrubbing && System.nanoTime() - lastScrubNanos > SCRUB_REST_NANOS) {
                scrubbing = false;   // the pointer rests: the exact frame
            }
            if (scrubbing) {
                s.requestPreview(idx);
            } else {
                s.requestFrame(idx);
                if (clock.isPlaying()) {
                    s.prefetch(idx + 1);
                }
            }
        }
    }

    /** A pointer resting this long on the time axis gets the exact frame instead of a preview. */
    private static final long SCRUB_REST_NANOS = 150_000_000L;
    private boolean scrubbing;
    private long lastScrubNanos;

    /**
     * Moves the playhead while the pointer drags across the time axis: the picture follows at once
     * with the nearest picture at hand (approximate: the status bar says which frame it is), and
     * the exact frame comes once the pointer rests or is released ({@link #endScrub}).
     */
    void scrub(long micros) {
        if (hasMedia()) {
            scrubbing = true;
            lastScrubNanos = System.nanoTime();
            clock.seek(micros);
            pulse();
        }
    }

    /** The drag ended: the exact frame at the playhead. */
    void endScrub() {
        if (scrubbing) {
            scrubbing = false;
            pulse();
        }
    }

    /** True while a drag shows previews. */
    boolean scrubbing() {
        return scrubbing;
    }

    long time() {
        return clock.timeMicros();
    }

    boolean hasMedia() {
        return session.get() != null;
    }

    void togglePlay() {
        if (hasMedia()) {
            clock.togglePlay();
            pulse();
        }
    }

    void pause() {
        clock.pause();
        pulse();
    }

    void seek(long micros) {
        if (hasMedia()) {
            clock.seek(micros);
            pulse();
        }
    }

    /** Steps {@code n} frames through the PTS table (pauses first), so VFR media visit every frame. */
    void stepFrames(int n) {
        MediaSession s = session.get();
        if (s == null) {
            return;
        }
        clock.pause();
        FrameIndex f = s.frames();
        if (f.count() == 0) {
            seek(clock.timeMicros() + n * 10_000L);
            return;
        }
        int target = Math.max(0, Math.min(f.count() - 1, f.indexAt(clock.timeMicros()) + n));
        seek(f.timeMicros(target));
    }

    void stepSeconds(double seconds) {
        seek(clock.timeMicros() + Math.round(seconds * SECOND));
    }

    /**
     * Where the keyframe keys go: the open clip's keyframes in media time, or null for the default
     * grid ({@link KeyframeTimes#onePerSecond}) over the media.
     */
    void setKeyframes(Supplier<KeyframeTimes> keyframes) {
        this.keyframes = keyframes;
    }

    private KeyframeTimes keyframes() {
        KeyframeTimes k = keyframes.get();
        MediaSession s = session.get();
        return k != null ? k : KeyframeTimes.onePerSecond(s == null ? 0 : durationOf(s) / (double) SECOND);
    }

    /** Jumps to the next keyframe; stays after the last. */
    void nextKeyframe() {
        KeyframeTimes kt = keyframes();
        seekKeyframe(kt, kt.next(clock.timeMicros() / (double) SECOND));
    }

    /** Jumps to the previous keyframe (one before the playhead, not the one under it); stays before the first. */
    void previousKeyframe() {
        KeyframeTimes kt = keyframes();
        seekKeyframe(kt, kt.previous(clock.timeMicros() / (double) SECOND));
    }

    private void seekKeyframe(KeyframeTimes kt, int k) {
        if (k >= 0) {
            seek(Math.round(kt.time(k) * SECOND));
        }
    }

    void home() {
        seek(0);
    }

    void end() {
        MediaSession s = session.get();
        if (s != null) {
            FrameIndex f = s.frames();
            seek(f.count() > 0 ? f.timeMicros(f.count() - 1) : durationOf(s));
        }
    }

    void toggleLoop() {
        timeline.loopProperty().set(!timeline.loopProperty().get());
    }

    private void applyLoop() {
        boolean on = timeline.loopProperty().get() && timeline.hasSelection();
        long a = timeline.selectionStartProperty().get();
        long b = timeline.selectionEndProperty().get();
        clock.setLoop(a, b, on);
        if (on) {
            long t = clock.timeMicros();
            if (t < a || t >= b) {
                seek(a);
            }
        }
    }

    /** Stops playback and releases the media (decode thread and audio line). */
    void close() {
        clock.pause();
        if (audio != null) {
            audio.close();
            audio = null;
        }
        MediaSession s = session.get();
        if (s != null) {
            s.close();
        }
        session.set(null);
    }
}
