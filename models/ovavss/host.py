"""The official host-side inference path (OVAVSS.md §1.2, §2, §3) in plain torch/numpy, used for
training crops, evaluation and golden vectors. Mirrors what the Java app does around the four graphs."""
import math
import re
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import tokenizer

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
PIXEL_MEAN = (123.675, 116.280, 103.530)
PIXEL_STD = (58.395, 57.120, 57.375)

VILD_TEMPLATES = [
    "a photo of a {}.",
    "This is a photo of a {}",
    "There is a {} in the scene",
    "There is the {} in the scene",
    "a photo of a {} in the scene",
    "a photo of a small {}.",
    "a photo of a medium {}.",
    "a photo of a large {}.",
    "This is a photo of a small {}.",
    "This is a photo of a medium {}.",
    "This is a photo of a large {}.",
    "There is a small {} in the scene.",
    "There is a medium {} in the scene.",
    "There is a large {} in the scene.",
]


# ----------------------------------------------------------------------------- geometry

def resized_size(h: int, w: int, min_size: int, max_size: int) -> Tuple[int, int]:
    """detectron2 ResizeShortestEdge output size (int(x + 0.5) rounding)."""
    scale = min_size / min(h, w)
    nh, nw = (min_size, scale * w) if h < w else (scale * h, min_size)
    if max(nh, nw) > max_size:
        s = max_size / max(nh, nw)
        nh, nw = nh * s, nw * s
    return int(nh + 0.5), int(nw + 0.5)


def resize_frames(frames: np.ndarray, min_size: int, max_size: int) -> np.ndarray:
    """uint8 [T,H,W,3] → uint8 [T,h,w,3], PIL bilinear like detectron2 (identity when sizes match)."""
    t, h, w, _ = frames.shape
    nh, nw = resized_size(h, w, min_size, max_size)
    if (nh, nw) == (h, w):
        return frames
    return np.stack([np.asarray(Image.fromarray(f).resize((nw, nh), Image.BILINEAR)) for f in frames])


def normalise_and_pad(frames: np.ndarray, divisibility: int = 32) -> torch.Tensor:
    """uint8 [T,h,w,3] → float32 [T,3,Hp,Wp], (x-mean)/std then zero pad bottom/right."""
    x = torch.from_numpy(np.ascontiguousarray(frames)).permute(0, 3, 1, 2).float()
    x = (x - torch.tensor(PIXEL_MEAN).view(1, 3, 1, 1)) / torch.tensor(PIXEL_STD).view(1, 3, 1, 1)
    h, w = x.shape[2], x.shape[3]
    hp = int(math.ceil(h / divisibility) * divisibility)
    wp = int(math.ceil(w / divisibility) * divisibility)
    return F.pad(x, (0, wp - w, 0, hp - h))


def _axis_matrix(start: float, length: float, out: int, limit: int, grid: int) -> torch.Tensor:
    """Interpolation matrix [out*grid, limit] of torchvision roi_align (aligned=False) along one axis:
    sample positions start + p*bin + (i+0.5)*bin/grid, zero outside [-1, limit], clamped bilinear taps."""
    bin_size = length / out
    idx = torch.arange(out * grid, dtype=torch.float64)
    p = torch.div(idx, grid, rounding_mode="floor")
    i = idx - p * grid
    c = start + p * bin_size + (i + 0.5) * bin_size / grid
    valid = ((c >= -1.0) & (c <= limit)).double()
    c = c.clamp(min=0.0)
    low = c.floor()
    at_edge = low >= limit - 1
    low = torch.where(at_edge, torch.full_like(low, limit - 1), low)
    c = torch.where(at_edge, low, c)
    high = torch.where(at_edge, low, low + 1)
    lw = (c - low) * valid
    hw = (1.0 - (c - low)) * valid
    return (F.one_hot(low.long(), limit).double() * hw[:, None]
            + F.one_hot(high.long(), limit).double() * lw[:, None])


def roi_align(images: torch.Tensor, boxes: torch.Tensor, batch_idx: Sequence[int], out: int) -> torch.Tensor:
    """torchvision.ops.roi_align(images, [idx, x1,y1,x2,y2], (out,out), spatial_scale=1, sampling_ratio=-1,
    aligned=False) in plain torch (float64 inside). images [N,C,H,W]; boxes [K,4] → [K,C,out,out] float32.
    Each ROI is separable: rows and columns are sampled with interpolation matrices, then each bin averages
    its ceil(L/out)² samples; ROIs with equal sample grids are computed together."""
    k = boxes.shape[0]
    c, h, w = images.shape[1], images.shape[2], images.shape[3]
    res = torch.zeros(k, c, out, out, dtype=torch.float32)
    groups: Dict[Tuple[int, int], List[int]] = {}
    geo = []
    for j in range(k):
        x1, y1, x2, y2 = [float(v) for v in boxes[j]]
        rw = max(x2 - x1, 1.0)
        rh = max(y2 - y1, 1.0)
        gh = int(math.ceil(rh / out))
        gw = int(math.ceil(rw / out))
        geo.append((x1, y1, rw, rh))
        groups.setdefault((gh, gw), []).append(j)
    for (gh, gw), js in groups.items():
        ay = torch.stack([_axis_matrix(geo[j][1], geo[j][3], out, h, gh) for j in js])  # [k,out*gh,H]
        ax = torch.stack([_axis_matrix(geo[j][0], geo[j][2], out, w, gw) for j in js])  # [k,out*gw,W]
        imgs = images[torch.tensor([int(batch_idx[j]) for j in js])].double()  # [k,C,H,W]
        v = torch.matmul(torch.matmul(ay.unsqueeze(1), imgs), ax.unsqueeze(1).transpose(2, 3))
        res[torch.tensor(js)] = v.view(len(js), c, out, gh, out, gw).mean(dim=(3, 5)).float()
    return res


