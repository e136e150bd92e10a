#!/usr/bin/env bash
# Builds the workstation installers from target/ovavss-studio.jar and target/lib (run `mvn package`
# first, on the system the installer is for: jpackage only builds for the system it runs on, and the
# pom's profiles pick that system's native jars): target/installers/ovavss-studio/ (a jpackage
# app-image with its own jlinked runtime, the native libraries already unpacked and the demo
# bundle), then on Linux a .deb (and an .rpm when rpmbuild is there), on Windows an .msi (needs WiX
# 3), on macOS a .dmg. The runtime's modules are the ones in packaging/installer/modules.txt (from
# `jdeps --print-module-deps`, see there). Only the Linux path is built and tested here.
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -s)" in
  Linux) OS=linux; PLAT=linux-x86_64; SEP=':'; ICON=packaging/installer/ovavss-studio.png ;;
  Darwin) OS=mac; PLAT=macosx-arm64; SEP=':'; ICON=packaging/installer/icons/ovavss-studio.icns ;;
  MINGW*|MSYS*|CYGWIN*) OS=windows; PLAT=windows-x86_64; SEP=';'; ICON=packaging/installer/icons/ovavss-studio.ico ;;
  *) echo "build-installers: unknown system $(uname -s)" >&2; exit 2 ;;
esac
if [ "$OS" = linux ]; then
  JDK=${JDK:-$(ls -d /usr/lib/jvm/temurin-2*-jdk* 2>/dev/null | sort -V | tail -1)}
else
  JDK=${JDK:-${JAVA_HOME:-}}
