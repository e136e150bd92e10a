"""The committed demo bundle: manifest schema, sha256 of every file, graph signatures, and parity of the
TorchScript graphs with the eager model (ovavss.model) they were exported from; plus an export of a small
random eager model checked the same way."""
import hashlib
import json
import os
import sys

import numpy as np
import torch

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODELS)
BUNDLE = os.path.join(MODELS, "demo-avshapes")
GOLDEN = os.path.join(os.path.dirname(MODELS), "src", "test", "resources", "golden", "demo")

torch.set_num_threads(1)


def _manifest():
    with open(os.path.join(BUNDLE, "bundle.json")) as f:
        return json.load(f)


def test_manifest_schema():
    m = _manifest()
    assert m["format"] == "ovavss-bundle/1"
    assert m["frames_per_clip"] == 5 and m["queries"] > 0
    assert m["image"]["size_divisibility"] == 32 and m["image"]["order"] == "RGB"
    assert m["image"]["min_size"] == 128 and m["image"]["max_size"] == 512
    a = m["audio"]
    assert (a["sample_rate"], a["fft"], a["mel_bins"], a["mel_min_hz"], a["mel_max_hz"], a["log_offset"]) == \
        (16000, 512, 64, 125.0, 7500.0, 0.01)
    c = m["clip"]
    assert c["tokenizer"] == {"type": "hashed-ngram/1", "vocab_size": 8192, "context_length": 64}
    assert c["temperature"] == 100 and c["context_length"] == 64 and len(c["templates"]) == 14
    assert c["templates"][0] == "a photo of a {}." and c["templates"][-1] == "There is a large {} in the scene."
    p = m["postprocess"]
    fixed = {k: p[k] for k in p if k not in ("base_calibration", "base_calibration_choice")}
    assert fixed == {"valid_mask_prob": 0.5, "top_k": 10, "score_threshold": 0.3, "mask_logit_threshold": 0.0,
                     "square_crop": "top-left-anchored"}
    # The base calibration is optional; where declared it is a small cosine offset with the sweep that chose it.
    if "base_calibration" in p:
        assert 0 < p["base_calibration"] < 1 and "base_calibration_choice" in p
        assert "%g" % p["base_calibration"] in p["base_calibration_choice"]
    v = m["vocabulary"]
    assert len(v["default"]) == 36 and len(v["base"]) == 24 and len(v["novel"]) == 12
    assert set(v["base"]) | set(v["novel"]) == set(v["default"]) and not set(v["base"]) & set(v["novel"])
    for k in ["dataset", "base_miou", "novel_miou", "harmonic", "miou"]:
        assert k in m["metrics"]


def test_sha256_of_every_file():
    m = _manifest()
    files = set(m["sha256"])
    assert {"audio_encoder.pt", "segmenter.pt", "clip_image.pt", "clip_text.pt", "README.md"} <= files
    total = 0
    for name, digest in m["sha256"].items():
        with open(os.path.join(BUNDLE, name), "rb") as f:
            data = f.read()
        total += len(data)
        assert hashlib.sha256(data).hexdigest() == digest, name
    assert total < 30e6


def _eager_graphs(model):
    """The eager modules the bundle graphs are scripted from (export_bundle.build_graphs, unscripted)."""
    from ovavss.model import AudioExport, ClipImageExport, ClipTextExport, SegmenterExport
    model.eval()
    clip = model.clip_adapter.clip_model
    return {"audio_encoder.pt": AudioExport(model.audio_encoder).eval(),
            "segmenter.pt": SegmenterExport(model.segmenter()).eval(),
            "clip_image.pt": ClipImageExport(clip).eval(),
            "clip_text.pt": ClipTextExport(clip).eval()}


def _assert_close(name, got, want, atol=1e-4, rtol=1e-4):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (name, got.shape, want.shape)
    diff = float(np.abs(got - want).max()) if got.size else 0.0
    close = bool(np.allclose(got, want, atol=atol, rtol=rtol))
    assert close, f"{name}: max abs diff {diff} (atol {atol}, rtol {rtol})"


