"""Second training stage of the demo model: the CLIP-like dual encoder alone, on a cache of crops.

Why a separate stage: with the segmenter trained, masks of the sounding objects are good (on the
AV-Shapes test split, giving every predicted foreground pixel its true class scores ~80 base / ~90
novel mIoU), so what limits the demo is naming the crops, above all the novel colour-shape pairs.
The joint stage gives the CLIP towers only ~20 crops per step; here they see tens of thousands of
crops cut exactly as the host cuts them (predicted masks of the trained segmenter, matched to the
ground-truth object they cover, plus softened ground-truth masks of every visible object), for many
epochs, in a few minutes.

Only BASE categories are ever seen (training split clips hold no novel category in any role). The
losses favour a compositional embedding: besides the 24 base names, every crop is also classified
against the 6 colour words and the 6 shape words, so that "<colour>-<shape>" text embeddings (a mean
of word and trigram embeddings) meet image embeddings that carry colour and shape separately.
"""
import math
import random
import time
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from avshapes.world import BASE, CATEGORIES, NOVEL, make_clip
from ovavss import tokenizer
from ovavss.audio import log_mel_examples
from ovavss.host import CLIP_MEAN, CLIP_STD, VILD_TEMPLATES, make_crops, normalise_and_pad, text_classifier

T = 5
COLOURS = sorted({n.split("-")[0] for n in CATEGORIES})
SHAPES = sorted({n.split("-")[1] for n in CATEGORIES})


