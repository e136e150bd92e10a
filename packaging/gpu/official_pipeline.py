#!/usr/bin/env python3
"""The official OV-AVSS test pipeline, end to end, on the Java benchmark's synthetic clips.

What `demo_video/test_net_video_avsbench_r50.py` does per clip (OVAVSS.md §1.2-§1.3, §2, §3), timed
clip by clip so that it can stand beside `bench inference`'s `pipeline_clips_per_s`:
  prepare  synthetic frames (InferenceBenchmark.syntheticClip, ported exactly), VGGish log-mel of the
           clip's tone, then per window: resize shortest edge (PIL bilinear), normalise, zero-pad;
  model    frames and log-mel to the device, VGGish, backbone + pixel decoder + transformer decoder,
           under autocast fp16 as the official `torch.cuda.amp.autocast()`, with the pixel decoder in
           fp32 (official `@autocast(enabled=False)` on forward_features);
  post     mask upsampling, validity (sigmoid > 0.5), top-left-anchored square boxes, roi_align of the
           frames and soft masks, CLIP image encoder, 100·cos against the text classifier of the
           bundle's default vocabulary, mean over valid frames, softmax, top-k, score filter.

    python3 packaging/gpu/official_pipeline.py --bundle models/demo-avshapes --precision fp16
    python3 packaging/gpu/official_pipeline.py --bundle BUNDLE_R50 --checkpoint-dir D --variant r50

The model: with --checkpoint-dir, the official eager module tree loaded from the checkpoint files
(models/official, as models/export.py loads them); without it, the bundle's own weights in the eager
modules (ovavss.model.model_from_bundle, needs bundle.json "model_config", as the demo has); failing
that, or with --source torchscript, the bundle's TorchScript graphs themselves under autocast (then the
pixel decoder cannot be kept in fp32). The line `official_model_source` says which ran.

Output: `name value unit` lines, like `bench inference`. The stage times need a device synchronise at
each stage boundary; the official script has none, but every stage ends in a host read anyway.

Where this differs from `bench inference` (read the figures with it):
- one thread, clip after clip, no look-ahead: the Java pipeline_clips_per_s prepares clips on decode
  threads while the model runs (its pipeline_sequential_clips_per_s is the closer figure);
- the post stage here includes softmax/top-k/score filter (the Java side does them in relabel, outside
  its stage times but inside its wall time); crops are cut on the device by torchvision's roi_align
  (the Java side cuts them on the CPU); boxes and the per-query mean are vectorised where the official
  code loops in Python; the full-size label maps are composed only with --label-maps (Java composes none);
- the log-mel of the clip is computed once and VGGish embeds only the window's 5 examples (the official
  code re-embeds all 10 per window; the Java side does as here);
- official_gpu_memory_peak_mib is torch.cuda.max_memory_allocated (tensors only), not nvidia-smi's
  whole-card figure the GPU script records for the Java runs.
"""
import argparse
import contextlib
import gzip
import json
import math
import os
import sys
import time
import types
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(REPO, "models")
sys.path.insert(0, MODELS)

from ovavss import host  # noqa: E402
from ovavss.audio import log_mel_examples  # noqa: E402
from ovavss.backbone import FrozenBatchNorm2d  # noqa: E402

# the app's AnalysisResults.SOUNDING_THRESHOLD: softmax(sound_logits)[0] from which an object is sounding
SOUNDING_THRESHOLD = 0.5
CLIP_MAX_MERGES = 49152 - 256 - 2  # OpenAI's tokenizer reads this many merges of the file


def say(msg: str) -> None:
    print(msg, flush=True)