fi
ls "$JDK"/bin/jpackage* >/dev/null 2>&1 || { echo "build-installers: no JDK with jpackage (set JDK= or JAVA_HOME=)" >&2; exit 2; }
[ -f target/ovavss-studio.jar ] || { echo "build-installers: run mvn package first" >&2; exit 2; }
VERSION=$(sed -n 's:^  <version>\([0-9.]*\).*</version>:\1:p' pom.xml | head -1)
OUT=target/installers
WORK=target/installer-work
rm -rf "$OUT" "$WORK"
mkdir -p "$OUT" "$WORK/input/lib" "$WORK/input/models"
cp target/ovavss-studio.jar "$WORK/input/"
cp target/lib/*.jar "$WORK/input/lib/"
cp -r models/demo-avshapes "$WORK/input/models/"
# the scalable icon and its sizes, for the desktop's icon theme (postinst installs them on Linux)
mkdir -p "$WORK/input/icons"
cp packaging/installer/ovavss-studio.svg packaging/installer/icons/ovavss-studio-*.png "$WORK/input/icons/"

# native libraries unpacked once here, so the first start extracts nothing into the user's home
NATIVE="$WORK/input/native"
mkdir -p "$NATIVE/javacpp" "$NATIVE/djl"
# (one analysis of the sample loads every library the app uses: FFmpeg through JavaCPP, libtorch through DJL)
"$JDK/bin/java" -Dorg.bytedeco.javacpp.cachedir="$NATIVE/javacpp" -DENGINE_CACHE_DIR="$NATIVE/djl" \
  -DDJL_CACHE_DIR="$WORK/djl-scratch" -Dai.djl.offline=true -Dovavss.log.file="$WORK/prepare.log" \
  -cp "$WORK/input/ovavss-studio.jar" ovavss.studio.Launcher predict models/samples/avshapes-test-0.mp4 \
  --model models/demo-avshapes --out "$WORK/scratch-pred" 2>/dev/null

# the unpacked libraries replace their jars (libtorch alone is 111 MB packed)
rm -f "$NATIVE/javacpp/.lock" "$WORK/input/lib"/pytorch-native-cpu-*.jar "$WORK/input/lib"/ffmpeg-*-$PLAT.jar \
  "$WORK/input/lib"/javacpp-*-$PLAT.jar
TORCH_DIR=$(cd "$NATIVE/djl/pytorch" && ls -d *-cpu-* | head -1)
TORCH_VERSION=${TORCH_DIR%%-*}
FFMPEG_DIR=$(cd "$NATIVE/javacpp" && ls -d ffmpeg-*-$PLAT.jar)
JAVACPP_DIR=$(cd "$NATIVE/javacpp" && ls -d javacpp-*-$PLAT.jar)

"$JDK/bin/jlink" --add-modules "$(tr -d ' \n' < packaging/installer/modules.txt)" --strip-debug \
  --no-header-files --no-man-pages --output "$WORK/runtime"

# Windows: the window's launcher has no console, so the commands get their own launcher with one
EXTRA_LAUNCHER=()
[ "$OS" = windows ] && EXTRA_LAUNCHER=(--add-launcher ovavss-studio-cli=packaging/installer/windows/cli-launcher.properties)
# $APPDIR is the launcher's lib/app folder, wherever the image is installed
JOPTS=(--java-options "-DPYTORCH_LIBRARY_PATH=\$APPDIR/native/djl/pytorch/$TORCH_DIR"
       --java-options "-DPYTORCH_VERSION=$TORCH_VERSION"
       --java-options "-DPYTORCH_FLAVOR=cpu"
       --java-options "-Djava.library.path=\$APPDIR/native/javacpp/$FFMPEG_DIR/org/bytedeco/ffmpeg/$PLAT$SEP\$APPDIR/native/javacpp/$JAVACPP_DIR/org/bytedeco/javacpp/$PLAT"
       --java-options "-Dorg.bytedeco.javacpp.pathsFirst=true"
       --java-options "-Dai.djl.offline=true"
       --java-options "--enable-native-access=ALL-UNNAMED")
"$JDK/bin/jpackage" --type app-image --name ovavss-studio --app-version "$VERSION" \
  --input "$WORK/input" --main-jar ovavss-studio.jar --main-class ovavss.studio.Launcher \
  --runtime-image "$WORK/runtime" --icon "$ICON" --dest "$OUT" "${JOPTS[@]}" "${EXTRA_LAUNCHER[@]}"

# An AOT cache (JDK 24+, JEP 483/514): the classes of a real session, loaded and linked ahead of time,
# so the window shows about a second sooner. Recorded by one window run (the sample clip, analysed)
# with the image's own runtime, class path and options, which the cache must match; it is relative
# to $APPDIR, so it holds wherever the package installs the image. A cache that does not match
# (another JDK, changed jars) is ignored by the JVM without a word, never an error.
case "$OS" in  # where jpackage puts the app folder and the runtime on each system
  linux) IMAGE="$OUT/ovavss-studio"; APP="$IMAGE/lib/app"; JAVA_RUN="$IMAGE/lib/runtime/bin/java" ;;
  windows) IMAGE="$OUT/ovavss-studio"; APP="$IMAGE/app"; JAVA_RUN="$IMAGE/runtime/bin/java" ;;
  mac) IMAGE="$OUT/ovavss-studio.app"; APP="$IMAGE/Contents/app"; JAVA_RUN="$IMAGE/Contents/runtime/Contents/Home/bin/java" ;;
esac
CFG="$APP/ovavss-studio.cfg"
APPDIR_ABS=$(cd "$APP" && pwd)
[ "$OS" = windows ] && APPDIR_ABS=$(cygpath -m "$APPDIR_ABS")
CLASSPATH_RUN=$(sed -n 's/^app.classpath=//p' "$CFG" | tr -d '\r' | sed "s#\$APPDIR#$APPDIR_ABS#g" | paste -sd "$SEP" -)
OPTIONS_RUN=()
while IFS= read -r o; do OPTIONS_RUN+=("$o"); done \
  < <(sed -n 's/^java-options=//p' "$CFG" | tr -d '\r' | sed "s#\$APPDIR#$APPDIR_ABS#g")
TRAIN_HOME="$WORK/train-home"
mkdir -p "$TRAIN_HOME"
TRAIN=(--screenshot "$WORK/train.png" --analyse --size 1280x800)
XVFB_PID=
if [ "$OS" = linux ] && [ -z "${DISPLAY:-}" ]; then
  if command -v Xvfb >/dev/null; then
    Xvfb :89 -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB_PID=$!
    export DISPLAY=:89
    sleep 2
  else
    echo "build-installers: no display and no Xvfb: the AOT cache is recorded from a command only" >&2
    TRAIN=(predict models/samples/avshapes-test-0.mp4 --out "$WORK/train-pred")
  fi
fi
HOME="$TRAIN_HOME" XDG_STATE_HOME="$TRAIN_HOME/state" "$JAVA_RUN" \
  "${OPTIONS_RUN[@]}" -XX:AOTCacheOutput="$APP/ovavss-studio.aot" -cp "$CLASSPATH_RUN" ovavss.studio.Launcher \
  "${TRAIN[@]}" > "$WORK/aot-training.log" 2>&1 \
  || { cat "$WORK/aot-training.log" >&2; echo "build-installers: the AOT training run failed" >&2; exit 1; }
[ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
[ -f "$APP/ovavss-studio.aot" ] || { echo "build-installers: no AOT cache was written" >&2; exit 1; }
echo 'java-options=-XX:AOTCache=$APPDIR/ovavss-studio.aot' >> "$CFG"
echo "aot cache: $APP/ovavss-studio.aot ($(du -sh "$APP/ovavss-studio.aot" | cut -f1))"
echo "app-image: $IMAGE ($(du -sh "$IMAGE" | cut -f1))"

# "Open with" for the video types FFmpeg reads
ASSOC=()
for f in packaging/installer/associations/*.properties; do ASSOC+=(--file-associations "$f"); done
DESCRIBE=(--name ovavss-studio --app-version "$VERSION" --vendor "OV-AVSS Studio"
          --description "Annotate and check audio-visual segmentation datasets" --icon "$ICON")
if [ "$OS" = windows ]; then
  # per-user install (no administrator needed), a Start menu entry and a desktop shortcut
  "$JDK/bin/jpackage" --type msi --app-image "$IMAGE" "${DESCRIBE[@]}" "${ASSOC[@]}" \
    --win-menu --win-menu-group "OV-AVSS Studio" --win-shortcut --win-per-user-install --win-dir-chooser \
    --win-upgrade-uuid 6f7f3f0e-5b0a-4a53-9d63-0d3b7f5c2a11 --dest "$OUT"
  echo "msi: $(ls "$OUT"/*.msi)"
  exit 0
fi
if [ "$OS" = mac ]; then
  "$JDK/bin/jpackage" --type dmg --app-image "$IMAGE" "${DESCRIBE[@]}" "${ASSOC[@]}" \
    --mac-package-identifier org.ovavss.studio --mac-package-name "OV-AVSS Studio" --dest "$OUT"
  echo "dmg: $(ls "$OUT"/*.dmg)"
  exit 0
fi
LINUX=(--linux-package-name ovavss-studio --linux-shortcut --linux-menu-group "AudioVideo;Video;Science"
       --linux-app-category video)
if command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
  "$JDK/bin/jpackage" --type deb --app-image "$IMAGE" "${DESCRIBE[@]}" "${LINUX[@]}" --resource-dir packaging/installer/linux "${ASSOC[@]}" --dest "$OUT"
  echo "deb: $(ls "$OUT"/*.deb) ($(du -sh "$OUT"/*.deb | cut -f1))"
else
  echo "build-installers: dpkg-deb or fakeroot missing; no .deb (apt install dpkg-dev fakeroot)" >&2
fi

if command -v rpmbuild >/dev/null; then
  "$JDK/bin/jpackage" --type rpm --app-image "$IMAGE" "${DESCRIBE[@]}" "${LINUX[@]}" "${ASSOC[@]}" \
    --dest "$OUT"
  echo "rpm: $(ls "$OUT"/*.rpm) ($(du -sh "$OUT"/*.rpm | cut -f1))"
else
  echo "build-installers: rpmbuild missing; no .rpm (apt install rpm)" >&2
fi
