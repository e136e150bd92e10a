#!/usr/bin/env bash
# Installs the Debian packages the tests and the model scripts need (idempotent; skips what is present).
set -euo pipefail
pkgs=(python3-torch python3-numpy python3-pytest python3-pil python3-scipy python3-resampy python3-opencv libopenblas0-pthread xvfb ffmpeg fakeroot rpm cpio)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
