#!/usr/bin/env python3
"""Trains SeAC's association module on AV-Shapes with MSA-MICL — clip-level audio/video pairing
only, no mask labels, no names — resumably, within a wall-clock budget:

    /usr/bin/python3 models/methods/train_seac.py cache --first 0 --count 800     # one part of the cache
    /usr/bin/python3 models/methods/train_seac.py train --minutes 10

``cache`` runs the frozen parts once per training clip (proposer masks per frame, their local-global
CLIP features, the clip's per-second audio embeddings and its waveform, for mixing) into
<work>/cache_<first>.pt; parts can be built by several processes. ``train`` fits the association
module (attention pooling + both projections + temperature) on (frame, its second of audio) pairs of
different clips: with the curriculum's probability a batch is mixed, clips in pairs sharing a
second, their waveforms summed and embedded again. Writes <work>/seac_final.pt.
"""
import argparse
import glob
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
from methods import seac  # noqa: E402
from methods.checkpoint import Checkpoint  # noqa: E402
from methods.pipeline import WINDOW, audio_embeddings, host_config, load_graphs, propose_window  # noqa: E402
from methods.proposer import ProposerExport  # noqa: E402

WORK = os.path.join(os.path.dirname(HERE), "work", "seac")
PROPOSER = os.path.join(os.path.dirname(HERE), "work", "proposer", "proposer_final.pt")
AUDIO_TEXT = os.path.join(os.path.dirname(HERE), "work", "audio_text", "audio_text_final.pt")
#: training clips come from this index on in the train split (the demo's joint stage used 0…7,900)
FIRST_CLIP = 200_000


def load_proposer(path: str = PROPOSER):
    """The proposer from its training checkpoint (an eager ProposerExport) or, when ``path`` is a
    TorchScript graph such as a bundle's proposer.pt, that graph as it ships (refinement included)."""
    try:
        return torch.jit.load(path, map_location="cpu").eval()
    except RuntimeError:
        pass  # not a TorchScript archive: a training checkpoint
    from ovavss.config import OVAVSSConfig
    from ovavss.model import OVAVSS
    ck = torch.load(path)
    cfg = OVAVSSConfig.from_dict(ck["config"])
    seg = OVAVSS(cfg).segmenter()
    seg.load_state_dict(ck["seg"])
    return ProposerExport(seg, cfg.audio_dim).eval()


def frame_features(proposer, clip_image, frames: np.ndarray, hc) -> list:
    """Per frame of a clip, the SeAC mask features f [N,64] of the proposer's valid masks there."""
    out = []
    for start in range(0, frames.shape[0], WINDOW):
        p = propose_window(proposer, clip_image, frames[start:start + WINDOW], hc)
        with torch.no_grad():
            glob = F.normalize(clip_image(seac.global_views(p["rgb"], p["soft"], p["t"].tolist(), hc.clip_size)).float(),
                               dim=-1) if p["t"].numel() else torch.zeros(0, 0)
        f = seac.mix_views(p["local"], glob) if p["t"].numel() else torch.zeros(0, 64)
        for t in range(min(WINDOW, frames.shape[0] - start)):
            out.append(f[p["t"] == t])
    return out


def build_cache(args):
    torch.set_num_threads(1)
    graphs = load_graphs()
    prop = load_proposer(args.proposer)
    hc = host_config()
    feats, waves, audio, keys = [], [], [], []
    t0 = time.time()
    for i in range(args.first, args.first + args.count):
        c = make_clip(args.split, FIRST_CLIP + i if args.split == "train" else i, 10)
        feats.append([f.half() for f in frame_features(prop, graphs["clip_image.pt"], c["frames"], hc)])
        waves.append(torch.from_numpy(np.round(np.clip(c["audio"], -1, 1) * 32767).astype(np.int16)))
        audio.append(audio_embeddings(graphs["audio_encoder.pt"], c["audio"]))
        keys.append(c["uid"])
        if (i - args.first + 1) % 50 == 0:
            print(f"cache {args.split} {i - args.first + 1}/{args.count} ({time.time() - t0:.0f} s)", flush=True)
    os.makedirs(args.work, exist_ok=True)
    path = os.path.join(args.work, f"cache_{args.split}_{args.first}.pt")
    torch.save({"features": feats, "waves": torch.stack(waves), "audio": torch.stack(audio), "uids": keys},
               path + ".tmp")
    os.replace(path + ".tmp", path)
    print(f"wrote {path}: {len(keys)} clips in {time.time() - t0:.0f} s")


