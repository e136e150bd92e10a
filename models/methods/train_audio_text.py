#!/usr/bin/env python3
"""Trains OpenAVS's audio–text tower on AV-Shapes base categories only, resumably:

    /usr/bin/python3 models/methods/train_audio_text.py --minutes 8 [--clips 3000]

Data: the soundtracks (as VGGish log-mel examples, one per second) of training scenes (no pictures needed), each second labelled with the
categories heard in it — sounding objects, on screen or hidden, and off-screen category sounds —
as an audio tagging set labels its clips. Novel categories never occur in a training soundtrack
(the train split holds base categories only). Loss: per-second sigmoid BCE against the prompt-
ensembled CLIP text embeddings of the base names, plus the same against colour words and shape
words (what makes novel pairs heard by composition). The val split picks the prompt threshold
(best F1 over all 36 names). Writes <work>/audio_text_final.pt.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from avshapes.world import BASE, CATEGORIES, NOVEL, make_scene, synthesize_audio  # noqa: E402
from clip_refine import COLOURS, SHAPES  # noqa: E402
from methods import openavs  # noqa: E402
from methods.checkpoint import Checkpoint  # noqa: E402
from methods.pipeline import DEMO, load_graphs  # noqa: E402
from ovavss.audio import log_mel_examples  # noqa: E402
from ovavss.host import text_classifier  # noqa: E402

WORK = os.path.join(os.path.dirname(HERE), "work", "audio_text")
FIRST_CLIP = 300_000


def heard(scene) -> np.ndarray:
    """bool [T,36]: the categories audible at each second."""
    y = np.zeros((scene.num_frames, len(CATEGORIES)), dtype=bool)
    for o in scene.objects:
        y[o.sounding, o.category - 1] = True
    for item in scene.offscreen:
        if item["kind"] == "category":
            y[item["on"].astype(bool), item["category"] - 1] = True
    return y


def cache(split: str, count: int, work: str) -> dict:
    path = os.path.join(work, f"logmel_{split}_{count}.pt")
    if os.path.exists(path):
        return torch.load(path)
    first = FIRST_CLIP if split == "train" else 0
    emb, lab = [], []
    t0 = time.time()
    for i in range(count):
        s = make_scene(split, first + i, 10)
        emb.append(torch.from_numpy(log_mel_examples(synthesize_audio(s), 10)[:10]).half())
        lab.append(torch.from_numpy(heard(s)))
        if (i + 1) % 500 == 0:
            print(f"cache {split} {i + 1}/{count} ({time.time() - t0:.0f} s)", flush=True)
    c = {"audio": torch.cat(emb), "labels": torch.cat(lab)}
    os.makedirs(work, exist_ok=True)
    torch.save(c, path + ".tmp")
    os.replace(path + ".tmp", path)
    return c


def attributes(labels: torch.Tensor):
    """Multi-hot colours [N,6] and shapes [N,6] heard, from name labels [N,36]."""
    col = torch.zeros(labels.shape[0], len(COLOURS), dtype=torch.bool)
    shp = torch.zeros(labels.shape[0], len(SHAPES), dtype=torch.bool)
    for c, name in enumerate(CATEGORIES):
        colour, shape = name.split("-")
        col[:, COLOURS.index(colour)] |= labels[:, c]
        shp[:, SHAPES.index(shape)] |= labels[:, c]
    return col.float(), shp.float()


def f1_at(scores: torch.Tensor, labels: torch.Tensor, threshold: float, cols) -> float:
    p = scores[:, cols] > threshold
    t = labels[:, cols]
    tp = float((p & t).sum())
    return 2 * tp / max(float(p.sum()) + float(t.sum()), 1.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=8.0)
    ap.add_argument("--clips", type=int, default=3000)
    ap.add_argument("--val-clips", type=int, default=300)
    ap.add_argument("--work", default=WORK)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3, help="the head's; the audio CNN's is a fifth of it")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    graphs = load_graphs()
    train = cache("train", args.clips, args.work)
    val = cache("val", args.val_clips, args.work)
    val["audio"] = val["audio"].float()
    base_cols = [c - 1 for c in BASE]
    novel_cols = [c - 1 for c in NOVEL]
    assert not bool(train["labels"][:, novel_cols].any()), "a novel category in a training soundtrack"
    names = text_classifier(graphs["clip_text.pt"], CATEGORIES)
    colours = text_classifier(graphs["clip_text.pt"], COLOURS)
    shapes = text_classifier(graphs["clip_text.pt"], SHAPES)
    y_names = train["labels"][:, base_cols].float()
    y_col, y_shp = attributes(train["labels"])
    torch.manual_seed(args.seed)
    from ovavss.model import model_from_bundle
    tower = openavs.AudioText(model_from_bundle(DEMO).audio_encoder)
    head = [p for n, p in tower.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW([{"params": tower.encoder.parameters(), "lr": args.lr * 0.2},
                             {"params": head, "lr": args.lr}], weight_decay=0.01)
    ckpt = Checkpoint(os.path.join(args.work, "ckpt.pt"), tower, opt)
    step, elapsed = ckpt.resume()
    g = torch.Generator().manual_seed(args.seed + step)
    n = train["audio"].shape[0]
    budget = args.minutes * 60
    t0 = time.time() - elapsed
    run = 0.0
    while time.time() - t0 < budget:
        idx = torch.randint(0, n, (args.batch,), generator=g)
        a = tower(train["audio"][idx].float())

        def bce(text, y):
            return F.binary_cross_entropy_with_logits(tower.scale * (a @ text.t()) + tower.bias, y)

        loss = bce(names[base_cols], y_names[idx]) + 0.5 * (bce(colours, y_col[idx]) + bce(shapes, y_shp[idx]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        run += loss.item()
        step += 1
        if step % 100 == 0:
            with torch.no_grad():
                s = openavs.name_scores(tower, val["audio"], names)
            print(f"step {step} t={(time.time() - t0) / 60:.1f}min loss={run / 100:.4f} val F1@0.5 base="
                  f"{f1_at(s, val['labels'], 0.5, base_cols):.3f} novel={f1_at(s, val['labels'], 0.5, novel_cols):.3f}",
                  flush=True)
            run = 0.0
        ckpt.maybe_save(step, time.time() - t0)
    with torch.no_grad():
        s = openavs.name_scores(tower, val["audio"], names)
    all_cols = list(range(len(CATEGORIES)))
    best = max((f1_at(s, val["labels"], th, all_cols), th) for th in np.arange(0.05, 0.96, 0.05))
    th = round(float(best[1]), 2)
    record = {"steps": step, "minutes": round((time.time() - t0) / 60, 1), "clips": args.clips,
              "seconds": n, "cpu_threads": args.threads, "prompt_threshold": th,
              "supervision": "per-second base category tags of the soundtrack (no pictures, no masks)",
              "val_f1_base": round(f1_at(s, val["labels"], th, base_cols), 3),
              "val_f1_novel": round(f1_at(s, val["labels"], th, novel_cols), 3)}
    torch.save({"model": tower.state_dict(), "training": record}, os.path.join(args.work, "audio_text_final.pt"))
    print("done: " + json.dumps(record))


if __name__ == "__main__":
    main()