def mask_boxes(binary: torch.Tensor) -> torch.Tensor:
    """bool [K,H,W] (each non-empty) → tight boxes [K,4] (x1,y1,x2+1,y2+1) made square, top-left anchored,
    on the masks' own device."""
    rows = binary.any(dim=2)
    cols = binary.any(dim=1)
    h, w = binary.shape[1], binary.shape[2]
    ar_h = torch.arange(h, device=binary.device)
    ar_w = torch.arange(w, device=binary.device)
    y1 = torch.where(rows, ar_h, torch.full_like(ar_h, h)).min(1).values
    y2 = torch.where(rows, ar_h, torch.full_like(ar_h, -1)).max(1).values + 1
    x1 = torch.where(cols, ar_w, torch.full_like(ar_w, w)).min(1).values
    x2 = torch.where(cols, ar_w, torch.full_like(ar_w, -1)).max(1).values + 1
    side = torch.maximum(x2 - x1, y2 - y1)
    return torch.stack([x1, y1, x1 + side, y1 + side], 1).float()


def make_crops(frames_rgb: torch.Tensor, soft_masks: torch.Tensor, frame_idx: Sequence[int], r: int) -> torch.Tensor:
    """frames_rgb [T,3,H,W] (0..255, unpadded); soft_masks [K,Hp,Wp] sigmoid probabilities (padded size),
    each with some pixel > 0.5; → CLIP-normalised crops [K,3,r,r] (soft-mask blend over black)."""
    k = soft_masks.shape[0]
    if k == 0:
        return torch.zeros(0, 3, r, r)
    boxes = mask_boxes(soft_masks > 0.5)
    region = roi_align(frames_rgb, boxes, frame_idx, r)
    mregion = roi_align(soft_masks.unsqueeze(1), boxes, list(range(k)), r)
    x = region * mregion / 255.0
    return (x - torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)) / torch.tensor(CLIP_STD).view(1, 3, 1, 1)


# ----------------------------------------------------------------------------- text

def text_classifier(encode_text, names: Sequence[str], templates: Sequence[str] = VILD_TEMPLATES,
                    context_length: int = tokenizer.CONTEXT_LENGTH) -> torch.Tensor:
    """Prompt ensemble: per template L2-normalise, mean, L2-normalise → [V,D]."""
    out = []
    for name in names:
        ids = tokenizer.encode_batch([t.format(name) for t in templates], context_length)
        with torch.no_grad():
            e = F.normalize(encode_text(ids).float(), dim=-1)
        out.append(F.normalize(e.mean(0), dim=-1))
    return torch.stack(out)


def name_key(name: str) -> str:
    """A vocabulary name as a base calibration compares it (Java ``NameCalibration.key``): lower
    case, runs of whitespace, '-' and '_' as one space, trimmed."""
    return re.sub(r"[ \t\n\x0b\f\r_-]+", " ", name.lower().strip()).strip()


def base_names(vocabulary, base_vocabulary) -> torch.Tensor:
    """bool [V]: which vocabulary names are among the names a bundle was trained on."""
    keys = {name_key(n) for n in base_vocabulary}
    return torch.tensor([name_key(n) in keys for n in vocabulary], dtype=torch.bool)


# ----------------------------------------------------------------------------- the pipeline

class HostConfig:
    def __init__(self, min_size=128, max_size=512, divisibility=32, clip_size=32, temperature=100.0,
                 valid_mask_prob=0.5, top_k=10, score_threshold=0.3, mask_logit_threshold=0.0):
        self.min_size = min_size
        self.max_size = max_size
        self.divisibility = divisibility
        self.clip_size = clip_size
        self.temperature = temperature
        self.valid_mask_prob = valid_mask_prob
        self.top_k = top_k
        self.score_threshold = score_threshold
        self.mask_logit_threshold = mask_logit_threshold


