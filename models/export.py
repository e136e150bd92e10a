#!/usr/bin/env python3
"""Turns the released OV-AVSS weights into a model bundle the app runs (MODEL_BUNDLE.md).

    /usr/bin/python3 models/export.py --checkpoint model_ov_avss_r50.pth \\
        --clip ViT-B-16.pt --vggish vggish-10086976.pth --out ~/ovavss-models/ov-avss-r50

The checkpoint's variant (R50 or Swin-B) is read from its keys. --clip / --vggish are needed only when
the checkpoint lacks clip_adapter.* / audio_encoder.*. The CLIP BPE merges file is copied from your own
CLIP installation (--bpe, or found next to the installed ``clip`` package).

Every check (keys, shapes, file types, eager-vs-TorchScript equality) runs before anything appears at
--out: the bundle is written to a temporary directory beside it and moved into place only on success.
Exit status 0 = bundle written, 2 = refused (the report says why), 1 = unexpected error.
"""
import argparse
import datetime
import gzip
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

from official import metadata  # noqa: E402
from ovavss.files import sha256  # noqa: E402
import add_fp16  # noqa: E402
from official.checkpoint import CheckpointError, load_official  # noqa: E402
from official.configs import VARIANTS  # noqa: E402

FORMAT = "ovavss-bundle/1"
GOLDEN_SEED = 20240601
# padded frame size of the golden segmenter call: small, a multiple of 32, not square
GOLDEN_HW = (64, 96)
# eager vs TorchScript: the same kernels run, so anything beyond float noise is a real export bug
EXPORT_RTOL = 1e-4
SEGMENTER_EXPORT = ("torch.jit.script: one graph serves every padded size (the app pads each video to its "
                    "own multiple of 32; tracing would freeze the reference points, positional encodings, "
                    "level splits and attention-mask sizes to one resolution)")


def say(msg: str) -> None:
    print(msg, flush=True)


def find_bpe(explicit: Optional[str]) -> str:
    if explicit:
        if not os.path.isfile(explicit):
            raise CheckpointError("%s: BPE merges file not found (--bpe)" % explicit)
        return explicit
    spec = importlib.util.find_spec("clip")
    if spec is not None and spec.origin:
        cand = os.path.join(os.path.dirname(spec.origin), "bpe_simple_vocab_16e6.txt.gz")
        if os.path.isfile(cand):
            return cand
    raise CheckpointError("no CLIP BPE merges file: install OpenAI's clip package (pip install "
                          "git+https://github.com/openai/CLIP.git) or pass --bpe path/to/bpe_simple_vocab_16e6.txt.gz")


def count_merges(path: str) -> int:
    """Merge pairs the CLIP tokenizer uses from this file (at most 48,894; first line is a header)."""
    opener = gzip.open if path.endswith(".gz") else open
    n = 0
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            f.readline()
            for line in f:
                if n >= metadata.CLIP_MAX_MERGES:
                    break
                if not line.strip():
                    continue
                if len(line.split()) != 2:
                    raise CheckpointError("%s: line %d is not a BPE merge pair" % (path, n + 2))
                n += 1
    except (OSError, UnicodeDecodeError) as e:
        raise CheckpointError("%s: cannot read as a BPE merges file (%s)" % (path, e))
    return n


def golden_inputs(cfg, vocab: int) -> Dict[str, Tuple[torch.Tensor, ...]]:
    g = torch.Generator().manual_seed(GOLDEN_SEED)
    t = cfg.num_frames
    h, w = GOLDEN_HW
    r = cfg.clip_image_resolution
    log_mel = torch.randn(2, 1, 96, 64, generator=g) * 2.0 - 3.0
    frames = torch.randn(t, 3, h, w, generator=g)
    audio = torch.relu(torch.randn(t, cfg.audio_dim, generator=g))
    crops = torch.randn(2, 3, r, r, generator=g)
    ctx = cfg.clip_context_length
    tokens = torch.zeros(2, ctx, dtype=torch.int64)
    for row, length in enumerate([5, 9]):
        tokens[row, 0] = vocab - 2  # <|startoftext|>
        tokens[row, 1:length - 1] = torch.randint(1, vocab - 2, (length - 2,), generator=g)
        tokens[row, length - 1] = vocab - 1  # <|endoftext|>: the highest id, pooled by argmax
    return {"audio_encoder.pt": (log_mel,), "segmenter.pt": (frames, audio), "clip_image.pt": (crops,),
            "clip_text.pt": (tokens,)}


def as_tuple(out) -> Tuple[torch.Tensor, ...]:
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def max_rel_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max() / (b.abs().max() + 1e-6)) if a.numel() else 0.0


