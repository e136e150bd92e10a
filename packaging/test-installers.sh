#!/usr/bin/env bash
# Installs the .deb as a user would and uses it the way the README says, with no Java, Maven or
# Python on the PATH, HOME an empty folder and no network: --version, info and predict on a clip
# made with ffmpeg (the demo bundle from inside the image), the window under Xvfb with
# --screenshot; then checks that nothing was written outside that HOME and the output folder, and
# that removing the package leaves nothing of it. Needs root (CI runs as root); builds the
# installers first when target/installers has none.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test-installers: FAILED: $*" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then echo "test-installers: skipped (installing a package needs root)"; exit 0; fi
DEB=$(ls target/installers/ovavss-studio_*_amd64.deb 2>/dev/null | head -1 || true)
if [ -z "$DEB" ]; then
  bash packaging/build-installers.sh
  DEB=$(ls target/installers/ovavss-studio_*_amd64.deb | head -1)
fi
echo "test-installers: $DEB ($(du -h "$DEB" | cut -f1))"
# a copy left by an earlier run would make apt keep it ("already the newest version")
if dpkg -s ovavss-studio >/dev/null 2>&1; then DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ovavss-studio >/dev/null; fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$DEB" >/dev/null
[ -x /usr/bin/ovavss-studio ] || fail "ovavss-studio is not on the PATH after installing"

work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  if [ -n "${XVFB_PID:-}" ]; then kill "$XVFB_PID" 2>/dev/null || true; fi
  if dpkg -s ovavss-studio >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ovavss-studio >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
home=$work/home
out=$work/out
mkdir -p "$home" "$out"
ffmpeg -loglevel error -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i sine=frequency=440:sample_rate=16000 \
  -t 3 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$work/clip.mp4"
sleep 1
touch "$work/before"
# the user's world: no java on the PATH, an empty home, no network (a new network namespace)
# a PATH with the installed command and nothing else: no java, no python
mkdir -p "$work/bin"
ln -s /usr/bin/ovavss-studio "$work/bin/ovavss-studio"
NONET=(/usr/bin/unshare -n)
if ! unshare -n true 2>/dev/null; then
  echo "test-installers: note: cannot make a network namespace here; running with the network"
  NONET=()
fi
as_user() { /usr/bin/env -i PATH="$work/bin" HOME="$home" DISPLAY="${DISPLAY_FOR_TEST:-}" "${NONET[@]}" "$@"; }
! as_user /bin/sh -c 'command -v java || command -v python3' >/dev/null || fail "java or python on the test PATH"

as_user ovavss-studio --version | grep -q "OV-AVSS Studio" || fail "--version"
as_user ovavss-studio info "$work/clip.mp4" > "$out/info.json" || fail "info"
grep -q '"durationSeconds"' "$out/info.json" || fail "info printed no duration"
as_user ovavss-studio bundles list | grep -q "^\* demo-avshapes.*installed.*checksums ok" \
  || fail "bundles list does not show the installed demo bundle as the verified default"
t0=$(date +%s.%N)
as_user ovavss-studio predict "$work/clip.mp4" --allow-silent --out "$out/pred" 2> "$out/predict.log" \
  || { cat "$out/predict.log"; fail "predict"; }
t1=$(date +%s.%N)
[ -f "$out/pred/video/clip/predictions.json" ] || fail "predict wrote no predictions.json"

Xvfb :87 -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB_PID=$!
sleep 2
DISPLAY_FOR_TEST=:87 as_user ovavss-studio "$work/clip.mp4" --size 1024x700 --screenshot "$out/window.png" \
  > "$out/window.log" 2>&1 || { cat "$out/window.log"; fail "the window's --screenshot"; }
/usr/bin/python3 - "$out/window.png" <<'PY' || fail "the screenshot is not the window"
import sys
from PIL import Image, ImageStat
im = Image.open(sys.argv[1]).convert("RGB")
assert im.size == (1024, 700), im.size
assert max(ImageStat.Stat(im).stddev) > 10, "blank"
PY

