"""Loading the released OV-AVSS checkpoint (plus the OpenAI CLIP and VGGish files) into the official
module tree with a strict key/shape check.

Every failure raises :class:`CheckpointError` whose message is the whole user-facing report
(which file, what is missing/unexpected/mis-shaped, what to do).
"""
import inspect
import os
import zipfile
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch

from .configs import Variant, variant
from .model import TRAINING_ONLY, OfficialOVAVSS, build

CLIP_PREFIX = "clip_adapter.clip_model."
AUDIO_PREFIX = "audio_encoder.audio_backbone."
# constant buffers (CLIP pixel mean/std x255, unused in forward): filled with the official values if absent
CONSTANT_BUFFERS = ("clip_adapter.pixel_mean", "clip_adapter.pixel_std")
# legacy name the official decoder still renames on load (OVAVSS.md §5)
LEGACY_RENAMES = {"sem_seg_head.predictor.static_query.weight": "sem_seg_head.predictor.query_feat.weight"}
# scalar metadata some OpenAI archives keep in the state dict (openai/CLIP build_model deletes them)
CLIP_METADATA_KEYS = ("input_resolution", "context_length", "vocab_size")
REPORT_LIMIT = 25


class CheckpointError(Exception):
    """A checkpoint/CLIP/VGGish file cannot be used; the message says why and what to do."""


def _supports_weights_only() -> bool:
    return "weights_only" in inspect.signature(torch.load).parameters


def _is_torchscript_archive(path: str) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    return any(n.endswith("/constants.pkl") or "/code/" in n for n in names)


def safe_load(path: str, what: str, allow_pickle: bool = False):
    """``torch.load`` restricted to tensors and plain containers (``weights_only=True``).

    ``allow_pickle`` drops that restriction: only for a file the user trusts, because unpickling can run
    arbitrary code."""
    if not os.path.isfile(path):
        raise CheckpointError("%s: %s file not found" % (path, what))
    if os.path.getsize(path) == 0:
        raise CheckpointError("%s: %s file is empty" % (path, what))
    if _is_torchscript_archive(path):
        # e.g. OpenAI's CLIP .pt given in the wrong place: read its tensors without unpickling Python objects
        try:
            return torch.jit.load(path, map_location="cpu").state_dict()
        except Exception as e:
            raise CheckpointError("%s: cannot read the TorchScript archive (%s)" % (path, e))
    kwargs = {"map_location": "cpu"}
    if not allow_pickle:
        if not _supports_weights_only():
            raise CheckpointError("torch %s cannot load checkpoints safely (no weights_only); install torch >= 1.13 "
                                  "or pass --allow-pickle for a file you trust" % torch.__version__)
        kwargs["weights_only"] = True
    try:
        return torch.load(path, **kwargs)
    except Exception as e:  # torch raises many types for foreign/corrupt files
        hint = "" if allow_pickle else (" If this is a genuine checkpoint that also stores non-tensor Python "
                                        "objects, re-run with --allow-pickle (only for a file you trust).")
        raise CheckpointError("%s: cannot read as a %s with safe loading (%s: %s).%s"
                              % (path, what, type(e).__name__, str(e).splitlines()[0] if str(e) else "", hint))


def unwrap_state_dict(obj, path: str, what: str) -> "OrderedDict[str, torch.Tensor]":
    """Accepts a raw state dict, ``{"model": sd, ...}`` (detectron2) or ``{"state_dict": sd}``."""
    if isinstance(obj, dict) and isinstance(obj.get("model"), dict):
        obj = obj["model"]
    elif isinstance(obj, dict) and isinstance(obj.get("state_dict"), dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict):
        raise CheckpointError("%s: not a valid %s: expected a state dict or {'model': state_dict}, got %s"
                              % (path, what, type(obj).__name__))
    sd = OrderedDict()
    bad = []
    for k, v in obj.items():
        if not isinstance(k, str):
            bad.append(repr(k))
        elif isinstance(v, torch.Tensor):
            sd[k] = v
        else:
            bad.append("%s (%s)" % (k, type(v).__name__))
    if bad:
        raise CheckpointError("%s: not a valid %s: %d entries are not tensors, e.g. %s"
                              % (path, what, len(bad), ", ".join(bad[:5])))
    if sd and all(k.startswith("module.") for k in sd):
        sd = OrderedDict((k[len("module."):], v) for k, v in sd.items())
    if not sd:
        raise CheckpointError("%s: the %s holds no tensors" % (path, what))
    return sd


