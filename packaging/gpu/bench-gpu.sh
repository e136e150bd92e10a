#!/usr/bin/env bash
# GPU inference benchmark on a headless CUDA machine whose torch is newer than DJL's JNI builds
# (see ../shared/docs/GPU.md and packaging/gpu/README.md).
#
#   packaging/gpu/bench-gpu.sh prepare DJL_GIT   # here: jar, compact JRE, jars, DJL JNI sources -> target-gpu/carry
#   packaging/gpu/bench-gpu.sh device [OUT]      # there: build libdjl_torch.so, run Java + Python benchmarks
#
# prepare needs a JDK 17 with jmods, Maven, and a git checkout of deepjavalibrary/djl (DJL_GIT) that
# has the tag matching the DJL version in pom.xml. Nothing it makes is committed (target-*/ is ignored).
# device needs python3 with a CUDA torch, g++ (C++20) and the folder target-gpu/carry copied beside
# the working tree; it writes its figures to OUT (default target-gpu/out). In order of priority, each
# stage skipped when too little of BUDGET_S is left: (1) a full-size R50 bundle (random weights, official
# exporter, fp16 graphs), its Java pipeline at fp32 with a SOAK_R50-window soak, the official-style
# Python pipeline (official_pipeline.py, autocast fp16), Java at fp16 with label agreement; (2) the demo
# bundle likewise; (3) fp16 vs fp32 on the AV-Shapes test split through predict + eval; (4) the
# full-size Swin-B bundle; (5) the bare TorchScript forward in Python (R50 and demo, with CLIP on the
# Java run's crops per window); (6) the demo on the CPU.
# Knobs (environment): CLIPS, BUDGET_S, SOAK_R50 (1000), SOAK_DEMO (200), SOAK_S (90: a soak's time box,
# soak_windows says how many ran), AVSHAPES_CLIPS (200),
# R50_VARIANT / SWINB_VARIANT (r50-tiny / swinb-tiny for a CPU rehearsal), CPU_TOO (1), CPU_SOAK (100),
# JAVA_OPTS (extra JVM options), PY_OPTS (extra bare_forward.py options), JNI_PREBUILT (skip the JNI
# build), SNAPSHOT (a .tar.gz refreshed after each stage), REQUIRE_GPU (1: exit non-zero when the Java
# run is not on the GPU).
set -euo pipefail
cd "$(dirname "$0")/../.."
CARRY=target-gpu/carry
DJL_VERSION=0.35.0
BUNDLE=${BUNDLE:-models/demo-avshapes}
CLIPS=${CLIPS:-12}