def test_graphs_signatures_and_parity_with_the_eager_model():
    """Each committed graph against the eager modules of ovavss.model, rebuilt with the graphs' own
    parameters (model_from_bundle): the scripted code must compute what the Python code computes. The
    golden vectors the Java tests use must be those eager outputs too."""
    from ovavss.host import text_classifier
    from ovavss.model import model_from_bundle
    m = _manifest()
    with open(os.path.join(GOLDEN, "manifest.json"), encoding="utf-8") as f:
        gm = json.load(f)
    assert gm["bundle_sha256"] == m["sha256"], "golden vectors are stale: rerun models/golden/model_golden.py"
    g = lambda n: np.load(os.path.join(GOLDEN, n + ".npy"))  # noqa: E731
    eager = _eager_graphs(model_from_bundle(BUNDLE))
    graph = {n: torch.jit.load(os.path.join(BUNDLE, n)) for n in eager}
    with torch.no_grad():
        frames, audio = torch.from_numpy(g("segmenter_frames")), torch.from_numpy(g("segmenter_audio"))
        sound, masks = graph["segmenter.pt"](frames, audio)
        e_sound, e_masks = eager["segmenter.pt"](frames, audio)
        assert sound.shape == (m["queries"], 2) and masks.shape == (m["queries"], 5, 16, 24)
        _assert_close("segmenter sound logits", sound, e_sound)
        _assert_close("segmenter mask logits", masks, e_masks)
        _assert_close("golden segmenter sound logits", g("segmenter_sound_logits"), e_sound)
        _assert_close("golden segmenter mask logits", g("segmenter_mask_logits"), e_masks)
        # another padded size (dynamic shapes), non-trivial input
        x, a = torch.randn(5, 3, 128, 96, generator=torch.Generator().manual_seed(1)), torch.rand(5, 128)
        _, masks2 = graph["segmenter.pt"](x, a)
        assert masks2.shape == (m["queries"], 5, 32, 24)
        _assert_close("segmenter mask logits 128x96", masks2, eager["segmenter.pt"](x, a)[1])

        mel = torch.from_numpy(g("audio_encoder_in"))
        e_audio = eager["audio_encoder.pt"](mel)
        _assert_close("audio_encoder", graph["audio_encoder.pt"](mel), e_audio)
        _assert_close("golden audio_encoder", g("audio_encoder_out"), e_audio)

        crops = torch.from_numpy(g("clip_image_in"))
        e_img = eager["clip_image.pt"](crops)
        assert e_img.shape[1] == m["clip"]["embedding_dim"]
        _assert_close("clip_image", graph["clip_image.pt"](crops), e_img)
        _assert_close("golden clip_image", g("clip_image_out"), e_img)

        ids = torch.from_numpy(g("clip_text_in"))
        e_text = eager["clip_text.pt"](ids)
        _assert_close("clip_text", graph["clip_text.pt"](ids), e_text)
        _assert_close("golden clip_text", g("clip_text_out"), e_text)
        _assert_close("golden text_classifier", g("text_classifier"),
                      text_classifier(eager["clip_text.pt"], m["vocabulary"]["default"], m["clip"]["templates"]),
                      atol=1e-5, rtol=0)


def test_export_of_a_random_eager_model_matches_it(tmp_path):
    """export_bundle.write_bundle on a random demo-size model (batch-norm statistics randomised too, so
    the eval-mode path is not an identity): the written graphs, loaded back, give the eager model's
    outputs on inputs the exporter's own check never saw, and model_from_bundle rebuilds its weights."""
    import export_bundle
    from ovavss import tokenizer
    from ovavss.config import OVAVSSConfig
    from ovavss.model import OVAVSS, model_from_bundle
    torch.manual_seed(7)
    cfg = OVAVSSConfig.demo()
    model = OVAVSS(cfg)
    norms = [mod for mod in model.modules() if isinstance(mod, torch.nn.BatchNorm2d)]
    assert norms, "the demo preset uses trainable batch norm"
    for mod in norms:
        mod.running_mean.uniform_(-0.5, 0.5)
        mod.running_var.uniform_(0.5, 2.0)
    model.eval()
    vocab = {"default": ["red-circle", "blue-star"], "base": ["red-circle"], "novel": ["blue-star"]}
    export_bundle.write_bundle(model, str(tmp_path), "random", {}, vocab, "test\n", log=lambda *a: None)
    eager = _eager_graphs(model)
    graph = {n: torch.jit.load(str(tmp_path / n)) for n in eager}
    gen = torch.Generator().manual_seed(3)
    r = cfg.clip_image_resolution
    with torch.no_grad():
        for h, w in [(96, 128), (160, 64)]:
            x = torch.randn(cfg.num_frames, 3, h, w, generator=gen)
            a = torch.rand(cfg.num_frames, cfg.audio_dim, generator=gen) * 2
            for i, (got, want) in enumerate(zip(graph["segmenter.pt"](x, a), eager["segmenter.pt"](x, a))):
                _assert_close(f"segmenter {h}x{w} output {i}", got, want, atol=1e-5)
        mel = torch.randn(4, 1, 96, 64, generator=gen)
        _assert_close("audio_encoder", graph["audio_encoder.pt"](mel), eager["audio_encoder.pt"](mel), atol=1e-5)
        crops = torch.randn(5, 3, r, r, generator=gen)
        _assert_close("clip_image", graph["clip_image.pt"](crops), eager["clip_image.pt"](crops), atol=1e-5)
        ids = tokenizer.encode_batch(["a photo of a blue-star.", "There is a large red-circle in the scene."],
                                     cfg.clip_context_length)
        _assert_close("clip_text", graph["clip_text.pt"](ids), eager["clip_text.pt"](ids), atol=1e-5)
    rebuilt = model_from_bundle(str(tmp_path)).state_dict()
    for k, v in model.state_dict().items():
        assert torch.equal(rebuilt[k], v), k
