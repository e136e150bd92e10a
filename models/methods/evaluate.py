#!/usr/bin/env python3
"""The Python reference of the proposer-based methods on the AV-Shapes test split, window by
window as the app runs them, scored as the app's `eval` scores (one confusion matrix over all
frames; base / novel / harmonic mIoU):

    /usr/bin/python3 models/methods/evaluate.py seac|openavs --clips 200 [--data <AV-Shapes root>]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from avshapes.world import BASE, CATEGORIES, NOVEL, make_clip  # noqa: E402
from methods import openavs, seac  # noqa: E402
from methods.pipeline import (DEFAULT_NAMING, DEMO, NAMINGS, WINDOW, base_names, host_config,  # noqa: E402
                              load_graphs, name_rows, propose_window)
from ovavss.audio import example_levels_db, log_mel_examples  # noqa: E402
from ovavss.host import Confusion, text_classifier  # noqa: E402


def proposed(parts: dict, frames: np.ndarray, hc):
    """The proposer's window (pipeline.propose_window) and an empty label map [T,H0,W0] to fill."""
    p = propose_window(parts["proposer"], parts["clip_image.pt"], frames, hc)
    return p, torch.zeros(frames.shape[0], frames.shape[1], frames.shape[2], dtype=torch.long)


def names(parts: dict, p: dict, text: torch.Tensor, features: torch.Tensor = None,
          calibration: float = None, heard: torch.Tensor = None, heard_weight: float = None) -> torch.Tensor:
    """The CLIP names [K] of a window's proposals by the method's naming, base calibration and (SeAC)
    heard naming (``calibration`` and ``heard_weight`` override the bundle's; ``heard`` [T,V]: the
    window's seconds' audio–text scores of every name, see heard_scores)."""
    gamma = parts["calibration"] if calibration is None else calibration
    alpha = parts.get("heard_naming", 0.0) if heard_weight is None else heard_weight
    rows = heard[p["t"]] if heard is not None and alpha else None
    return name_rows(p, text, parts["naming"], features, gamma, parts["base"], rows, alpha)


def heard_scores(parts: dict, audio: torch.Tensor, text: torch.Tensor):
    """SeAC's heard naming: each second's score of every name [T,V] from the audio–text tower, with the
    scale and bias the bundle declares (as the app computes them); None when SeAC does not hear names."""
    if "audio_text" not in parts:
        return None
    with torch.no_grad():
        return openavs.scores(parts["audio_text"](audio).float(), text, parts["prompt_scale"], parts["prompt_bias"])


def seac_similarity(parts: dict, p: dict, audio: torch.Tensor, hc):
    """SeAC's associate step for a window's proposals p (at least one): each one's audio similarity
    [K] (its local-global feature against its second's audio) and that feature f [K,D]."""
    with torch.no_grad():
        glob = F.normalize(parts["clip_image.pt"](seac.global_views(p["rgb"], p["soft"], p["t"].tolist(),
                                                                    hc.clip_size)).float(), dim=-1)
        f = seac.mix_views(p["local"], glob)
        return seac.similarities(parts["association_mask"](f), parts["association_audio"](audio), p["t"], p["q"],
                                 parts["mask_pooling"]), f


def seac_scores(parts: dict, p: dict, audio: torch.Tensor, text: torch.Tensor, hc):
    """SeAC's associate and classify steps for a window's proposals p (at least one): each one's
    audio similarity [K] and CLIP name [K] (by the method's naming, calibration and heard naming)."""
    similarity, f = seac_similarity(parts, p, audio, hc)
    return similarity, names(parts, p, text, f, heard=heard_scores(parts, audio, text))


def seac_window(parts: dict, frames: np.ndarray, audio: torch.Tensor, text: torch.Tensor, hc,
                sigmas=(seac.SIGMA,), calibrations=(None,), heard_weights=(None,), heard_gates=(None,)) -> list:
    """One window: frames uint8 [T,H0,W0,3], its seconds' log-mel examples [T,1,96,64] → labels
    [T,H0,W0] per (base calibration γ, heard-naming weight α, σ, heard gate), the last fastest (None:
    the bundle's; the proposals are computed once)."""
    p, empty = proposed(parts, frames, hc)
    t_all = frames.shape[0]
    if p["t"].numel() == 0:
        return [empty.clone() for _ in calibrations for _ in heard_weights for _ in sigmas for _ in heard_gates]
    s, f = seac_similarity(parts, p, audio, hc)
    heard = heard_scores(parts, audio, text)
    out = []
    for gamma, alpha in [(g, a) for g in calibrations for a in heard_weights]:
        named = names(parts, p, text, f, gamma, heard, alpha)
        for sigma in sigmas:
            labels = empty.clone()
            for t in range(t_all):
                rows = torch.nonzero(p["t"] == t).flatten()
                if rows.numel():
                    labels[t] = seac.aggregate(p["masks"][p["q"][rows], t], s[rows], named[rows], sigma)
            out += [heard_gated(labels, heard, parts.get("heard_gate") if g is None else g) for g in heard_gates]
    return out