def _prefixes(sd: Dict[str, torch.Tensor]) -> str:
    seen = []
    for k in sd:
        p = k.split(".")[0]
        if p not in seen:
            seen.append(p)
    return ", ".join(seen[:8])


def detect_variant(sd: Dict[str, torch.Tensor], path: str) -> str:
    """'r50' or 'swinb' from the backbone keys; a clear message for the other files people mix up."""
    if "backbone.stem.conv1.weight" in sd:
        return "r50"
    if "backbone.patch_embed.proj.weight" in sd:
        return "swinb"
    if "visual.conv1.weight" in sd or "visual.layer1.0.conv1.weight" in sd:
        raise CheckpointError("%s: this is a CLIP model, not the OV-AVSS checkpoint; pass it with --clip and give "
                              "model_ov_avss_r50.pth / model_ov_avss_swinb.pth as --checkpoint" % path)
    if "features.0.weight" in sd and "embeddings.0.weight" in sd:
        raise CheckpointError("%s: this is the VGGish model, not the OV-AVSS checkpoint; pass it with --vggish"
                              % path)
    raise CheckpointError("%s: not an OV-AVSS checkpoint: no backbone.stem.* (R50) or backbone.patch_embed.* "
                          "(Swin-B) keys; top-level prefixes found: %s" % (path, _prefixes(sd)))


def describe_clip(sd: Dict[str, torch.Tensor]) -> str:
    """Human name of an OpenAI CLIP state dict ('ViT-B/16', 'ViT-L/14@336px', ...)."""
    if "visual.conv1.weight" not in sd or "visual.positional_embedding" not in sd:
        if "visual.layer1.0.conv1.weight" in sd:
            return "a ResNet CLIP (RN50 family)"
        return "not a CLIP ViT"
    w, _, p, _ = sd["visual.conv1.weight"].shape
    grid = int(round((sd["visual.positional_embedding"].shape[0] - 1) ** 0.5))
    res = grid * p
    name = {768: "ViT-B", 1024: "ViT-L"}.get(w, "ViT(width %d)" % w)
    return "%s/%d%s" % (name, p, "" if res in (224,) else "@%dpx" % res)


def load_clip(path: str, allow_pickle: bool = False) -> "OrderedDict[str, torch.Tensor]":
    """OpenAI CLIP weights: the released TorchScript archive (read via torch.jit.load(...).state_dict(),
    which runs no Python pickle code) or a plain state dict. Returned in fp32 with OpenAI's key names."""
    obj = safe_load(path, "CLIP", allow_pickle)
    sd = unwrap_state_dict(obj, path, "CLIP state dict")
    for k in CLIP_METADATA_KEYS:
        sd.pop(k, None)
    for k in [k for k in sd if k == "attn_mask" or k.endswith(".attn_mask")]:
        del sd[k]  # the causal text mask is derived, not a weight (kept by some archives)
    if CLIP_PREFIX + "visual.conv1.weight" in sd:  # already prefixed (e.g. cut from an OV-AVSS checkpoint)
        sd = OrderedDict((k[len(CLIP_PREFIX):], v) for k, v in sd.items() if k.startswith(CLIP_PREFIX))
    if "token_embedding.weight" not in sd or "visual.conv1.weight" not in sd:
        raise CheckpointError("%s: not an OpenAI CLIP model (no visual.conv1.weight / token_embedding.weight); "
                              "top-level prefixes found: %s" % (path, _prefixes(sd)))
    return OrderedDict((k, v.float() if v.is_floating_point() else v) for k, v in sd.items())


