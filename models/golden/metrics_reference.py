#!/usr/bin/env python3
"""numpy reimplementation of the official AVSBench / OV-AVSS metrics, and the golden vectors
for ovavss.studio.avsbench.MetricsParityTest.

Definitions (see ../shared/docs/AVSBENCH.md section 5):
  * OV-AVSS headline (OVAVSS demo_video/avsbench_eval.py scores_gzsl + fast_hist): one global
    confusion matrix, IoU = diag / (row + col - diag), nanmean; seen/unseen nanmeans; harmonic
    2/(1/s + 1/u) with NaN -> 0.
  * AVSBench AVSS (avs_scripts/avss/utils/compute_color_metrics.py _batch_miou_fscore): per frame,
    pred/target shifted by +1, histc over [1, n] with n bins, IoU = inter/(eps + union) summed,
    count += union > 0, F (beta^2 = 0.3) with NaN -> 0 summed; per class sum/count with NaN -> 0;
    mean over all n classes.
  * S4/MS3 (avs_scripts/avs_s4/utils/utility.py mask_iou, Eval_Fmeasure): per batch.

Run: /usr/bin/python3 models/golden/metrics_reference.py src/test/resources/avsbench/golden
Writes <case>_gt.bin / <case>_pred.bin (uint8, frames x H x W) and <case>.json.
"""
import json
import sys
from pathlib import Path

import numpy as np

EPS = 2.220446049250313e-16


