#!/usr/bin/env python3
"""Where SeAC loses, on AV-Shapes val clips: each proposal is matched to the ground-truth object it
overlaps best (IoU >= 0.5), and SeAC's labels are scored with one stage at a time replaced by the truth:

    /usr/bin/python3 models/methods/diagnose_seac.py [--clips 60] [--unrefined]

- ``seac``: SeAC as the app runs it (learned association, CLIP names with the bundle's heard naming,
  aggregation with sigma, the bundle's heard gate and silence gate; every variant keeps the silence gate,
  all but the ceiling the heard gate);
- ``true_names``: the learned association, each matched proposal named by its object's category;
- ``true_association``: the proposals matched to sounding objects painted with CLIP's names;
- ``ceiling``: the proposals matched to sounding objects painted with their true category —
  the most these proposals allow.
Also printed: the proposer's recall at IoU 0.5, how often CLIP names a matched proposal right (by the
bundle's naming), how often it names the crop of a ground-truth mask right (cut as the host cuts
crops: what precise masks would allow), and how often the association's best proposal in a frame is
a sounding object.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from avshapes.world import BASE, CATEGORIES, NOVEL, make_clip  # noqa: E402
from methods import seac  # noqa: E402
from methods.evaluate import heard_gated, heard_scores, load_parts, seac_scores  # noqa: E402
from methods.pipeline import WINDOW, host_config, propose_window  # noqa: E402
from ovavss.audio import example_levels_db, log_mel_examples  # noqa: E402
from ovavss.host import Confusion, make_crops, text_classifier  # noqa: E402

VARIANTS = ("seac", "true_names", "true_association", "ceiling")


def best_object(mask: np.ndarray, objects: list) -> int:
    """Index of the object the mask overlaps with IoU >= 0.5, else -1."""
    best, index = 0.0, -1
    for j, (om, _, _) in enumerate(objects):
        union = (mask | om).sum()
        iou = (mask & om).sum() / union if union else 0.0
        if iou > best:
            best, index = iou, j
    return index if best >= 0.5 else -1


def ground_truth_crops_named(parts: dict, rgb: torch.Tensor, t: int, objects: list, text: torch.Tensor, hc) -> int:
    """How many of a frame's objects CLIP names right from their ground-truth masks' crops (the masks
    resized to the resized frame, cut as the host cuts the proposals' crops)."""
    h, w = rgb.shape[2], rgb.shape[3]
    masks = torch.from_numpy(np.stack([m for m, _, _ in objects]).astype(np.float32))[:, None]
    soft = F.interpolate(masks, size=(h, w), mode="bilinear", align_corners=False)[:, 0]
    keep = (soft > 0.5).flatten(1).any(1)  # a sliver may vanish when resized
    if not keep.any():
        return 0
    with torch.no_grad():
        emb = F.normalize(parts["clip_image.pt"](make_crops(rgb, soft[keep], [t] * int(keep.sum()),
                                                            hc.clip_size)).float(), dim=-1)
    names = (emb @ text.t()).argmax(1) + 1
    truth = torch.tensor([c for (_, c, _), k in zip(objects, keep.tolist()) if k])
    return int((names == truth).sum())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", type=int, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--unrefined", action="store_true", help="the shipped proposer without its mask refinement")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    parts = load_parts("seac", unrefined=args.unrefined)
    text = text_classifier(parts["clip_text.pt"], CATEGORIES)
    hc = host_config()
    confs = {v: Confusion(len(CATEGORIES) + 1) for v in VARIANTS}
    found, named, top_sounding, truth_named = [0, 0], [0, 0], [0, 0], [0, 0]  # [hits, total]
    for i in range(args.clips):
        c = make_clip("val", i, 10)
        audio = torch.from_numpy(log_mel_examples(c["audio"], 10)[:10])
        levels = example_levels_db(c["audio"], 10)
        for start in range(0, 10, WINDOW):
            frames, au = c["frames"][start:start + WINDOW], audio[start:start + WINDOW]
            p = propose_window(parts["proposer"], parts["clip_image.pt"], frames, hc)
            if p["t"].numel():
                sim, clip_names = seac_scores(parts, p, au, text, hc)
            heard = heard_scores(parts, au, text)
            for t in range(frames.shape[0]):
                k = start + t
                gt = c["semantic"][k]
                objects = [(o["masks"][k], o["category"], bool(o["sounding"][k]))
                           for o in c["objects"] if o["masks"][k].any()]
                maps = {v: np.zeros_like(gt, dtype=np.int64) for v in VARIANTS}
                rows = torch.nonzero(p["t"] == t).flatten() if p["t"].numel() else torch.zeros(0, dtype=torch.long)
                if rows.numel():
                    masks = p["masks"][p["q"][rows], t]
                    match = [best_object(m, objects) for m in masks.numpy()]
                    true_name = torch.tensor([objects[j][1] if j >= 0 else 0 for j in match])
                    sounding = torch.tensor([objects[j][2] if j >= 0 else False for j in match])
                    names, s = clip_names[rows], sim[rows]
                    found[0] += len(set(j for j in match if j >= 0))
                    named[0] += sum(int(names[r]) == objects[j][1] for r, j in enumerate(match) if j >= 0)
                    named[1] += sum(j >= 0 for j in match)
                    maps["seac"] = seac.aggregate(masks, s, names, parts["sigma"]).numpy()
                    maps["true_names"] = seac.aggregate(masks, s, true_name, parts["sigma"]).numpy()
                    for r in torch.nonzero(sounding).flatten().tolist():
                        maps["ceiling"][masks[r].numpy()] = int(true_name[r])
                        maps["true_association"][masks[r].numpy()] = int(names[r])
                    if sounding.any():
                        top_sounding[1] += 1
                        top_sounding[0] += bool(sounding[int(s.argmax())])
                found[1] += len(objects)
                if objects:
                    truth_named[0] += ground_truth_crops_named(parts, p["rgb"], t, objects, text, hc)
                    truth_named[1] += len(objects)
                for v in ("seac", "true_names", "true_association"):  # the bundle's heard gate
                    maps[v] = heard_gated(torch.from_numpy(maps[v])[None], None if heard is None else heard[t:t + 1],
                                          parts["heard_gate"])[0].numpy()
                if parts["silence_db"] is not None and levels[k] < parts["silence_db"]:
                    maps = {v: np.zeros_like(gt, dtype=np.int64) for v in VARIANTS}  # the bundle's silence gate
                for v in VARIANTS:
                    confs[v].add(gt[None], maps[v][None].astype(np.uint8))
    rate = lambda hv: round(hv[0] / max(1, hv[1]), 3)  # noqa: E731
    print(json.dumps({"clips": args.clips, "proposer_recall_iou50": rate(found),
                      "clip_names_matched_proposals_right": rate(named),
                      "clip_names_ground_truth_masks_right": rate(truth_named),
                      "top_association_is_sounding": rate(top_sounding)}))
    for v in VARIANTS:
        print(v, json.dumps({k: round(x * 100, 2) for k, x in confs[v].scores(BASE, NOVEL).items()}))


if __name__ == "__main__":
    main()
