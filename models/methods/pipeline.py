"""What the proposer-based methods share on one window (the Python reference the Java side is
checked against): the demo bundle's frozen towers, the proposer's valid masks per frame with their
CLIP crop embeddings (cut exactly as the OV-AVSS host cuts its crops), per-second audio embeddings."""
import os
from typing import Dict

import numpy as np
import torch
import torch.nn.functional as F

from ovavss.audio import log_mel_examples
from ovavss.host import HostConfig, base_names, make_crops, name_key, prepare_window  # noqa: F401 (re-exported)

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(MODELS, "demo-avshapes")
WINDOW = 5
#: a proposer query takes part when its objectness (softmax column 0) reaches this …
MIN_OBJECTNESS = 0.5
#: … and it is among this many most confident (the paper keeps the top 50 boxes)
TOP_PROPOSALS = 50
#: how a method names its proposals from the vocabulary (bundle.json ``methods.<m>.naming``):
#: ``features`` — each (frame, query) row by its own SeAC mask feature f (the SeAC paper);
#: ``crop`` — each row by its own local crop embedding (OpenAVS as first built);
#: ``window_crops`` — each query once per window, by the mean of its rows' crop embeddings.
NAMINGS = ("features", "crop", "window_crops")
#: what a bundle that declares no naming gets (what the methods did before the key existed)
DEFAULT_NAMING = {"seac": "features", "openavs": "crop"}


def load_graphs(bundle: str = DEMO, names=("audio_encoder.pt", "clip_image.pt", "clip_text.pt")) -> Dict[str, torch.jit.ScriptModule]:
    return {n: torch.jit.load(os.path.join(bundle, n), map_location="cpu").eval() for n in names}


def audio_embeddings(audio_encoder, samples: np.ndarray, seconds: int = 10) -> torch.Tensor:
    """Mono 16 kHz samples → the frozen encoder's per-second embeddings [seconds,128] (the app's
    log-mel examples, padded to ``seconds`` as the official code pads to 10)."""
    mel = torch.from_numpy(log_mel_examples(samples, seconds)[:seconds])
    with torch.no_grad():
        return audio_encoder(mel).float()


def propose_window(proposer, clip_image, frames: np.ndarray, hc: HostConfig) -> Dict[str, torch.Tensor]:
    """One window of T frames (uint8 [T,H0,W0,3]) through the proposer, as the app runs it:
    eligible queries = objectness ≥ MIN_OBJECTNESS, the TOP_PROPOSALS most confident; a query is
    valid in frame t when its upsampled mask probability exceeds hc.valid_mask_prob somewhere.
    Returns, frame-major over the valid (t, q): ``t``, ``q``, ``local`` (L2-normalised CLIP
    embeddings of the host's crops), ``soft`` (the masks' probabilities at the resized frame size,
    for the global views), plus ``rgb`` (resized frames, 0..255 [T,3,H,W]), ``objectness`` [Q] and
    ``masks`` bool [Q,T,H0,W0] (mask logit > hc.mask_logit_threshold at the original size)."""
    t, h0, w0, _ = frames.shape
    resized, x = prepare_window(frames, hc)
    h, w, hp, wp = resized.shape[1], resized.shape[2], x.shape[2], x.shape[3]
    with torch.no_grad():
        obj_logits, mask_logits = proposer(x)
        objectness = obj_logits.softmax(-1)[:, 0]
        order = torch.argsort(objectness, descending=True, stable=True)[:TOP_PROPOSALS]
        eligible = torch.zeros_like(objectness, dtype=torch.bool)
        eligible[order] = True
        eligible &= objectness >= MIN_OBJECTNESS
        up = F.interpolate(mask_logits, size=(hp, wp), mode="bilinear", align_corners=False)  # [Q,T,Hp,Wp]
        probs = up.sigmoid().transpose(0, 1)  # [T,Q,Hp,Wp]
        valid = (probs > hc.valid_mask_prob).flatten(2).any(-1) & eligible.unsqueeze(0)  # [T,Q]
        tt, qq = torch.nonzero(valid, as_tuple=True)
        rgb = torch.from_numpy(np.ascontiguousarray(resized)).permute(0, 3, 1, 2).float()
        soft = probs[tt, qq][:, :h, :w]
        if tt.numel():
            local = F.normalize(clip_image(make_crops(rgb, probs[tt, qq], tt.tolist(), hc.clip_size)).float(), dim=-1)
        else:
            local = torch.zeros(0, 0)
        masks = up[:, :, :h, :w]
        if (h, w) != (h0, w0):
            masks = F.interpolate(masks, size=(h0, w0), mode="bilinear", align_corners=False)
    return {"t": tt, "q": qq, "local": local, "soft": soft, "rgb": rgb, "objectness": objectness,
            "masks": masks > hc.mask_logit_threshold}


def query_means(x: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """Each row replaced by the mean of the rows of its query (in row order) [K,D]."""
    out = torch.zeros_like(x)
    for query in torch.unique(q).tolist():
        rows = q == query
        out[rows] = x[rows].mean(0)
    return out


def name_rows(p: Dict[str, torch.Tensor], text: torch.Tensor, naming: str,
              features: torch.Tensor = None, calibration: float = 0.0,
              base: torch.Tensor = None, heard: torch.Tensor = None, heard_weight: float = 0.0) -> torch.Tensor:
    """Class ids 1..V of a window's rows (see NAMINGS); text [V,D] L2-normalised. ``window_crops``
    averages the L2-normalised crop embeddings of a query's rows in row order: with imprecise
    proposer masks a shape is misread in one frame more often than in most of five.
    ``calibration`` γ with ``base`` bool [V] (the names the bundle was trained on): a row is named by
    argmax over names of cos − γ·base (calibrated stacking, Chao et al. 2016): an image tower trained
    on the base names alone pulls a novel object towards a base name that shares its colour.
    ``heard`` [K,V] with ``heard_weight`` α (SeAC's heard naming, beyond the paper): each row's
    second's audio–text score of every name (sigmoid(scale·cos + bias), in (0,1)) is added with
    weight α: the object SeAC labels is the one sounding, so its name should be one the second sounds
    like; the image tower alone confuses novel shapes with base ones of the same colour, which the
    audio (timbre) tells apart."""
    if naming == "features":
        emb = features
    elif naming == "crop":
        emb = p["local"]
    elif naming == "window_crops":
        emb = query_means(p["local"], p["q"])
    else:
        raise ValueError(f"naming must be one of {NAMINGS}, not {naming!r}")
    if emb.shape[0] == 0:
        return torch.zeros(0, dtype=torch.long)
    scores = F.normalize(emb, dim=-1) @ text.t()
    if calibration and base is not None:
        scores = scores - calibration * base.to(scores.dtype)
    if heard_weight and heard is not None:
        scores = scores + heard_weight * heard.to(scores.dtype)
    return scores.argmax(1) + 1


def host_config(clip_size: int = 32) -> HostConfig:
    return HostConfig(min_size=128, max_size=512, clip_size=clip_size)
