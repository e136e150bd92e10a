"""packaging/gpu/official_pipeline.py (the official-style Python pipeline the GPU benchmark sets beside
the Java one): its synthetic clips are the Java benchmark's, its device-side post-processing computes
what ovavss.host does, and both model sources run end to end on the CPU."""
import importlib.util
import io
import json
import math
import os
import sys
from contextlib import redirect_stdout

import numpy as np
import pytest
import torch

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(MODELS)
BUNDLE = os.path.join(MODELS, "demo-avshapes")
sys.path.insert(0, MODELS)

from ovavss import host  # noqa: E402
from ovavss.audio import log_mel_examples  # noqa: E402
from ovavss.model import model_from_bundle  # noqa: E402

torch.set_num_threads(1)


def _pipeline():
    path = os.path.join(REPO, "packaging", "gpu", "official_pipeline.py")
    spec = importlib.util.spec_from_file_location("official_pipeline", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


op = _pipeline()


def _run(argv):
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert op.main(argv) == 0
    lines = {}
    for line in buf.getvalue().splitlines():
        name, value, unit = line.split(" ")
        lines[name] = value
    return lines


def test_synthetic_clip_is_the_java_benchmarks():
    frames, samples = op.synthetic_clip(10, 640, 360)
    assert frames.shape == (10, 360, 640, 3) and samples.shape == (160000,) and samples.dtype == np.float32
    w, h = 640, 360
    for k in (0, 3, 9):
        for x, y in ((0, 0), (639, 359), (141, 108), (142, 109), (284, 251), (285, 252), (213 + 8 * k, 180), (500, 20)):
            # InferenceBenchmark.syntheticClip, literally (Java int arithmetic; all operands here keep
            # Python's // equal to Java's /)
            sq = abs(x - w // 3 - 8 * k) < h // 5 and abs(y - h // 2) < h // 5
            argb = 0xFF2040E0 if sq else 0xFF000000 | ((x * 255 // w) << 16) | (y * 255 // h)
            assert tuple(frames[k, y, x]) == ((argb >> 16) & 255, (argb >> 8) & 255, argb & 255), (k, x, y)
    for i in (0, 1, 17, 12345, 159999):
        assert samples[i] == np.float32(0.3 * math.sin(2 * math.pi * 440 * i / 16000.0))


def test_mask_boxes_match_a_per_mask_reference():
    g = torch.Generator().manual_seed(4)
    m = torch.rand(12, 37, 53, generator=g) > 0.97
    m[0] = False
    m[0, 36, 52] = True  # corner pixel
    m[1] = False
    m[1, 0, 3:50] = True  # wide: the square grows down past the image
    want = []
    for mask in m:  # detectron2's BitMasks box, then the official top-left-anchored square
        ys, xs = torch.nonzero(mask, as_tuple=True)
        x1, y1, x2, y2 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
        side = max(x2 - x1, y2 - y1)
        want.append([x1, y1, x1 + side, y1 + side])
    assert torch.equal(host.mask_boxes(m), torch.tensor(want, dtype=torch.float32))


def test_device_crops_match_host_make_crops():
    st = op.Settings(BUNDLE)
    g = torch.Generator().manual_seed(7)
    rgb = torch.randint(0, 256, (5, 3, 40, 60), generator=g).float()
    soft = torch.rand(6, 64, 64, generator=g) ** 3  # padded size; some pixels > 0.5 in each
    soft[:, 10, 10] = 0.9
    idx = torch.tensor([0, 0, 1, 3, 4, 4])
    ours = op.make_crops(rgb, soft, idx, st, False, op.host_roi_align)
    ref = host.make_crops(rgb, soft, idx.tolist(), st.hc.clip_size)
    assert ours.shape == ref.shape and (ours - ref).abs().max() < 1e-4


def test_one_window_matches_host_infer_window():
    """run_clip's post-processing (device boxes, vectorised per-query mean, label maps) against
    host.infer_window on the same window, model and text classifier."""
    st = op.Settings(BUNDLE)
    dev = torch.device("cpu")
    prec = op.Precision("fp32", dev)
    model = op.EagerModel(model_from_bundle(BUNDLE), dev, prec)
    text = op.text_classifier(model, st, dev)
    stats = {"crops": 0, "valid_queries": 0, "windows": 0}
    (win,) = op.run_clip(model, st, text, dev, prec, op.host_roi_align, 5, op.Timer(dev), True, stats)
    frames, samples = op.synthetic_clip(5)
    with torch.no_grad():
        audio = model.embed_audio(torch.from_numpy(log_mel_examples(samples, min_examples=5)))
    ref = host.infer_window(model.segment, model.clip.visual, text, frames, audio, st.hc)
    assert stats["windows"] == 1 and stats["crops"] == int(ref["valid"].sum())
    keep = [i for i in range(len(ref["scores"])) if float(ref["scores"][i]) > st.hc.score_threshold]
    keep.sort(key=lambda i: -float(ref["scores"][i]))
    assert keep, "the demo model keeps nothing on this clip: the comparison would be empty"
    assert [(o["query"], o["class"]) for o in win["objects"]] == \
        [(int(ref["topk_queries"][i]), int(ref["topk_labels"][i])) for i in keep]
    assert max(abs(o["score"] - float(ref["scores"][i])) for o, i in zip(win["objects"], keep)) < 1e-4
    assert torch.equal(win["label_map"], ref["labels"])


def test_demo_bundle_both_sources_agree(tmp_path):
    """The eager modules with the bundle's weights and the bundle's graphs: same decisions in fp32,
    and the benchmark lines the GPU script greps for."""
    common = ["--bundle", BUNDLE, "--device", "cpu", "--precision", "fp32", "--clips", "1", "--warmup-clips", "0",
              "--keyframes", "5"]
    eager = _run(common + ["--labels-out", str(tmp_path / "e.json")])
    graphs = _run(common + ["--source", "torchscript", "--labels-out", str(tmp_path / "g.json")])
    assert eager["official_model_source"] == "eager" and graphs["official_model_source"] == "torchscript"
    assert eager["official_input_size"] == "228x128_padded_256x128"  # the Java run's input_size (README)
    for key in ("official_pipeline_clips_per_s", "official_stage_prepare_ms_per_window",
                "official_stage_model_ms_per_window", "official_stage_post_ms_per_window", "official_precision",
                "official_device", "official_torch"):
        assert key in eager
    e = json.loads((tmp_path / "e.json").read_text())
    g = json.loads((tmp_path / "g.json").read_text())
    assert len(e["clips"]) == 1 and len(e["clips"][0]["keyframes"]) == 5
    assert e["clips"][0]["keyframes"] == g["clips"][0]["keyframes"]


@pytest.fixture(scope="module")
def tiny_official(tmp_path_factory):
    import export
    from official import synthetic
    d = tmp_path_factory.mktemp("ckpt")
    files = synthetic.write_files("r50-tiny", str(d), seed=3)
    out = tmp_path_factory.mktemp("bundles") / "r50-tiny"
    assert export.main(["--checkpoint", files["checkpoint"], "--clip", files["clip"], "--vggish", files["vggish"],
                        "--bpe", files["bpe"], "--out", str(out), "--variant", "r50-tiny", "--no-fp16"]) == 0
    return str(d), str(out)


def test_official_checkpoint_runs_eager_and_matches_its_bundle(tiny_official, tmp_path):
    """--checkpoint-dir: the official module tree from the checkpoint files runs end to end (CLIP-BPE
    vocabulary, 360p geometry), and its split forward (pixel decoder called on its own) computes what
    the segmenter graph exported from the same checkpoint computes."""
    ckpt, bundle = tiny_official
    lines = _run(["--bundle", bundle, "--checkpoint-dir", ckpt, "--variant", "r50-tiny", "--device", "cpu",
                  "--precision", "fp32", "--clips", "1", "--warmup-clips", "0", "--keyframes", "5",
                  "--labels-out", str(tmp_path / "e.json")])
    assert lines["official_model_source"] == "eager"
    assert lines["official_input_size"] == "640x360_padded_640x384"
    assert json.loads((tmp_path / "e.json").read_text())["model_source"] == "eager"

    from official.checkpoint import load_official
    dev = torch.device("cpu")
    prec = op.Precision("fp32", dev)
    eager = op.EagerModel(load_official(os.path.join(ckpt, "model_ov_avss_r50-tiny.pth"), os.path.join(ckpt, "clip.pt"),
                                        os.path.join(ckpt, "vggish.pth"), "r50-tiny").model, dev, prec)
    graphs = op.GraphModel(bundle, dev, prec)
    frames, samples = op.synthetic_clip(5)
    x = host.normalise_and_pad(frames)
    mel = torch.from_numpy(log_mel_examples(samples, min_examples=5))
    with torch.no_grad():
        audio = graphs.embed_audio(mel)
        assert (eager.embed_audio(mel) - audio).abs().max() < 1e-4
        for a, b in zip(eager.segment(x, audio), graphs.segment(x, audio)):
            assert (a - b).abs().max() <= 1e-4 * b.abs().max()