def prepare_window(frames: np.ndarray, hc: "HostConfig"):
    """uint8 [T,H0,W0,3] → (resized uint8 [T,H,W,3], normalised and padded float32 [T,3,Hp,Wp])."""
    resized = resize_frames(frames, hc.min_size, hc.max_size)
    return resized, normalise_and_pad(resized, hc.divisibility)


def infer_window(segmenter, clip_image, text_emb: torch.Tensor, frames: np.ndarray, audio_feats: torch.Tensor,
                 hc: HostConfig, name_offsets: torch.Tensor = None) -> Dict[str, torch.Tensor]:
    """One window of T frames. frames uint8 [T,H0,W0,3] (original size); audio_feats [T,128];
    text_emb [V,D] normalised; name_offsets [V] (optional) is subtracted from each name's cosine
    before the temperature (the bundle's base calibration: γ for the names it was trained on, else 0).
    Returns label map int64 [T,H0,W0] (0 = background, c+1 = class c) and intermediates."""
    t, h0, w0, _ = frames.shape
    resized, x = prepare_window(frames, hc)
    h, w, hp, wp = resized.shape[1], resized.shape[2], x.shape[2], x.shape[3]
    with torch.no_grad():
        sound_logits, mask_logits = segmenter(x, audio_feats)
        up = F.interpolate(mask_logits, size=(hp, wp), mode="bilinear", align_corners=False)  # [Q,T,Hp,Wp]
        probs = up.sigmoid().transpose(0, 1)  # [T,Q,Hp,Wp]
        valid = (probs > hc.valid_mask_prob).flatten(2).any(-1)  # [T,Q]
        q = valid.shape[1]
        labels = torch.zeros(t, h0, w0, dtype=torch.int64)
        result = {"sound_logits": sound_logits, "mask_logits": mask_logits, "valid": valid, "labels": labels}
        if not bool(valid.any()):
            return result
        tt, qq = torch.nonzero(valid, as_tuple=True)  # frame-major order
        rgb = torch.from_numpy(np.ascontiguousarray(resized)).permute(0, 3, 1, 2).float()
        crops = make_crops(rgb, probs[tt, qq], tt.tolist(), hc.clip_size)
        img = F.normalize(clip_image(crops).float(), dim=-1)
        cos = img @ text_emb.t()  # [K,V]
        logits = hc.temperature * (cos if name_offsets is None else cos - name_offsets)
        qflag = valid.any(0)
        qidx = torch.nonzero(qflag).flatten()
        per_q = []
        for qi in qidx.tolist():
            sel = qq == qi
            per_q.append(logits[sel].mean(0))
        pred_cls = torch.softmax(torch.stack(per_q), dim=-1)  # [M,V]
        v = pred_cls.shape[1]
        k = min(hc.top_k, pred_cls.numel())
        scores, flat = pred_cls.flatten().topk(k, sorted=False)
        lab = flat % v
        qsel = qidx[torch.div(flat, v, rounding_mode="floor")]
        masks = up[qsel][:, :, :h, :w]
        if (h, w) != (h0, w0):
            masks = F.interpolate(masks, size=(h0, w0), mode="bilinear", align_corners=False)
        masks = masks > hc.mask_logit_threshold  # [k,T,H0,W0]
        order = sorted([i for i in range(k) if float(scores[i]) > hc.score_threshold],
                       key=lambda i: -float(scores[i]))
        for i in order:
            m = masks[i] & (labels == 0)
            labels[m] = int(lab[i]) + 1
        result.update({"crops": crops, "clip_logits": logits, "pred_cls": pred_cls, "scores": scores,
                       "topk_labels": lab, "topk_queries": qsel})
        return result


# ----------------------------------------------------------------------------- metrics

class Confusion:
    """hist[gt, pred] over all frames; OV-AVSS headline numbers (scores_gzsl)."""

    def __init__(self, num_classes: int):
        self.n = num_classes
        self.hist = np.zeros((num_classes, num_classes), dtype=np.int64)

    def add(self, gt: np.ndarray, pred: np.ndarray):
        gt = gt.astype(np.int64).ravel()
        pred = pred.astype(np.int64).ravel()
        keep = (gt >= 0) & (gt < self.n)
        self.hist += np.bincount(self.n * gt[keep] + pred[keep], minlength=self.n ** 2).reshape(self.n, self.n)

    def iou(self) -> np.ndarray:
        d = np.diag(self.hist).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            return d / (self.hist.sum(0) + self.hist.sum(1) - d)

    def scores(self, seen: Sequence[int], unseen: Sequence[int]) -> Dict[str, float]:
        iou = self.iou()
        with np.errstate(invalid="ignore"):
            m = float(np.nanmean(iou))
            s = float(np.nanmean(iou[list(seen)]))
            u = float(np.nanmean(iou[list(unseen)]))
        hm = 2 * s * u / (s + u) if (s + u) > 0 else 0.0
        if math.isnan(hm):
            hm = 0.0
        return {"miou": m, "base_miou": s, "novel_miou": u, "harmonic": hm}
