#!/usr/bin/env python3
"""Adds SeAC and OpenAVS to a bundle (MODEL_BUNDLE.md, "methods"): scripts the trained proposer,
association module and audio–text tower, checks each script against its eager module, writes the
graphs beside the bundle's own, declares the methods in bundle.json with their constants, the
training records and the Python reference's figures on the AV-Shapes test split, and updates the
sha256 list. Run after models/export_bundle.py (which rewrites bundle.json) and add_fp16.py:

    /usr/bin/python3 models/methods/export_methods.py [--bundle models/demo-avshapes] [--eval-clips 200]

With ``--metrics-only`` the shipped graphs stay as they are (no checkpoints needed): the declared
naming / threshold are updated and the figures re-measured on those graphs. Two more steps work on a
bundle whose checkpoints are gone, each followed by the same re-measuring:
``--refine-shipped`` wraps the shipped (unrefined) proposer.pt in the guided-filter refinement
(methods/refine.py); ``--association <seac_final.pt>`` re-exports SeAC's two association graphs from a
new training result, hearing through the backbone the shipped association_audio.pt carries.
"""
import argparse
import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
sys.path.insert(0, MODELS)

from add_fp16 import write_manifest  # noqa: E402
from methods import openavs, pipeline, refine, seac  # noqa: E402
from methods.train_seac import audio_backbone, load_proposer  # noqa: E402
from ovavss.files import sha256  # noqa: E402

WORK = os.path.join(MODELS, "work")
#: clips of the test split whose figures the Java test reproduces through predict + eval
CHECK_CLIPS = 24


def scripted(module, inputs, name):
    s = torch.jit.script(module.eval())
    with torch.no_grad():
        a = module(*inputs)
        b = s(*inputs)
    a = a if isinstance(a, tuple) else (a,)
    b = b if isinstance(b, tuple) else (b,)
    diff = max(float((x - y).abs().max()) for x, y in zip(a, b))
    if diff > 1e-5:
        raise SystemExit(f"{name}: scripted differs from eager by {diff}")
    return s, diff


DATA = os.path.join(MODELS, "data", "avshapes")