def write_graphs(model, tmp: str, inputs) -> Tuple[Dict[str, dict], Dict[str, Tuple[torch.Tensor, ...]]]:
    """Scripts and saves the four graphs, reloads each, and checks it against the eager module."""
    info: Dict[str, dict] = {}
    outputs: Dict[str, Tuple[torch.Tensor, ...]] = {}
    for name, mod in model.export_modules().items():
        t0 = time.time()
        scripted = torch.jit.script(mod)
        path = os.path.join(tmp, name)
        scripted.save(path)
        reloaded = torch.jit.load(path, map_location="cpu")
        with torch.no_grad():
            eager = as_tuple(mod(*inputs[name]))
            exported = as_tuple(reloaded(*inputs[name]))
        if len(eager) != len(exported):
            raise CheckpointError("%s: exported graph returns %d outputs, eager module %d" % (name, len(exported),
                                                                                            len(eager)))
        diffs = [max_rel_diff(e, x) for e, x in zip(exported, eager)]
        if any(shp.shape != x.shape for shp, x in zip(exported, eager)) or max(diffs) > EXPORT_RTOL:
            raise CheckpointError("%s: exported graph differs from the eager module (relative max diff %s)"
                                  % (name, ", ".join("%.2e" % d for d in diffs)))
        outputs[name] = eager
        info[name] = {"export": SEGMENTER_EXPORT if name == "segmenter.pt" else "torch.jit.script",
                      "eager_vs_export_max_rel_diff": max(diffs)}
        say("  %-17s scripted, saved and checked in %.1f s (max rel diff %.1e)" % (name, time.time() - t0,
                                                                                 max(diffs)))
    return info, outputs


def write_golden(tmp: str, inputs, outputs) -> Dict[str, dict]:
    os.makedirs(os.path.join(tmp, "golden"))
    index = {}
    for name in inputs:
        stem = name[:-3]
        entry = {"inputs": [], "outputs": []}
        for kind, tensors in (("in", inputs[name]), ("out", outputs[name])):
            for i, t in enumerate(tensors):
                rel = "golden/%s.%s%d.npy" % (stem, kind, i)
                np.save(os.path.join(tmp, rel), t.detach().cpu().numpy())
                entry["inputs" if kind == "in" else "outputs"].append(rel)
        index[name] = entry
    return index


def model_card(v, notes: List[str], bpe_name: str) -> str:
    return """# {name}

OV-AVSS (ACM MM'24, "Open-Vocabulary Audio-Visual Semantic Segmentation", github.com/ruohaoguo/ovavss)
exported to TorchScript by `models/export.py` of OV-AVSS Studio on {date}.

Sources:
{sources}

Weights: the OV-AVSS authors' released checkpoint, OpenAI CLIP {clip} and torchvggish VGGish. Their
licences apply to this bundle; it is for your own use and is not redistributed by OV-AVSS Studio.
The CLIP BPE merges (`tokenizer/{bpe}`) were copied from your own CLIP installation.

Graphs (fp32): `audio_encoder.pt` (VGGish, no PCA, final ReLU), `segmenter.pt` (backbone + pixel decoder +
transformer decoder; scripted, any padded size), `clip_image.pt`, `clip_text.pt`. `golden/` holds the
inputs and outputs of each graph on fixed random inputs (see `bundle.json` → `golden`).

Metrics: not measured by the exporter. The official numbers come from fp16 autocast inference; this
bundle runs fp32, so borderline thresholds (mask > 0, score > 0.3) can flip.
""".format(name=v.name, date=datetime.date.today().isoformat(), sources="\n".join("- " + n for n in notes),
           clip=v.clip_name, bpe=bpe_name)


def build_manifest(v, bpe_rel: str, graphs: dict, golden: dict, notes: List[str], sources: dict) -> dict:
    cfg = v.cfg
    return {
        "format": FORMAT,
        "name": v.name,
        "frames_per_clip": cfg.num_frames,
        "queries": cfg.num_queries,
        "image": dict(metadata.IMAGE),
        "audio": dict(metadata.AUDIO, embedding_dim=cfg.audio_dim),
        "clip": {"model": v.clip_name, "input_size": cfg.clip_image_resolution, "embedding_dim": cfg.clip_embed_dim,
                 "context_length": cfg.clip_context_length, "temperature": metadata.TEMPERATURE,
                 "mean": metadata.CLIP_MEAN, "std": metadata.CLIP_STD,
                 "tokenizer": {"type": "clip-bpe", "merges": bpe_rel},
                 "templates": list(metadata.VILD_TEMPLATES)},
        "postprocess": dict(metadata.POSTPROCESS),
        "vocabulary": {"default": list(metadata.NAMES), "base": list(metadata.BASE_NAMES),
                       "novel": list(metadata.NOVEL_NAMES)},
        "metrics": {"dataset": "AVSBench-semantic (OV-AVSS base/novel split)",
                    "note": "not measured by models/export.py"},
        "graphs": graphs,
        "golden": golden,
        "export": {"tool": "models/export.py", "torch": torch.__version__, "variant": v.name,
                   "official_configuration": v.official, "dtype": "float32", "sources": sources, "notes": notes},
    }


