#!/usr/bin/env python3
"""Adds float16 variants of a bundle's four graphs (``fp16/*.pt``), for the app's inference setting
"Precision: fp16 (as the official test)".

The official test runs the model under ``torch.cuda.amp.autocast()`` with the pixel decoder in
float32 (OVAVSS.md §6.1 item 9). DJL has no autocast and no call that casts a loaded module, so the
precision is baked into separate graphs here: the weights are cast with ``.half()``, and each graph
casts its inputs to float16 and its outputs back to float32 itself, so the app feeds and reads the
fp16 graphs exactly as the fp32 ones. An OV-AVSS segmenter (it has ``backbone`` and
``sem_seg_head.{pixel_decoder,predictor}``) keeps its pixel decoder in float32, as the official
code does; any other segmenter (the tiny test bundle's) is cast whole.

When this torch can run float16 on the chosen device (CUDA, or the CPU from torch 2.1 on), every
fp16 graph is run on the bundle's probe inputs and compared with its fp32 graph; the comparison goes
into bundle.json (``precisions.fp16.check``). Otherwise the graphs are written unchecked, and the
manifest says so.

    /usr/bin/python3 models/add_fp16.py BUNDLE --out NEW_BUNDLE   # a copy with fp16 graphs
    /usr/bin/python3 models/add_fp16.py BUNDLE --in-place         # add them to BUNDLE itself
    python3 models/add_fp16.py BUNDLE --check-only [--device cuda] # re-run the check, update bundle.json
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ovavss.files import sha256  # noqa: E402

GRAPHS = ("audio_encoder.pt", "segmenter.pt", "clip_image.pt", "clip_text.pt")
FP16_DIR = "fp16"
HOW = ("weights cast to float16; inputs cast to float16 and outputs back to float32 inside each graph, so the "
       "fp16 graphs take and return what the fp32 ones do; an OV-AVSS segmenter keeps its pixel decoder in "
       "float32 as the official autocast test does (written by models/add_fp16.py)")


class HalfTensorGraph(nn.Module):
    """float32 tensor → float16 graph → float32 tensor (audio encoder, CLIP image encoder)."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner.half()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x.half()).float()