def load_vggish(path: str, allow_pickle: bool = False) -> "OrderedDict[str, torch.Tensor]":
    """torchvggish ``vggish-10086976.pth`` (keys features.* / embeddings.*)."""
    sd = unwrap_state_dict(safe_load(path, "VGGish state dict", allow_pickle), path, "VGGish state dict")
    if AUDIO_PREFIX + "features.0.weight" in sd:
        sd = OrderedDict((k[len(AUDIO_PREFIX):], v) for k, v in sd.items() if k.startswith(AUDIO_PREFIX))
    if "features.0.weight" not in sd or "embeddings.0.weight" not in sd:
        raise CheckpointError("%s: not the VGGish model (no features.0.weight / embeddings.0.weight); top-level "
                              "prefixes found: %s" % (path, _prefixes(sd)))
    pca = [k for k in sd if k.startswith("pca") or k.startswith("_pca")]
    if pca:
        raise CheckpointError("%s: this is the VGGish PCA file, not the VGGish weights (use vggish-10086976.pth)"
                              % path)
    return OrderedDict((k, v.float()) for k, v in sd.items())


def _list(title: str, items: List[str]) -> str:
    more = "" if len(items) <= REPORT_LIMIT else "\n    … and %d more" % (len(items) - REPORT_LIMIT)
    return "  %s (%d):\n    %s%s" % (title, len(items), "\n    ".join(items[:REPORT_LIMIT]), more)


def check_keys(sd: Dict[str, torch.Tensor], expected: Dict[str, torch.Tensor], source: str,
               optional: Tuple[str, ...] = TRAINING_ONLY) -> None:
    """Strict comparison of names and shapes; raises with the full report."""
    missing = [k for k in expected if k not in sd and k not in optional]
    unexpected = [k for k in sd if k not in expected]
    wrong = ["%s: file %s, model %s" % (k, list(sd[k].shape), list(expected[k].shape))
             for k in expected if k in sd and tuple(sd[k].shape) != tuple(expected[k].shape)]
    if missing or unexpected or wrong:
        parts = ["%s does not match the official configuration:" % source]
        if missing:
            parts.append(_list("missing keys", missing))
        if unexpected:
            parts.append(_list("unexpected keys", unexpected))
        if wrong:
            parts.append(_list("wrong shapes", wrong))
        raise CheckpointError("\n".join(parts))


class Loaded:
    """The loaded model plus a log of where each part came from."""

    def __init__(self, model: OfficialOVAVSS, notes: List[str]):
        self.model = model
        self.notes = notes


def _compare(a: Dict[str, torch.Tensor], b: Dict[str, torch.Tensor]) -> Optional[float]:
    """Max |a-b| over common keys, None when the key sets differ."""
    if set(a) != set(b):
        return None
    m = 0.0
    for k in a:
        if a[k].shape != b[k].shape:
            return None
        if a[k].is_floating_point():
            m = max(m, float((a[k].float() - b[k].float()).abs().max())) if a[k].numel() else m
    return m