def ov_scores(gt, pred, n, seen, unseen):
    k = (gt >= 0) & (gt < n)
    hist = np.bincount(n * gt[k].astype(int) + pred[k].astype(int), minlength=n ** 2).reshape(n, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        iu = np.diag(hist) / (hist.sum(axis=1) + hist.sum(axis=0) - np.diag(hist))
        miou = np.nanmean(iu)
        s = np.nanmean(iu[seen]) if len(seen) else np.nan
        u = np.nanmean(iu[unseen]) if len(unseen) else np.nan
        h = 2 / (1 / s + 1 / u)
    if np.isnan(h):
        h = 0.0
    acc = np.diag(hist).sum() / hist.sum()
    return {"miou": miou, "seen": s, "unseen": u, "harmonic": h, "pixel_accuracy": acc,
            "per_class_iou": [None if np.isnan(v) else float(v) for v in iu]}


def histc(values, n):
    """torch.histc(values, bins=n, min=1, max=n) for integer values: v in [1, n] -> bin v-1."""
    v = values[(values >= 1) & (values <= n)].astype(int)
    return np.bincount(v - 1, minlength=n).astype(np.float64)


def avss_scores(gt, pred, n, beta2=0.3):
    ious = np.zeros(n)
    fs = np.zeros(n)
    cnt = np.zeros(n)
    for i in range(gt.shape[0]):
        predict = pred[i].astype(np.float64) + 1
        target = gt[i].astype(np.float64) + 1
        predict = predict * (target > 0)
        inter = predict * (predict == target)
        a_inter = histc(inter, n)
        a_pred = histc(predict, n)
        a_lab = histc(target, n)
        a_union = a_pred + a_lab - a_inter
        ious += a_inter / (EPS + a_union)
        cnt[np.nonzero(a_union)] += 1
        with np.errstate(divide="ignore", invalid="ignore"):
            p = a_inter / a_pred
            r = a_inter / a_lab
            f = (1 + beta2) * p * r / (beta2 * p + r)
        f[np.isnan(f)] = 0
        fs += f
    with np.errstate(divide="ignore", invalid="ignore"):
        miou_pc = ious / cnt
        f_pc = fs / cnt
    miou_pc[np.isnan(miou_pc)] = 0
    f_pc[np.isnan(f_pc)] = 0
    return {"miou": float(np.mean(miou_pc)), "fscore": float(np.mean(f_pc)),
            "miou_noBg_official": float(np.mean(miou_pc[:-1])), "fscore_noBg_official": float(np.mean(f_pc[:-1])),
            "per_class_iou": miou_pc.tolist(), "per_class_f": f_pc.tolist()}


def mask_iou(prob, gt, eps=1e-7):
    n = prob.shape[0]
    pred = (prob > 0.5).astype(np.int64)
    target = gt.astype(np.int64)
    no_obj = target.sum(axis=(1, 2)) == 0
    inter = (pred * target).sum(axis=(1, 2)).astype(np.float64)
    union = np.maximum(pred, target).sum(axis=(1, 2)).astype(np.float64)
    inter_no = ((1 - target) * (1 - pred)).sum(axis=(1, 2))
    inter[no_obj] = inter_no[no_obj]
    union[no_obj] = prob.shape[1] * prob.shape[2]
    return float(np.sum(inter / (union + eps)) / n)


def linspace_f32(start, end, steps):
    """torch.linspace in float32 (forward from start for the first half, backward from end after)."""
    start = np.float32(start)
    end = np.float32(end)
    step = np.float32((end - start) / np.float32(steps - 1))
    half = steps // 2
    out = np.empty(steps, dtype=np.float32)
    for i in range(steps):
        out[i] = start + step * np.float32(i) if i < half else end - step * np.float32(steps - 1 - i)
    return out


def eval_fmeasure(prob, gt, pr_num=255, beta2=0.3):
    th = linspace_f32(0, 1 - 1e-10, pr_num)
    avg_f = np.zeros(pr_num, dtype=np.float32)
    img_num = 0
    score = np.zeros(pr_num, dtype=np.float32)
    for i in range(prob.shape[0]):
        y = gt[i].astype(np.float32)
        if y.mean() == 0:
            continue
        prec = np.zeros(pr_num, dtype=np.float32)
        rec = np.zeros(pr_num, dtype=np.float32)
        for t in range(pr_num):
            yt = (prob[i] >= th[t]).astype(np.float32)
            tp = (yt * y).sum()
            prec[t] = tp / (yt.sum() + 1e-20)
            rec[t] = tp / (y.sum() + 1e-20)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = (1 + beta2) * prec * rec / (beta2 * prec + rec)
        f[np.isnan(f)] = 0
        avg_f = avg_f + f
        img_num += 1
        score = avg_f / img_num
    return float(score.max())


def binary_scores(prob, gt, batch):
    ious, fs = [], []
    for b0 in range(0, prob.shape[0], batch):
        ious.append(mask_iou(prob[b0:b0 + batch], gt[b0:b0 + batch]))
        fs.append(eval_fmeasure(prob[b0:b0 + batch], gt[b0:b0 + batch]))
    return {"batch_size": batch, "miou": float(np.mean(ious)), "fscore": float(np.mean(fs))}


def blobby(rng, frames, h, w, n, max_blobs=4):
    maps = np.zeros((frames, h, w), dtype=np.uint8)
    for f in range(frames):
        for _ in range(rng.integers(0, max_blobs + 1)):
            c = rng.integers(1, n)
            y0, x0 = rng.integers(0, h), rng.integers(0, w)
            maps[f, y0:y0 + rng.integers(2, h // 2), x0:x0 + rng.integers(2, w // 2)] = c
    return maps


def perturb(rng, gt, n, p_swap=0.3):
    pred = gt.copy()
    for f in range(gt.shape[0]):
        shift = rng.integers(-2, 3)
        pred[f] = np.roll(pred[f], shift, axis=1)
        if rng.random() < p_swap:
            classes = np.unique(pred[f])
            classes = classes[classes > 0]
            if len(classes):
                pred[f][pred[f] == rng.choice(classes)] = rng.integers(1, n)
    noise = rng.random(gt.shape) < 0.02
    pred[noise] = rng.integers(0, n, size=noise.sum())
    return pred


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261122)
    seen71 = [2, 4, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19, 20, 21, 26, 27, 28, 29, 31, 35, 36, 37, 38, 40, 41,
              43, 44, 46, 47, 48, 52, 55, 58, 59, 60, 62, 63, 67, 70]
    unseen71 = [1, 3, 5, 13, 14, 15, 22, 23, 24, 25, 30, 32, 33, 34, 39, 42, 45, 49, 50, 51, 53, 54, 56, 57, 61,
                64, 65, 66, 68, 69]
    cases = [("avs71", 71, 20, 24, 32, seen71, unseen71),
             ("shapes37", 37, 16, 20, 28, list(range(1, 25)), list(range(25, 37)))]
    for name, n, frames, h, w, seen, unseen in cases:
        gt = blobby(rng, frames, h, w, n)
        pred = perturb(rng, gt, n)
        gt.tofile(out / f"{name}_gt.bin")
        pred.tofile(out / f"{name}_pred.bin")
        res = {"classes": n, "frames": frames, "height": h, "width": w, "seen": seen, "unseen": unseen,
               "ov": ov_scores(gt.reshape(-1), pred.reshape(-1), n, seen, unseen),
               "avss": avss_scores(gt, pred, n)}
        (out / f"{name}.json").write_text(json.dumps(res, indent=1, default=float))
    # binary: probabilities as uint8 / 255, GT 0/1; some frames with empty GT
    frames, h, w = 10, 16, 16
    gt = (blobby(rng, frames, h, w, 2, max_blobs=3) > 0).astype(np.uint8)
    gt[0, 2:9, 3:12] = 1
    gt[3] = 0
    gt[7] = 0
    noise = rng.integers(-110, 111, size=gt.shape)
    prob8 = np.clip(gt.astype(int) * 110 + 70 + noise, 0, 255).astype(np.uint8)
    gt.tofile(out / "binary_gt.bin")
    prob8.tofile(out / "binary_pred.bin")
    prob = prob8.astype(np.float32) / np.float32(255)
    res = {"frames": frames, "height": h, "width": w,
           "batches": [binary_scores(prob, gt, b) for b in (1, 3, 4)]}
    (out / "binary.json").write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/avsbench/golden")