def export(args) -> str:
    out = os.path.abspath(os.path.expanduser(args.out))
    if os.path.exists(out) and not args.force:
        raise CheckpointError("%s already exists; choose another --out or pass --force to replace it" % out)
    bpe = find_bpe(args.bpe)
    torch.set_num_threads(max(1, min(args.threads, os.cpu_count() or 1)))
    t0 = time.time()
    say("reading %s" % args.checkpoint)
    loaded = load_official(args.checkpoint, args.clip, args.vggish, args.variant, args.allow_pickle)
    model = loaded.model
    v = model.variant
    for n in loaded.notes:
        say("  " + n)
    merges = count_merges(bpe)
    vocab = 512 + merges + 2
    if vocab != v.cfg.clip_vocab_size:
        raise CheckpointError("%s: gives a %d-token vocabulary, but the CLIP text tower has %d token embeddings "
                              "(wrong or truncated merges file?)" % (bpe, vocab, v.cfg.clip_vocab_size))
    say("all %d tensors match the official %s configuration (%.1f s)"
        % (len(model.state_dict()), v.name, time.time() - t0))

    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + os.path.basename(out) + ".partial-", dir=parent)
    try:
        inputs = golden_inputs(v.cfg, vocab)
        graphs, outputs = write_graphs(model, tmp, inputs)
        golden = write_golden(tmp, inputs, outputs)
        os.makedirs(os.path.join(tmp, "tokenizer"))
        bpe_rel = "tokenizer/" + os.path.basename(bpe)
        shutil.copyfile(bpe, os.path.join(tmp, bpe_rel))
        with open(os.path.join(tmp, "README.md"), "w", encoding="utf-8") as f:
            f.write(model_card(v, loaded.notes, os.path.basename(bpe)))
        sources = {"checkpoint": {"file": os.path.basename(args.checkpoint), "sha256": sha256(args.checkpoint)}}
        for key, path in (("clip", args.clip), ("vggish", args.vggish)):
            if path:
                sources[key] = {"file": os.path.basename(path), "sha256": sha256(path)}
        manifest = build_manifest(v, bpe_rel, graphs, golden, loaded.notes, sources)
        if args.fp16:
            say("fp16 graphs (the app's Precision: fp16 setting)")
            files = add_fp16.write_fp16_graphs(tmp, say)
            dev = add_fp16.choose_device(args.fp16_check_device)
            checked = add_fp16.check(tmp, manifest, dev) if dev is not None else None
            say("  checked against fp32 on %s" % dev if dev is not None else "  not checked (no float16 kernels here)")
            add_fp16.add_to_manifest(tmp, manifest, files, checked)
        digests = {}
        for root, _, files in os.walk(tmp):
            for fn in sorted(files):
                full = os.path.join(root, fn)
                digests[os.path.relpath(full, tmp).replace(os.sep, "/")] = sha256(full)
        manifest["sha256"] = dict(sorted(digests.items()))
        with open(os.path.join(tmp, "bundle.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1, ensure_ascii=False)
            f.write("\n")
        if os.path.exists(out):  # --force: keep the old bundle until the new one is in place
            old = tempfile.mkdtemp(prefix="." + os.path.basename(out) + ".old-", dir=parent)
            os.rename(out, os.path.join(old, "bundle"))
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say("bundle written to %s in %.1f s" % (out, time.time() - t0))
    return out


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, help="model_ov_avss_r50.pth or model_ov_avss_swinb.pth")
    ap.add_argument("--clip", help="OpenAI CLIP weights: ViT-B-16.pt (R50) or ViT-L-14-336px.pt (Swin-B)")
    ap.add_argument("--vggish", help="torchvggish vggish-10086976.pth")
    ap.add_argument("--out", required=True, help="bundle directory to create")
    ap.add_argument("--bpe", help="CLIP bpe_simple_vocab_16e6.txt.gz (default: next to the installed clip package)")
    ap.add_argument("--variant", default="auto", choices=["auto"] + list(VARIANTS),
                    help="auto = from the checkpoint keys; the *-tiny variants exist for the tests")
    ap.add_argument("--force", action="store_true", help="replace an existing --out directory")
    ap.add_argument("--allow-pickle", action="store_true",
                    help="load files with full pickle instead of weights_only (ONLY for files you trust)")
    ap.add_argument("--no-fp16", dest="fp16", action="store_false",
                    help="skip the float16 graphs (fp16/*.pt, for Precision: fp16 on a GPU)")
    ap.add_argument("--fp16-check-device", default="auto",
                    help="where to compare the fp16 graphs with the fp32 ones: auto, cuda, cpu or none")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads for the checks (default 2)")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    try:
        export(args)
        return 0
    except CheckpointError as e:
        print("export refused, no bundle written:\n" + str(e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
