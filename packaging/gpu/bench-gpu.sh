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
# the working tree; it writes its figures to OUT (default target-gpu/out).
# Knobs (environment): CLIPS, SOAK, CPU_TOO (1), CPU_SOAK (100), JAVA_OPTS (extra JVM options, e.g.
# -Dai.djl.pytorch.graph_optimizer=false), PY_OPTS (extra bare_forward.py options, e.g. --no-jit-opt),
# JNI_PREBUILT (skip the JNI build), REQUIRE_GPU (1: exit non-zero when the Java run is not on the GPU).
set -euo pipefail
cd "$(dirname "$0")/../.."
CARRY=target-gpu/carry
DJL_VERSION=0.35.0
BUNDLE=${BUNDLE:-models/demo-avshapes}
CLIPS=${CLIPS:-12}
SOAK=${SOAK:-1000}

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
    # compact JRE (java.desktop is not needed headless) + the JDK's include/ for building the JNI
    local tmp; tmp=$(mktemp -d)
    "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.xml,java.sql,jdk.unsupported,jdk.zipfs \
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
    run_java() { # $1 = output stem, rest = extra env
        local stem=$1; shift
        env "$@" PYTORCH_LIBRARY_PATH="$torch_dir/lib" PYTORCH_VERSION="$ver" PYTORCH_FLAVOR="$flavor" \
            LD_LIBRARY_PATH="$cudart${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
            "$work/jre/bin/java" ${JAVA_OPTS:-} -Djna.library.path="$cudart" -Dovavss.djl.cache="$cache" \
            -Dovavss.bench.bundle="$BUNDLE" -Dovavss.bench.clips="$CLIPS" -Dovavss.bench.windows="$SOAK" \
            -cp "$cp" ovavss.studio.Launcher bench inference > "$out/$stem.txt" 2> "$out/$stem.err"
    }
    run_java java_gpu || { tail -40 "$out/java_gpu.err"; return 1; }
    cat "$out/java_gpu.txt"
    local on_gpu=1
    grep -q '^device GPU' "$out/java_gpu.txt" || { on_gpu=0; echo "WARNING: the Java run did not use the GPU"; grep -i 'device\|cuda\|gpu' "$out/java_gpu.err" | head; }
    # Python bare forward: same padded shape and number of windows as the Java run
    local size hp wp windows
    size=$(awk '/^input_size/ {print $2}' "$out/java_gpu.txt")          # e.g. 228x128_padded_256x128
    wp=$(echo "$size" | sed -E 's/.*_padded_([0-9]+)x([0-9]+)/\1/')
    hp=$(echo "$size" | sed -E 's/.*_padded_([0-9]+)x([0-9]+)/\2/')
    PYTHONUNBUFFERED=1 python3 packaging/gpu/bare_forward.py ${PY_OPTS:-} --bundle "$BUNDLE" --hp "$hp" --wp "$wp" --clips "$CLIPS" \
        > "$out/python_forward.txt" 2>&1 || true
    cat "$out/python_forward.txt"
    # same JVM and libtorch with the GPU hidden: the CPU figures on this machine
    if [ "${CPU_TOO:-1}" = 1 ]; then
        SOAK=${CPU_SOAK:-100} run_java java_cpu CUDA_VISIBLE_DEVICES= || tail -20 "$out/java_cpu.err"
    fi
    summary "$out" | tee "$out/summary.txt"
    [ "$on_gpu" = 1 ] || [ "${REQUIRE_GPU:-1}" = 0 ]
}

summary() {
    local out=$1
    awk '
      FNR == 1 { f = FILENAME; sub(/.*\//, "", f); sub(/\.txt$/, "", f) }
      { v[f "." $1] = $2 }
      END {
        pipe = v["java_gpu.pipeline_clips_per_s"]; fwd = v["java_gpu.forward_clips_per_s"]
        pyr = v["python_forward.python_forward_resident_clips_per_s"]; pyh = v["python_forward.python_forward_host_io_clips_per_s"]
        printf "java_pipeline_clips_per_s %s\njava_forward_clips_per_s %s\n", pipe, fwd
        printf "python_forward_resident_clips_per_s %s\npython_forward_host_io_clips_per_s %s\n", pyr, pyh
        if (pyr > 0) printf "java_pipeline_vs_python_resident %.3f\njava_forward_vs_python_resident %.3f\n", pipe / pyr, fwd / pyr
        if (pyh > 0) printf "java_pipeline_vs_python_host_io %.3f\njava_forward_vs_python_host_io %.3f\n", pipe / pyh, fwd / pyh
        if ("java_cpu.pipeline_clips_per_s" in v) printf "java_cpu_pipeline_clips_per_s %s\njava_cpu_forward_clips_per_s %s\n", v["java_cpu.pipeline_clips_per_s"], v["java_cpu.forward_clips_per_s"]
      }' "$out"/java_gpu.txt "$out"/python_forward.txt $( [ -f "$out/java_cpu.txt" ] && echo "$out/java_cpu.txt" )
}

case "${1:-}" in
    prepare) prepare "${2:?usage: $0 prepare DJL_GIT}" ;;
    device) device "${2:-}" ;;
    summary) summary "${2:?usage: $0 summary OUT}" ;;
    *) echo "usage: $0 prepare DJL_GIT | device [OUT] | summary OUT" >&2; exit 2 ;;
esac