def evaluate(method: str, clips: int, work, threshold=None) -> dict:
    """The Python reference on the generated test clips' files (the JPEG frames and WAV audio that
    the app's predict reads), so that predict + eval can reproduce the figures; ``work`` None = the
    bundle's shipped graphs."""
    out = subprocess.run([sys.executable, os.path.join(HERE, "evaluate.py"), method, "--clips", str(clips),
                          "--data", DATA] + ([] if work is None else ["--work", work])
                         + ([] if threshold is None else ["--threshold", str(threshold)]),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


MARK = "\n## Other methods: SeAC and OpenAVS\n"


def naming_sentence(methods: dict) -> str:
    """How the methods name their proposals, as the README states it."""
    names = {methods[m].get("naming", pipeline.DEFAULT_NAMING[m]) for m in ("seac", "openavs")}
    choice = methods["seac"].get("naming_choice")
    out = (" Naming: " + ", ".join(f"{m} {methods[m].get('naming', pipeline.DEFAULT_NAMING[m])}"
                                   for m in ("seac", "openavs"))
           + (f" ({choice})" if choice and len(names) == 1 else "") + ".")
    gammas = {m: methods[m].get("base_calibration", 0.0) for m in ("seac", "openavs")}
    if any(gammas.values()):
        out += (" Base calibration γ (a base name's cosine lowered by γ when naming): "
                + ", ".join(f"{m} {g}" for m, g in gammas.items())
                + (f" ({methods['seac']['base_calibration_choice']})"
                   if "base_calibration_choice" in methods["seac"] else "") + ".")
    return out


def refinement_sentence(man: dict) -> str:
    """The proposer's refinement, as the README states it (empty without one)."""
    r = man.get("graphs", {}).get("proposer", {}).get("refinement")
    if not r:
        return ""
    return (f" The proposer's masks are refined inside proposer.pt by a colour guided filter (radius {r['radius']} px, "
            f"eps {r['eps']})" + (f": {r['choice']}" if r.get("choice") else "") + ".")


def pooling_sentence(spec: dict) -> str:
    """SeAC's mask pooling, silence gate and heard naming, as the README states them (empty for the paper's way)."""
    out = ""
    if spec.get("mask_pooling", "frame") != "frame":
        out += (" SeAC compares each query's association vector averaged over the window with each second's audio"
                + (f" ({spec['mask_pooling_choice']})" if spec.get("mask_pooling_choice") else "") + ".")
    if spec.get("silence_db") is not None:
        out += (f" SeAC labels nothing in a second quieter than {spec['silence_db']} dBFS"
                + (f" ({spec['silence_db_choice']})" if spec.get("silence_db_choice") else "") + ".")
    if spec.get("heard_naming"):
        out += (f" SeAC names a proposal by CLIP's cosine plus {spec['heard_naming']} × its second's audio-text score of"
                " the name (OpenAVS's tower)"
                + (f" ({spec['heard_naming_choice']})" if spec.get("heard_naming_choice") else "") + ".")
    if spec.get("heard_gate"):
        out += (f" A name SeAC labels is dropped in a second that scores it below {spec['heard_gate']}"
                + (f" ({spec['heard_gate_choice']})" if spec.get("heard_gate_choice") else "") + ".")
    return out


def write_readme_section(bundle: str, man: dict) -> None:
    """Replaces the bundle README's methods section with the recorded figures."""
    path = os.path.join(bundle, "README.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.split(MARK)[0].rstrip("\n") + "\n"
    ov = man["metrics"]
    rows = [("OV-AVSS", ov)] + [(n, man["methods"][k]["metrics"]) for n, k in (("SeAC", "seac"), ("OpenAVS", "openavs"))]
    table = "| method | base mIoU | novel mIoU | harmonic | mIoU |\n|---|---|---|---|---|\n" + "".join(
        f"| {n} | {m['base_miou']:.1f} | {m['novel_miou']:.1f} | {m['harmonic']:.1f} | {m['miou']:.1f} |\n"
        for n, m in rows)
    seac_t = man["methods"]["seac"]["training"]
    open_t = man["methods"]["openavs"]["training"]
    text += (MARK + "\nThe bundle also offers the papers' two other systems (`models/methods/`, `models/README.md`). "
             "Python reference on the AV-Shapes test split (200 clips, the files `predict` reads):\n\n" + table
             + "\nTraining records: proposer " + json.dumps(seac_t["proposer"]) + "; SeAC association "
             + json.dumps(seac_t["association"]) + "; audio-text tower " + json.dumps(open_t["audio_text"])
             + "." + refinement_sentence(man) + pooling_sentence(man["methods"]["seac"]) + " OpenAVS prompt threshold "
             + str(man["methods"]["openavs"]["prompt_threshold"]) + " ("
             + man["methods"]["openavs"]["prompt_threshold_choice"] + ")." + naming_sentence(man["methods"]) + "\n")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", default=pipeline.DEMO)
    ap.add_argument("--work", default=WORK)
    ap.add_argument("--eval-clips", type=int, default=200)
    ap.add_argument("--openavs-threshold", type=float, help="OpenAVS prompt threshold (default: the tower's "
                    "best tag F1 on val); choose it by the val split's harmonic mIoU with evaluate.py --split val")
    ap.add_argument("--threshold-note", default="", help="how the threshold was chosen (recorded in bundle.json)")
    ap.add_argument("--naming", choices=pipeline.NAMINGS, help="how both methods name their proposals "
                    "(default: each method's current declaration, else its default); choose it on val with "
                    "evaluate.py --split val --naming …")
    ap.add_argument("--sigma", type=float, help="SeAC's aggregation threshold σ (default: the one declared, else the "
                    "paper's 0.9); choose it on val with evaluate.py seac --split val --sigma …")
    ap.add_argument("--sigma-note", default="", help="how σ was chosen (recorded in bundle.json)")
    ap.add_argument("--naming-note", default="", help="how the naming was chosen (recorded in bundle.json)")
    ap.add_argument("--calibration", type=float, metavar="GAMMA", help="both methods' base calibration γ: a base "
                    "name's cosine is lowered by γ when proposals are named (default: the one declared, else 0); "
                    "choose it on val with evaluate.py seac|openavs --split val --calibration …")
    ap.add_argument("--calibration-note", default="", help="how γ was chosen (recorded in bundle.json)")
    ap.add_argument("--mask-pooling", choices=seac.MASK_POOLINGS, help="SeAC: how a proposal's association vector "
                    "meets its second's audio (default: the one declared, else frame); choose it on val with "
                    "evaluate.py seac --split val --mask-pooling …")
    ap.add_argument("--pooling-note", default="", help="how the pooling was chosen (recorded in bundle.json)")
    ap.add_argument("--silence-db", type=float, metavar="DBFS", help="SeAC's silence gate: seconds quieter than this "
                    "label nothing (default: the one declared, else none); choose it on val with evaluate.py seac "
                    "--split val --silence-db …")
    ap.add_argument("--silence-note", default="", help="how the gate was chosen (recorded in bundle.json)")
    ap.add_argument("--heard-naming", type=float, metavar="ALPHA", help="SeAC's heard naming: weight of each second's "
                    "audio-text score of a name (OpenAVS's tower) when a proposal is named (default: the one declared, "
                    "else 0, CLIP alone); choose it on val with evaluate.py seac --split val --heard-naming …")
    ap.add_argument("--heard-note", default="", help="how the weight was chosen (recorded in bundle.json)")
    ap.add_argument("--heard-gate", type=float, metavar="SCORE", help="SeAC's heard gate: a labelled name its second "
                    "scores below this (audio-text score) labels nothing (default: the one declared, else none); "
                    "choose it on val with evaluate.py seac --split val --heard-gate …")
    ap.add_argument("--heard-gate-note", default="", help="how the gate was chosen (recorded in bundle.json)")
    ap.add_argument("--metrics-only", action="store_true",
                    help="keep the shipped graphs; update naming / threshold and re-measure them")
    ap.add_argument("--refine-radius", type=int, default=refine.RADIUS,
                    help="radius (px of the resized frame) of the proposer's guided-filter refinement; 0 = none")
    ap.add_argument("--refine-eps", type=float, default=refine.EPS, help="its regularisation ε (colours in 0..1)")
    ap.add_argument("--refine-note", default="", help="how the refinement was chosen (recorded in bundle.json)")
    ap.add_argument("--refine-shipped", action="store_true",
                    help="wrap the shipped, unrefined proposer.pt in the refinement (no checkpoint needed)")
    ap.add_argument("--association", metavar="SEAC_FINAL",
                    help="re-export SeAC's association graphs from this train_seac.py result (seac_final.pt)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    path = os.path.join(args.bundle, "bundle.json")
    with open(path, encoding="utf-8") as f:
        man = json.load(f)
    if args.metrics_only:
        methods = man["methods"]
        declare(methods, args)
        man["methods"] = methods
        write_manifest(args.bundle, man)
        measure(args.bundle, man, methods, args.eval_clips, None)
        return
    if args.refine_shipped or args.association:
        replace_shipped(args, man)
        return
    cfg_t, q = man["frames_per_clip"], man["queries"]
    prop_ck = torch.load(os.path.join(args.work, "proposer", "proposer_final.pt"))
    seac_ck = torch.load(os.path.join(args.work, "seac", "seac_final.pt"))
    at_ck = torch.load(os.path.join(args.work, "audio_text", "audio_text_final.pt"))
    proposer = load_proposer(os.path.join(args.work, "proposer", "proposer_final.pt"))
    if args.refine_radius > 0:
        proposer = refine.RefinedProposer(proposer, args.refine_radius, args.refine_eps)
    from ovavss.model import model_from_bundle
    tower = openavs.AudioText(model_from_bundle(args.bundle).audio_encoder)
    tower.load_state_dict(at_ck["model"])
    g = torch.Generator().manual_seed(0)
    graphs = {
        "proposer.pt": (proposer, (torch.randn(cfg_t, 3, 128, 160, generator=g),)),
        **association_graphs(seac_ck, audio_backbone(os.path.join(args.work, "audio_text", "audio_text_final.pt")),
                             man, g),
        "audio_text.pt": (tower, (torch.randn(cfg_t, 1, 96, 64, generator=g),)),
    }
    diffs = write_graphs(args.bundle, graphs)
    proposals = {"min_objectness": pipeline.MIN_OBJECTNESS, "top": pipeline.TOP_PROPOSALS}
    methods = {
        "seac": {"graphs": ["proposer.pt", "association_audio.pt", "association_mask.pt"], "proposals": proposals,
                 "lambda_local": seac.LAMBDA_LOCAL, "sigma": seac.SIGMA, "blur_sigma": seac.BLUR_SIGMA,
                 "training": {"proposer": prop_ck["training"], "association": seac_ck["training"]}},
        "openavs": {"graphs": ["proposer.pt", "audio_text.pt"], "proposals": proposals,
                    "prompt_threshold": args.openavs_threshold if args.openavs_threshold is not None
                    else at_ck["training"]["prompt_threshold"],
                    "prompt_threshold_choice": args.threshold_note or "best per-second tag F1 on the val split",
                    "prompt_scale": round(float(tower.scale), 6), "prompt_bias": round(float(tower.bias), 6),
                    "training": {"proposer": prop_ck["training"], "audio_text": at_ck["training"]}},
    }
    declare(methods, args, previous=man.get("methods", {}))
    man["methods"] = methods
    man.setdefault("graphs", {}).update({
        "proposer": proposer_spec(q, refinement(args)),
        "association_audio": {"file": "association_audio.pt",
                              "inputs": ["log_mel float32[S,1,96,64] (a window's seconds)"],
                              "outputs": ["float32[S,D] L2-normalised"]},
        "association_mask": {"file": "association_mask.pt", "inputs": ["mask features float32[K,Dclip]"],
                             "outputs": ["float32[K,D] L2-normalised"]},
        "audio_text": {"file": "audio_text.pt", "inputs": ["log_mel float32[S,1,96,64]"],
                       "outputs": ["float32[S,Dclip] L2-normalised, in the CLIP text space"]},
    })
    sha = dict(man.get("sha256", {}))
    for name in graphs:
        sha[name] = sha256(os.path.join(args.bundle, name))
    man["sha256"] = dict(sorted(sha.items()))
    man.setdefault("export_check", {})["methods_scripted_vs_eager_max_abs_diff"] = diffs
    write_manifest(args.bundle, man)
    measure(args.bundle, man, methods, args.eval_clips, args.work)
    print(f"wrote methods into {args.bundle}: " + ", ".join(
        f"{n} {os.path.getsize(os.path.join(args.bundle, n)) / 1e6:.2f} MB" for n in graphs))


def association_graphs(checkpoint: dict, backbone, man: dict, g: torch.Generator) -> dict:
    """SeAC's two association graphs from a train_seac.py result, each with an example input."""
    audio, mask = seac.association_modules(checkpoint, backbone)
    return {"association_audio.pt": (audio, (torch.randn(man["frames_per_clip"], 1, 96, 64, generator=g),)),
            "association_mask.pt": (mask, (torch.randn(7, man["clip"]["embedding_dim"], generator=g),))}


def write_graphs(bundle: str, graphs: dict) -> dict:
    """Scripts every (module, example inputs) of ``graphs``, checks each script against its module
    (all of them before any file is replaced), then writes them into the bundle; → the differences."""
    scripts, diffs = {}, {}
    for name, (module, inputs) in graphs.items():
        scripts[name], diffs[name] = scripted(module, inputs, name)
    for name, s in scripts.items():
        tmp = os.path.join(bundle, name + ".tmp")
        s.save(tmp)
        os.replace(tmp, os.path.join(bundle, name))
    print("scripted == eager, max abs diff: " + json.dumps(diffs))
    return diffs


def refinement(args):
    """What bundle.json records of the proposer's refinement (None without one)."""
    if args.refine_radius <= 0:
        return None
    return {"method": "colour guided filter of the mask probabilities by the frame (He et al. 2013), "
                      "inside proposer.pt (models/methods/refine.py)",
            "radius": args.refine_radius, "eps": args.refine_eps, **({"choice": args.refine_note} if args.refine_note else {})}


def proposer_spec(q: int, refined) -> dict:
    """bundle.json graphs.proposer: full-resolution mask logits when the graph refines them."""
    spec = {"file": "proposer.pt", "inputs": ["frames float32[T,3,Hp,Wp] (normalised, zero-padded)"],
            "outputs": [f"objectness_logits float32[{q},2]",
                        f"mask_logits float32[{q},T,Hp,Wp]" if refined else f"mask_logits float32[{q},T,Hp/4,Wp/4]"],
            "dynamic_size": True}
    if refined:
        spec["refinement"] = refined
    return spec


def replace_shipped(args, man: dict) -> None:
    """--refine-shipped and --association: replace shipped graphs without the checkpoints they were
    exported from, check each script against its eager module, update sha256 and re-measure."""
    cfg_t, q = man["frames_per_clip"], man["queries"]
    g = torch.Generator().manual_seed(0)
    graphs = {}
    if args.refine_shipped:
        if "refinement" in man.get("graphs", {}).get("proposer", {}):
            raise SystemExit("proposer.pt is refined already (bundle.json graphs.proposer.refinement)")
        if args.refine_radius <= 0:
            raise SystemExit("--refine-shipped needs --refine-radius > 0")
        inner = torch.jit.load(os.path.join(args.bundle, "proposer.pt"), map_location="cpu").eval()
        graphs["proposer.pt"] = (refine.RefinedProposer(inner, args.refine_radius, args.refine_eps),
                                 (torch.randn(cfg_t, 3, 128, 160, generator=g),))
    if args.association:
        ck = torch.load(args.association)
        graphs.update(association_graphs(ck, audio_backbone(os.path.join(args.bundle, "association_audio.pt")),
                                         man, g))
    diffs = write_graphs(args.bundle, graphs)
    methods = man["methods"]
    if args.refine_shipped:
        man["graphs"]["proposer"] = proposer_spec(q, refinement(args))
    if args.association:
        methods["seac"]["training"]["association"] = ck["training"]
    declare(methods, args)
    man["methods"] = methods
    for name in graphs:
        man["sha256"][name] = sha256(os.path.join(args.bundle, name))
    man.setdefault("export_check", {}).setdefault("methods_scripted_vs_eager_max_abs_diff", {}).update(diffs)
    write_manifest(args.bundle, man)
    measure(args.bundle, man, methods, args.eval_clips, None)


def choose(spec: dict, old: dict, key: str, value, note: str) -> None:
    """Declares ``key`` = value with ``<key>_choice`` = note when a value is given; else keeps a value
    chosen earlier (one with a recorded choice), so that a full export does not forget it."""
    if value is not None:
        spec[key] = value
        spec[key + "_choice"] = note or "given to export_methods.py"
    elif key + "_choice" in old:
        spec[key] = old[key]
        spec[key + "_choice"] = old[key + "_choice"]


def declare(methods: dict, args, previous: dict = None) -> None:
    """Each method's naming and base calibration, SeAC's σ, mask pooling, silence gate and heard naming (with
    OpenAVS's tower, its scale and bias, when it is on) (and, under
    --metrics-only, OpenAVS's threshold), each with how it was chosen; what is not given keeps what
    ``previous`` (or ``methods`` itself) declared."""
    previous = methods if previous is None else previous
    for m in ("seac", "openavs"):
        old = previous.get(m, {})
        methods[m]["naming"] = args.naming or old.get("naming", pipeline.DEFAULT_NAMING[m])
        note = args.naming_note if args.naming else old.get("naming_choice")
        if note:
            methods[m]["naming_choice"] = note
        choose(methods[m], old, "base_calibration", args.calibration, args.calibration_note)
    old = previous.get("seac", {})
    choose(methods["seac"], old, "sigma", args.sigma, args.sigma_note)
    choose(methods["seac"], old, "mask_pooling", args.mask_pooling, args.pooling_note)
    choose(methods["seac"], old, "silence_db", args.silence_db, args.silence_note)
    choose(methods["seac"], old, "heard_naming", args.heard_naming, args.heard_note)
    choose(methods["seac"], old, "heard_gate", args.heard_gate, args.heard_gate_note)
    hears = methods["seac"].get("heard_naming", 0) > 0 or methods["seac"].get("heard_gate", 0) > 0
    graphs = [g for g in methods["seac"]["graphs"] if g != "audio_text.pt"] + (["audio_text.pt"] if hears else [])
    methods["seac"]["graphs"] = graphs
    for key in ("prompt_scale", "prompt_bias"):  # SeAC hears names as OpenAVS scores its prompts
        if hears:
            methods["seac"][key] = methods["openavs"][key]
        else:
            methods["seac"].pop(key, None)
    if args.metrics_only and args.openavs_threshold is not None:
        methods["openavs"]["prompt_threshold"] = args.openavs_threshold
        methods["openavs"]["prompt_threshold_choice"] = args.threshold_note or "given to export_methods.py"


def measure(bundle: str, man: dict, methods: dict, clips: int, work) -> None:
    """The Python reference's figures on the test split into bundle.json and the bundle's README."""
    if clips <= 0:
        return
    if not os.path.isfile(os.path.join(DATA, "metadata.csv")):
        subprocess.run([sys.executable, os.path.join(MODELS, "make_avshapes.py"), "--out", DATA, "--train", "0", "--val", "0",
                        "--test", "200"], check=True)
    for m in ("seac", "openavs"):
        th = methods[m].get("prompt_threshold")
        full = evaluate(m, clips, work, th)
        check = evaluate(m, CHECK_CLIPS, work, th)
        methods[m]["metrics"] = {"dataset": "AV-Shapes test (Python reference)", **full}
        methods[m]["check_metrics"] = {"dataset": f"AV-Shapes test, first {CHECK_CLIPS} clips", **check}
        print(m, json.dumps(full), flush=True)
    man["methods"] = methods
    write_readme_section(bundle, man)
    man["sha256"]["README.md"] = sha256(os.path.join(bundle, "README.md"))
    write_manifest(bundle, man)


if __name__ == "__main__":
    main()
