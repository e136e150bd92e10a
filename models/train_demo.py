#!/usr/bin/env python3
"""Trains the AV-Shapes demo model (segmenter + audio encoder + CLIP-like dual encoder) on BASE
categories only, resumably, within a wall-clock budget.

    nice -n 10 /usr/bin/python3 models/train_demo.py --minutes 50 --clip-minutes 25 [--work models/work] [--batch 2]

Two stages. (1) Joint: segmenter + audio encoder + CLIP towers, ``--minutes`` of wall clock.
(2) CLIP refinement (``clip_refine.py``): the CLIP towers alone on a cache of crops cut by the
trained segmenter, ``--clip-minutes``. ``--from-bundle DIR`` skips stage 1 and starts stage 2 from
the weights of an existing bundle (e.g. to redo only stage 2).

Checkpoints go to <work>/ckpt.pt (resumed automatically), the final weights to <work>/final.pt;
``models/export_bundle.py`` turns them into ``models/demo-avshapes/``.

Segmenter losses follow Mask2Former/OV-AVSS (class-agnostic "sounding object" head, Hungarian matching
with BCE + dice mask costs, deep supervision, no-object weight 0.1). One deliberate addition: unmatched
queries are also pushed toward empty masks, because the official host post-processing classifies every
query whose mask exceeds 0.5 anywhere and ignores the sound head (OVAVSS.md §0.1).
The CLIP-like encoder learns from crops cut exactly as the host cuts them (§3), from ground-truth masks
(softened) and, once the segmenter is useful, from its own matched predicted masks.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from avshapes.world import BASE, CATEGORIES, NOVEL, make_clip  # noqa: E402
import clip_refine  # noqa: E402
from clip_refine import COLOURS, SHAPES, T, soften  # noqa: E402
from ovavss import tokenizer  # noqa: E402
from ovavss.audio import log_mel_examples  # noqa: E402
from ovavss.config import OVAVSSConfig  # noqa: E402
from ovavss.host import VILD_TEMPLATES, make_crops, normalise_and_pad, text_classifier  # noqa: E402
from ovavss.files import training_log  # noqa: E402
from ovavss.model import OVAVSS  # noqa: E402

LOSS_RES = 64  # masks are supervised after bilinear upsampling to this size (targets area-averaged)


def load_window(split: str, index: int, start: int, with_objects: bool = True) -> dict:
    c = make_clip(split, index, 10)
    mel = log_mel_examples(c["audio"], 10)[start:start + T]
    frames = c["frames"][start:start + T]
    targets, objs = [], []
    for o in c["objects"]:
        m = o["masks"][start:start + T]
        s = o["sounding"][start:start + T]
        tm = m & s[:, None, None]
        if tm.any():
            targets.append((o["category"], tm))
        if with_objects:
            for t in range(T):
                if m[t].sum() >= 6:
                    objs.append((t, m[t], o["category"]))
    return {"frames": frames, "mel": mel, "targets": targets, "objs": objs, "semantic": c["semantic"][start:start + T]}


def dice_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    p = logits.sigmoid().flatten(1)
    t = targets.flatten(1)
    num = 2 * (p * t).sum(1)
    den = p.sum(1) + t.sum(1)
    return 1 - (num + 1) / (den + 1)


def match(cls_logits, mask_logits, tgt_masks):
    """Hungarian matching of Q predictions to G targets; returns (pred_idx, tgt_idx)."""
    with torch.no_grad():
        q = mask_logits.shape[0]
        g = tgt_masks.shape[0]
        p = mask_logits.flatten(1)
        t = tgt_masks.flatten(1)
        n = p.shape[1]
        pos = F.binary_cross_entropy_with_logits(p, torch.ones_like(p), reduction="none")
        neg = F.binary_cross_entropy_with_logits(p, torch.zeros_like(p), reduction="none")
        c_bce = (pos @ t.t() + neg @ (1 - t).t()) / n
        s = p.sigmoid()
        c_dice = 1 - (2 * s @ t.t() + 1) / (s.sum(1)[:, None] + t.sum(1)[None, :] + 1)
        c_cls = -cls_logits.softmax(-1)[:, 0:1].expand(q, g)
        cost = 2 * c_cls + 5 * c_bce + 5 * c_dice
        r, c = linear_sum_assignment(cost.numpy())
    return torch.as_tensor(r, dtype=torch.long), torch.as_tensor(c, dtype=torch.long)


def seg_losses(cls_logits, masks, targets_list, empty_weight):
    """cls_logits [B,Q,2], masks [B,Q,T,h,w] logits; targets_list per clip: float [G,T,R,R]."""
    b, q = cls_logits.shape[:2]
    up = F.interpolate(masks.flatten(1, 2), size=(LOSS_RES, LOSS_RES), mode="bilinear",
                       align_corners=False).view(b, q, T, LOSS_RES, LOSS_RES)
    l_cls, l_bce, l_dice, l_empty = 0.0, 0.0, 0.0, 0.0
    matches = []
    for i in range(b):
        tg = targets_list[i]
        labels = torch.ones(q, dtype=torch.long)
        unmatched = torch.ones(q, dtype=torch.bool)
        if tg.shape[0] > 0:
            pi, ti = match(cls_logits[i].detach(), up[i].detach(), tg)
            labels[pi] = 0
            unmatched[pi] = False
            pm = up[i][pi]
            tm = tg[ti]
            l_bce = l_bce + F.binary_cross_entropy_with_logits(pm, tm, reduction="none").flatten(1).mean(1).sum() / max(tg.shape[0], 1)
            l_dice = l_dice + dice_loss(pm.flatten(1), tm.flatten(1)).sum() / max(tg.shape[0], 1)
            matches.append((pi, ti))
        else:
            matches.append((torch.zeros(0, dtype=torch.long), torch.zeros(0, dtype=torch.long)))
        l_cls = l_cls + F.cross_entropy(cls_logits[i], labels, weight=empty_weight)
        if unmatched.any():
            um = up[i][unmatched]
            l_empty = l_empty + F.binary_cross_entropy_with_logits(um, torch.zeros_like(um))
    return (2 * l_cls + 5 * l_bce + 5 * l_dice + 2 * l_empty) / b, matches, up


def build_text_ids(names, templates):
    return tokenizer.encode_batch([t.format(n) for n in names for t in templates])


def lr_factor(frac: float, warm: float = 0.03) -> float:
    if frac < warm:
        return frac / warm
    return 0.5 * (1 + math.cos(math.pi * min(1.0, (frac - warm) / (1 - warm)))) * 0.95 + 0.05


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=45.0, help="wall-clock training budget (total, across resumes)")
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="1 is fastest on a shared, busy CPU")
    ap.add_argument("--lr", type=float, default=4e-4)
    ap.add_argument("--clip-lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fresh", action="store_true", help="ignore an existing checkpoint")
    ap.add_argument("--clip-minutes", type=float, default=25.0, help="stage 2 budget (0 = skip stage 2)")
    ap.add_argument("--clip-windows", type=int, default=3000, help="training windows cut into stage 2's crop cache")
    ap.add_argument("--clip-batch", type=int, default=128, help="stage 2 crops per step")
    ap.add_argument("--clip-attr-weight", type=float, default=1.0, help="stage 2 weight of the colour/shape losses")
    ap.add_argument("--clip-isolate", type=float, default=0.25,
                    help="stage 2 share of grey (shape-only) crops, and again of patch-shuffled (colour-only) crops")
    ap.add_argument("--clip-reinit", action="store_true", help="stage 2 trains the CLIP towers from random weights")
    ap.add_argument("--from-bundle", help="skip stage 1: start stage 2 from this bundle's weights")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    ckpt_path = os.path.join(args.work, "ckpt.pt")
    say = training_log(args.work)

    torch.manual_seed(args.seed)
    if args.from_bundle:
        from ovavss.model import model_from_bundle
        model = model_from_bundle(args.from_bundle)
        with open(os.path.join(args.from_bundle, "bundle.json")) as f:
            earlier = json.load(f).get("training", {})
        joint = earlier.get("stage1_joint", {k: earlier.get(k) for k in ("steps", "minutes", "batch_windows", "cpu_threads")})
        joint["from_bundle"] = os.path.basename(os.path.normpath(args.from_bundle))
        say(f"stage 1 taken from {args.from_bundle}: {json.dumps(joint)}")
        finish(model, model.cfg, args, joint, say)
        return
    cfg = OVAVSSConfig.demo()
    model = OVAVSS(cfg)
    seg = model.segmenter()
    clip = model.clip_adapter.clip_model
    seg_params = list(seg.parameters()) + list(model.audio_encoder.parameters())
    opt = torch.optim.AdamW([
        {"params": seg_params, "lr": args.lr, "base_lr": args.lr, "weight_decay": 0.05},
        {"params": list(clip.parameters()), "lr": args.clip_lr, "base_lr": args.clip_lr, "weight_decay": 0.02},
    ])
    step, elapsed = 0, 0.0
    if os.path.exists(ckpt_path) and not args.fresh:
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, elapsed = ck["step"], ck["elapsed"]
        say(f"resumed at step {step}, {elapsed / 60:.1f} min done")
    budget = args.minutes * 60.0
    base_names = [CATEGORIES[c - 1] for c in BASE]
    base_pos = {c: i for i, c in enumerate(BASE)}
    colour_ids = build_text_ids(COLOURS, VILD_TEMPLATES)  # [6*14, L]
    shape_ids = build_text_ids(SHAPES, VILD_TEMPLATES)
    name_ids = build_text_ids(base_names, VILD_TEMPLATES)  # [24*14, L]
    nt = len(VILD_TEMPLATES)

    # a fixed validation set of crops (val split, GT masks) to watch base/novel CLIP accuracy
    val_crops, val_labels = [], []
    for vi in range(20):
        w = load_window("val", vi, 0)
        rgb = torch.from_numpy(w["frames"]).permute(0, 3, 1, 2).float()
        sel = w["objs"][::2]
        if sel:
            ms = soften(np.stack([m for _, m, _ in sel]), 3)
            val_crops.append(make_crops(rgb, ms, [t for t, _, _ in sel], cfg.clip_image_resolution))
            val_labels += [c for _, _, c in sel]
    val_crops = torch.cat(val_crops)
    val_labels = torch.tensor(val_labels)

    def clip_eval():
        clip.eval()
        with torch.no_grad():
            txt = text_classifier(clip.encode_text, CATEGORIES)
            img = F.normalize(clip.encode_image(val_crops), dim=-1)
            pred = (img @ txt.t()).argmax(1) + 1
        clip.train()
        nov = torch.tensor([int(c) in NOVEL for c in val_labels])
        acc_b = (pred[~nov] == val_labels[~nov]).float().mean().item()
        acc_n = (pred[nov] == val_labels[nov]).float().mean().item()
        return acc_b, acc_n

    rng = random.Random(args.seed * 1000003 + step)
    model.train()
    t_start = time.time() - elapsed
    stats = {}
    last_save = time.time()
    while True:
        elapsed = time.time() - t_start
        if elapsed >= budget:
            break
        f = lr_factor(elapsed / budget)
        for g in opt.param_groups:
            g["lr"] = g["base_lr"] * f
        # ---- data
        wins = []
        for b in range(args.batch):
            idx = step * args.batch + b
            wins.append(load_window("train", idx, rng.choice([0, 5])))
        x = torch.cat([normalise_and_pad(w["frames"]) for w in wins])
        mel = torch.from_numpy(np.concatenate([w["mel"] for w in wins]))
        tgts = []
        for w in wins:
            if w["targets"]:
                tm = torch.from_numpy(np.stack([m for _, m in w["targets"]])).float()
                tm = F.adaptive_avg_pool2d(tm, LOSS_RES)
            else:
                tm = torch.zeros(0, T, LOSS_RES, LOSS_RES)
            tgts.append(tm)
        # ---- segmenter + audio encoder
        audio = model.audio_encoder(mel)
        cls_l, mask_l, aux_c, aux_m = seg(x, audio)
        loss, matches, up = seg_losses(cls_l, mask_l, tgts, model.criterion.empty_weight)
        for ac, am in zip(aux_c, aux_m):
            l_aux, _, _ = seg_losses(ac, am, tgts, model.criterion.empty_weight)
            loss = loss + l_aux
        # ---- CLIP crops: GT masks (softened) + matched predicted masks
        crops, labels, cols, shps = [], [], [], []
        for bi, w in enumerate(wins):
            rgb = torch.from_numpy(w["frames"]).permute(0, 3, 1, 2).float()
            objs = w["objs"]
            if len(objs) > 12:
                objs = rng.sample(objs, 12)
            if objs:
                ms = soften(np.stack([m for _, m, _ in objs]), rng.choice([1, 3, 5]))
                crops.append(make_crops(rgb, ms, [t for t, _, _ in objs], cfg.clip_image_resolution))
                labels += [c for _, _, c in objs]
            if step > 800:
                pi, ti = matches[bi]
                with torch.no_grad():
                    pm = F.interpolate(mask_l[bi].detach(), size=(128, 128), mode="bilinear", align_corners=False).sigmoid()
                sel_m, sel_t, sel_c = [], [], []
                for p, tt in zip(pi.tolist(), ti.tolist()):
                    cat = w["targets"][tt][0]
                    for t in range(T):
                        if bool((pm[p, t] > 0.5).any()) and w["targets"][tt][1][t].any():
                            sel_m.append(pm[p, t]); sel_t.append(t); sel_c.append(cat)
                if sel_m:
                    crops.append(make_crops(rgb, torch.stack(sel_m), sel_t, cfg.clip_image_resolution))
                    labels += sel_c
        if crops:
            crops = torch.cat(crops)
            tpl = rng.randrange(nt)
            txt = F.normalize(clip.encode_text(name_ids[tpl::nt]), dim=-1)
            ctx = F.normalize(clip.encode_text(colour_ids[tpl::nt]), dim=-1)
            stx = F.normalize(clip.encode_text(shape_ids[tpl::nt]), dim=-1)
            img = F.normalize(clip.encode_image(crops), dim=-1)
            scale = clip.logit_scale.exp().clamp(max=100.0)
            lab = torch.tensor([base_pos[c] for c in labels])
            lab_c = torch.tensor([COLOURS.index(CATEGORIES[c - 1].split("-")[0]) for c in labels])
            lab_s = torch.tensor([SHAPES.index(CATEGORIES[c - 1].split("-")[1]) for c in labels])
            l_clip = F.cross_entropy(scale * img @ txt.t(), lab)
            l_attr = F.cross_entropy(scale * img @ ctx.t(), lab_c) + F.cross_entropy(scale * img @ stx.t(), lab_s)
            loss = loss + l_clip + 0.5 * l_attr
            stats["clip"] = stats.get("clip", 0.0) + l_clip.item()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(seg_params, 1.0)
        torch.nn.utils.clip_grad_norm_(clip.parameters(), 1.0)
        opt.step()
        stats["loss"] = stats.get("loss", 0.0) + loss.item()
        stats["n"] = stats.get("n", 0) + 1
        step += 1
        if step % 50 == 0:
            n = stats.pop("n")
            msg = " ".join(f"{k}={v / n:.3f}" for k, v in stats.items())
            say(f"step {step} t={elapsed / 60:.1f}min lr={f:.3f} {msg}")
            stats = {}
        if step % 250 == 0:
            ab, an = clip_eval()
            say(f"step {step} clip val acc base={ab:.3f} novel={an:.3f} scale={clip.logit_scale.exp().item():.1f}")
        if time.time() - last_save > 120:
            save(ckpt_path, model, opt, step, time.time() - t_start)
            last_save = time.time()
    save(ckpt_path, model, opt, step, time.time() - t_start)
    ab, an = clip_eval()
    say(f"stage 1 done: step {step}, {(time.time() - t_start) / 60:.1f} min; clip val acc base={ab:.3f} novel={an:.3f}")
    joint = {"steps": step, "minutes": round((time.time() - t_start) / 60, 1), "batch_windows": args.batch,
             "cpu_threads": args.threads}
    finish(model, cfg, args, joint, say)


def finish(model, cfg, args, joint: dict, say):
    """Stage 2 (CLIP refinement on cached crops), then <work>/final.pt with both stages' records."""
    training = {"trained": True, "stage1_joint": joint}
    if args.clip_minutes > 0:
        model.eval()
        clip = model.clip_adapter.clip_model

        def cached(name, split, windows, seed):
            # the crop caches depend only on the stage-1 weights: kept in <work> so a rerun of stage 2 skips them
            path = os.path.join(args.work, f"crops_{name}.pt")
            if os.path.exists(path) and not args.fresh:
                say(f"stage 2: crops from {path}")
                return torch.load(path)
            c = clip_refine.build_cache(model, split, windows, cfg.clip_image_resolution, seed, say)
            torch.save(c, path + ".tmp")
            os.replace(path + ".tmp", path)
            return c

        cache = cached("train", "train", args.clip_windows, args.seed)
        val = cached("val", "val", 120, args.seed + 1)
        if args.clip_reinit:
            torch.manual_seed(args.seed)
            clip.load_state_dict(type(model)(cfg).clip_adapter.clip_model.state_dict())
        say(f"stage 2: {cache['crops'].shape[0]} training crops; before: " + " ".join(
            f"{k}={v:.3f}" for k, v in clip_refine.accuracy(clip, val).items()))
        stage2 = clip_refine.train(clip, cache, args.clip_minutes, say, val=val, batch=args.clip_batch,
                                   attr_weight=args.clip_attr_weight, isolate=args.clip_isolate, seed=args.seed)
        stage2.update({"windows": args.clip_windows, "cpu_threads": args.threads, "batch": args.clip_batch,
                       "attr_weight": args.clip_attr_weight, "isolate": args.clip_isolate,
                       "reinitialised": bool(args.clip_reinit)})
        training["stage2_clip"] = stage2
        say("stage 2 done: " + json.dumps(stage2))
    torch.save({"config": cfg.to_dict(), "model": model.state_dict(), "training": training,
                "step": joint.get("steps"), "elapsed": 60.0 * float(joint.get("minutes") or 0)},
               os.path.join(args.work, "final.pt"))
    say(f"wrote {os.path.join(args.work, 'final.pt')}")


def save(path, model, opt, step, elapsed):
    tmp = path + ".tmp"
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "elapsed": elapsed}, tmp)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