def gated(labels: torch.Tensor, levels_db: np.ndarray, silence_db) -> torch.Tensor:
    """SeAC's silence gate: the frames whose second is quieter than ``silence_db`` (dBFS; None: no
    gate) label nothing — nothing sounds in silence, whereas the aggregation labels the best-matching
    mask of every frame."""
    if silence_db is None:
        return labels
    out = labels.clone()
    for t in range(labels.shape[0]):
        if levels_db[t] < silence_db:
            out[t] = 0
    return out


def heard_gated(labels: torch.Tensor, heard, gate) -> torch.Tensor:
    """SeAC's heard gate: in each frame t, the pixels of a name its second scores below ``gate``
    (heard [T,V], see heard_scores; gate None or 0: no gate) label nothing — the object SeAC labels
    should be one the audio sounds like at all."""
    if not gate or heard is None:
        return labels
    out = labels.clone()
    gate32 = torch.tensor(gate, dtype=torch.float32)  # compared in float32, as the app compares
    for t in range(labels.shape[0]):
        for c in torch.unique(out[t]).tolist():
            if c > 0 and bool(heard[t, c - 1].float() < gate32):
                out[t][out[t] == c] = 0
    return out


def openavs_window(parts: dict, frames: np.ndarray, audio: torch.Tensor, text: torch.Tensor, hc,
                   thresholds: list, calibrations=(None,)) -> list:
    """One window through OpenAVS → labels [T,H0,W0] per (prompt threshold, base calibration γ),
    thresholds varying fastest (the proposals, the costly part, are computed once, so a sweep costs
    one pass)."""
    p, empty = proposed(parts, frames, hc)
    t_all = frames.shape[0]
    if p["t"].numel() == 0:
        return [empty.clone() for _ in thresholds for _ in calibrations]
    with torch.no_grad():
        scores = openavs.name_scores(parts["audio_text"], audio, text)  # [T,V]
    obj = p["objectness"]
    frame_rows = {}  # frame → its proposals' rows, most confident first (the same for every threshold)
    for t in range(t_all):
        rows = torch.nonzero(p["t"] == t).flatten()
        if rows.numel():
            frame_rows[t] = rows[torch.argsort(obj[p["q"][rows]], descending=True, stable=True)]
    out = []
    for gamma in calibrations:
        named = names(parts, p, text, calibration=gamma)
        for threshold in thresholds:
            labels = empty.clone()
            prompts = scores > threshold
            for t, rows in frame_rows.items():
                labels[t] = openavs.label_frame(p["masks"][p["q"][rows], t], named[rows], prompts[t])
            out.append(labels)
    return out


def declared(method: str, bundle: str = DEMO) -> dict:
    """The bundle's bundle.json entry for the method (empty when it declares none)."""
    with open(os.path.join(bundle, "bundle.json"), encoding="utf-8") as f:
        return json.load(f).get("methods", {}).get(method, {})


