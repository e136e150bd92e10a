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


class _QuadrantSeg(torch.nn.Module):
    """Query 0 covers the left half, query 1 the top half (they overlap on the top-left quadrant),
    query 2 the bottom-right quadrant."""

    def forward(self, frames, audio):
        t, _, h, w = frames.shape
        m = torch.full((3, t, h // 4, w // 4), -10.0)
        m[0, :, :, : w // 8] = 10.0
        m[1, :, : h // 8, :] = 10.0
        m[2, :, h // 8:, w // 8:] = 10.0
        return torch.zeros(3, 2), m


def _embedding_for(probs, temperature=100.0):
    """A unit vector e with softmax(temperature * e) == probs (text embeddings = identity)."""
    lg = np.log(np.asarray(probs, dtype=np.float64))
    n = len(lg)
    # |lg + c| = temperature: n c^2 + 2 c sum(lg) + sum(lg^2) - temperature^2 = 0
    b, c0 = 2 * lg.sum(), (lg ** 2).sum() - temperature ** 2
    c = (-b + math.sqrt(b * b - 4 * n * c0)) / (2 * n)
    return torch.tensor((lg + c) / temperature, dtype=torch.float32)


def test_infer_window_first_ranked_wins_and_threshold_drops():
    # Frames painted by quadrant so the CLIP stand-in can tell the three queries' crops apart: the
    # crops are CLIP-normalised regions of the frame under each (soft) mask.
    frames = np.zeros((5, 64, 64, 3), dtype=np.uint8)
    frames[:, :32, :32] = (255, 0, 0)  # top-left: queries 0 and 1
    frames[:, :32, 32:] = (0, 255, 0)  # top-right: query 1
    frames[:, 32:, :32] = (0, 0, 255)  # bottom-left: query 0
    frames[:, 32:, 32:] = (255, 255, 255)  # bottom-right: query 2
    # Class scores per query (4 names). Query 1, the second query, ranks first: it must win the
    # overlap. Query 2's best score, 0.28, is under the 0.3 threshold: its mask must be dropped.
    scores = {0: [0.75, 0.25 / 3, 0.25 / 3, 0.25 / 3],
              1: [0.1 / 3, 0.9, 0.1 / 3, 0.1 / 3],
              2: [0.24, 0.24, 0.28, 0.24]}
    emb = {q: _embedding_for(p) for q, p in scores.items()}
    mean = torch.tensor(host.CLIP_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(host.CLIP_STD).view(1, 3, 1, 1)

    def clip_image(crops):
        rgb = (crops * std + mean).mean((2, 3))  # mean colour of each masked crop, 0..1
        out = []
        for r, g, b in rgb.tolist():
            q = 2 if min(r, g, b) > 0.05 else (0 if g < b else 1)
            out.append(emb[q])
        return torch.stack(out)

    text = torch.eye(4)
    hc = host.HostConfig(min_size=64, clip_size=8)
    res = host.infer_window(_QuadrantSeg(), clip_image, text, frames, torch.zeros(5, 128), hc)
    assert res["valid"].shape == (5, 3) and res["valid"].all()
    # the stand-in produced the intended scores (otherwise the checks below prove nothing)
    got = {(int(q), int(c)): float(s) for q, c, s in zip(res["topk_queries"], res["topk_labels"], res["scores"])}
    assert math.isclose(got[(1, 1)], 0.9, abs_tol=1e-3) and math.isclose(got[(0, 0)], 0.75, abs_tol=1e-3)
    assert math.isclose(got[(2, 2)], 0.28, abs_tol=1e-3) and hc.score_threshold == 0.3

    lab = res["labels"]
    assert lab.shape == (5, 64, 64)
    # each quadrant is checked 4 px inside its borders (the masks are upsampled bilinearly)
    top_left, top_right = lab[:, 4:28, 4:28], lab[:, 4:28, 36:60]
    bottom_left, bottom_right = lab[:, 36:60, 4:28], lab[:, 36:60, 36:60]
    assert (top_left == 2).all(), "the overlap goes to the first-ranked mask (query 1, class 1 -> label 2)"
    assert (top_right == 2).all() and (bottom_left == 1).all()
    assert (bottom_right == 0).all(), "query 2 scores under the threshold: its mask is dropped"

    # The same window with the threshold under 0.28: query 2's mask is painted, so it was the
    # threshold (not a missing mask) that kept it out above.
    low = host.infer_window(_QuadrantSeg(), clip_image, text, frames, torch.zeros(5, 128),
                            host.HostConfig(min_size=64, clip_size=8, score_threshold=0.2))["labels"]
    assert (low[:, 36:60, 36:60] == 3).all()
    assert (low[:, 4:28, 4:28] == 2).all() and (low[:, 36:60, 4:28] == 1).all()

    # A base calibration lowering name 1 (query 1's) by 0.05 in cosine: ×100 that is 5 logits, so
    # query 1's softmax moves to the other names and its 0.9 falls under the threshold's reach
    offsets = torch.tensor([0.0, 0.05, 0.0, 0.0])
    cal = host.infer_window(_QuadrantSeg(), clip_image, text, frames, torch.zeros(5, 128), hc, offsets)
    got = {(int(q), int(c)): float(s) for q, c, s in zip(cal["topk_queries"], cal["topk_labels"], cal["scores"])}
    logits = torch.log(torch.tensor(scores[1])) - torch.tensor([0.0, 5.0, 0.0, 0.0])
    assert math.isclose(got[(1, 1)], float(logits.softmax(0)[1]), abs_tol=1e-3) and got[(1, 1)] < 0.3
    assert (cal["labels"][:, 4:28, 4:28] == 1).all(), "query 0 (name 0, 0.75) now owns the overlap"


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