def load_official(checkpoint: str, clip: Optional[str] = None, vggish: Optional[str] = None,
                  variant_name: str = "auto", allow_pickle: bool = False) -> Loaded:
    """Reads the three files, checks everything strictly and returns the loaded model (eval mode)."""
    notes: List[str] = []
    sd = unwrap_state_dict(safe_load(checkpoint, "OV-AVSS checkpoint", allow_pickle), checkpoint,
                           "OV-AVSS checkpoint")
    name = detect_variant(sd, checkpoint) if variant_name == "auto" else variant_name
    if variant_name != "auto":
        detected = detect_variant(sd, checkpoint)
        if not name.startswith(detected):
            raise CheckpointError("%s: --variant %s given, but the checkpoint's backbone is %s"
                                  % (checkpoint, name, detected))
    v: Variant = variant(name)
    for old, new in LEGACY_RENAMES.items():
        if old in sd and new not in sd:
            sd[new] = sd.pop(old)
            notes.append("renamed legacy key %s -> %s" % (old, new))
    notes.append("checkpoint %s: %s (%d tensors)" % (os.path.basename(checkpoint), v.name, len(sd)))
    model = build(v)
    expected = model.state_dict()

    has_clip = any(k.startswith(CLIP_PREFIX) for k in sd)
    has_audio = any(k.startswith(AUDIO_PREFIX) for k in sd)
    if has_clip:
        notes.append("CLIP: clip_adapter.* taken from the checkpoint")
    if has_audio:
        notes.append("VGGish: audio_encoder.* taken from the checkpoint")

    if not has_clip:
        if not clip:
            raise CheckpointError("%s has no clip_adapter.* weights: pass the OpenAI %s file with --clip"
                                  % (checkpoint, v.clip_name))
        csd = load_clip(clip, allow_pickle)
        got = describe_clip(csd)
        want = {k[len(CLIP_PREFIX):]: t for k, t in expected.items() if k.startswith(CLIP_PREFIX)}
        if v.official and got != v.clip_name:
            raise CheckpointError("%s: this CLIP file is %s, the %s model needs %s"
                                  % (clip, got, v.name, v.clip_name))
        check_keys(csd, want, "%s (CLIP)" % clip, optional=())
        for k, t in csd.items():
            sd[CLIP_PREFIX + k] = t
        notes.append("CLIP: %s from %s" % (got, os.path.basename(clip)))
    elif clip:
        diff = _compare({k[len(CLIP_PREFIX):]: t for k, t in sd.items() if k.startswith(CLIP_PREFIX)},
                        load_clip(clip, allow_pickle))
        notes.append("CLIP: --clip ignored; it %s" % ("has other keys/shapes than the checkpoint's copy"
                                                      if diff is None else "differs from the checkpoint's copy by "
                                                      "max |d| = %.3g" % diff))

    if not has_audio:
        if not vggish:
            raise CheckpointError("%s has no audio_encoder.* weights: pass vggish-10086976.pth with --vggish"
                                  % checkpoint)
        vsd = load_vggish(vggish, allow_pickle)
        want = {k[len(AUDIO_PREFIX):]: t for k, t in expected.items() if k.startswith(AUDIO_PREFIX)}
        check_keys(vsd, want, "%s (VGGish)" % vggish, optional=())
        for k, t in vsd.items():
            sd[AUDIO_PREFIX + k] = t
        notes.append("VGGish: from %s" % os.path.basename(vggish))
    elif vggish:
        diff = _compare({k[len(AUDIO_PREFIX):]: t for k, t in sd.items() if k.startswith(AUDIO_PREFIX)},
                        load_vggish(vggish, allow_pickle))
        notes.append("VGGish: --vggish ignored; it %s" % ("has other keys/shapes than the checkpoint's copy"
                                                          if diff is None else "differs from the checkpoint's copy "
                                                          "by max |d| = %.3g" % diff))

    check_keys(sd, expected, checkpoint, optional=TRAINING_ONLY + CONSTANT_BUFFERS)
    for k in TRAINING_ONLY + CONSTANT_BUFFERS:
        sd.setdefault(k, expected[k].clone())
    bad = [k for k, t in sd.items() if t.is_floating_point() and not bool(torch.isfinite(t).all())]
    if bad:
        raise CheckpointError(_list("%s: tensors with NaN/Inf values" % checkpoint, bad))
    sd = OrderedDict((k, t.to(expected[k].dtype)) for k, t in sd.items())
    model.load_state_dict(sd, strict=True)
    model.eval()
    return Loaded(model, notes)
