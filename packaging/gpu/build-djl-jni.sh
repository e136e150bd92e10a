#!/usr/bin/env bash
# Builds DJL's PyTorch JNI library (libdjl_torch.so) against a libtorch that DJL ships no JNI for
# (e.g. the torch 2.11+cu130 of a pip install). Plain g++, no CMake: the CUDA wheel's CMake config
# insists on a matching CUDA toolkit, and the JNI only needs the CPU-side headers: CUDA kernels come
# from libtorch_cuda.so, which DJL loads itself when PYTORCH_FLAVOR starts with "cu".
#
# usage: build-djl-jni.sh DJL_SRC TORCH_DIR JAVA_INCLUDE OUT_SO [JOBS]
#   DJL_SRC      folder holding DJL's engines/pytorch/pytorch-native (with build/include/ai_djl_pytorch_jni_PyTorchLibrary.h
#                from `javac -h`) and api/src/main/native (djl/utils.h), from the DJL tag that matches the jars
#   TORCH_DIR    the torch package folder (has include/ and lib/)
#   JAVA_INCLUDE a JDK's include/ folder (jni.h, linux/jni_md.h)
set -euo pipefail
SRC=$1 TORCH=$2 JINC=$3 OUT=$4 JOBS=${5:-$(nproc)}
NATIVE=$SRC/engines/pytorch/pytorch-native
ABI=${TORCH_CXX11_ABI:-1}
STD=${TORCH_CXX_STD:-c++20}
OBJ=$(mktemp -d)
FLAGS=(-std="$STD" -O2 -fPIC -w -D_GLIBCXX_USE_CXX11_ABI="$ABI"
  -I"$NATIVE/build/include" -I"$SRC/api/src/main/native" -I"$NATIVE/src/main/native"
  -I"$TORCH/include" -I"$TORCH/include/torch/csrc/api/include" -I"$JINC" -I"$JINC/linux")
export OBJ
printf '%s\0' "$NATIVE"/src/main/native/*.cc |
  xargs -0 -P "$JOBS" -I{} sh -c 'f="{}"; g++ "$@" -c "$f" -o "$OBJ/$(basename "$f" .cc).o" || { echo "FAILED: $f" >&2; exit 255; }' _ "${FLAGS[@]}"
g++ -shared -o "$OUT" "$OBJ"/*.o -L"$TORCH/lib" -Wl,-rpath,'$ORIGIN' -Wl,-rpath,"$TORCH/lib" \
  -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10
rm -rf "$OBJ"
echo "built $OUT"