# nothing written outside the test's home and output: not into the install, not into root's home
written=$( { find /opt/ovavss-studio /root -newer "$work/before" -type f 2>/dev/null || true; } | head -5)
[ -z "$written" ] || fail "files written outside HOME: $written"
for d in .local/state/ovavss-studio; do [ -d "$home/$d" ] || fail "no $d under the test HOME"; done

[ -f /usr/share/icons/hicolor/scalable/apps/ovavss-studio.svg ] && [ -f /usr/share/icons/hicolor/48x48/apps/ovavss-studio.png ] \
  || fail "the icon is not in the icon theme"

# Start to window shown and to model ready, from the installed launcher with the sample clip, as the
# app logs them (counted from the process's start). Cold: the first start after dropping the page
# cache (when the kernel lets us); warm: the next one; then warm again without the AOT cache, the
# baseline of the same run.
startup() {  # <label> -> "startup_<label>_window_s X" and "startup_<label>_model_s Y"
  local h="$work/home-$1" pid
  mkdir -p "$h"
  /usr/bin/env -i PATH="$work/bin" HOME="$h" DISPLAY=:87 "${NONET[@]}" ovavss-studio "$work/clip.mp4" \
    > "$out/startup-$1.log" 2>&1 & pid=$!
  for _ in $(seq 240); do grep -qs "startup: model ready" "$h/.local/state/ovavss-studio/studio.log" && break; sleep 0.25; done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sed -n 's/.*startup: window shown \([0-9]*\) ms.*/\1/p; s/.*startup: model ready \([0-9]*\) ms.*/\1/p' \
    "$h/.local/state/ovavss-studio/studio.log" | paste -sd' ' - | awk -v l="$1" \
    '{ printf "startup_%s_window_s %.2f s\nstartup_%s_model_s %.2f s\n", l, $1 / 1000, l, $2 / 1000 }'
}
if sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then startup cold; else echo "test-installers: note: cannot drop the page cache; no cold start figure"; fi
startup warm
CFG=/opt/ovavss-studio/lib/app/ovavss-studio.cfg
cp "$CFG" "$work/cfg.orig"
grep -v AOTCache "$work/cfg.orig" > "$CFG"
startup warm_without_aot_cache
cp "$work/cfg.orig" "$CFG"

DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ovavss-studio >/dev/null
[ ! -e /usr/bin/ovavss-studio ] || fail "/usr/bin/ovavss-studio left after removing"
left=$(find /opt/ovavss-studio -type f 2>/dev/null | head -3 || true)
[ ! -e /usr/share/icons/hicolor/scalable/apps/ovavss-studio.svg ] || fail "the icon was left in the icon theme"
[ -z "$left" ] || fail "files left under /opt/ovavss-studio: $left"
# the .rpm, unpacked (rpm2cpio | cpio) rather than installed on this Debian machine
RPM=$(ls target/installers/ovavss-studio-*.rpm 2>/dev/null | head -1 || true)
if [ -n "$RPM" ]; then
  mkdir -p "$work/rpm"
  (cd "$work/rpm" && rpm2cpio "$OLDPWD/$RPM" | cpio -idm --quiet)
  launcher=$(find "$work/rpm" -path '*/bin/ovavss-studio' -type f | head -1)
  [ -n "$launcher" ] || fail "the .rpm holds no bin/ovavss-studio"
  rm -f "$work/bin/ovavss-studio"
  ln -s "$launcher" "$work/bin/ovavss-studio"
  as_user ovavss-studio --version | grep -q "OV-AVSS Studio" || fail ".rpm: --version"
  as_user ovavss-studio info "$work/clip.mp4" | grep -q '"durationSeconds"' || fail ".rpm: info"
  awk -v b="$(stat -c %s "$RPM")" 'BEGIN { printf "installer_rpm_mb %.1f MB\n", b / 1048576 }'
else
  echo "test-installers: no .rpm to check (rpmbuild missing when building)"
fi
awk -v b="$(stat -c %s "$DEB")" 'BEGIN { printf "installer_deb_mb %.1f MB\n", b / 1048576 }'
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "installed_predict_s %.1f s\n", b - a }'
echo "test-installers: installed, used without java, network or a prepared home, and removed cleanly"