prepare() {
    local djl_git=$1 jdk=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64} m2=${M2:-$HOME/.m2/repository}
    rm -rf "$CARRY" && mkdir -p "$CARRY/lib" "$CARRY/djl-native"
    mvn -B -ntp -q -Dbuild.dir=target-gpu package -DskipTests
    cp target-gpu/ovavss-studio.jar "$CARRY/lib/"
    # the headless benchmark's runtime classpath: no JavaFX, no JavaCV/FFmpeg, no CPU libtorch
    local j
    for j in com/fasterxml/jackson/core/jackson-databind/2.17.2/jackson-databind-2.17.2.jar \
        com/fasterxml/jackson/core/jackson-annotations/2.17.2/jackson-annotations-2.17.2.jar \
        com/fasterxml/jackson/core/jackson-core/2.17.2/jackson-core-2.17.2.jar \
        com/github/wendykierp/JTransforms/3.1/JTransforms-3.1.jar \
        org/apache/commons/commons-math3/3.5/commons-math3-3.5.jar \
        pl/edu/icm/JLargeArrays/1.5/JLargeArrays-1.5.jar \
        info/picocli/picocli/4.7.6/picocli-4.7.6.jar \
        org/slf4j/slf4j-api/2.0.16/slf4j-api-2.0.16.jar \
        ch/qos/logback/logback-classic/1.5.12/logback-classic-1.5.12.jar \
        ch/qos/logback/logback-core/1.5.12/logback-core-1.5.12.jar \
        ai/djl/api/$DJL_VERSION/api-$DJL_VERSION.jar \
        ai/djl/pytorch/pytorch-engine/$DJL_VERSION/pytorch-engine-$DJL_VERSION.jar \
        com/google/code/gson/gson/2.13.1/gson-2.13.1.jar \
        net/java/dev/jna/jna/5.17.0/jna-5.17.0.jar \
        org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar \
        commons-codec/commons-codec/1.17.1/commons-codec-1.17.1.jar \
        commons-io/commons-io/2.16.1/commons-io-2.16.1.jar; do
        cp "$m2/$j" "$CARRY/lib/"
    done
    # compact JRE (java.desktop for ImageIO: predict reads the AV-Shapes PNG frames) + the JDK's include/ for building the JNI
    local tmp; tmp=$(mktemp -d)
    "$jdk/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.xml,java.sql,jdk.unsupported,jdk.zipfs \
        --compress=2 --strip-debug --no-header-files --no-man-pages --output "$tmp/jre"
    cp -r "$jdk/include" "$tmp/jre/include"
    tar -C "$tmp" -cJf "$CARRY/jre.tar.xz" jre
    rm -rf "$tmp"
    # DJL's JNI sources at the matching tag, and the JNI header from javac -h
    git -C "$djl_git" archive "v$DJL_VERSION" engines/pytorch/pytorch-native/src/main/native api/src/main/native \
        engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni | tar -x -C "$CARRY/djl-native"
    local cls; cls=$(mktemp -d)
    "$jdk/bin/javac" -cp "$m2/ai/djl/api/$DJL_VERSION/api-$DJL_VERSION.jar:$m2/ai/djl/pytorch/pytorch-engine/$DJL_VERSION/pytorch-engine-$DJL_VERSION.jar" \
        -h "$CARRY/djl-native/engines/pytorch/pytorch-native/build/include" -d "$cls" \
        "$CARRY/djl-native/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
    rm -rf "$cls"
    du -sh "$CARRY"
}

