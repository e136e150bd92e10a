"""fp16 against fp32 on one dataset: the label maps two `predict` runs wrote (AVSBench layout, one PNG
per keyframe, pixel value = class index) and the two `eval --json` reports of them.

usage: compare_labels.py PRED_FP32 PRED_FP16 EVAL_FP32.json EVAL_FP16.json

Prints, in the benchmark's `name value unit` format:
  fp16_keyframes                 label maps compared (every PNG under PRED_FP32; one missing in PRED_FP16 fails)
  fp16_pixel_agreement           share of pixels with the same class in both
  fp16_keyframe_label_agreement  share of keyframes whose set of classes present is the same
  fp16_<metric> / fp32_<metric>  the eval report's OV-AVSS figures (seen / unseen / harmonic mIoU, in %)
"""
import json
import os
import sys

import numpy as np
from PIL import Image


def label_maps(root):
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.lower().endswith(".png"):
                yield os.path.relpath(os.path.join(dirpath, f), root)


def load(path):
    # palette PNGs keep their indices with mode "P"; never convert to RGB
    return np.asarray(Image.open(path))


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    a_root, b_root, a_eval, b_eval = argv
    n = same_px = total_px = same_sets = 0
    for rel in label_maps(a_root):
        b_path = os.path.join(b_root, rel)
        if not os.path.isfile(b_path):
            print("%s: missing in %s" % (rel, b_root), file=sys.stderr)
            return 1
        a, b = load(os.path.join(a_root, rel)), load(b_path)
        if a.shape != b.shape:
            print("%s: sizes differ %s %s" % (rel, a.shape, b.shape), file=sys.stderr)
            return 1
        n += 1
        same_px += int((a == b).sum())
        total_px += a.size
        same_sets += int(set(np.unique(a).tolist()) == set(np.unique(b).tolist()))
    if n == 0:
        print("no label maps under %s" % a_root, file=sys.stderr)
        return 1
    print("fp16_keyframes %d keyframes" % n)
    print("fp16_pixel_agreement %.5f -" % (same_px / total_px))
    print("fp16_keyframe_label_agreement %.5f -" % (same_sets / n))
    for tag, path in (("fp32", a_eval), ("fp16", b_eval)):
        with open(path) as f:
            ov = json.load(f).get("ov_avss", {})
        for k in ("seen", "unseen", "harmonic", "miou"):
            if k in ov:
                print("%s_%s %.2f %%" % (tag, k if k == "miou" else k + "_miou", 100 * ov[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