def load_parts(method: str, work: str = None, naming: str = None, unrefined: bool = False,
               association: str = None, refinement=None, mask_pooling: str = None,
               hear_names: bool = False) -> dict:
    """What the method runs: by default the demo bundle's shipped graphs (what the app runs); with
    ``work``, the trained eager modules under it (the checkpoints the graphs are exported from).
    The naming and OpenAVS's prompt threshold are the bundle's (``naming`` overrides).
    ``unrefined``: the shipped proposer without its refinement (the graph it wraps, methods/refine.py);
    ``refinement`` (radius, eps): the shipped proposer's inner graph refined with these instead;
    ``association``: SeAC's association from a train_seac.py result (seac_final.pt) instead of the
    shipped one, hearing through the shipped backbone; ``mask_pooling`` overrides SeAC's declared one;
    ``hear_names``: SeAC loads the audio–text tower (and OpenAVS's scale and bias) even when the bundle
    declares no heard naming, to sweep its weight."""
    spec = declared(method)
    parts = load_graphs(DEMO, ("clip_image.pt", "clip_text.pt"))
    parts["naming"] = naming or spec.get("naming", DEFAULT_NAMING[method])
    if parts["naming"] not in NAMINGS:
        raise SystemExit(f"naming must be one of {NAMINGS}")
    if work is None:
        graphs = load_graphs(DEMO, ["proposer.pt"] + (["association_audio.pt", "association_mask.pt"]
                                                      if method == "seac" else ["audio_text.pt"]))
        parts["proposer"] = graphs["proposer.pt"]
        if unrefined or refinement:
            if hasattr(parts["proposer"], "refinement"):
                parts["proposer"] = parts["proposer"].proposer
            elif unrefined:
                raise SystemExit("the shipped proposer.pt has no refinement to leave out")
        if refinement:
            from methods.refine import RefinedProposer
            parts["proposer"] = RefinedProposer(parts["proposer"], int(refinement[0]), float(refinement[1])).eval()
        if method == "seac" and association:
            parts["association_audio"], parts["association_mask"] = seac.association_modules(
                torch.load(association), graphs["association_audio.pt"].backbone)
        elif method == "seac":
            parts["association_mask"] = graphs["association_mask.pt"]
            parts["association_audio"] = graphs["association_audio.pt"]
        else:
            parts["audio_text"] = graphs["audio_text.pt"]
    else:
        from methods.train_seac import audio_backbone, load_proposer
        parts["proposer"] = load_proposer(os.path.join(work, "proposer", "proposer_final.pt"))
        if method == "seac":
            parts["association_audio"], parts["association_mask"] = seac.association_modules(
                torch.load(os.path.join(work, "seac", "seac_final.pt")),
                audio_backbone(os.path.join(work, "audio_text", "audio_text_final.pt")))
        else:
            ck = torch.load(os.path.join(work, "audio_text", "audio_text_final.pt"))
            from ovavss.model import model_from_bundle
            tower = openavs.AudioText(model_from_bundle(DEMO).audio_encoder)
            tower.load_state_dict(ck["model"])
            parts["audio_text"] = tower.eval()
            spec.setdefault("prompt_threshold", ck["training"]["prompt_threshold"])
    parts["calibration"] = float(spec.get("base_calibration", 0.0))
    with open(os.path.join(DEMO, "bundle.json"), encoding="utf-8") as f:
        parts["base"] = base_names(CATEGORIES, json.load(f).get("vocabulary", {}).get("base", []))
    if method == "openavs":
        parts["prompt_threshold"] = spec["prompt_threshold"]
    else:
        parts["sigma"] = spec.get("sigma", seac.SIGMA)
        parts["mask_pooling"] = mask_pooling or spec.get("mask_pooling", "frame")
        parts["silence_db"] = spec.get("silence_db")
        parts["heard_naming"] = float(spec.get("heard_naming", 0.0))
        parts["heard_gate"] = float(spec.get("heard_gate", 0.0))
        if parts["heard_naming"] or parts["heard_gate"] or hear_names:
            # the tower OpenAVS ships; work checkpoints are not searched for it (the shipped one is the export)
            hearing = spec if "prompt_scale" in spec else declared("openavs")
            parts["audio_text"] = load_graphs(DEMO, ["audio_text.pt"])["audio_text.pt"]
            parts["prompt_scale"], parts["prompt_bias"] = float(hearing["prompt_scale"]), float(hearing["prompt_bias"])
    return parts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("method", choices=["seac", "openavs"])
    ap.add_argument("--clips", type=int, default=200)
    ap.add_argument("--split", default="test")
    ap.add_argument("--data", help="a generated AV-Shapes root: read the clips from its files, as predict does")
    ap.add_argument("--work", help="evaluate the trained checkpoints under this folder (e.g. models/work) "
                    "instead of the demo bundle's shipped graphs")
    ap.add_argument("--naming", choices=NAMINGS, help="how proposals are named (default: the bundle's)")
    ap.add_argument("--unrefined", action="store_true", help="the shipped proposer without its mask refinement")
    ap.add_argument("--refine", nargs=2, type=float, metavar=("RADIUS", "EPS"),
                    help="the shipped proposer refined with this guided filter instead of its own (or none)")
    ap.add_argument("--association", metavar="SEAC_FINAL", help="SeAC: the association of this train_seac.py "
                    "result instead of the shipped one")
    ap.add_argument("--sigma", type=float, nargs="+",
                    help="SeAC's aggregation threshold(s) (default: the bundle's); several = a sweep in one pass")
    ap.add_argument("--silence-db", type=float, nargs="+", metavar="DBFS", help="SeAC: seconds quieter than this "
                    "label nothing (default: the bundle's silence_db, else none); several = a sweep in one pass")
    ap.add_argument("--mask-pooling", choices=seac.MASK_POOLINGS, help="SeAC: how a proposal's association vector "
                    "meets its second's audio (default: the bundle's, else frame)")
    ap.add_argument("--heard-naming", type=float, nargs="+", metavar="ALPHA", help="SeAC: weight of each second's "
                    "audio-text score of a name when a proposal is named (default: the bundle's heard_naming, else "
                    "0: CLIP alone, the paper); several = a sweep in one pass")
    ap.add_argument("--heard-gate", type=float, nargs="+", metavar="SCORE", help="SeAC: a labelled name its second "
                    "scores below this (audio-text score) labels nothing (default: the bundle's heard_gate, else 0: no "
                    "gate); several = a sweep in one pass")
    ap.add_argument("--threshold", type=float, nargs="+",
                    help="OpenAVS prompt threshold(s) (default: the declared one); several = a sweep in one pass")
    ap.add_argument("--calibration", type=float, nargs="+", metavar="GAMMA",
                    help="base calibration γ of the naming (default: the bundle's base_calibration); several = "
                         "a sweep in one pass")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.work and (args.unrefined or args.association or args.refine):
        ap.error("--unrefined, --refine and --association apply to the shipped graphs, not to --work")
    if args.unrefined and args.refine:
        ap.error("--unrefined or --refine, not both")
    if args.method == "openavs" and (args.mask_pooling or args.sigma or args.silence_db or args.heard_naming
                                     or args.heard_gate):
        ap.error("--mask-pooling, --sigma, --silence-db, --heard-naming and --heard-gate are SeAC's")
    if args.method == "seac" and args.threshold:
        ap.error("--threshold is OpenAVS's")
    parts = load_parts(args.method, args.work, args.naming, args.unrefined, args.association, args.refine,
                       args.mask_pooling, bool(args.heard_naming or args.heard_gate))
    text = text_classifier(parts["clip_text.pt"], CATEGORIES)
    hc = host_config()
    thresholds = args.threshold if args.threshold else [parts.get("prompt_threshold")]
    gammas = args.calibration if args.calibration else [parts["calibration"]]
    sigmas = args.sigma if args.sigma else [parts.get("sigma")]
    gates = args.silence_db if args.silence_db else [parts.get("silence_db")]
    alphas = args.heard_naming if args.heard_naming else [parts.get("heard_naming")]
    ears = args.heard_gate if args.heard_gate else [parts.get("heard_gate")]
    # one confusion matrix per (γ, SeAC's α, threshold or σ, SeAC's heard gate, SeAC's silence gate), the last
    # fastest
    runs = [(g, a, x, e, q) for g in gammas for a in alphas for x in (thresholds if args.method == "openavs" else sigmas)
            for e in ears for q in gates]
    confs = [Confusion(len(CATEGORIES) + 1) for _ in runs]
    t0 = time.time()
    for i in range(args.clips):
        if args.data:
            from export_bundle import clip_from_files
            c = clip_from_files(args.data, i)
        else:
            c = make_clip(args.split, i, 10)
        audio = torch.from_numpy(log_mel_examples(c["audio"], 10)[:10])
        levels = example_levels_db(c["audio"], 10)
        for start in range(0, 10, WINDOW):
            fr = c["frames"][start:start + WINDOW]
            au = audio[start:start + WINDOW]
            labs = (seac_window(parts, fr, au, text, hc, sigmas, gammas, alphas, ears) if args.method == "seac"
                    else openavs_window(parts, fr, au, text, hc, thresholds, gammas))
            labs = [gated(lab, levels[start:start + WINDOW], q) for lab in labs for q in gates]
            for conf, lab in zip(confs, labs):
                conf.add(c["semantic"][start:start + WINDOW], lab.numpy())
        if (i + 1) % 50 == 0:
            s = confs[0].scores(BASE, NOVEL)
            print(f"{i + 1}/{args.clips} ({time.time() - t0:.0f} s): "
                  + " ".join(f"{k}={v * 100:.2f}" for k, v in s.items()), flush=True)
    elapsed = time.time() - t0
    for (gamma, alpha, setting, ear, gate), conf in zip(runs, confs):
        s = {k: round(v * 100, 2) for k, v in conf.scores(BASE, NOVEL).items()}
        s.update({"method": args.method, "split": args.split, "clips": args.clips,
                  "clips_per_s": round(args.clips / elapsed, 2)})
        s.update({"sigma": setting, "mask_pooling": parts["mask_pooling"], "silence_db": gate, "heard_naming": alpha,
                  "heard_gate": ear}
                 if args.method == "seac" else {"prompt_threshold": setting})
        s.update({"naming": parts["naming"], "base_calibration": gamma})
        print(json.dumps(s))


if __name__ == "__main__":
    main()