class HalfTokenGraph(nn.Module):
    """int64 token ids → float16 text encoder → float32 embeddings."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner.half()

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.inner(tokens).float()


class HalfSegmenter(nn.Module):
    """A segmenter cast whole: (frames, audio) float32 → float16 → (sound, masks) float32."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner.half()

    def forward(self, frames: torch.Tensor, audio: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        sound, masks = self.inner(frames.half(), audio.half())
        return sound.float(), masks.float()


class MixedSegmenter(nn.Module):
    """OV-AVSS as the official fp16 test runs it: backbone and transformer decoder in float16, the
    audio-fused pixel decoder (deformable attention) in float32. Same calls as SegmenterExport."""

    def __init__(self, inner):
        super().__init__()
        self.backbone = inner.backbone.half()
        self.pixel_decoder = inner.sem_seg_head.pixel_decoder.float()
        self.predictor = inner.sem_seg_head.predictor.half()

    def forward(self, frames: torch.Tensor, audio: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        f = self.backbone(frames.half())
        mask_features, ms, fused = self.pixel_decoder(f["res2"].float(), f["res3"].float(), f["res4"].float(),
                                                      f["res5"].float(), audio.float())
        half_ms: List[torch.Tensor] = []
        for m in ms:
            half_ms.append(m.half())
        logits, masks, _, _ = self.predictor(half_ms, mask_features.half(), fused.half())
        return logits[0].float(), masks[0].float()


def is_ov_avss_segmenter(graph) -> bool:
    names = {n for n, _ in graph.named_modules()}
    return {"backbone", "sem_seg_head.pixel_decoder", "sem_seg_head.predictor"} <= names


def half_module(name: str, graph) -> nn.Module:
    if name == "segmenter.pt":
        return MixedSegmenter(graph) if is_ov_avss_segmenter(graph) else HalfSegmenter(graph)
    if name == "clip_text.pt":
        return HalfTokenGraph(graph)
    return HalfTensorGraph(graph)


def half_runs_on(device: torch.device) -> bool:
    """True when this torch has float16 matrix kernels on the device (the CPU's came with torch 2.1)."""
    try:
        a = torch.ones(2, 2, dtype=torch.float16, device=device)
        torch.nn.functional.conv2d(a.view(1, 1, 2, 2), a.view(1, 1, 2, 2))
        (a @ a).softmax(-1)
        torch.nn.functional.layer_norm(a, (2,))
        return True
    except RuntimeError:
        return False


def probe_inputs(manifest: dict, bundle: str) -> Dict[str, Tuple[torch.Tensor, ...]]:
    """The bundle's golden inputs where it has them, else deterministic random ones of the manifest's
    shapes (a 5-frame window at the manifest's smallest padded size, 8 crops, the first prompts)."""
    golden = manifest.get("golden")
    if golden:
        import numpy as np
        return {g: tuple(torch.from_numpy(np.load(os.path.join(bundle, p))) for p in golden[g]["inputs"])
                for g in GRAPHS if g in golden}
    g = torch.Generator().manual_seed(7)
    t = int(manifest["frames_per_clip"])
    div = int(manifest["image"].get("size_divisibility", 32))
    side = max(div, (int(manifest["image"]["min_size"]) + div - 1) // div * div)
    r = int(manifest["clip"]["input_size"])
    audio_dim = int(manifest["audio"]["embedding_dim"])
    ctx = int(manifest["clip"]["context_length"])
    tokens = torch.zeros(3, ctx, dtype=torch.int64)
    for row in range(3):
        n = 4 + 2 * row
        tokens[row, :n] = torch.randint(1, 200, (n,), generator=g)
    return {"audio_encoder.pt": (torch.randn(t, 1, 96, 64, generator=g),),
            "segmenter.pt": (torch.randn(t, 3, side, side, generator=g), torch.randn(t, audio_dim, generator=g)),
            "clip_image.pt": (torch.randn(8, 3, r, r, generator=g),),
            "clip_text.pt": (tokens,)}


def compare(name: str, ref: Tuple[torch.Tensor, ...], got: Tuple[torch.Tensor, ...]) -> dict:
    """Relative max difference per output, and what the app's decisions would see: for the segmenter
    the share of mask pixels on the same side of 0 and of queries with the same sound/silent argmax;
    for embeddings the mean cosine similarity."""
    out = {"max_rel_diff": [float((g - r).abs().max() / (r.abs().max() + 1e-6)) for r, g in zip(ref, got)],
           "finite": all(bool(torch.isfinite(g).all()) for g in got)}
    if name == "segmenter.pt":
        out["mask_sign_agreement"] = float(((ref[1] > 0) == (got[1] > 0)).float().mean())
        out["sound_argmax_agreement"] = float((ref[0].argmax(-1) == got[0].argmax(-1)).float().mean())
    else:
        out["mean_cosine"] = float(torch.nn.functional.cosine_similarity(ref[0].flatten(1), got[0].flatten(1)).mean())
    return out


def check(bundle: str, manifest: dict, device: torch.device) -> dict:
    inputs = probe_inputs(manifest, bundle)
    result = {"device": str(device), "torch": torch.__version__, "inputs": "golden" if manifest.get("golden")
              else "random, manifest shapes", "graphs": {}}
    with torch.inference_mode():
        for name in GRAPHS:
            if name not in inputs:
                continue
            args = tuple(x.to(device) for x in inputs[name])
            fp32 = torch.jit.load(os.path.join(bundle, name), map_location=device).eval()
            fp16 = torch.jit.load(os.path.join(bundle, FP16_DIR, name), map_location=device).eval()
            ref = fp32(*args)
            got = fp16(*args)
            ref = tuple(ref) if isinstance(ref, (tuple, list)) else (ref,)
            got = tuple(got) if isinstance(got, (tuple, list)) else (got,)
            if [x.shape for x in ref] != [x.shape for x in got] or any(x.dtype != torch.float32 for x in got):
                raise SystemExit("%s: the fp16 graph returns %s, the fp32 one %s" % (
                    name, [(tuple(x.shape), str(x.dtype)) for x in got], [(tuple(x.shape), str(x.dtype)) for x in ref]))
            result["graphs"][name] = compare(name, tuple(x.float().cpu() for x in ref), tuple(x.cpu() for x in got))
            if not result["graphs"][name]["finite"]:
                raise SystemExit("%s: the fp16 graph gives non-finite values on the probe inputs" % name)
    return result


def write_fp16_graphs(bundle: str, log=print) -> Dict[str, str]:
    """Scripts and saves fp16/<graph> for the four graphs of ``bundle`` (written in place; the caller
    owns the folder). Returns graph → relative path."""
    os.makedirs(os.path.join(bundle, FP16_DIR), exist_ok=True)
    files = {}
    for name in GRAPHS:
        t0 = time.time()
        graph = torch.jit.load(os.path.join(bundle, name), map_location="cpu").eval()
        mod = half_module(name, graph).eval()
        rel = FP16_DIR + "/" + name
        torch.jit.script(mod).save(os.path.join(bundle, rel))
        files[name] = rel
        log("  %-17s fp16 (%s) scripted and saved in %.1f s" % (name, type(mod).__name__, time.time() - t0))
    return files


def add_to_manifest(bundle: str, manifest: dict, files: Dict[str, str], checked: Optional[dict]) -> dict:
    manifest.setdefault("precisions", {})["fp16"] = {
        "graphs": files, "how": HOW,
        "check": checked or {"note": "not checked: this torch (%s) has no float16 kernels on the machine that "
                                     "wrote the graphs; run models/add_fp16.py --check-only on a GPU"
                                     % torch.__version__}}
    sha = dict(manifest.get("sha256", {}))
    for rel in files.values():
        sha[rel] = sha256(os.path.join(bundle, rel))
    manifest["sha256"] = dict(sorted(sha.items()))
    return manifest


def write_manifest(bundle: str, manifest: dict) -> None:
    path = os.path.join(bundle, "bundle.json")
    with open(path, encoding="utf-8") as f:  # keep the file's own indentation: a small diff
        lines = f.read().splitlines()
    indent = len(lines[1]) - len(lines[1].lstrip(" ")) if len(lines) > 1 else 1
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=max(1, indent), ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, os.path.join(bundle, "bundle.json"))


def choose_device(arg: str) -> Optional[torch.device]:
    if arg == "none":
        return None
    if arg == "auto":
        for d in ("cuda", "cpu"):
            if (d != "cuda" or torch.cuda.is_available()) and half_runs_on(torch.device(d)):
                return torch.device(d)
        return None
    dev = torch.device(arg)
    if not half_runs_on(dev):
        raise SystemExit("%s: this torch (%s) cannot run float16 there" % (arg, torch.__version__))
    return dev


def rescript_fp32(bundle: str, manifest: dict, log=print) -> None:
    """Re-scripts the fp32 graphs of a bundle that records its model_config (the demo) from the eager
    model rebuilt from those graphs' own parameters, so that they carry the current model code (the
    fp16 graphs need code whose tensors follow the input dtype). Same weights, checked equal."""
    if "model_config" not in manifest:
        raise SystemExit("--rescript: %s has no model_config (only bundles written by export_bundle.py)" % bundle)
    import export_bundle
    from ovavss.model import model_from_bundle
    model = model_from_bundle(bundle)
    eager, scripted = export_bundle.build_graphs(model)
    diffs = export_bundle.check_equal(model.cfg, eager, scripted)
    old = {g: torch.jit.load(os.path.join(bundle, g), map_location="cpu") for g in GRAPHS}
    same = export_bundle.check_equal(model.cfg, old, scripted)
    for name, sm in scripted.items():
        sm.save(os.path.join(bundle, name))
        manifest.setdefault("sha256", {})[name] = sha256(os.path.join(bundle, name))
    log("fp32 graphs re-scripted from their own weights (max abs diff vs eager %s, vs the old graphs %s)"
        % (json.dumps(diffs), json.dumps(same)))


def add_fp16(bundle: str, device_arg: str = "auto", log=print, rescript: bool = False) -> dict:
    """Adds fp16 graphs to a bundle folder the caller owns and rewrites its bundle.json."""
    with open(os.path.join(bundle, "bundle.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if rescript:
        rescript_fp32(bundle, manifest, log)
    files = write_fp16_graphs(bundle, log)
    dev = choose_device(device_arg)
    checked = check(bundle, manifest, dev) if dev is not None else None
    manifest = add_to_manifest(bundle, manifest, files, checked)
    write_manifest(bundle, manifest)
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle")
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="write a copy of the bundle with fp16 graphs here (must not exist)")
    where.add_argument("--in-place", action="store_true", help="add the fp16 graphs to BUNDLE itself")
    where.add_argument("--check-only", action="store_true",
                       help="compare the bundle's existing fp16 graphs with its fp32 ones and record it")
    ap.add_argument("--rescript", action="store_true",
                    help="first re-script the fp32 graphs from their own weights with the current model code "
                         "(bundles with a model_config, i.e. the demo)")
    ap.add_argument("--device", default="auto", help="auto (CUDA, else the CPU where torch can), cuda, cpu, none")
    a = ap.parse_args(argv)
    src = os.path.abspath(a.bundle)
    if not os.path.isfile(os.path.join(src, "bundle.json")):
        print("add_fp16: %s is not a model bundle (no bundle.json)" % src, file=sys.stderr)
        return 2
    if a.check_only:
        with open(os.path.join(src, "bundle.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        if "fp16" not in manifest.get("precisions", {}):
            print("add_fp16: %s has no fp16 graphs" % src, file=sys.stderr)
            return 2
        dev = choose_device(a.device)
        if dev is None:
            print("add_fp16: this torch (%s) can run float16 nowhere here" % torch.__version__, file=sys.stderr)
            return 2
        manifest["precisions"]["fp16"]["check"] = check(src, manifest, dev)
        write_manifest(src, manifest)
        print(json.dumps(manifest["precisions"]["fp16"]["check"], indent=1))
        return 0
    if a.in_place:
        manifest = add_fp16(src, a.device, rescript=a.rescript)
    else:
        out = os.path.abspath(a.out)
        if os.path.exists(out):
            print("add_fp16: %s already exists" % out, file=sys.stderr)
            return 2
        tmp = tempfile.mkdtemp(prefix="." + os.path.basename(out) + ".partial-", dir=os.path.dirname(out))
        try:
            shutil.rmtree(tmp)
            shutil.copytree(src, tmp)
            manifest = add_fp16(tmp, a.device, rescript=a.rescript)
            os.rename(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    print(json.dumps(manifest["precisions"]["fp16"]["check"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
