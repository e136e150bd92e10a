#!/usr/bin/env bash
# Renders the app icon from ovavss-studio.svg: the PNG sizes of a Linux desktop entry
# (icons/ovavss-studio-<n>.png, and ovavss-studio.png = 256 for jpackage on Linux), the Windows .ico
# the macOS .icns that build-installers.sh hands to jpackage on those systems, and the window's
# icons in src/main/resources.
# Needs ImageMagick (SVG rendering) and /usr/bin/python3 with PIL (ICO/ICNS writers).
set -euo pipefail
cd "$(dirname "$0")"
for n in 16 32 48 64 128 256 512; do
  convert -background none -density $((96 * n / 256 + 1)) ovavss-studio.svg -resize ${n}x${n} \
    -define png:exclude-chunks=date,time "icons/ovavss-studio-$n.png"
done
cp icons/ovavss-studio-256.png ovavss-studio.png
# the window's own icons (title bar, task switcher)
RES=../../src/main/resources/ovavss/studio/ui/icons
mkdir -p "$RES"
for n in 16 32 64 128 256; do cp "icons/ovavss-studio-$n.png" "$RES/ovavss-studio-$n.png"; done
/usr/bin/python3 - <<'PY'
from PIL import Image
big = Image.open("icons/ovavss-studio-512.png").convert("RGBA")
big.save("icons/ovavss-studio.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
big.save("icons/ovavss-studio.icns")
PY
ls -l icons ovavss-studio.png