def soften(masks: np.ndarray, k: int) -> torch.Tensor:
    """bool [K,H,W] → float soft masks resembling upsampled sigmoids (box blur of size k)."""
    m = torch.from_numpy(np.ascontiguousarray(masks)).float()[:, None]
    if k > 1:
        m = F.avg_pool2d(F.pad(m, (k // 2,) * 4, mode="replicate"), k, stride=1)
    return m[:, 0]


def window_crops(model, split: str, index: int, start: int, rng: random.Random, res: int,
                 match_iou: float = 0.5) -> Tuple[List[torch.Tensor], List[int], List[int]]:
    """Crops of one 5-frame window: (crops, categories, kind) with kind 0 = ground truth, 1 = predicted."""
    c = make_clip(split, index, 10)
    frames = c["frames"][start:start + T]
    rgb = torch.from_numpy(frames).permute(0, 3, 1, 2).float()
    crops, cats, kinds = [], [], []
    visible = []  # (t, mask, category)
    for o in c["objects"]:
        for t in range(T):
            m = o["masks"][start + t]
            if m.sum() >= 6:
                visible.append((t, m, o["category"]))
    if visible:
        ms = soften(np.stack([m for _, m, _ in visible]), rng.choice([1, 3, 5]))
        crops.append(make_crops(rgb, ms, [t for t, _, _ in visible], res))
        cats += [cat for _, _, cat in visible]
        kinds += [0] * len(visible)
    if model is not None:
        mel = torch.from_numpy(log_mel_examples(c["audio"], 10)[start:start + T])
        x = normalise_and_pad(frames)
        with torch.no_grad():
            audio = model.audio_encoder(mel)
            _, mask_l, _, _ = model.segmenter()(x, audio)
            up = F.interpolate(mask_l[0], size=(x.shape[2], x.shape[3]), mode="bilinear", align_corners=False)
            probs = up.sigmoid()[:, :, :frames.shape[1], :frames.shape[2]]  # [Q,T,H,W]
        sel_m, sel_t, sel_c = [], [], []
        for q in range(probs.shape[0]):
            for t in range(T):
                pm = probs[q, t]
                b = pm > 0.5
                if not bool(b.any()):
                    continue
                best, best_cat = 0.0, -1
                for vt, vm, vc in visible:
                    if vt != t:
                        continue
                    g = torch.from_numpy(vm)
                    inter = float((b & g).sum())
                    iou = inter / float((b | g).sum())
                    if iou > best:
                        best, best_cat = iou, vc
                if best >= match_iou:
                    sel_m.append(pm); sel_t.append(t); sel_c.append(best_cat)
        if sel_m:
            crops.append(make_crops(rgb, torch.stack(sel_m), sel_t, res))
            cats += sel_c
            kinds += [1] * len(sel_c)
    return crops, cats, kinds


def build_cache(model, split: str, windows: int, res: int, seed: int, log: Callable[[str], None],
                first_index: int = 0) -> Dict[str, torch.Tensor]:
    rng = random.Random(seed)
    crops, cats, kinds = [], [], []
    t0 = time.time()
    for w in range(windows):
        cr, ca, ki = window_crops(model, split, first_index + w // 2, 5 * (w % 2), rng, res)
        crops += cr; cats += ca; kinds += ki
        if (w + 1) % 200 == 0:
            log(f"crop cache {split}: {w + 1}/{windows} windows, {len(cats)} crops ({time.time() - t0:.0f}s)")
    return {"crops": torch.cat(crops) if crops else torch.zeros(0, 3, res, res),
            "cats": torch.tensor(cats, dtype=torch.long), "kinds": torch.tensor(kinds, dtype=torch.long)}


_MEAN = torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)
_STD = torch.tensor(CLIP_STD).view(1, 3, 1, 1)


def to_grey(x: torch.Tensor) -> torch.Tensor:
    """CLIP-normalised crops → the same crops in grey (luma), still CLIP-normalised."""
    rgb = x * _STD + _MEAN
    y = (0.299 * rgb[:, 0:1] + 0.587 * rgb[:, 1:2] + 0.114 * rgb[:, 2:3]).expand_as(rgb)
    return (y - _MEAN) / _STD


def shuffle_patches(x: torch.Tensor, p: int) -> torch.Tensor:
    """Permutes the p×p patches of each crop (one random order per crop): colours stay, shape is gone."""
    k, c, h, w = x.shape
    g = x.view(k, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5).reshape(k, (h // p) * (w // p), c, p, p)
    order = torch.argsort(torch.rand(k, g.shape[1]), dim=1)
    g = g[torch.arange(k).unsqueeze(1), order]
    return g.view(k, h // p, w // p, c, p, p).permute(0, 3, 1, 4, 2, 5).reshape(k, c, h, w)


def _text_ids(names: Sequence[str]) -> torch.Tensor:
    return tokenizer.encode_batch([t.format(n) for n in names for t in VILD_TEMPLATES])


def accuracy(clip, cache: Dict[str, torch.Tensor]) -> Dict[str, float]:
    """Top-1 over all 36 names with the host's prompt ensemble, split base/novel × gt/predicted crops."""
    clip.eval()
    with torch.no_grad():
        txt = text_classifier(clip.encode_text, CATEGORIES)
        img = torch.cat([F.normalize(clip.encode_image(b), dim=-1) for b in cache["crops"].split(1024)])
        pred = (img @ txt.t()).argmax(1) + 1
    clip.train()
    ok = pred == cache["cats"]
    nov = torch.tensor([int(c) in NOVEL for c in cache["cats"]])
    out = {}
    for kname, k in (("gt", 0), ("pred", 1)):
        for sname, s in (("base", ~nov), ("novel", nov)):
            sel = s & (cache["kinds"] == k)
            out[f"{kname}_{sname}"] = float(ok[sel].float().mean()) if bool(sel.any()) else float("nan")
    return out


def train(clip, cache: Dict[str, torch.Tensor], minutes: float, log: Callable[[str], None],
          val: Dict[str, torch.Tensor] = None, lr: float = 1e-3, batch: int = 256, attr_weight: float = 1.0,
          name_weight: float = 1.0, isolate: float = 0.25, seed: int = 0, max_steps: int = 0) -> Dict[str, float]:
    """Contrastive-style classification of cached base crops against base names, colour words and shape
    words (one random template per step), cosine LR over the wall-clock budget (or over
    ``max_steps`` steps when given: a fixed amount of work, whatever the machine's speed)."""
    torch.manual_seed(seed)
    patch = clip.visual.conv1.kernel_size[0]
    base_names = [CATEGORIES[c - 1] for c in BASE]
    base_pos = torch.full((len(CATEGORIES) + 1,), -1, dtype=torch.long)
    for i, c in enumerate(BASE):
        base_pos[c] = i
    col_of = torch.tensor([0] + [COLOURS.index(n.split("-")[0]) for n in CATEGORIES])
    shp_of = torch.tensor([0] + [SHAPES.index(n.split("-")[1]) for n in CATEGORIES])
    keep = base_pos[cache["cats"]] >= 0
    crops, cats = cache["crops"][keep], cache["cats"][keep]
    name_ids, col_ids, shp_ids = _text_ids(base_names), _text_ids(COLOURS), _text_ids(SHAPES)
    nt = len(VILD_TEMPLATES)
    opt = torch.optim.AdamW(clip.parameters(), lr=lr, weight_decay=0.02)
    budget = minutes * 60.0
    t0 = time.time()
    step, stats = 0, {}
    n = crops.shape[0]
    clip.train()
    while True:
        frac = step / max_steps if max_steps > 0 else (time.time() - t0) / budget
        if frac >= 1.0:
            break
        f = frac / 0.05 if frac < 0.05 else 0.5 * (1 + math.cos(math.pi * (frac - 0.05) / 0.95)) * 0.97 + 0.03
        for g in opt.param_groups:
            g["lr"] = lr * f
        idx = torch.randint(0, n, (batch,))
        x = crops[idx]
        flip = torch.rand(batch) < 0.5  # every AV-Shapes shape is mirror-symmetric
        x = torch.where(flip.view(-1, 1, 1, 1), x.flip(3), x)
        y = cats[idx]
        # Attribute-isolating views of base crops: grey crops carry only shape, patch-shuffled crops
        # only colour; each is classified by the attribute it still shows. This teaches colour and
        # shape features that do not depend on each other, without ever forming a novel pair.
        ng = int(batch * isolate)
        x = torch.cat([x[:batch - 2 * ng], to_grey(x[batch - 2 * ng:batch - ng]), shuffle_patches(x[batch - ng:], patch)])
        full, grey, shuf = slice(0, batch - 2 * ng), slice(batch - 2 * ng, batch - ng), slice(batch - ng, batch)
        tpl = random.randrange(nt)
        img = F.normalize(clip.encode_image(x), dim=-1)
        scale = clip.logit_scale.exp().clamp(max=100.0)
        txt = F.normalize(clip.encode_text(name_ids[tpl::nt]), dim=-1)
        ctx = F.normalize(clip.encode_text(col_ids[tpl::nt]), dim=-1)
        stx = F.normalize(clip.encode_text(shp_ids[tpl::nt]), dim=-1)
        l_name = F.cross_entropy(scale * img[full] @ txt.t(), base_pos[y[full]])
        l_attr = (F.cross_entropy(scale * img[full] @ ctx.t(), col_of[y[full]])
                  + F.cross_entropy(scale * img[full] @ stx.t(), shp_of[y[full]]))
        if ng > 0:
            l_attr = l_attr + (F.cross_entropy(scale * img[grey] @ stx.t(), shp_of[y[grey]])
                               + F.cross_entropy(scale * img[shuf] @ ctx.t(), col_of[y[shuf]]))
        loss = name_weight * l_name + attr_weight * l_attr
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(clip.parameters(), 1.0)
        opt.step()
        step += 1
        stats["name"] = stats.get("name", 0.0) + l_name.item()
        stats["attr"] = stats.get("attr", 0.0) + l_attr.item()
        if step % 200 == 0:
            msg = " ".join(f"{k}={v / 200:.3f}" for k, v in stats.items())
            stats = {}
            extra = ""
            if val is not None and step % 1000 == 0:
                extra = " val " + " ".join(f"{k}={v:.3f}" for k, v in accuracy(clip, val).items())
            log(f"clip stage step {step} t={(time.time() - t0) / 60:.1f}min lr={f:.3f} {msg}{extra}")
    out = {"steps": step, "minutes": round((time.time() - t0) / 60, 1), "crops": int(n)}
    if val is not None:
        out.update({f"val_{k}": round(v, 3) for k, v in accuracy(clip, val).items()})
    return out
