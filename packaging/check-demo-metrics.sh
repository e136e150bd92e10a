#!/usr/bin/env bash
# End-to-end check of the demo bundle through the app's own code path: regenerate the AV-Shapes test
# split, run `predict` on it with the jar, score it with `eval`, and compare base / novel / harmonic
# mIoU with the figures bundle.json reports (measured by models/export_bundle.py in Python).
# Fails when any differs by more than 0.5 points. Needs target/ovavss-studio.jar (mvn package).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/ovavss-studio.jar}
BUNDLE=${BUNDLE:-models/demo-avshapes}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 models/make_avshapes.py --out "$work/avshapes" --train 0 --val 0 --test 200 >/dev/null
ids=$(/usr/bin/python3 -c 'import sys; sys.path.insert(0, "models")
from avshapes.world import BASE, NOVEL
print(",".join(map(str, BASE)), ",".join(map(str, NOVEL)))')
base=${ids% *}; novel=${ids#* }
java -jar "$JAR" predict "$work/avshapes" --split test --model "$BUNDLE" --out "$work/pred" 2>"$work/predict.log" \
  || { tail -20 "$work/predict.log"; exit 1; }
java -jar "$JAR" eval --json --split test --pred "$work/pred" --gt "$work/avshapes" --base "$base" --novel "$novel" \
  >"$work/eval.json"
/usr/bin/python3 - "$BUNDLE/bundle.json" "$work/eval.json" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))["metrics"]
got = json.load(open(sys.argv[2]))["ov_avss"]
pairs = [("base_miou", "seen"), ("novel_miou", "unseen"), ("harmonic", "harmonic"), ("miou", "miou")]
bad = []
for w, g in pairs:
    a, b = want[w], got[g] * 100
    print(f"{w:11s} bundle.json {a:6.2f}   predict+eval {b:6.2f}   diff {b - a:+.2f}")
    if abs(a - b) > 0.5:
        bad.append(w)
if bad:
    sys.exit("demo metrics not reproduced within 0.5 points: " + ", ".join(bad))
print("demo bundle figures reproduced by predict + eval")
PY
