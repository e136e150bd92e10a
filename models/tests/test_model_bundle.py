"""The committed demo bundle: manifest schema, sha256 of every file, graph signatures, golden parity."""
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
    assert p == {"valid_mask_prob": 0.5, "top_k": 10, "score_threshold": 0.3, "mask_logit_threshold": 0.0,
                 "square_crop": "top-left-anchored"}
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


def test_graphs_signatures_and_golden_parity():
    m = _manifest()
    with open(os.path.join(GOLDEN, "manifest.json"), encoding="utf-8") as f:
        gm = json.load(f)
    assert gm["bundle_sha256"] == m["sha256"], "golden vectors are stale: rerun models/golden/model_golden.py"
    g = lambda n: np.load(os.path.join(GOLDEN, n + ".npy"))  # noqa: E731
    with torch.no_grad():
        seg = torch.jit.load(os.path.join(BUNDLE, "segmenter.pt"))
        sound, masks = seg(torch.from_numpy(g("segmenter_frames")), torch.from_numpy(g("segmenter_audio")))
        assert sound.shape == (m["queries"], 2) and masks.shape == (m["queries"], 5, 16, 24)
        assert np.allclose(masks.numpy(), g("segmenter_mask_logits"), atol=1e-4)
        _, masks2 = seg(torch.zeros(5, 3, 128, 96), torch.zeros(5, 128))
        assert masks2.shape == (m["queries"], 5, 32, 24)
        ae = torch.jit.load(os.path.join(BUNDLE, "audio_encoder.pt"))
        assert np.allclose(ae(torch.from_numpy(g("audio_encoder_in"))).numpy(), g("audio_encoder_out"), atol=1e-4)
        ci = torch.jit.load(os.path.join(BUNDLE, "clip_image.pt"))
        out = ci(torch.from_numpy(g("clip_image_in")))
        assert out.shape[1] == m["clip"]["embedding_dim"]
        assert np.allclose(out.numpy(), g("clip_image_out"), atol=1e-4)
        ct = torch.jit.load(os.path.join(BUNDLE, "clip_text.pt"))
        assert np.allclose(ct(torch.from_numpy(g("clip_text_in"))).numpy(), g("clip_text_out"), atol=1e-4)
