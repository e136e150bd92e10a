"""Stage 2 of the demo training (clip_refine.py) and rebuilding a model from a bundle's graphs."""
import os
import random
import sys

import numpy as np
import torch

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODELS)
BUNDLE = os.path.join(MODELS, "demo-avshapes")

import clip_refine as cr  # noqa: E402
from avshapes.world import BASE, NOVEL  # noqa: E402
from ovavss.config import OVAVSSConfig  # noqa: E402
from ovavss.model import OVAVSS, ClipImageExport, SegmenterExport, model_from_bundle  # noqa: E402

torch.set_num_threads(1)


def test_shuffle_patches_keeps_every_patch_and_moves_them():
    torch.manual_seed(0)
    x = torch.randn(4, 3, 32, 32)
    s = cr.shuffle_patches(x, 4)
    for i in range(4):
        a = x[i].unfold(1, 4, 4).unfold(2, 4, 4).reshape(3, 64, 16).permute(1, 0, 2).reshape(64, 48)
        b = s[i].unfold(1, 4, 4).unfold(2, 4, 4).reshape(3, 64, 16).permute(1, 0, 2).reshape(64, 48)
        assert sorted(map(tuple, a.tolist())) == sorted(map(tuple, b.tolist()))
    assert not torch.equal(s, x)


def test_to_grey_has_equal_channels_and_keeps_luma():
    x = (torch.rand(2, 3, 8, 8) - cr._MEAN) / cr._STD
    g = cr.to_grey(x) * cr._STD + cr._MEAN
    assert torch.allclose(g[:, 0], g[:, 1], atol=1e-5) and torch.allclose(g[:, 1], g[:, 2], atol=1e-5)
    rgb = x * cr._STD + cr._MEAN
    luma = 0.299 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2]
    assert torch.allclose(g[:, 0], luma, atol=1e-5)


def test_training_windows_hold_only_base_crops():
    crops, cats, kinds = cr.window_crops(None, "train", 3, 0, random.Random(0), 32)
    assert cats and all(c in BASE for c in cats) and not any(c in NOVEL for c in cats)
    assert sum(c.shape[0] for c in crops) == len(cats) and set(kinds) == {0}


def test_model_from_bundle_reproduces_the_bundle_graphs():
    model = model_from_bundle(BUNDLE).eval()
    torch.manual_seed(1)
    frames, audio = torch.randn(5, 3, 64, 64), torch.randn(5, 128)
    crops = torch.randn(3, 3, 32, 32)
    with torch.no_grad():
        want_s, want_m = torch.jit.load(os.path.join(BUNDLE, "segmenter.pt"))(frames, audio)
        got_s, got_m = SegmenterExport(model.segmenter()).eval()(frames, audio)
        want_i = torch.jit.load(os.path.join(BUNDLE, "clip_image.pt"))(crops)
        got_i = ClipImageExport(model.clip_adapter.clip_model).eval()(crops)
    assert torch.allclose(want_s, got_s, atol=1e-5) and torch.allclose(want_m, got_m, atol=1e-4)
    assert torch.allclose(want_i, got_i, atol=1e-5)


def test_a_short_stage_two_lowers_the_loss_on_its_cache():
    torch.manual_seed(0)
    model = OVAVSS(OVAVSSConfig.demo())
    rng = random.Random(0)
    parts = [cr.window_crops(None, "train", i, 0, rng, 32) for i in range(6)]
    cache = {"crops": torch.cat([c for p in parts for c in p[0]]),
             "cats": torch.tensor([c for p in parts for c in p[1]]),
             "kinds": torch.tensor([k for p in parts for k in p[2]])}
    clip = model.clip_adapter.clip_model
    before = cr.accuracy(clip, cache)["gt_base"]
    lines = []
    cr.train(clip, cache, minutes=60, log=lines.append, batch=32, lr=3e-3, max_steps=80)
    after = cr.accuracy(clip, cache)["gt_base"]
    assert after > before + 0.2, (before, after)
    print("stage two on its cache: gt_base", before, "->", after)
