"""Host-side pieces (log-mel, roi_align crops, post-processing, metrics) against independent references."""
import importlib.util
import math
import os
import sys

import numpy as np
import torch

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODELS)

from ovavss import host  # noqa: E402
from ovavss.audio import log_mel_examples  # noqa: E402

torch.set_num_threads(1)


def _load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(MODELS, "golden", name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_log_mel_matches_independent_reference():
    dsp = _load("dsp_golden")
    x = dsp.test_signal()
    ours = log_mel_examples(x)
    ref = dsp.vggish_examples(x)
    assert ours.shape == (2, 1, 96, 64)
    assert np.abs(ours[:, 0] - ref).max() < 1e-4
    padded = log_mel_examples(x, min_examples=10)
    assert padded.shape == (10, 1, 96, 64) and (padded[2:] == 0).all()


def test_roi_align_matches_independent_reference():
    pp = _load("postprocess_golden")
    rng = np.random.default_rng(3)
    img = rng.uniform(0, 255, (2, 3, 40, 56))
    boxes = np.array([[3, 4, 20, 21], [30, 10, 80, 60], [-2, -3, 5, 4], [0, 0, 56, 56], [10.0, 12.0, 10.0, 12.0]])
    idx = [0, 1, 0, 1, 0]
    ref = pp.roi_align_np(img, np.concatenate([np.array(idx)[:, None], boxes], 1), 7)
    ours = host.roi_align(torch.from_numpy(img), torch.from_numpy(boxes), idx, 7)
    assert np.abs(ours.numpy() - ref).max() < 1e-3


def test_square_boxes_are_top_left_anchored():
    m = torch.zeros(2, 10, 12, dtype=torch.bool)
    m[0, 2:4, 3:9] = True  # 6 wide, 2 high
    m[1, 5, 11] = True
    b = host.mask_boxes(m)
    assert b.tolist() == [[3, 2, 9, 8], [11, 5, 12, 6]]


def test_resize_rule_and_padding():
    assert host.resized_size(128, 128, 128, 512) == (128, 128)
    assert host.resized_size(720, 1280, 360, 1333) == (360, 640)
    assert host.resized_size(100, 1000, 128, 512) == (51, 512)
    x = host.normalise_and_pad(np.zeros((5, 100, 70, 3), dtype=np.uint8))
    assert x.shape == (5, 3, 128, 96)
    assert x[0, 0, 0, 0] == (0 - 123.675) / 58.395 and x[0, 0, 127, 95] == 0


class _FixedSeg(torch.nn.Module):
    """Query 0 covers the left half, query 1 the top half, query 2 is empty."""

    def forward(self, frames, audio):
        t, _, h, w = frames.shape
        m = torch.full((3, t, h // 4, w // 4), -10.0)
        m[0, :, :, : w // 8] = 10.0
        m[1, :, : h // 8, :] = 10.0
        return torch.zeros(3, 2), m


def test_infer_window_first_wins_and_threshold():
    # CLIP stand-in: the mean red value decides the class; vocabulary of 2 names
    def clip_image(crops):
        r = crops[:, 0].mean((1, 2))
        return torch.stack([r, -r], 1)

    text = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    frames = np.zeros((5, 64, 64, 3), dtype=np.uint8)
    frames[:, :, :32, 0] = 255  # left half red
    hc = host.HostConfig(min_size=64, clip_size=8)
    res = host.infer_window(_FixedSeg(), clip_image, text, frames, torch.zeros(5, 128), hc)
    lab = res["labels"]
    assert res["valid"].shape == (5, 3) and res["valid"][:, :2].all() and not res["valid"][:, 2].any()
    assert lab.shape == (5, 64, 64)
    # both queries got some class; the winner at the overlap (top-left) is the highest score
    assert set(lab.unique().tolist()) <= {0, 1, 2}
    assert (lab[:, 40:, 40:] == 0).all()  # outside both masks stays background
    assert (lab[:, 40:, :20] > 0).all()


def test_confusion_scores():
    c = host.Confusion(4)
    gt = np.array([0, 0, 1, 1, 2, 2])
    pr = np.array([0, 1, 1, 1, 2, 0])
    c.add(gt, pr)
    iou = c.iou()
    assert math.isclose(iou[0], 1 / 3) and math.isclose(iou[1], 2 / 3) and math.isclose(iou[2], 1 / 2)
    assert math.isnan(iou[3])
    s = c.scores(seen=[1, 3], unseen=[2])
    assert math.isclose(s["base_miou"], 2 / 3) and math.isclose(s["novel_miou"], 0.5)
    assert math.isclose(s["harmonic"], 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert math.isclose(s["miou"], (1 / 3 + 2 / 3 + 1 / 2) / 3)