def load_caches(work: str, split: str):
    parts = sorted(glob.glob(os.path.join(work, f"cache_{split}_*.pt")))
    if not parts:
        raise SystemExit(f"no cache_{split}_*.pt under {work}: run `train_seac.py cache` first")
    feats, waves, audio = [], [], []
    for p in parts:
        c = torch.load(p)
        feats += c["features"]
        waves.append(c["waves"])
        audio.append(c["audio"])
    return feats, torch.cat(waves), torch.cat(audio)


def second_audio(model, emb: torch.Tensor, k: int) -> torch.Tensor:
    """The association audio vector of second k, attention kept inside k's five-second window (as
    the app analyses clips window by window)."""
    w = (k // WINDOW) * WINDOW
    return model.audio(emb[w:w + WINDOW])[k - w]


def pick_sound_mask_rate(model, feats, audio) -> float:
    """Validation proxy without labels: how often a frame's best mask for its own second beats the
    best mask for a random other clip's same second (higher = audio and masks agree)."""
    rng = random.Random(5)
    wins = total = 0
    with torch.no_grad():
        for i in range(len(feats)):
            for k in range(1, 9):
                f = feats[i][k]
                if f.shape[0] == 0:
                    continue
                m = model.mask(f.float())
                j = rng.randrange(len(feats) - 1)
                j = j if j < i else j + 1
                wins += int(float((m @ second_audio(model, audio[i], k)).max())
                            > float((m @ second_audio(model, audio[j], k)).max()))
                total += 1
    return wins / max(total, 1)


def audio_backbone(path: str = AUDIO_TEXT):
    """SeAC's frozen audio backbone: the audio CNN of the audio–text tower (pretrained on the base
    categories' per-second tags, as VGGish is pretrained on AudioSet tags; no masks, no pictures),
    from the tower's training checkpoint or, when ``path`` is a bundle's association_audio.pt
    graph, the backbone that graph carries (the same CNN)."""
    try:
        return torch.jit.load(path, map_location="cpu").backbone.eval()
    except RuntimeError:
        pass  # not a TorchScript archive: the tower's training checkpoint
    from methods import openavs
    from methods.pipeline import DEMO
    from ovavss.model import model_from_bundle
    tower = openavs.AudioText(model_from_bundle(DEMO).audio_encoder)
    tower.load_state_dict(torch.load(path)["model"])
    return tower.encoder.eval()


def embed(backbone, samples: np.ndarray) -> torch.Tensor:
    """Per-second embeddings [10,128] of a 10-s soundtrack through the frozen backbone."""
    from ovavss.audio import log_mel_examples
    with torch.no_grad():
        return backbone(torch.from_numpy(log_mel_examples(samples, 10)[:10]))


def train(args):
    torch.set_num_threads(args.threads)
    backbone = audio_backbone(args.audio_text)
    feats, waves, audio = load_caches(args.work, "train")
    val = load_caches(args.work, "val") if glob.glob(os.path.join(args.work, "cache_val_*.pt")) else None
    # the caches hold the demo encoder's embeddings: SeAC hears through the tagging backbone instead
    t0 = time.time()
    audio = torch.stack([embed(backbone, w.float().numpy() / 32768.0) for w in waves])
    if val:
        val = (val[0], val[1], torch.stack([embed(backbone, w.float().numpy() / 32768.0) for w in val[1]]))
    print(f"audio of {len(waves)} clips embedded in {time.time() - t0:.0f} s", flush=True)
    n = len(feats)
    torch.manual_seed(args.seed)
    model = seac.Association()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    ckpt = Checkpoint(os.path.join(args.work, "ckpt.pt"), model, opt)
    step, elapsed = ckpt.resume()
    if step:
        print(f"resumed at step {step}")
    rng = random.Random(args.seed * 31 + step)
    budget = args.minutes * 60
    t0 = time.time() - elapsed
    run, mixed_steps = 0.0, 0
    usable = [(i, k) for i in range(n) for k in range(1, 9) if feats[i][k].shape[0] > 0]
    while time.time() - t0 < budget:
        progress = (time.time() - t0) / budget
        mix = rng.random() < seac.mixing_probability(progress)
        # distinct clips; a mixed batch takes pairs that share a second
        chosen, seen = [], set()
        while len(chosen) < args.batch:
            i, k = usable[rng.randrange(len(usable))]
            if i in seen:
                continue
            if mix and len(chosen) % 2 == 1:
                k = chosen[-1][1]
                if feats[i][k].shape[0] == 0:
                    continue
            seen.add(i)
            chosen.append((i, k))
        sets = [model.mask(feats[i][k].float()) for i, k in chosen]
        if mix:
            groups = torch.arange(args.batch) // 2
            mixtures = []
            for g in range(args.batch // 2):
                (i, k), (j, _) = chosen[2 * g], chosen[2 * g + 1]
                wave = (waves[i].float() + waves[j].float()).numpy() / 32768.0
                mixtures.append(second_audio(model, embed(backbone, wave), k))
            mixtures = torch.stack(mixtures)
            mixed_steps += 1
        else:
            groups = torch.arange(args.batch)
            mixtures = torch.stack([second_audio(model, audio[i], k) for i, k in chosen])
        loss = seac.msa_micl_loss(sets, mixtures, groups, model.log_inv_tau.exp().clamp(max=100.0))
        opt.zero_grad()
        loss.backward()
        opt.step()
        run += loss.item()
        step += 1
        if step % 100 == 0:
            print(f"step {step} t={(time.time() - t0) / 60:.1f}min mix_p={seac.mixing_probability(progress):.2f} "
                  f"loss={run / 100:.3f} 1/tau={model.log_inv_tau.exp().item():.1f}", flush=True)
            run = 0.0
        if step % 1000 == 0 and val:
            print(f"step {step} val own-audio-wins {pick_sound_mask_rate(model, val[0], val[2]):.3f}", flush=True)
        ckpt.maybe_save(step, time.time() - t0)
    record = {"steps": step, "minutes": round((time.time() - t0) / 60, 1), "batch": args.batch,
              "mixed_steps": mixed_steps, "clips": n, "cpu_threads": args.threads,
              "supervision": "clip-level audio/frame pairing only (MSA-MICL), no masks, no names",
              "inv_tau": round(model.log_inv_tau.exp().item(), 2)}
    if val:
        record["val_own_audio_wins"] = round(pick_sound_mask_rate(model, val[0], val[2]), 3)
    torch.save({"model": model.state_dict(), "training": record}, os.path.join(args.work, "seac_final.pt"))
    print("done: " + json.dumps(record))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["cache", "train"])
    ap.add_argument("--work", default=WORK)
    ap.add_argument("--proposer", default=PROPOSER, help="the proposer's training checkpoint, or a bundle's "
                    "proposer.pt graph (e.g. models/demo-avshapes/proposer.pt)")
    ap.add_argument("--audio-text", default=AUDIO_TEXT, help="the tower whose audio CNN SeAC hears through: its "
                    "training checkpoint, or a bundle's association_audio.pt (whose backbone is that CNN)")
    ap.add_argument("--split", default="train")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    build_cache(args) if args.what == "cache" else train(args)


if __name__ == "__main__":
    main()
