package ovavss.studio.model;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovavss.studio.audio.VggishLogMel;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.NamedThreads;
import ovavss.studio.task.ProgressSink;

/**
 * Runs OV-AVSS on clips. Exactly one inference thread owns the model predictors; decode threads
 * (one per clip at a time) open the clip, decode and resize keyframes and compute the log-mel
 * features, feeding prepared windows through a bounded queue so the model does not wait on I/O. Windows
 * stream out to a listener as they finish; cancellation is checked between windows.
 *
 * <p>Windows: keyframes are grouped 5 at a time (a 10-s clip = 2 windows); the last window of a
 * longer clip is padded by repeating its last keyframe, with zero audio, and padded frames never
 * yield objects.
 */
public final class InferenceService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
    /** Prepared windows waiting for the model; 2 keeps the model busy with bounded memory. */
    private static final int QUEUE_DEPTH = 2;

    private final ModelBundle bundle;
    private final ExecutorService inference;
    private final ExecutorService decode;
    /** helpers of the inference thread for the host post-processing (it takes a share itself) */
    private final ExecutorService postHelpers;
    private final HostParallelism host;
    private final int decodeThreads;
    private final ModelSession session;
    private final Object submitOrder = new Object();
    private final LiveVocabulary vocabulary;
    private final java.util.concurrent.atomic.AtomicLongArray stageNanos = new java.util.concurrent.atomic.AtomicLongArray(6);

    /**
     * Cumulative time per pipeline stage since the service started, for benchmarks and logs.
     *
     * @param prepareMs decode thread: decoding, resizing, normalising, log-mel
     * @param waitMs inference thread waiting for prepared windows (the model starved by I/O)
     * @param modelMs audio encoder + segmenter
     * @param postMs host post-processing including the CLIP image encoder
     * @param postClipMs the CLIP image encoder's share of {@code postMs} (the rest is host work:
     *     upsampling, boxes, cutting crops)
     * @param windows windows analysed
     */
    public record StageTimes(double prepareMs, double waitMs, double modelMs, double postMs, double postClipMs,
                             long windows) {
        /** The times accumulated since {@code earlier} (a reading of the same service). */
        public StageTimes minus(StageTimes earlier) {
            return new StageTimes(prepareMs - earlier.prepareMs, waitMs - earlier.waitMs, modelMs - earlier.modelMs,
                    postMs - earlier.postMs, postClipMs - earlier.postClipMs, windows - earlier.windows);
        }
    }

    /** Cumulative stage times. */
    public StageTimes stageTimes() {
        return new StageTimes(stageNanos.get(0) / 1e6, stageNanos.get(1) / 1e6, stageNanos.get(2) / 1e6,
                stageNanos.get(3) / 1e6, stageNanos.get(5) / 1e6, stageNanos.get(4));
    }

    /** Receives each window as soon as it is analysed (on the inference thread; keep it cheap). */
    @FunctionalInterface
    public interface WindowListener {
        WindowListener NONE = w -> { };

        void onWindow(WindowAnalysis window);
    }

    public InferenceService(ModelBundle bundle) {
        this(bundle, defaultDecodeThreads());
    }

    /**
     * @param decodeThreads threads preparing clips; each clip is opened, decoded and closed on one of
     *     them, so several clips of {@link #analyseInOrder} can be prepared at once (a fast GPU
     *     outruns one thread's decoding and resizing)
     */
    public InferenceService(ModelBundle bundle, int decodeThreads) {
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decodeThreads must be at least 1, got " + decodeThreads);
        }
        this.bundle = bundle;
        this.decodeThreads = decodeThreads;
        this.inference = Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-inference"));
        this.decode = Executors.newFixedThreadPool(decodeThreads, NamedThreads.numbered("ovavss-decode"));
        int cores = Runtime.getRuntime().availableProcessors();
        this.postHelpers = cores > 1 ? Executors.newFixedThreadPool(cores - 1, NamedThreads.numbered("ovavss-post"))
                : null;
        this.host = new HostParallelism(postHelpers, cores);
        try {
            this.session = inference.submit(bundle::newSession).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting inference", e);
        } catch (ExecutionException e) {
            throw new InferenceException("cannot create predictors: " + e.getCause().getMessage(), e.getCause());
        }
        this.vocabulary = new LiveVocabulary(this::encodeNames);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /** One decode thread per 4 cores (1 to 4): the rest stay for the model and post-processing. */
    static int defaultDecodeThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 4));
    }

    /** Threads preparing clips; {@link #analyseInOrder} with this lookahead keeps them all busy. */
    public int decodeThreads() {
        return decodeThreads;
    }

    /** "CPU" or "GPU n (CUDA)". */
    public String deviceName() {
        return bundle.deviceName();
    }

    /** The live vocabulary (text embeddings cached per name) bound to this service. */
    public LiveVocabulary vocabulary() {
        return vocabulary;
    }

    /** Default post-processing settings of the bundle. */
    public PostProcessSettings settings() {
        return bundle.manifest().postprocess();
    }

    private float[][] encodeNames(List<String> names) {
        return onInferenceThread("text encoder", () -> {
            float[][] out = new float[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                out[i] = session.textEmbedding(names.get(i));
            }
            return out;
        });
    }

    /**
     * Runs {@code task} on the inference thread (after what is queued there) and waits for it; a
     * failure is an {@link InferenceException} naming {@code what}.
     */
    private <T> T onInferenceThread(String what, java.util.concurrent.Callable<T> task) {
        try {
            return inference.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            throw new InferenceException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Runs the segmenter once at a padded size on the inference thread (first-call latency). */
    public void warmUp(int paddedHeight, int paddedWidth) throws InterruptedException, ExecutionException {
        inference.submit(() -> session.warmUp(paddedHeight, paddedWidth)).get();
    }

    /** A prepared window: normalised padded frames, unpadded 0..255 CHW frames, log-mel examples. */
    record Prepared(int index, int firstKeyframe, int realFrames, WindowGeometry geometry, float[] padded,
                    float[] resizedChw, float[] logMel, float[] levelsDb, AnalysisMethod method) {
    }

    private static final Prepared END = new Prepared(-1, 0, 0, null, null, null, null, null, AnalysisMethod.OVAVSS);

    /**
     * Analyses a clip in the background.
     *
     * @param opener opens the clip on the decode thread
     * @param listener receives each finished window
     * @param progress window-level progress
     * @param cancel checked between windows; a cancelled job completes exceptionally with
     *     {@link CancellationException} and keeps the windows already delivered
     * @return the analysis of all windows
     */
    public CompletableFuture<ClipAnalysis> analyse(KeyframeSource.Opener opener, WindowListener listener,
                                                   ProgressSink progress, Cancellation cancel) {
        return analyse(opener, AnalysisMethod.OVAVSS, listener, progress, cancel);
    }

    /**
     * As {@link #analyse(KeyframeSource.Opener, WindowListener, ProgressSink, Cancellation)}, with one
     * of the bundle's methods ({@link BundleManifest#methods}).
     */
    public CompletableFuture<ClipAnalysis> analyse(KeyframeSource.Opener opener, AnalysisMethod method,
                                                   WindowListener listener, ProgressSink progress,
                                                   Cancellation cancel) {
        if (!bundle.manifest().methods().contains(method)) {
            throw new IllegalArgumentException("bundle '" + bundle.manifest().name() + "' does not offer "
                    + method.label());
        }
        CompletableFuture<ClipAnalysis> result = new CompletableFuture<>();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_DEPTH);
        BundleManifest m = bundle.manifest();
        int t = m.framesPerClip();
        // Producer and consumer are queued as one step: clips then hold the same order in the decode
        // pool and on the inference thread. Interleaved by two callers (two Spark tasks on one
        // service), a consumer could wait on the inference thread for a producer queued behind
        // another clip's producer, itself blocked until its own consumer runs: a deadlock.
        synchronized (submitOrder) {
            submitBoth(opener, method, listener, progress, cancel, result, queue, t);
        }
        return result;
    }

    private void submitBoth(KeyframeSource.Opener opener, AnalysisMethod method, WindowListener listener,
                            ProgressSink progress,
                            Cancellation cancel, CompletableFuture<ClipAnalysis> result, BlockingQueue<Object> queue,
                            int t) {
        BundleManifest m = bundle.manifest();
        Future<?> producer = decode.submit(() -> {
            try (KeyframeSource src = opener.open()) {
                int n = src.keyframeCount();
                if (n <= 0) {
                    throw new InferenceException("the clip has no keyframes to analyse");
                }
                int windows = (n + t - 1) / t;
                queue.put(Integer.valueOf(n));
                WindowGeometry g = m.geometry(src.height(), src.width());
                float[] mono = src.audio() == null ? new float[0] : VggishLogMel.toMono16k(src.audio());
                float[][][] examples = VggishLogMel.examples(mono);
                // each keyframe's second, as loud as it is (SeAC's silence gate); no audio is silence
                float[] levels = VggishLogMel.exampleLevelsDb(mono, n);
                int[] last = null;
                for (int w = 0; w < windows; w++) {
                    if (cancel.isCancelled() || result.isDone()) {
                        break;
                    }
                    long p0 = System.nanoTime();
                    int first = w * t;
                    int real = Math.min(t, n - first);
                    int plane = 3 * g.paddedHeight() * g.paddedWidth();
                    float[] padded = new float[t * plane];
                    float[] chw = new float[t * 3 * g.height() * g.width()];
                    float[] logMel = new float[t * 96 * 64];
                    for (int f = 0; f < t; f++) {
                        if (f < real) {
                            int[] argb = src.keyframe(first + f);
                            if (argb.length != src.width() * src.height()) {
                                throw new InferenceException("keyframe " + (first + f) + " has a different size");
                            }
                            last = FrameOps.resizeBilinearPil(argb, src.width(), src.height(), g.width(), g.height());
                            int k = first + f;
                            // example k pairs with keyframe k; missing examples stay zero (official zero-padding)
                            if (k < examples.length) {
                                for (int r = 0; r < 96; r++) {
                                    System.arraycopy(examples[k][r], 0, logMel, f * 96 * 64 + r * 64, 64);
                                }
                            }
                        }
                        FrameOps.normalizeAndPad(last, g.width(), g.height(), m.mean(), m.std(), g.paddedWidth(),
                                g.paddedHeight(), padded, f * plane);
                        float[] c = FrameOps.toChw(last, g.width(), g.height());
                        System.arraycopy(c, 0, chw, f * c.length, c.length);
                    }
                    float[] windowLevels = new float[t];
                    java.util.Arrays.fill(windowLevels, -100f);
                    System.arraycopy(levels, first, windowLevels, 0, real);
                    Prepared prepared = new Prepared(w, first, real, g, padded, chw, logMel, windowLevels, method);
                    stageNanos.addAndGet(0, System.nanoTime() - p0);
                    queue.put(prepared);
                }
                queue.put(END);
            } catch (Throwable e) {
                queue.clear();
                queue.offer(e);
            }
            return null;
        });
        inference.submit(() -> {
            try {
                Object head = queue.take();
                if (head instanceof Throwable e) {
                    throw e;
                }
                int n = (Integer) head;
                int windows = (n + t - 1) / t;
                ClipAnalysis clip = new ClipAnalysis(n);
                progress.report(0, windows, "analysing " + windows + " window(s) on " + deviceName());
                long t0 = System.nanoTime();
                while (true) {
                    long w0 = System.nanoTime();
                    Object item = queue.take();
                    stageNanos.addAndGet(1, System.nanoTime() - w0);
                    if (item instanceof Throwable e) {
                        throw e;
                    }
                    Prepared p = (Prepared) item;
                    cancel.check();
                    if (p == END) {
                        break;
                    }
                    WindowAnalysis wa = analyseWindow(p);
                    clip.add(wa);
                    listener.onWindow(wa);
                    int done = p.index() + 1;
                    double perWindow = (System.nanoTime() - t0) / 1e9 / done;
                    progress.report(done, windows, String.format(java.util.Locale.ROOT,
                            "window %d/%d, ETA %.0f s", done, windows, perWindow * (windows - done)));
                }
                result.complete(clip);
            } catch (CancellationException e) {
                result.completeExceptionally(e);
            } catch (Throwable e) {
                result.completeExceptionally(e instanceof InferenceException ? e
                        : new InferenceException("analysis failed: " + e.getMessage(), e));
            } finally {
                // unblock and stop the producer if it is still running
                if (!producer.isDone()) {
                    producer.cancel(true);
                }
                queue.clear();
            }
            return null;
        });
    }

    /** Receives the clips of {@link #analyseInOrder} one by one, in order, on the calling thread. */
    public interface ClipResults {
        /** {@code analysis} is null when the clip failed; {@code failure} then says why. */
        void onClip(int index, ClipAnalysis analysis, Throwable failure) throws Exception;
    }

    /**
     * Analyses many clips in order with up to {@code lookahead} clips started ahead of the one being
     * handed out, so that decode threads open the next clips (demuxing, audio front end, first
     * windows) while the model is busy with the current one; analysing clips one by one makes the
     * model wait for every clip's start.
     * Results come to {@code results} in input order on the calling thread; a failed clip is
     * reported and the rest go on. A cancelled {@code cancel} ends it with
     * {@link CancellationException}; an exception from {@code results} ends it too, after
     * cancelling {@code cancel} so the clips started ahead stop, and is rethrown.
     */
    public void analyseInOrder(List<KeyframeSource.Opener> clips, int lookahead, Cancellation cancel,
                               ClipResults results) throws Exception {
        analyseInOrder(clips, lookahead, i -> ProgressSink.NONE, cancel, results);
    }

    /**
     * As {@link #analyseInOrder(List, int, Cancellation, ClipResults)}, with window-level progress per
     * clip: {@code progress.apply(i)} receives clip i's windows (one clip runs on the model at a time,
     * in order, so the reports of two clips never interleave).
     */
    public void analyseInOrder(List<KeyframeSource.Opener> clips, int lookahead,
                               java.util.function.IntFunction<ProgressSink> progress, Cancellation cancel,
                               ClipResults results) throws Exception {
        analyseInOrder(clips, lookahead, AnalysisMethod.OVAVSS, progress, cancel, results);
    }

    /** As above, with one of the bundle's methods. */
    public void analyseInOrder(List<KeyframeSource.Opener> clips, int lookahead, AnalysisMethod method,
                               java.util.function.IntFunction<ProgressSink> progress, Cancellation cancel,
                               ClipResults results) throws Exception {
        if (lookahead < 0) {
            throw new IllegalArgumentException("lookahead must be 0 or more, got " + lookahead);
        }
        java.util.ArrayDeque<CompletableFuture<ClipAnalysis>> inFlight = new java.util.ArrayDeque<>();
        int next = 0;
        try {
            for (int i = 0; i < clips.size(); i++) {
                while (next < clips.size() && inFlight.size() <= lookahead) {
                    inFlight.add(analyse(clips.get(next), method, w -> { }, progress.apply(next), cancel));
                    next++;
                }
                ClipAnalysis a;
                try {
                    a = inFlight.removeFirst().get();
                } catch (ExecutionException e) {
                    results.onClip(i, null, e.getCause());
                    continue;
                }
                results.onClip(i, a, null);
            }
        } finally {
            if (!inFlight.isEmpty()) {
                // stopped early: the clips started ahead stop between windows; wait so none runs on
                cancel.cancel();
                for (CompletableFuture<ClipAnalysis> f : inFlight) {
                    try {
                        f.get();
                    } catch (ExecutionException | CancellationException ignored) {
                        // nobody will read these clips
                    }
                }
            }
        }
    }

    /** The CLIP image encoder inside the post stage, its time counted apart (inference thread). */
    private float[] encodeTimed(float[] crops, int k) {
        long t0 = System.nanoTime();
        try {
            return session.encodeImages(crops, k);
        } finally {
            stageNanos.addAndGet(5, System.nanoTime() - t0);
        }
    }

    /** Model calls and post-processing of one window; runs on the inference thread. */
    private WindowAnalysis analyseWindow(Prepared p) {
        if (p.method().usesProposer()) {
            return analyseProposalWindow(p);
        }
        BundleManifest m = bundle.manifest();
        int t = m.framesPerClip();
        long t0 = System.nanoTime();
        float[] audioEmb = session.embedAudio(p.logMel(), t);
        WindowGeometry g = p.geometry();
        ModelSession.SegmenterOutput out = session.segment(p.padded(), g.paddedHeight(), g.paddedWidth(), audioEmb);
        long t1 = System.nanoTime();
        WindowAnalysis a = WindowPostProcessor.analyse(p.index(), p.firstKeyframe(), p.realFrames(), g,
                p.resizedChw(), out.maskLogits(), out.soundLogits(), m.queries(), m.postprocess(),
                this::encodeTimed, null, host);
        long t2 = System.nanoTime();
        stageNanos.addAndGet(2, t1 - t0);
        stageNanos.addAndGet(3, t2 - t1);
        stageNanos.incrementAndGet(4);
        LOG.debug("window {}: model {} ms, post-processing {} ms, {} valid queries", p.index(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, a.validQueries());
        return a;
    }

    /**
     * OpenAVS's audio–text tower over a whole soundtrack, one VGGish example per second: each
     * second's vector in the CLIP text space [n][D], L2-normalised. Runs on the inference thread,
     * after the analyses queued before it. Needs a bundle that offers OpenAVS.
     */
    public float[][] hear(float[][][] examples) {
        bundle.manifest().method(AnalysisMethod.OPENAVS);
        int n = examples.length;
        int d = bundle.manifest().clipEmbeddingDim();
        return onInferenceThread("audio-text tower", () -> {
            float[][] out = new float[n][];
            for (int s0 = 0; s0 < n; s0 += HEAR_CHUNK) {
                int k = Math.min(HEAR_CHUNK, n - s0);
                float[] mel = new float[k * 96 * 64];
                for (int i = 0; i < k; i++) {
                    for (int r = 0; r < 96; r++) {
                        System.arraycopy(examples[s0 + i][r], 0, mel, i * 96 * 64 + r * 64, 64);
                    }
                }
                float[] v = session.audioText(mel, k);
                for (int i = 0; i < k; i++) {
                    out[s0 + i] = Arrays.copyOfRange(v, i * d, (i + 1) * d);
                }
            }
            return out;
        });
    }

    /** Seconds of audio per audio–text call, bounding native memory for long media. */
    private static final int HEAR_CHUNK = 64;

    /**
     * A SeAC or OpenAVS window: the proposer's masks (no audio), the queries the bundle's objectness
     * cut leaves, their crops and CLIP embeddings as for OV-AVSS; then SeAC's global views, mask
     * features and audio–mask similarities, or OpenAVS's per-second audio vectors in the text space.
     */
    private WindowAnalysis analyseProposalWindow(Prepared p) {
        BundleManifest m = bundle.manifest();
        MethodSettings ms = m.method(p.method());
        int t = m.framesPerClip();
        long t0 = System.nanoTime();
        ModelSession.SegmenterOutput out = session.propose(p.padded(), p.geometry().paddedHeight(),
                p.geometry().paddedWidth());
        WindowGeometry g = p.geometry().withMaskStride(out.maskStride());
        float[] objectness = WindowPostProcessor.soundScores(out.soundLogits(), m.queries());
        boolean[] eligible = ProposalPostProcessor.eligible(objectness, m.queries(), ms);
        long t1 = System.nanoTime();
        WindowAnalysis a = WindowPostProcessor.analyse(p.index(), p.firstKeyframe(), p.realFrames(), g,
                p.resizedChw(), out.maskLogits(), out.soundLogits(), m.queries(), m.postprocess(),
                this::encodeTimed, eligible, host);
        int k = a.cropEmbeddings().length / Math.max(1, a.embeddingDim());
        int[] rowFrame = new int[k];
        int[] rowQuery = new int[k];
        int i = 0;
        for (int f = 0; f < t; f++) {
            for (int r = 0; r < a.queries().length; r++) {
                if (a.validFrames()[r][f]) {
                    rowFrame[i] = f;
                    rowQuery[i] = a.queries()[r];
                    i++;
                }
            }
        }
        float[] features = null;
        float[] association = null;
        float[] audioText = null;
        if (p.method() == AnalysisMethod.SEAC) {
            WindowAnalysis.ProposalData rows = new WindowAnalysis.ProposalData(p.method(), ms, rowFrame, rowQuery,
                    null, null, null, null);
            WindowAnalysis shaped = withProposals(a, rows);
            float[] global = encodeTimed(ProposalPostProcessor.globalViews(shaped, p.resizedChw(),
                    m.postprocess(), ms.blurSigma()), k);
            ClipScoring.l2NormalizeRows(global, k, a.embeddingDim());
            features = ProposalPostProcessor.mixViews(a.cropEmbeddings(), global, ms.lambdaLocal());
            float[] masks = session.associateMasks(features, k);
            float[] audio = session.associateAudio(Arrays.copyOf(p.logMel(), p.realFrames() * 96 * 64),
                    p.realFrames());
            association = ProposalPostProcessor.associations(masks, audio, rowFrame, rowQuery,
                    k == 0 ? 0 : masks.length / k, ms.maskPooling());
        }
        if (p.method() == AnalysisMethod.OPENAVS || ms.hearsNames()) {
            audioText = Arrays.copyOf(session.audioText(Arrays.copyOf(p.logMel(), p.realFrames() * 96 * 64),
                    p.realFrames()), t * m.clipEmbeddingDim());
        }
        WindowAnalysis done = withProposals(a, new WindowAnalysis.ProposalData(p.method(), ms, rowFrame, rowQuery,
                features, association, audioText, p.levelsDb()));
        long t2 = System.nanoTime();
        stageNanos.addAndGet(2, t1 - t0);
        stageNanos.addAndGet(3, t2 - t1);
        stageNanos.incrementAndGet(4);
        return done;
    }

    private static WindowAnalysis withProposals(WindowAnalysis a, WindowAnalysis.ProposalData d) {
        return new WindowAnalysis(a.index(), a.firstKeyframe(), a.realFrames(), a.geometry(), a.soundScores(),
                a.queries(), a.validFrames(), a.meanEmbedding(), a.embeddingDim(), a.cropEmbeddings(), a.maskLogits(), d);
    }

    /**
     * Bare model time of one window on the inference thread, for the benchmark's pipeline-vs-forward
     * ratio: {@code [0]} the audio encoder + segmenter, {@code [1]} the CLIP image encoder on
     * {@code k} crops as the post stage feeds it (chunks of 64). The official model's forward
     * includes both; at full size CLIP over a window's crops costs more than the segmenter, so a
     * forward without it would make any pipeline look slow.
     */
    public long[] forwardNanos(float[] padded, int paddedHeight, int paddedWidth, float[] logMel, float[] crops, int k)
            throws InterruptedException, ExecutionException {
        return inference.submit(() -> {
            long t0 = System.nanoTime();
            float[] emb = session.embedAudio(logMel, bundle.manifest().framesPerClip());
            session.segment(padded, paddedHeight, paddedWidth, emb);
            long t1 = System.nanoTime();
            if (k > 0) {
                session.encodeImages(crops, k);
            }
            return new long[] {t1 - t0, System.nanoTime() - t1};
        }).get();
    }

    /** CLIP image encoder on K crops, on the inference thread (benchmark). */
    public float[] encodeImages(float[] crops, int k) throws InterruptedException, ExecutionException {
        return inference.submit(() -> session.encodeImages(crops, k)).get();
    }

    /** Native NDArrays currently alive under the bundle's models (soak checks). */
    public int nativeArrayCount() throws InterruptedException, ExecutionException {
        return inference.submit(bundle::nativeArrayCount).get();
    }

    /** Stops the threads, closing the predictors on the inference thread after any running window. */
    @Override
    public void close() {
        decode.shutdownNow();
        Future<?> f = inference.submit(session::close);
        inference.shutdown();
        try {
            f.get(30, TimeUnit.SECONDS);
            inference.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("closing inference: {}", e.toString());
        } finally {
            // after the inference thread: a window being post-processed still hands ranges to them
            if (postHelpers != null) {
                postHelpers.shutdownNow();
            }
        }
    }
}