device() {
    local out=${1:-target-gpu/out} work=/tmp/ovavss-gpu
    mkdir -p "$out" "$work"
    local env="$out/env.txt"
    { date -u; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
      g++ --version | head -1; cmake --version | head -1 || true; nproc
      python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "abi", int(torch._C._GLIBCXX_USE_CXX11_ABI), "gpu", torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)'
    } > "$env" 2>&1
    cat "$env"
    local torch_dir ver abi flavor cudart
    torch_dir=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
    ver=$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')
    abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
    flavor=${PYTORCH_FLAVOR:-cu$(python3 -c 'import torch; print((torch.version.cuda or "").replace(".", "")[:3])')}
    # DJL counts GPUs through libcudart (JNA): point it at the one torch itself uses
    cudart=$(python3 - <<'PY'
import glob, os, site, torch
roots = site.getsitepackages() + [os.path.dirname(os.path.dirname(torch.__file__))]
hits = [p for r in roots for p in glob.glob(os.path.join(r, "nvidia", "**", "libcudart.so*"), recursive=True)]
hits += glob.glob("/usr/local/cuda/lib64/libcudart.so*")
print(sorted(hits)[0] if hits else "")
PY
)
    if [ -n "$cudart" ]; then # JNA looks for an unversioned libcudart.so
        mkdir -p "$work/cudart" && ln -sf "$cudart" "$work/cudart/libcudart.so" && cudart=$work/cudart
    fi
    echo "torch_dir=$torch_dir version=$ver abi=$abi flavor=$flavor cudart_dir=$cudart" | tee -a "$env"
    rm -rf "$work/jre" && tar -C "$work" -xJf "$CARRY/jre.tar.xz"
    local cache="$work/djl-cache" jni
    jni="$cache/pytorch/$ver-$flavor-linux-x86_64/$DJL_VERSION-libdjl_torch.so"
    mkdir -p "$(dirname "$jni")"
    local t0=$SECONDS
    if [ -n "${JNI_PREBUILT:-}" ]; then # a libdjl_torch.so built earlier against this same torch
        cp "$JNI_PREBUILT" "$jni"
    else
        TORCH_CXX11_ABI=$abi packaging/gpu/build-djl-jni.sh "$CARRY/djl-native" "$torch_dir" "$work/jre/include" "$jni" "$(nproc)" \
            > "$out/build.log" 2>&1 || { tail -50 "$out/build.log"; return 1; }
    fi
    echo "jni_build_s $((SECONDS - t0))" | tee -a "$env"
    local cp; cp=$(ls "$CARRY"/lib/*.jar | tr '\n' ':')
    local deadline=$((SECONDS + ${BUDGET_S:-100000}))
    # `left S`: true while at least S seconds remain of BUDGET_S (stages past it are skipped, so a
    # time-boxed run still ends with the figures it had time for)
    left() { [ $((deadline - SECONDS)) -ge "$1" ] || { echo "SKIPPED (under $1 s left): ${2:-}" | tee -a "$out/skipped.txt"; return 1; }; }
    # the app's launcher on the machine's own libtorch (JVM options first, then the command)
    djl_java() {
        local opts=() 
        while [ $# -gt 0 ] && [ "${1#-D}" != "$1" ]; do opts+=("$1"); shift; done
        PYTORCH_LIBRARY_PATH="$torch_dir/lib" PYTORCH_VERSION="$ver" PYTORCH_FLAVOR="$flavor" \
            LD_LIBRARY_PATH="$cudart${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
            timeout "${JAVA_TIMEOUT_S:-400}" "$work/jre/bin/java" ${JAVA_OPTS:-} "${opts[@]}" -Djna.library.path="$cudart" \
            -Dovavss.djl.cache="$cache" -cp "$cp" ovavss.studio.Launcher "$@"
    }
    # run_java STEM BUNDLE SOAK [JVM options...]: one `bench inference`, with the GPU memory in use
    # sampled every 200 ms by nvidia-smi (whole card, so the peak includes the CUDA context)
    run_java() {
        local stem=$1 bundle=$2 soak=$3; shift 3
        local poll=""
        if command -v nvidia-smi >/dev/null && [ -z "${CUDA_VISIBLE_DEVICES+x}" ]; then
            nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "$out/$stem.gpumem" 2>/dev/null &
            poll=$!
        fi
        local rc=0
        djl_java -Dovavss.bench.bundle="$bundle" -Dovavss.bench.clips="$CLIPS" -Dovavss.bench.windows="$soak" \
            -Dovavss.bench.soakSeconds="${SOAK_S:-90}" "$@" \
            bench inference > "$out/$stem.txt" 2> "$out/$stem.err" || rc=$?
        if [ -n "$poll" ]; then
            kill "$poll" 2>/dev/null || true
            wait "$poll" 2>/dev/null || true
            echo "gpu_memory_peak_mib $(sort -n "$out/$stem.gpumem" | tail -1) MiB (nvidia-smi, whole card)" >> "$out/$stem.txt"
        fi
        [ "$rc" = 0 ] || { echo "java $stem failed (rc $rc)"; tail -30 "$out/$stem.err"; }
        grep -E '^(device|precision|input_size|valid_queries|clip_crops_per_window|pipeline_clips_per_s|forward_clips_per_s|pipeline_vs_forward_ratio|stage_|clip_crops_per_s|fp16_|native_arrays|gpu_memory)' "$out/$stem.txt" | sed "s/^/$stem /" || true
        return "$rc"
    }
    # the official-style Python pipeline (eager modules, autocast fp16 as the official test) on the
    # same synthetic clips; for full-size bundles the eager model comes from the synthetic checkpoint
    run_official() { # STEM BUNDLE [official_pipeline.py options...]
        local stem=$1 bundle=$2; shift 2
        PYTHONUNBUFFERED=1 timeout "${PY_TIMEOUT_S:-300}" python3 packaging/gpu/official_pipeline.py --bundle "$bundle" \
            --clips "$CLIPS" "$@" > "$out/$stem.txt" 2> "$out/$stem.err" || { echo "python $stem failed"; tail -20 "$out/$stem.err"; }
        grep -E '^official_' "$out/$stem.txt" | sed "s/^/$stem /" || true
    }
    # a full-size bundle with random weights from the official exporter, fp16 graphs checked on the GPU
    make_full() { # KEY VARIANT (the variant is r50 / swinb; the *-tiny ones for a CPU rehearsal)
        local key=$1 v=$2 t1=$SECONDS d="$work/ckpt-$1"
        python3 models/official/synthetic.py --variant "$v" --dir "$d" > "$out/make_$key.log" 2>&1 &&
        python3 models/export.py --checkpoint "$d/model_ov_avss_$v.pth" --clip "$d/clip.pt" --vggish "$d/vggish.pth" \
            --bpe "$d/bpe_simple_vocab_16e6.txt.gz" --out "$work/bundle-$key" --variant "$v" --threads "$(nproc)" \
            --force >> "$out/make_$key.log" 2>&1 || { echo "bundle $key failed"; tail -20 "$out/make_$key.log"; return 1; }
        echo "bundle_${key}_make_s $((SECONDS - t1)) s" | tee -a "$out/env.txt"
        python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["precisions"]["fp16"]["check"]))' \
            "$work/bundle-$key/bundle.json" > "$out/fp16_check_$key.json" 2>&1 || true
    }
    # predict the AV-Shapes test split at fp32 and at fp16, score both with eval, and compare the label
    # maps keyframe by keyframe (packaging/gpu/compare_labels.py)
    avshapes_agreement() {
        local data="$work/avshapes" ids base novel p
        python3 models/make_avshapes.py --out "$data" --train 0 --val 0 --test "${AVSHAPES_CLIPS:-200}" > "$out/avshapes_make.log" 2>&1 || return 1
        ids=$(python3 -c 'import sys; sys.path.insert(0, "models")
from avshapes.world import BASE, NOVEL
print(",".join(map(str, BASE)), ",".join(map(str, NOVEL)))')
        base=${ids% *}; novel=${ids#* }
        for p in fp32 fp16; do
            djl_java predict "$data" --split test --model "$BUNDLE" --out "$work/pred_$p" --precision "$p" \
                > "$out/avshapes_predict_$p.log" 2>&1 || { tail -20 "$out/avshapes_predict_$p.log"; return 1; }
            djl_java eval --json --split test --pred "$work/pred_$p" --gt "$data" --base "$base" --novel "$novel" \
                > "$out/avshapes_eval_$p.json" 2>> "$out/avshapes_predict_$p.log" || return 1
        done
        python3 packaging/gpu/compare_labels.py "$work/pred_fp32" "$work/pred_fp16" "$out/avshapes_eval_fp32.json" \
            "$out/avshapes_eval_fp16.json" | tee "$out/avshapes_fp16.txt"
    }
    local on_gpu=1 agree=(-Dovavss.bench.precision=fp16 -Dovavss.bench.agreement=true)
    # 1. the full-size R50 bundle: the goals (pipeline vs forward, vs the official pipeline, 1000-window soak)
    local r50=${R50_VARIANT:-r50} swinb=${SWINB_VARIANT:-swinb}
    if left 200 "r50" && make_full r50 "$r50"; then
        left 60 "r50 fp32" && { run_java r50_fp32 "$work/bundle-r50" "${SOAK_R50:-1000}" || true; snapshot; }
        grep -q '^device GPU' "$out/r50_fp32.txt" 2>/dev/null || { on_gpu=0; echo "WARNING: the Java run did not use the GPU"; grep -i 'device\|cuda\|gpu' "$out/r50_fp32.err" | head; }
        left 60 "r50 official" && { run_official r50_official "$work/bundle-r50" --checkpoint-dir "$work/ckpt-r50" --variant "$r50" --precision fp16; snapshot; }
        left 60 "r50 fp16" && { run_java r50_fp16 "$work/bundle-r50" 20 "${agree[@]}" || true; snapshot; }
    fi
    # 2. the demo bundle (as in the earlier figures), fp32 and fp16, and the official-style pipeline
    if left 60 "demo"; then
        run_java demo_fp32 "$BUNDLE" "${SOAK_DEMO:-200}" || true
        left 40 "demo fp16" && run_java demo_fp16 "$BUNDLE" 20 "${agree[@]}" || true
        left 40 "demo official" && run_official demo_official "$BUNDLE" --precision fp16
        snapshot
    fi
    # 3. fp16 against fp32 on the AV-Shapes test split, through the app's own predict + eval (demo bundle)
    if [ "${AVSHAPES:-1}" = 1 ] && left 120 "avshapes agreement"; then
        avshapes_agreement || echo "avshapes agreement failed"
        snapshot
    fi
    # 4. the full-size Swin-B bundle (CLIP ViT-L/14@336)
    if left 240 "swinb" && make_full swinb "$swinb"; then
        left 60 "swinb fp32" && { run_java swinb_fp32 "$work/bundle-swinb" 20 || true; snapshot; }
        left 60 "swinb official" && { run_official swinb_official "$work/bundle-swinb" --checkpoint-dir "$work/ckpt-swinb" --variant "$swinb" --precision fp16; snapshot; }
        left 60 "swinb fp16" && { run_java swinb_fp16 "$work/bundle-swinb" 20 "${agree[@]}" || true; snapshot; }
    fi
    # 5. the bare TorchScript forward in Python on the shapes and CLIP crops per window of each
    #    bundle's fp32 Java run (the full-size R50 first: its ratio is the goal)
    local key bundle size hp wp crops reps
    for key in r50 demo; do
        # full size: every window runs CLIP on up to 500 crops, so fewer warm-ups and repeats
        bundle=$BUNDLE reps=""; [ "$key" = r50 ] && bundle="$work/bundle-r50" reps="--warmup 5 --repeats 3"
        [ -f "$out/${key}_fp32.txt" ] && left 40 "python bare forward $key" || continue
        size=$(awk '/^input_size/ {print $2}' "$out/${key}_fp32.txt")          # e.g. 228x128_padded_256x128
        wp=$(echo "$size" | sed -E 's/.*_padded_([0-9]+)x([0-9]+)/\1/')
        hp=$(echo "$size" | sed -E 's/.*_padded_([0-9]+)x([0-9]+)/\2/')
        crops=$(awk '/^clip_crops_per_window/ {printf "%d", $2 + 0.5}' "$out/${key}_fp32.txt")
        PYTHONUNBUFFERED=1 timeout "${PY_TIMEOUT_S:-300}" python3 packaging/gpu/bare_forward.py $reps ${PY_OPTS:-} --bundle "$bundle" \
            --hp "$hp" --wp "$wp" --clips "$CLIPS" --crops-per-window "${crops:-0}" > "$out/${key}_python_forward.txt" 2>&1 || true
        grep -E '^python_' "$out/${key}_python_forward.txt" | sed "s/^/$key /" || true
        snapshot
    done
    # 6. the same JVM and libtorch with the GPU hidden: CPU figures of the demo on this machine
    if [ "${CPU_TOO:-1}" = 1 ] && left 60 "cpu"; then
        CUDA_VISIBLE_DEVICES= run_java demo_cpu "$BUNDLE" "${CPU_SOAK:-100}" || true
    fi
    summary "$out" | tee "$out/summary.txt"
    snapshot
    [ "$on_gpu" = 1 ] || [ "${REQUIRE_GPU:-1}" = 0 ]
}

# copies the figures so far to SNAPSHOT (a tar.gz), so that a run cut short still returns them
snapshot() {
    [ -n "${SNAPSHOT:-}" ] || return 0
    tar -C "$(dirname "$out")" -czf "$SNAPSHOT.tmp" "$(basename "$out")" 2>/dev/null && mv "$SNAPSHOT.tmp" "$SNAPSHOT"
}

summary() { # OUT: the ratios the goals are stated in, per bundle, from the runs' own lines
    python3 - "$1" <<'PY'
import glob, os, sys
out = sys.argv[1]
runs = {}
for path in glob.glob(os.path.join(out, "*.txt")):
    stem = os.path.basename(path)[:-4]
    vals = {}
    for line in open(path, errors="replace"):
        parts = line.split()
        if len(parts) >= 2:
            vals[parts[0]] = parts[1]
    runs[stem] = vals

def num(stem, key):
    try:
        return float(runs.get(stem, {})[key])
    except (KeyError, ValueError):
        return None

def show(name, value, fmt="%.3f"):
    print("%s %s" % (name, fmt % value if isinstance(value, float) else value))

for b in ("r50", "demo", "swinb"):
    if not any(k.startswith(b + "_") for k in runs):
        continue
    for p in ("fp32", "fp16"):
        stem = "%s_%s" % (b, p)
        for key in ("pipeline_clips_per_s", "forward_clips_per_s", "pipeline_vs_forward_ratio", "forward_segmenter_ms_per_window",
                    "forward_clip_ms_per_window", "forward_segmenter_clips_per_s", "pipeline_vs_segmenter_forward_ratio",
                    "stage_prepare_ms_per_window",
                    "stage_wait_ms_per_window", "stage_model_ms_per_window", "stage_post_ms_per_window",
                    "stage_post_clip_ms_per_window", "stage_post_host_ms_per_window", "clip_crops_per_s",
                    "valid_queries_per_window", "clip_crops_per_window", "gpu_memory_peak_mib", "native_arrays_before", "native_arrays_after", "soak_windows",
                    "gpu_memory_growth_second_half", "fp16_label_agreement", "fp16_mask_iou", "precision", "input_size"):
            v = runs.get(stem, {}).get(key)
            if v is not None:
                show("%s_%s" % (stem, key), v, "%s")
    off = num(b + "_official", "official_pipeline_clips_per_s")
    if off:
        show(b + "_official_pipeline_clips_per_s", off)
        for key in ("official_stage_model_ms_per_window", "official_crops_per_window", "official_valid_queries_per_window", "official_gpu_memory_peak_mib", "official_input_size", "official_model_source"):
            v = runs.get(b + "_official", {}).get(key)
            if v is not None:
                show(b + "_" + key, v, "%s")
        for p in ("fp32", "fp16"):
            pipe = num("%s_%s" % (b, p), "pipeline_clips_per_s")
            if pipe:
                show("%s_%s_pipeline_vs_official_ratio" % (b, p), pipe / off)
    p32, p16 = num(b + "_fp32", "pipeline_clips_per_s"), num(b + "_fp16", "pipeline_clips_per_s")
    f32, f16 = num(b + "_fp32", "forward_clips_per_s"), num(b + "_fp16", "forward_clips_per_s")
    if p32 and p16:
        show(b + "_fp16_pipeline_speedup", p16 / p32)
    if f32 and f16:
        show(b + "_fp16_forward_speedup", f16 / f32)
    pipe = num(b + "_fp32", "pipeline_clips_per_s")
    for io in ("resident", "host_io"):
        fwd = num(b + "_python_forward", "python_forward_%s_clips_per_s" % io)
        if fwd:
            show("%s_python_forward_%s_clips_per_s" % (b, io), fwd)
            if pipe:
                show("%s_fp32_pipeline_vs_python_%s_forward" % (b, io), pipe / fwd)
cpu = num("demo_cpu", "pipeline_clips_per_s")
if cpu:
    show("demo_cpu_pipeline_clips_per_s", cpu)
    show("demo_cpu_forward_clips_per_s", num("demo_cpu", "forward_clips_per_s"))
PY
}

case "${1:-}" in
    prepare) prepare "${2:?usage: $0 prepare DJL_GIT}" ;;
    device) device "${2:-}" ;;
    summary) summary "${2:?usage: $0 summary OUT}" ;;
    *) echo "usage: $0 prepare DJL_GIT | device [OUT] | summary OUT" >&2; exit 2 ;;
esac
