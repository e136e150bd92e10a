#!/usr/bin/env bash
# Builds the workstation installers from target/ovavss-studio.jar and target/lib (run `mvn package`
# first): target/installers/ovavss-studio/ (a jpackage app-image with its own jlinked runtime, the
# native libraries already unpacked and the demo bundle), and a .deb of it. The runtime's modules
# are the ones in packaging/installer/modules.txt (from `jdeps --print-module-deps`, see there).
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JDK:-$(ls -d /usr/lib/jvm/temurin-2*-jdk* 2>/dev/null | sort -V | tail -1)}
[ -x "$JDK/bin/jpackage" ] || { echo "build-installers: no JDK with jpackage under /usr/lib/jvm (set JDK=)" >&2; exit 2; }
[ -f target/ovavss-studio.jar ] || { echo "build-installers: run mvn package first" >&2; exit 2; }
VERSION=$(sed -n 's:^  <version>\([0-9.]*\).*</version>:\1:p' pom.xml | head -1)
OUT=target/installers
WORK=target/installer-work
rm -rf "$OUT" "$WORK"
mkdir -p "$OUT" "$WORK/input/lib" "$WORK/input/models"
cp target/ovavss-studio.jar "$WORK/input/"
cp target/lib/*.jar "$WORK/input/lib/"
cp -r models/demo-avshapes "$WORK/input/models/"

# native libraries unpacked once here, so the first start extracts nothing into the user's home
NATIVE="$WORK/input/native"
mkdir -p "$NATIVE/javacpp" "$NATIVE/djl"
# (one analysis of the sample loads every library the app uses: FFmpeg through JavaCPP, libtorch through DJL)
"$JDK/bin/java" -Dorg.bytedeco.javacpp.cachedir="$NATIVE/javacpp" -DENGINE_CACHE_DIR="$NATIVE/djl" \
  -DDJL_CACHE_DIR="$WORK/djl-scratch" -Dai.djl.offline=true -Dovavss.log.file="$WORK/prepare.log" \
  -cp "$WORK/input/ovavss-studio.jar" ovavss.studio.Launcher predict models/samples/avshapes-test-0.mp4 \
  --model models/demo-avshapes --out "$WORK/scratch-pred" 2>/dev/null

# the unpacked libraries replace their jars (libtorch alone is 111 MB packed)
rm -f "$NATIVE/javacpp/.lock" "$WORK/input/lib"/pytorch-native-cpu-*.jar "$WORK/input/lib"/ffmpeg-*-linux-x86_64.jar \
  "$WORK/input/lib"/javacpp-*-linux-x86_64.jar
TORCH_DIR=$(cd "$NATIVE/djl/pytorch" && ls -d *-cpu-linux-x86_64 | head -1)
TORCH_VERSION=${TORCH_DIR%%-*}
FFMPEG_DIR=$(cd "$NATIVE/javacpp" && ls -d ffmpeg-*-linux-x86_64.jar)
JAVACPP_DIR=$(cd "$NATIVE/javacpp" && ls -d javacpp-*-linux-x86_64.jar)

"$JDK/bin/jlink" --add-modules "$(tr -d ' \n' < packaging/installer/modules.txt)" --strip-debug \
  --no-header-files --no-man-pages --output "$WORK/runtime"

# $APPDIR is the launcher's lib/app folder, wherever the image is installed
JOPTS=(--java-options "-DPYTORCH_LIBRARY_PATH=\$APPDIR/native/djl/pytorch/$TORCH_DIR"
       --java-options "-DPYTORCH_VERSION=$TORCH_VERSION"
       --java-options "-DPYTORCH_FLAVOR=cpu"
       --java-options "-Djava.library.path=\$APPDIR/native/javacpp/$FFMPEG_DIR/org/bytedeco/ffmpeg/linux-x86_64:\$APPDIR/native/javacpp/$JAVACPP_DIR/org/bytedeco/javacpp/linux-x86_64"
       --java-options "-Dorg.bytedeco.javacpp.pathsFirst=true"
       --java-options "-Dai.djl.offline=true"
       --java-options "--enable-native-access=ALL-UNNAMED")
"$JDK/bin/jpackage" --type app-image --name ovavss-studio --app-version "$VERSION" \
  --input "$WORK/input" --main-jar ovavss-studio.jar --main-class ovavss.studio.Launcher \
  --runtime-image "$WORK/runtime" --icon packaging/installer/ovavss-studio.png --dest "$OUT" "${JOPTS[@]}"
echo "app-image: $OUT/ovavss-studio ($(du -sh "$OUT/ovavss-studio" | cut -f1))"

# "Open with" for the video types FFmpeg reads
ASSOC=()
for f in packaging/installer/associations/*.properties; do ASSOC+=(--file-associations "$f"); done
if command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
  "$JDK/bin/jpackage" --type deb --app-image "$OUT/ovavss-studio" --name ovavss-studio --app-version "$VERSION" \
    --description "Annotate and check audio-visual segmentation datasets" --vendor "OV-AVSS Studio" \
    --linux-package-name ovavss-studio --linux-shortcut --linux-menu-group "AudioVideo;Video;Science" \
    --linux-app-category video --icon packaging/installer/ovavss-studio.png \
    --resource-dir packaging/installer/linux "${ASSOC[@]}" --dest "$OUT"
  echo "deb: $(ls "$OUT"/*.deb) ($(du -sh "$OUT"/*.deb | cut -f1))"
else
  echo "build-installers: dpkg-deb or fakeroot missing; no .deb (apt install dpkg-dev fakeroot)" >&2
fi

if command -v rpmbuild >/dev/null; then
  "$JDK/bin/jpackage" --type rpm --app-image "$OUT/ovavss-studio" --name ovavss-studio --app-version "$VERSION" \
    --description "Annotate and check audio-visual segmentation datasets" --vendor "OV-AVSS Studio" \
    --linux-package-name ovavss-studio --linux-shortcut --linux-menu-group "AudioVideo;Video;Science" \
    --linux-app-category video --icon packaging/installer/ovavss-studio.png "${ASSOC[@]}" --dest "$OUT"
  echo "rpm: $(ls "$OUT"/*.rpm) ($(du -sh "$OUT"/*.rpm | cut -f1))"
else
  echo "build-installers: rpmbuild missing; no .rpm (apt install rpm)" >&2
fi
