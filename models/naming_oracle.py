#!/usr/bin/env python3
"""How much of a bundle's AV-Shapes error is naming rather than masks.

    /usr/bin/python3 models/naming_oracle.py [--bundle models/demo-avshapes] [--clips 40]

Runs the full host pipeline on AV-Shapes test clips (generated in memory) and prints two scores
with the OV-AVSS metric: the real one, and one where every pixel that is foreground in both the
prediction and the ground truth gets its true class (masks kept, names fixed). The gap between the
two is what better naming could win; this is how stage 2 of the demo training (clip_refine.py) was
motivated.
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from avshapes.world import BASE, CATEGORIES, NOVEL, make_clip  # noqa: E402
from ovavss.audio import log_mel_examples  # noqa: E402
from ovavss.host import Confusion, HostConfig, infer_window, text_classifier  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", default=os.path.join(HERE, "demo-avshapes"))
    ap.add_argument("--clips", type=int, default=40)
    args = ap.parse_args()
    torch.set_num_threads(1)
    g = {n: torch.jit.load(os.path.join(args.bundle, n)).eval()
         for n in ("audio_encoder.pt", "segmenter.pt", "clip_image.pt", "clip_text.pt")}
    hc = HostConfig(min_size=128, max_size=512, clip_size=32)
    text = text_classifier(g["clip_text.pt"], CATEGORIES)
    real, oracle = Confusion(len(CATEGORIES) + 1), Confusion(len(CATEGORIES) + 1)
    for i in range(args.clips):
        c = make_clip("test", i, 10)
        with torch.no_grad():
            feats = g["audio_encoder.pt"](torch.from_numpy(log_mel_examples(c["audio"], 10)))
        for s in (0, 5):
            pred = infer_window(g["segmenter.pt"], g["clip_image.pt"], text, c["frames"][s:s + 5],
                                feats[s:s + 5], hc)["labels"].numpy()
            gt = c["semantic"][s:s + 5]
            real.add(gt, pred)
            oracle.add(gt, np.where((pred > 0) & (gt > 0), gt, pred))
    for name, conf in (("real", real), ("true names on predicted masks", oracle)):
        print(name + ": " + " ".join(f"{k}={v * 100:.1f}" for k, v in conf.scores(BASE, NOVEL).items()))


if __name__ == "__main__":
    main()
