#!/usr/bin/env python3
"""Golden cases for the proposer-based methods' host code (SeAC and OpenAVS), computed with the
Python reference in models/methods (pipeline.propose_window, seac.global_views / mix_views /
aggregate / similarities, pipeline.name_rows, openavs.label_frame), not with the Java code. Label maps are written
for every naming a method may declare (``labels_<method>_<naming>``), and once more with the names
of a base set lowered by a calibration γ (``labels_<method>_<naming>_calibrated``); SeAC once more with
its silence gate (``labels_seac_window_crops_silenced``) and with heard naming, each second's
audio–text score of a name added with weight α (``labels_seac_window_crops_heard``), and then its heard
gate (``labels_seac_window_crops_heard_gated``).

The learned graphs are replaced by fixed inputs: the proposer's objectness and mask logits are
random but structured (Gaussian blobs), the CLIP image encoder is a fixed random linear map, the
association mask projection is a linear map followed by L2 normalisation, and the per-second audio
vectors (SeAC's association audio, OpenAVS's audio in the text space) are random unit vectors.
The Java test (ProposalGoldenTest) feeds the same arrays and compares every intermediate.

Writes .npy files into src/test/resources/golden/methods/<case>/.
Run:  /usr/bin/python3 models/golden/methods_golden.py
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from methods import openavs, seac  # noqa: E402
from methods import pipeline  # noqa: E402
from methods.evaluate import gated, heard_gated  # noqa: E402
from ovavss.host import HostConfig  # noqa: E402

OUT_ROOT = os.path.join(HERE, "..", "..", "src", "test", "resources", "golden", "methods")


def unit_rows(rng, n, d):
    x = rng.normal(size=(n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def make_case(seed, T=5, Q=7, H0=64, W0=96, V=6, R=16, D=8, DA=5, top=5, min_obj=0.5, lam=0.6, sigma=0.9,
              blur=2.0, threshold=0.5, scale=8.0, bias=-2.0, stride=4, calibration=0.4, heard_weight=0.3,
              heard_gate=0.3):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:H0, 0:W0]
    frames = np.zeros((T, H0, W0, 3), dtype=np.uint8)
    for t in range(T):
        base = np.stack([(xx * (3 + t)) % 256, (yy * 5 + 30 * t) % 256, ((xx - yy) * 2) % 256], -1)
        frames[t] = np.clip(base + rng.integers(0, 50, size=(H0, W0, 3)), 0, 255).astype(np.uint8)
    hp, wp = 64, 96
    # mask logits at [Hp/stride, Wp/stride]: 4 as the segmenter, 1 as a proposer that refines its
    # masks; the blobs are laid out in quarter-resolution units whatever the stride
    h4, w4 = hp // stride, wp // stride
    gy, gx = np.mgrid[0:h4, 0:w4] * (stride / 4.0)
    mask_lr = np.zeros((Q, T, h4, w4), dtype=np.float32)
    for q in range(Q):
        cy, cx = rng.uniform(2, hp / 4 - 4), rng.uniform(2, wp / 4 - 4)
        s = rng.uniform(1.5, 4.0)
        for t in range(T):
            amp = rng.uniform(-1.0, 8.0)
            d2 = (gy - cy - t * 0.5) ** 2 + (gx - cx - t * 0.8) ** 2
            mask_lr[q, t] = amp * np.exp(-d2 / (2 * s * s)) - 2.0 + rng.normal(0, 0.3, size=(h4, w4))
    obj_logits = rng.normal(0, 1.5, size=(Q, 2)).astype(np.float32)
    obj_logits[0] = [3.0, -3.0]  # surely eligible
    obj_logits[1] = [-3.0, 3.0]  # surely not
    w_img = (rng.normal(size=(3 * R * R, D)) / np.sqrt(3 * R * R)).astype(np.float32)
    text = unit_rows(rng, V, D)
    w_assoc = rng.normal(size=(D, DA)).astype(np.float32)
    audio_assoc = unit_rows(rng, T, DA)
    audio_text = unit_rows(rng, T, D)
    # each second's audio points at some names, so that OpenAVS has prompts to match
    for t in range(T):
        audio_text[t] = text[t % V] + 0.5 * text[(t + 2) % V]
        audio_text[t] /= np.linalg.norm(audio_text[t])

    def proposer(x):
        return torch.from_numpy(obj_logits), torch.from_numpy(mask_lr)

    def clip_image(crops):
        return crops.flatten(1) @ torch.from_numpy(w_img)

    hc = HostConfig(min_size=64, max_size=512, clip_size=R)
    # propose_window reads the cut from module constants: set them for this case
    pipeline.TOP_PROPOSALS, pipeline.MIN_OBJECTNESS = top, min_obj
    with torch.no_grad():
        p = pipeline.propose_window(proposer, clip_image, frames, hc)
        gviews = seac.global_views(p["rgb"], p["soft"], p["t"].tolist(), R)
        glob = F.normalize(clip_image(gviews), dim=-1)
        f = seac.mix_views(p["local"], glob, lam)
        vectors = F.normalize(f @ torch.from_numpy(w_assoc), dim=-1)
        s = seac.similarities(vectors, torch.from_numpy(audio_assoc), p["t"], p["q"], "frame")
        s_window = seac.similarities(vectors, torch.from_numpy(audio_assoc), p["t"], p["q"], "window")
        tt = torch.from_numpy(text)
        names = {n: pipeline.name_rows(p, tt, n, f) for n in pipeline.NAMINGS}
        base = torch.arange(V) % 2 == 0  # "name0", "name2", … were trained on
        calibrated = {n: pipeline.name_rows(p, tt, n, f, calibration, base) for n in pipeline.NAMINGS}
        # each second's audio–text score of every name: OpenAVS's prompts, SeAC's heard naming and gate
        heard_seconds = openavs.scores(torch.from_numpy(audio_text), tt, scale, bias)  # [T,V]
        heard_named = pipeline.name_rows(p, tt, "window_crops", f, 0.0, None, heard_seconds[p["t"]], heard_weight)
    orig_blur = seac.BLUR_SIGMA
    assert blur == orig_blur, "the reference's global views use seac.BLUR_SIGMA"
    labels = {}
    # per frame, its second's level (dBFS): frames 1 and 3 quieter than the gate
    levels_db = np.array([-20.0, -52.5, -31.0, -38.0, -24.5], dtype=np.float32)[:T]
    silence_db = -35.0
    prompts = heard_seconds > threshold
    named = [(n, nm) for n, nm in names.items()] + [(n + "_calibrated", nm) for n, nm in calibrated.items()]
    for naming, nm in named:
        labels_seac = torch.zeros(T, H0, W0, dtype=torch.long)
        labels_open = torch.zeros(T, H0, W0, dtype=torch.long)
        for t in range(T):
            rows = torch.nonzero(p["t"] == t).flatten()
            if rows.numel():
                labels_seac[t] = seac.aggregate(p["masks"][p["q"][rows], t], s[rows], nm[rows], sigma)
                order = rows[torch.argsort(p["objectness"][p["q"][rows]], descending=True, stable=True)]
                labels_open[t] = openavs.label_frame(p["masks"][p["q"][order], t], nm[order], prompts[t])
        labels["labels_seac_" + naming] = labels_seac.numpy().astype(np.int32)
        if naming == "window_crops":  # SeAC's silence gate: the quiet seconds label nothing
            silenced = gated(labels_seac, levels_db, silence_db)
            labels["labels_seac_window_crops_silenced"] = silenced.numpy().astype(np.int32)
            heard_labels = torch.zeros(T, H0, W0, dtype=torch.long)
            for t in range(T):
                rows = torch.nonzero(p["t"] == t).flatten()
                if rows.numel():
                    heard_labels[t] = seac.aggregate(p["masks"][p["q"][rows], t], s[rows], heard_named[rows], sigma)
            labels["labels_seac_window_crops_heard"] = heard_labels.numpy().astype(np.int32)
            labels["labels_seac_window_crops_heard_gated"] = heard_gated(heard_labels, heard_seconds,
                                                                         heard_gate).numpy().astype(np.int32)
        if not naming.startswith("features"):
            labels["labels_openavs_" + naming] = labels_open.numpy().astype(np.int32)
    arrays = {
        "frames_u8": frames, "obj_logits": obj_logits, "mask_lowres": mask_lr, "w_img": w_img, "text": text,
        "w_assoc": w_assoc, "audio_assoc": audio_assoc, "audio_text": audio_text,
        "rows_t": p["t"].numpy().astype(np.int64), "rows_q": p["q"].numpy().astype(np.int64),
        "local": p["local"].numpy(), "global_input": gviews.numpy(), "global": glob.numpy(), "features": f.numpy(),
        "association": s.numpy(), "association_window": s_window.numpy(), "levels_db": levels_db, **labels,
    }
    meta = {"T": T, "Q": Q, "mask_stride": stride, "H0": H0, "W0": W0, "V": V, "R": R, "D": D, "DA": DA, "top": top,
            "min_objectness": min_obj, "lambda": lam, "sigma": sigma, "blur_sigma": blur,
            "prompt_threshold": threshold, "prompt_scale": scale, "prompt_bias": bias,
            "K": int(p["t"].numel()), "window_pooling_changes": int((s_window - s).abs().gt(1e-3).sum()),
            "renamed_rows": {n: int((names[n] != names["crop"]).sum()) for n in ("features", "window_crops")},
            "calibration": calibration, "silence_db": silence_db, "base_names": [f"name{c}" for c in range(0, V, 2)],
            "renamed_by_calibration": {n: int((calibrated[n] != names[n]).sum()) for n in pipeline.NAMINGS},
            "heard_weight": heard_weight, "renamed_by_heard": int((heard_named != names["window_crops"]).sum()),
            "heard_gate": heard_gate,
            "unheard_pixels": int(((labels["labels_seac_window_crops_heard"] > 0)
                                   & (labels["labels_seac_window_crops_heard_gated"] == 0)).sum()),
            "labelled_pixels": {k: int((v > 0).sum()) for k, v in labels.items()}}
    return arrays, meta


def main():
    for name, kw in {"case1": dict(seed=3), "case2": dict(seed=11, sigma=0.5, threshold=0.3),
                     "case3": dict(seed=5, stride=1, heard_gate=0.7)}.items():
        arrays, meta = make_case(**kw)
        d = os.path.join(OUT_ROOT, name)
        os.makedirs(d, exist_ok=True)
        for k, v in arrays.items():
            np.save(os.path.join(d, k + ".npy"), np.ascontiguousarray(v))
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
        print(name, meta, file=sys.stderr)


if __name__ == "__main__":
    main()
