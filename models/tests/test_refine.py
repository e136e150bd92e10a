"""The proposer's mask refinement (methods/refine.py): the guided filter against a direct per-pixel
solve, that it pulls a coarse mask onto the object's outline, and the wrapped graph's contract."""
import os
import sys

import torch
import torch.nn.functional as F

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODELS)

from methods.refine import GuidedRefinement, RefinedProposer  # noqa: E402
from ovavss.host import PIXEL_MEAN, PIXEL_STD  # noqa: E402


def direct(image, probs, r, eps):
    """He et al.'s colour guided filter written out: box means by explicit window sums (edges
    replicated), the 3×3 system solved per pixel in float64."""
    t, _, h, w = image.shape
    img = F.pad(image.double(), (r, r, r, r), mode="replicate")
    p = F.pad(probs.double().unsqueeze(1), (r, r, r, r), mode="replicate")
    a = torch.zeros(t, 3, h, w, dtype=torch.float64)
    b = torch.zeros(t, 1, h, w, dtype=torch.float64)
    for y in range(h):
        for x in range(w):
            win_i = img[:, :, y:y + 2 * r + 1, x:x + 2 * r + 1].flatten(2)  # [T,3,n]
            win_p = p[:, :, y:y + 2 * r + 1, x:x + 2 * r + 1].flatten(2)  # [T,1,n]
            mi, mp = win_i.mean(2), win_p.mean(2)
            cov = (win_i * win_p).mean(2) - mi * mp  # [T,3]
            sigma = torch.einsum("tcn,tdn->tcd", win_i, win_i) / win_i.shape[2] - mi[:, :, None] * mi[:, None, :]
            ak = torch.linalg.solve(sigma + eps * torch.eye(3, dtype=torch.float64), cov.unsqueeze(-1)).squeeze(-1)
            a[:, :, y, x] = ak
            b[:, 0, y, x] = mp[:, 0] - (ak * mi).sum(1)
    box = lambda z: F.avg_pool2d(F.pad(z, (r, r, r, r), mode="replicate"), 2 * r + 1, 1)  # noqa: E731
    return ((box(a) * image.double()).sum(1, keepdim=True) + box(b)).squeeze(1).clamp(0, 1)


def scene(h=40, w=48, seed=0):
    """A red square on green-blue noise, and a coarse mask of it: the square at quarter resolution,
    upsampled bilinearly (the proposer's kind of blur), shifted by one pixel."""
    g = torch.Generator().manual_seed(seed)
    image = torch.rand(1, 3, h, w, generator=g) * torch.tensor([0.1, 0.5, 0.5]).view(1, 3, 1, 1) + 0.2
    truth = torch.zeros(h, w, dtype=torch.bool)
    truth[12:28, 14:30] = True
    image[:, :, truth] = torch.tensor([0.9, 0.1, 0.1]).view(1, 3, 1)
    low = F.avg_pool2d(truth.float()[None, None], 4)
    coarse = F.interpolate(low, size=(h, w), mode="bilinear", align_corners=False)[0]
    return image, truth, torch.roll(coarse, 1, dims=2)


def iou(a, b):
    return float((a & b).sum()) / float((a | b).sum())


def test_matches_the_direct_solve():
    image, _, coarse = scene(20, 24)
    ref = GuidedRefinement(radius=2, eps=0.01)
    got = ref(image, coarse)
    assert got.shape == coarse.shape
    assert float((got.double() - direct(image, coarse, 2, 0.01)).abs().max()) < 1e-4


def test_pulls_a_coarse_mask_onto_the_outline():
    image, truth, coarse = scene()
    refined = GuidedRefinement()(image, coarse)[0]
    before, after = iou(coarse[0] > 0.5, truth), iou(refined > 0.5, truth)
    assert after > before + 0.05, (before, after)
    assert after > 0.9


def test_constant_mask_and_flat_image_stay_put():
    flat = torch.full((2, 3, 16, 16), 0.5)
    half = torch.full((2, 16, 16), 0.3)
    assert torch.allclose(GuidedRefinement()(flat, half), half, atol=1e-6)


class FakeProposer(torch.nn.Module):
    """Quarter-resolution logits of one square query and one empty one."""

    def forward(self, frames):
        t, _, hp, wp = frames.shape
        masks = torch.full((2, t, hp // 4, wp // 4), -6.0)
        masks[0, :, 3:7, 3:8] = 6.0
        return torch.zeros(2, 2), masks


def test_wrapped_proposer_returns_full_resolution_logits():
    image, truth, _ = scene(32, 64)
    pixels = image * 255.0
    frames = ((pixels - torch.tensor(PIXEL_MEAN).view(1, 3, 1, 1)) / torch.tensor(PIXEL_STD).view(1, 3, 1, 1))
    frames = frames.repeat(3, 1, 1, 1)
    wrapped = RefinedProposer(FakeProposer()).eval()
    scripted = torch.jit.script(wrapped)
    logits, masks = wrapped(frames)
    _, masks_s = scripted(frames)
    assert logits.shape == (2, 2) and masks.shape == (2, 3, 32, 64)
    assert float((masks - masks_s).abs().max()) < 1e-5
    assert bool((masks[1] < 0).all()), "an empty query stays empty"
    assert float(masks.abs().max()) <= 14.0, "probabilities clamped to [1e-6, 1 - 1e-6]"
