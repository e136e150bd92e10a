#!/usr/bin/env python3
"""Fine-tunes the demo segmenter into the image-only mask proposer (proposer.py), resumably,
within a wall-clock budget:

    nice -n 10 /usr/bin/python3 models/methods/train_proposer.py --minutes 20 [--work models/work/proposer]

Starts from the demo bundle's segmenter; the audio input is zero throughout; the targets are all
visible objects of each training window (sounding or not, class-agnostic), with the demo's
Mask2Former losses (Hungarian matching, 2·CE + 5·BCE + 5·dice, deep supervision, unmatched queries
toward empty). Writes <work>/proposer_final.pt (state dict + record).
"""
import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from avshapes.world import make_clip  # noqa: E402
from clip_refine import T  # noqa: E402
from ovavss.host import normalise_and_pad  # noqa: E402
from ovavss.files import training_log  # noqa: E402
from ovavss.model import model_from_bundle  # noqa: E402
from methods.checkpoint import Checkpoint  # noqa: E402
from train_demo import LOSS_RES, lr_factor, seg_losses  # noqa: E402

DEMO = os.path.join(os.path.dirname(HERE), "demo-avshapes")
MIN_PIXELS = 6


def object_window(split: str, index: int, start: int) -> dict:
    """Frames and every visible object's masks (class-agnostic) of one five-frame window."""
    c = make_clip(split, index, 10)
    targets = []
    for o in c["objects"]:
        m = o["masks"][start:start + T]
        if m.reshape(T, -1).sum(1).max() >= MIN_PIXELS:
            targets.append(m)
    return {"frames": c["frames"][start:start + T], "targets": targets, "objects": c["objects"], "start": start}


def target_tensor(masks) -> torch.Tensor:
    if not masks:
        return torch.zeros(0, T, LOSS_RES, LOSS_RES)
    return F.adaptive_avg_pool2d(torch.from_numpy(np.stack(masks)).float(), LOSS_RES)


def recall(seg, audio_dim: int, windows: int, split: str = "val") -> float:
    """Share of visible objects (per frame, ≥ 20 px) covered at IoU ≥ 0.5 by some valid proposal,
    the proposals taken as the methods take them (methods.pipeline.propose_window)."""
    from methods.pipeline import host_config, propose_window
    from methods.proposer import ProposerExport
    prop = ProposerExport(seg, audio_dim).eval()
    hc = host_config()
    no_clip = lambda crops: torch.zeros(crops.shape[0], 1)  # noqa: E731 (crops are not needed here)
    hit = total = 0
    with torch.no_grad():
        for i in range(windows):
            w = object_window(split, i, 0)
            p = propose_window(prop, no_clip, w["frames"], hc)
            for t in range(T):
                rows = p["q"][p["t"] == t]
                pm = p["masks"][rows, t]
                for o in w["objects"]:
                    g = torch.from_numpy(o["masks"][t])
                    if int(g.sum()) < 20:
                        continue
                    total += 1
                    if pm.shape[0]:
                        inter = (pm & g).flatten(1).sum(1).float()
                        union = (pm | g).flatten(1).sum(1).float()
                        hit += int(bool(((inter / union) >= 0.5).any()))
    return hit / max(total, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--work", default=os.path.join(os.path.dirname(HERE), "work", "proposer"))
    ap.add_argument("--bundle", default=DEMO)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    ckpt = os.path.join(args.work, "ckpt.pt")
    say = training_log(args.work)

    torch.manual_seed(args.seed)
    model = model_from_bundle(args.bundle)
    seg = model.segmenter()
    audio_dim = model.cfg.audio_dim
    opt = torch.optim.AdamW(seg.parameters(), lr=args.lr, weight_decay=0.05)
    checkpoint = Checkpoint(ckpt, seg, opt, key="seg", every=120)
    step, elapsed = checkpoint.resume()
    if step:
        say(f"resumed at step {step}, {elapsed / 60:.1f} min done")
    else:
        say(f"before: val recall@0.5 {recall(seg, audio_dim, 20):.3f}")
    budget = args.minutes * 60
    rng = random.Random(args.seed * 7919 + step)
    seg.train()
    t0 = time.time() - elapsed
    run = 0.0
    while time.time() - t0 < budget:
        f = lr_factor((time.time() - t0) / budget)
        for g in opt.param_groups:
            g["lr"] = args.lr * f
        wins = [object_window("train", 50_000 + step * args.batch + b, rng.choice([0, 5])) for b in range(args.batch)]
        x = torch.cat([normalise_and_pad(w["frames"]) for w in wins])
        silence = torch.zeros(x.shape[0], audio_dim)
        tg = [target_tensor(w["targets"]) for w in wins]
        cls_l, mask_l, aux_c, aux_m = seg(x, silence)
        loss, _, _ = seg_losses(cls_l, mask_l, tg, model.criterion.empty_weight)
        for ac, am in zip(aux_c, aux_m):
            loss = loss + seg_losses(ac, am, tg, model.criterion.empty_weight)[0]
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(seg.parameters(), 1.0)
        opt.step()
        run += loss.item()
        step += 1
        if step % 50 == 0:
            say(f"step {step} t={(time.time() - t0) / 60:.1f}min lr={f:.3f} loss={run / 50:.3f}")
            run = 0.0
        checkpoint.maybe_save(step, time.time() - t0)
    minutes = (time.time() - t0) / 60
    seg.eval()
    r = recall(seg, audio_dim, 40)
    record = {"steps": step, "minutes": round(minutes, 1), "batch_windows": args.batch, "cpu_threads": args.threads,
              "from_bundle": os.path.basename(os.path.normpath(args.bundle)), "val_recall_iou50": round(r, 3),
              "targets": "every visible object (instance masks), class-agnostic; audio held at zero"}
    torch.save({"seg": seg.state_dict(), "config": model.cfg.to_dict(), "training": record},
               os.path.join(args.work, "proposer_final.pt"))
    say("done: " + json.dumps(record))


if __name__ == "__main__":
    main()
