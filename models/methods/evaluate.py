#!/usr/bin/env python3
"""The Python reference of the methods on the AV-Shapes test split, scored as the app's `eval`
scores (one confusion matrix over all frames; base/novel/harmonic mIoU):

    /usr/bin/python3 models/methods/evaluate.py seac --clips 200 [--data models/data/avshapes]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from avshapes.world import BASE, CATEGORIES, NOVEL, make_clip  # noqa: E402
from methods import seac  # noqa: E402
from methods.pipeline import audio_embeddings, frame_proposals, load_graphs, rgb  # noqa: E402
from ovavss.host import Confusion, text_classifier  # noqa: E402


def seac_clip(parts: dict, c: dict, sigma: float = seac.SIGMA, gate=None) -> np.ndarray:
    """One clip through SeAC → label maps uint8 [10,H,W]."""
    masks = frame_proposals(parts["proposer"], c["frames"])
    x = rgb(c["frames"])
    with torch.no_grad():
        a = parts["association"].audio(audio_embeddings(parts["audio_encoder.pt"], c["audio"]))
        out = np.zeros(c["frames"].shape[:3], dtype=np.uint8)
        for k, m in enumerate(masks):
            if m.shape[0] == 0:
                continue
            f = seac.mask_features(parts["clip_image.pt"], x, m, [k] * m.shape[0], 32)
            s = parts["association"].mask(f) @ a[k]
            names = seac.classify(f, parts["text"])
            if gate is not None and float(s.max()) < gate:
                continue
            out[k] = seac.aggregate(m, s, names, sigma).numpy().astype(np.uint8)
    return out


def load_seac(seac_path: str, proposer_path: str) -> dict:
    from methods.train_seac import load_proposer
    parts = load_graphs()
    parts["proposer"] = load_proposer(proposer_path)
    assoc = seac.Association()
    assoc.load_state_dict(torch.load(seac_path)["model"])
    parts["association"] = assoc.eval()
    parts["text"] = text_classifier(parts["clip_text.pt"], CATEGORIES)
    return parts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("method", choices=["seac"])
    ap.add_argument("--clips", type=int, default=200)
    ap.add_argument("--data", help="a generated AV-Shapes root: read the clips from its files, as predict does")
    ap.add_argument("--seac", default=os.path.join(os.path.dirname(HERE), "work", "seac", "seac_final.pt"))
    ap.add_argument("--proposer", default=os.path.join(os.path.dirname(HERE), "work", "proposer", "proposer_final.pt"))
    ap.add_argument("--sigma", type=float, default=seac.SIGMA)
    ap.add_argument("--gate", type=float, help="also leave a frame empty when its best raw similarity is below this")
    args = ap.parse_args()
    torch.set_num_threads(1)
    parts = load_seac(args.seac, args.proposer)
    conf = Confusion(len(CATEGORIES) + 1)
    t0 = time.time()
    for i in range(args.clips):
        if args.data:
            from export_bundle import clip_from_files
            c = clip_from_files(args.data, i)
        else:
            c = make_clip("test", i, 10)
        conf.add(c["semantic"], seac_clip(parts, c, args.sigma, args.gate))
        if (i + 1) % 50 == 0:
            s = conf.scores(BASE, NOVEL)
            print(f"{i + 1}/{args.clips} ({time.time() - t0:.0f} s): " + " ".join(f"{k}={v * 100:.2f}" for k, v in s.items()),
                  flush=True)
    s = {k: round(v * 100, 2) for k, v in conf.scores(BASE, NOVEL).items()}
    s.update({"clips": args.clips, "sigma": args.sigma, "gate": args.gate,
              "clips_per_s": round(args.clips / (time.time() - t0), 2)})
    print(json.dumps(s))


if __name__ == "__main__":
    main()