def note(msg: str) -> None:
    print("# " + msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- the clips

def synthetic_clip(keyframes: int = 10, width: int = 640, height: int = 360) -> Tuple[np.ndarray, np.ndarray]:
    """InferenceBenchmark.syntheticClip: a gradient (R = x*255/width, B = y*255/height, G = 0) with a
    0x2040E0 square of half-side height/5 moving 8 px right per keyframe, and 16 kHz mono audio
    0.3·sin(2π·440·i/16000) of one second per keyframe. Java integer division is kept (all operands
    are non-negative where it applies). → uint8 RGB [K,H,W,3], float32 samples."""
    x = np.arange(width)[None, :]
    y = np.arange(height)[:, None]
    base = np.zeros((height, width, 3), dtype=np.uint8)
    base[..., 0] = np.broadcast_to(x * 255 // width, (height, width))
    base[..., 2] = np.broadcast_to(y * 255 // height, (height, width))
    frames = np.empty((keyframes, height, width, 3), dtype=np.uint8)
    for k in range(keyframes):
        sq = (np.abs(x - width // 3 - 8 * k) < height // 5) & (np.abs(y - height // 2) < height // 5)
        frames[k] = base
        frames[k][sq] = (0x20, 0x40, 0xE0)
    i = np.arange(16000 * keyframes, dtype=np.float64)
    # same evaluation order as Java's (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0))
    samples = (0.3 * np.sin(2 * math.pi * 440 * i / 16000.0)).astype(np.float32)
    return frames, samples


# ----------------------------------------------------------------------------- bundle settings

class Settings:
    """What the pipeline reads from bundle.json (the Java side reads the same fields)."""

    def __init__(self, bundle: str):
        with open(os.path.join(bundle, "bundle.json"), encoding="utf-8") as f:
            m = json.load(f)
        self.bundle = bundle
        self.manifest = m
        self.name = m.get("name", os.path.basename(bundle.rstrip("/")))
        self.frames = int(m["frames_per_clip"])
        img = m["image"]
        # host.normalise_and_pad has the official constants built in; a bundle with others is not official
        for key, ref in (("mean", host.PIXEL_MEAN), ("std", host.PIXEL_STD)):
            if any(abs(a - b) > 1e-3 for a, b in zip(img.get(key, ref), ref)):
                raise SystemExit("%s: image %s %s differs from the official %s" % (bundle, key, img[key], ref))
        clip = m["clip"]
        pp = m["postprocess"]
        self.hc = host.HostConfig(min_size=int(img["min_size"]), max_size=int(img["max_size"]),
                                  divisibility=int(img.get("size_divisibility", 32)),
                                  clip_size=int(clip["input_size"]), temperature=float(clip.get("temperature", 100)),
                                  valid_mask_prob=float(pp["valid_mask_prob"]), top_k=int(pp["top_k"]),
                                  score_threshold=float(pp["score_threshold"]),
                                  mask_logit_threshold=float(pp["mask_logit_threshold"]))
        self.clip_mean = clip.get("mean", list(host.CLIP_MEAN))
        self.clip_std = clip.get("std", list(host.CLIP_STD))
        self.templates = clip.get("templates", host.VILD_TEMPLATES)
        self.context_length = int(clip.get("context_length", 77))
        self.tokenizer = clip.get("tokenizer", {"type": "clip-bpe"})
        self.names = list(m["vocabulary"]["default"])
        if pp.get("square_crop", "top-left-anchored") != "top-left-anchored":
            raise SystemExit("%s: square_crop %s is not the official one" % (bundle, pp["square_crop"]))

    def geometry(self, h0: int, w0: int) -> Tuple[int, int, int, int]:
        """(h, w, Hp, Wp) of a source of h0×w0, as the Java side's WindowGeometry."""
        h, w = host.resized_size(h0, w0, self.hc.min_size, self.hc.max_size)
        d = self.hc.divisibility
        return h, w, int(math.ceil(h / d) * d), int(math.ceil(w / d) * d)


def clip_bpe_encoder(merges_path: str, context_length: int) -> Callable[[List[str]], torch.Tensor]:
    """CLIP's BPE tokenizer (the repo's Python reference in models/golden/make_test_bundle.py) on the
    bundle's merges file, read as OpenAI's simple_tokenizer does: skip the header line, then at most
    49152-256-2 merges."""
    sys.path.insert(0, os.path.join(MODELS, "golden"))
    threads = torch.get_num_threads()
    import make_test_bundle  # sets torch's thread count and seed at import (it is a script)
    torch.set_num_threads(threads)
    opener = gzip.open if merges_path.endswith(".gz") else open
    with opener(merges_path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")[1:CLIP_MAX_MERGES + 1]
    tok = make_test_bundle.RefTokenizer([tuple(line.split()) for line in lines if line.strip()])
    return lambda texts: torch.tensor([tok.tokenize(t, context_length) for t in texts], dtype=torch.int64)


# ----------------------------------------------------------------------------- precision

class Precision:
    """fp16 = autocast float16 on CUDA, as the official test. On the CPU, which has no float16 autocast
    worth timing (torch 1.13 has no float16 CPU kernels at all), fp16 runs as autocast bfloat16 when that
    works, else fp32; `label` says what ran."""

    def __init__(self, requested: str, device: torch.device):
        self.device_type = device.type
        self.dtype: Optional[torch.dtype] = None
        self.label = "fp32"
        if requested == "fp32":
            return
        want = torch.float16 if (requested == "fp16" and device.type == "cuda") else torch.bfloat16
        if device.type == "cpu" and requested == "fp16":
            note("fp16 autocast is the CUDA setting; on the CPU autocast bfloat16 stands in for it")
        try:
            # a linear layer feeding a LayerNorm with fp32 parameters, as every attention block does:
            # torch 1.13's CPU autocast lets the bfloat16 activations reach layer_norm and it refuses them
            with torch.autocast(device_type=device.type, dtype=want):
                y = F.linear(torch.ones(2, 4, device=device), torch.ones(3, 4, device=device))
                F.layer_norm(y, (3,), torch.ones(3, device=device), torch.zeros(3, device=device))
        except (RuntimeError, TypeError) as e:
            note("autocast %s does not run on %s (%s): fp32 instead" % (want, device.type, e))
            return
        self.dtype = want
        self.label = "autocast_fp16" if want == torch.float16 else "autocast_bf16"

    def on(self):
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device_type, dtype=self.dtype)

    def off(self):
        """The official pixel decoder's `@autocast(enabled=False)`."""
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device_type, enabled=False)


def detectron2_frozen_bn(model: torch.nn.Module) -> int:
    """Makes each FrozenBatchNorm2d run as detectron2's does at inference (x.requires_grad False):
    F.batch_norm, which keeps autocast's half-precision activations. Ours computes x*scale+bias, which
    promotes them to fp32 between the backbone's convolutions. Same numbers in fp32."""
    n = 0
    for m in model.modules():
        if isinstance(m, FrozenBatchNorm2d):
            def forward(self, x):
                return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, False, 0.0,
                                    self.eps)
            m.forward = types.MethodType(forward, m)
            n += 1
    return n


# ----------------------------------------------------------------------------- the model

class EagerModel:
    """The eager module tree (official key layout) split as the official forward runs it."""

    source = "eager"

    def __init__(self, model: torch.nn.Module, device: torch.device, prec: Precision):
        model.eval().to(device)
        self.prec = prec
        self.backbone = model.backbone
        self.pixel_decoder = model.sem_seg_head.pixel_decoder
        self.predictor = model.sem_seg_head.predictor
        self.audio_encoder = model.audio_encoder
        self.clip = model.clip_adapter.clip_model
        self.frozen_bn = detectron2_frozen_bn(model.backbone) if prec.dtype is not None else 0
        self.pixel_decoder_precision = "fp32" if prec.dtype is not None else prec.label

    def embed_audio(self, log_mel: torch.Tensor) -> torch.Tensor:
        with self.prec.on():
            return self.audio_encoder(log_mel)

    def segment(self, frames: torch.Tensor, audio: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        with self.prec.on():
            f = self.backbone(frames)
            # the official MSDeformAttnPixelDecoder.forward_features: autocast off, features cast to
            # float; the audio it fuses is the VGGish output copied into an fp32 buffer (ov_avss.py:81-87)
            with self.prec.off():
                mask_features, ms, fused = self.pixel_decoder(f["res2"].float(), f["res3"].float(),
                                                              f["res4"].float(), f["res5"].float(), audio.float())
            logits, masks, _, _ = self.predictor(ms, mask_features, fused)
        return logits[0], masks[0]

    def encode_image(self, crops: torch.Tensor) -> torch.Tensor:
        with self.prec.on():
            return self.clip.visual(crops)

    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        with self.prec.on():
            return self.clip.encode_text(ids)


class GraphModel:
    """The bundle's four TorchScript graphs under autocast: the whole segmenter graph (pixel decoder
    included) runs in the autocast dtype, which the official pipeline does not do."""

    source = "torchscript"
    frozen_bn = 0

    def __init__(self, bundle: str, device: torch.device, prec: Precision):
        def load(name):
            return torch.jit.load(os.path.join(bundle, name), map_location=device).eval()
        self.prec = prec
        self.audio, self.seg = load("audio_encoder.pt"), load("segmenter.pt")
        self.image, self.text = load("clip_image.pt"), load("clip_text.pt")
        self.pixel_decoder_precision = prec.label

    def embed_audio(self, log_mel):
        with self.prec.on():
            return self.audio(log_mel)

    def segment(self, frames, audio):
        with self.prec.on():
            return self.seg(frames, audio.float())

    def encode_image(self, crops):
        with self.prec.on():
            return self.image(crops)

    def encode_text(self, ids):
        with self.prec.on():
            return self.text(ids)


def load_model(a, st: Settings, device: torch.device, prec: Precision):
    if a.checkpoint_dir:
        if a.source == "torchscript":
            raise SystemExit("--source torchscript runs the bundle's graphs: leave out --checkpoint-dir")
        from official.checkpoint import load_official
        d = a.checkpoint_dir
        ckpt = os.path.join(d, "model_ov_avss_%s.pth" % a.variant)
        loaded = load_official(ckpt, os.path.join(d, "clip.pt"), os.path.join(d, "vggish.pth"), a.variant)
        for n in loaded.notes:
            note(n)
        cfg = loaded.model.variant.cfg
        if cfg.clip_image_resolution != st.hc.clip_size or cfg.num_frames != st.frames:
            raise SystemExit("%s (CLIP input %d, %d frames) does not fit bundle %s (CLIP input %d, %d frames)"
                             % (ckpt, cfg.clip_image_resolution, cfg.num_frames, st.bundle, st.hc.clip_size,
                                st.frames))
        return EagerModel(loaded.model, device, prec), "checkpoint " + ckpt
    if a.source in ("auto", "eager") and "model_config" in st.manifest:
        from ovavss.model import model_from_bundle
        try:
            return EagerModel(model_from_bundle(st.bundle), device, prec), "bundle graphs' weights in the eager modules"
        except Exception as e:  # noqa: BLE001 - any failure here means: use the graphs themselves
            if a.source == "eager":
                raise
            note("eager rebuild of %s failed (%s: %s); running its TorchScript graphs" % (st.bundle,
                                                                                         type(e).__name__, e))
    elif a.source == "eager":
        raise SystemExit("%s has no model_config to rebuild the eager model from: pass --checkpoint-dir" % st.bundle)
    return GraphModel(st.bundle, device, prec), "bundle TorchScript graphs"


def text_classifier(model, st: Settings, device: torch.device) -> torch.Tensor:
    """[V,D] prompt-ensembled text embeddings of the default vocabulary, computed once (the official
    ClipAdapter caches them per word; the Java benchmark embeds them before its timing too)."""
    def encode(ids):
        return model.encode_text(ids.to(device))
    kind = st.tokenizer.get("type")
    with torch.no_grad():
        if kind == "hashed-ngram/1":
            return host.text_classifier(encode, st.names, st.templates, st.context_length).float()
        if kind != "clip-bpe":
            raise SystemExit("%s: tokenizer %s is not known here" % (st.bundle, kind))
        # host.text_classifier's ensemble with CLIP's tokenizer: per-template L2, mean, L2
        tokenize = clip_bpe_encoder(os.path.join(st.bundle, st.tokenizer["merges"]), st.context_length)
        rows = []
        for name in st.names:
            e = F.normalize(encode(tokenize([t.format(name) for t in st.templates])).float(), dim=-1)
            rows.append(F.normalize(e.mean(0), dim=-1))
        return torch.stack(rows)


# ----------------------------------------------------------------------------- post-processing pieces

def host_roi_align(inp: torch.Tensor, rois: torch.Tensor, r: int, chunk: int = 16) -> torch.Tensor:
    """torchvision.ops.roi_align's signature on host.roi_align (CPU, float64 inside), for machines
    without torchvision (this CPU machine). A few ROIs at a time: host.roi_align holds float64
    intermediates of about K·C·(R·ceil(L/R))² values, over 10 GB for the R50's 500 large crops."""
    src = inp.detach().float().cpu()
    rois = rois.detach().float().cpu()
    parts = [host.roi_align(src, rois[i:i + chunk, 1:], rois[i:i + chunk, 0].long().tolist(), r)
             for i in range(0, rois.shape[0], chunk)]
    out = torch.cat(parts) if parts else torch.zeros(0, src.shape[1], r, r)
    return out.to(inp.device, inp.dtype)


def pick_roi_align() -> Tuple[Callable[[torch.Tensor, torch.Tensor, int], torch.Tensor], str]:
    try:
        from torchvision.ops import roi_align
    except Exception:  # noqa: BLE001 - missing, or its native ops do not load against this torch
        return host_roi_align, "host"

    def tv(inp, rois, r):
        return roi_align(inp, rois, output_size=(r, r), spatial_scale=1.0, sampling_ratio=-1, aligned=False)
    return tv, "torchvision"


def make_crops(rgb: torch.Tensor, soft: torch.Tensor, frame_idx: torch.Tensor, st: Settings, half: bool,
               roi_align) -> torch.Tensor:
    """ClipAdapter._preprocess_image + encode_image's input (OVAVSS.md §3), on the device: rgb [T,3,H,W]
    0..255 unpadded, soft [K,Hp,Wp] sigmoid masks, frame_idx [K] → CLIP-normalised crops [K,3,R,R].
    With `half` the frames, masks and boxes go to roi_align in float16 as the official `.half()` calls."""
    r = st.hc.clip_size
    boxes = host.mask_boxes(soft > st.hc.valid_mask_prob)
    k = soft.shape[0]
    dt = torch.float16 if half else torch.float32
    img_rois = torch.cat([frame_idx.to(boxes.dtype)[:, None], boxes], 1).to(dt)
    mask_rois = torch.cat([torch.arange(k, device=soft.device, dtype=boxes.dtype)[:, None], boxes], 1).to(dt)
    region = roi_align(rgb.to(dt), img_rois, r)
    mregion = roi_align(soft[:, None].to(dt), mask_rois, r)
    x = (region * mregion).float() / 255.0  # blend over black (0), then the encoder's /255
    mean = torch.tensor(st.clip_mean, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(st.clip_std, device=x.device).view(1, 3, 1, 1)
    return (x - mean) / std


# ----------------------------------------------------------------------------- one clip

class Timer:
    def __init__(self, device: torch.device):
        self.cuda = device.type == "cuda"
        self.totals = {"prepare": 0.0, "model": 0.0, "post": 0.0}
        self._t = 0.0

    def start(self):
        if self.cuda:
            torch.cuda.synchronize()
        self._t = time.perf_counter()

    def lap(self, stage: str):
        if self.cuda:
            torch.cuda.synchronize()
        now = time.perf_counter()
        self.totals[stage] += now - self._t
        self._t = now


def run_clip(model, st: Settings, text_emb: torch.Tensor, device: torch.device, prec: Precision, roi_align,
             keyframes: int, timer: Timer, label_maps: bool, stats: Dict[str, int]) -> List[dict]:
    """One 640×360 clip, window by window. → per window its kept objects (score order) and, with
    label_maps, its label maps [T,H0,W0] (else None)."""
    hc = st.hc
    t = st.frames
    timer.start()
    frames, samples = synthetic_clip(keyframes)
    n = frames.shape[0]
    windows = (n + t - 1) // t
    # the whole clip's log-mel once (the official code re-reads the wav per window); zero examples pad
    # a short file as the official _preprocess does
    examples = log_mel_examples(samples, min_examples=windows * t)
    h0, w0 = frames.shape[1], frames.shape[2]
    timer.lap("prepare")
    out = []
    for wi in range(windows):
        first = wi * t
        real = min(t, n - first)
        chunk = frames[first:first + real]
        if real < t:  # the Java side repeats the last keyframe; padding frames never yield objects
            chunk = np.concatenate([chunk, np.repeat(chunk[-1:], t - real, 0)], 0)
        resized = host.resize_frames(chunk, hc.min_size, hc.max_size)
        h, w = resized.shape[1], resized.shape[2]
        x = host.normalise_and_pad(resized, hc.divisibility)
        hp, wp = x.shape[2], x.shape[3]
        mel = torch.from_numpy(examples[first:first + t])
        timer.lap("prepare")

        with torch.no_grad():
            audio = model.embed_audio(mel.to(device))
            sound_logits, mask_logits = model.segment(x.to(device), audio)
            timer.lap("model")
            # what autocast really did to the decoder's output (TorchScript graphs may ignore it)
            stats["mask_dtype"] = str(mask_logits.dtype).replace("torch.", "")

            with prec.on():
                up = F.interpolate(mask_logits, size=(hp, wp), mode="bilinear", align_corners=False)  # [Q,T,Hp,Wp]
                probs = up.sigmoid().transpose(0, 1)  # [T,Q,Hp,Wp]
            valid = (probs > hc.valid_mask_prob).flatten(2).any(-1)  # [T,Q]
            valid[real:] = False
            sound = torch.softmax(sound_logits.float(), -1)[:, 0]
            kept = []
            # nothing kept: all background (the official zeros mask with label -1 composes to 0)
            label_map = torch.zeros(t, h0, w0, dtype=torch.int64, device=device) if label_maps else None
            tt, qq = torch.nonzero(valid, as_tuple=True)  # frame-major, as the official crop order
            k = int(tt.numel())
            if k:
                rgb = torch.from_numpy(np.ascontiguousarray(resized)).to(device).permute(0, 3, 1, 2).float()
                crops = make_crops(rgb, probs[tt, qq], tt, st, prec.dtype == torch.float16, roi_align)
                img = F.normalize(model.encode_image(crops).float(), dim=-1)
                logits = hc.temperature * img @ text_emb.t()  # [K,V]
                v = logits.shape[1]
                # mean of each query's logits over its valid frames (the official loop, vectorised)
                q = valid.shape[1]
                sums = torch.zeros(q, v, device=device).index_add_(0, qq, logits)
                qidx = torch.nonzero(valid.any(0)).flatten()
                per_q = sums[qidx] / valid.sum(0)[qidx].unsqueeze(1).float()
                pred_cls = torch.softmax(per_q, dim=-1)  # [M,V]
                top = min(hc.top_k, pred_cls.numel())
                scores, flat = pred_cls.flatten().topk(top, sorted=False)
                labels = (flat % v).tolist()
                queries = qidx[torch.div(flat, v, rounding_mode="floor")].tolist()
                scores = scores.tolist()
                # strict filter, then score descending (Python's stable sort keeps topk order on ties)
                order = sorted([i for i in range(top) if scores[i] > hc.score_threshold], key=lambda i: -scores[i])
                vq = valid[:, queries].t().tolist() if queries else []
                snd = sound[queries].tolist() if queries else []
                for i in order:
                    kept.append({"query": queries[i], "label": st.names[labels[i]], "class": labels[i],
                                 "score": scores[i], "sound_score": snd[i],
                                 "keyframes": [first + f for f in range(t) if vq[i][f]]})
                if label_maps and order:
                    # official §2.4-2.6: crop the padding, resize to the source size, logit > 0, first wins
                    sel = torch.tensor([queries[i] for i in order], device=device)
                    masks = up[sel][:, :, :h, :w].float()
                    masks = F.interpolate(masks, size=(h0, w0), mode="bilinear", align_corners=False)
                    masks = masks > hc.mask_logit_threshold
                    for j, i in enumerate(order):
                        label_map[masks[j] & (label_map == 0)] = labels[i] + 1
            stats["crops"] += k
            stats["valid_queries"] += int(valid.any(0).sum())
            stats["windows"] += 1
            timer.lap("post")
        out.append({"window": wi, "objects": kept, "label_map": label_map})
    return out


def keyframe_decisions(windows: List[dict], keyframes: int) -> List[List[Tuple[str, bool]]]:
    """Per keyframe, the sorted (label, sounding) pairs of the kept objects valid there (the objects the
    app would put on that keyframe, AnalysisResults: sounding = sound score >= 0.5)."""
    per = [[] for _ in range(keyframes)]
    for w in windows:
        for o in w["objects"]:
            for k in o["keyframes"]:
                per[k].append((o["label"], o["sound_score"] >= SOUNDING_THRESHOLD))
    return [sorted(p) for p in per]


# ----------------------------------------------------------------------------- main

def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", required=True, help="bundle directory (bundle.json: geometry, CLIP, vocabulary, "
                                                    "post-processing settings)")
    ap.add_argument("--checkpoint-dir", help="directory written by models/official/synthetic.py (or the released "
                                             "files under those names): model_ov_avss_VARIANT.pth, clip.pt, vggish.pth")
    ap.add_argument("--variant", default="r50", help="with --checkpoint-dir: r50, swinb (or r50-tiny, swinb-tiny)")
    ap.add_argument("--source", default="auto", choices=["auto", "eager", "torchscript"],
                    help="without --checkpoint-dir: the bundle's weights in the eager modules (auto tries this "
                         "first) or its TorchScript graphs")
    ap.add_argument("--clips", type=int, default=12, help="timed clips")
    ap.add_argument("--warmup-clips", type=int, default=2)
    ap.add_argument("--keyframes", type=int, default=10, help="keyframes per clip (the Java benchmark: 10)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", choices=["cuda", "cpu"])
    ap.add_argument("--precision", default="fp16", choices=["fp16", "bf16", "fp32"],
                    help="fp16 = autocast float16 as the official test (on the CPU: bfloat16, see the output)")
    ap.add_argument("--label-maps", action="store_true",
                    help="also compose the full-size label maps as the official script does (the Java "
                         "benchmark composes none)")
    ap.add_argument("--labels-out", help="JSON file: per clip, per keyframe, the sorted (label, sounding) decisions")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads for torch (0 = torch's default)")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    a = parse(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda, but torch %s sees no CUDA device" % torch.__version__)
    st = Settings(a.bundle)
    prec = Precision(a.precision, device)
    roi_align, roi_kind = pick_roi_align()
    if roi_kind == "host" and device.type == "cuda":
        note("torchvision is missing: roi_align runs on the CPU (host.roi_align), which slows the post stage")

    t0 = time.perf_counter()
    model, origin = load_model(a, st, device, prec)
    text_emb = text_classifier(model, st, device)
    if device.type == "cuda":
        torch.cuda.synchronize()
    load_s = time.perf_counter() - t0
    note("model: %s; %d names in the vocabulary" % (origin, len(st.names)))

    timer = Timer(device)
    for _ in range(a.warmup_clips):
        run_clip(model, st, text_emb, device, prec, roi_align, a.keyframes, timer, a.label_maps,
                 {"crops": 0, "valid_queries": 0, "windows": 0})
    timer = Timer(device)
    stats = {"crops": 0, "valid_queries": 0, "windows": 0}
    decisions = []
    if device.type == "cuda":
        torch.cuda.synchronize()
    c0 = time.perf_counter()
    for c in range(a.clips):
        windows = run_clip(model, st, text_emb, device, prec, roi_align, a.keyframes, timer, a.label_maps, stats)
        decisions.append({"clip": c, "windows": [{"window": w["window"], "objects": w["objects"]} for w in windows],
                          "keyframes": keyframe_decisions(windows, a.keyframes)})
    if device.type == "cuda":
        torch.cuda.synchronize()
    wall = time.perf_counter() - c0

    h, w, hp, wp = st.geometry(360, 640)
    nw = max(1, stats["windows"])
    say("official_model_source %s -" % model.source)
    say("official_pipeline_clips_per_s %.4f clips/s" % (a.clips / wall if wall > 0 else float("nan")))
    for stage in ("prepare", "model", "post"):
        say("official_stage_%s_ms_per_window %.1f ms" % (stage, 1000 * timer.totals[stage] / nw))
    if device.type == "cuda":
        say("official_gpu_memory_peak_mib %.1f MiB" % (torch.cuda.max_memory_allocated(device) / 2 ** 20))
        # torch's defaults, which libtorch under the Java side shares: TF32 convolutions, fp32 matmuls
        say("official_tf32 matmul=%d,cudnn=%d -" % (torch.backends.cuda.matmul.allow_tf32,
                                                     torch.backends.cudnn.allow_tf32))
    say("official_precision %s -" % prec.label)
    say("official_pixel_decoder_precision %s -" % model.pixel_decoder_precision)
    say("official_mask_logits_dtype %s -" % stats.get("mask_dtype", "none"))
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU_%d_threads" % torch.get_num_threads()
    say("official_device %s -" % name.replace(" ", "_"))
    say("official_input_size %dx%d_padded_%dx%d -" % (w, h, wp, hp))
    say("official_torch %s -" % torch.__version__)
    say("official_roi_align %s -" % roi_kind)
    say("official_label_maps %d -" % int(a.label_maps))
    say("official_clips %d clips" % a.clips)
    say("official_windows %d windows" % stats["windows"])
    say("official_crops_per_window %.1f crops" % (stats["crops"] / nw))
    say("official_valid_queries_per_window %.1f queries" % (stats["valid_queries"] / nw))
    say("official_load_s %.1f s" % load_s)
    if a.labels_out:
        with open(a.labels_out, "w", encoding="utf-8") as f:
            json.dump({"bundle": st.name, "model_source": model.source, "model": origin, "precision": prec.label,
                       "device": name, "torch": torch.__version__, "keyframes_per_clip": a.keyframes,
                       "clips": decisions}, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
