"""Sharper proposals: the proposer's coarse masks refined by the frame's own edges.

The papers' "segment" stage prompts SAM, whose masks follow object outlines closely. The demo
proposer predicts masks at a quarter of the frame's resolution; upsampled, a star, a cross and a
circle of the same size look much alike, and CLIP then misreads the shape (the colour it reads
right). A colour guided filter (He, Sun & Tang, "Guided Image Filtering", 2013) is a classic,
training-free way to make a soft mask follow the image's edges: within each window of radius r the
output is a linear function of the pixel's colour fitted to the input mask, regularised by ε. It
runs inside ``proposer.pt`` (``RefinedProposer``), so the graph returns full-resolution mask logits
and every host — Java, this package's reference — sees the same refined masks.

Chosen on AV-Shapes val by SeAC's harmonic mIoU (``evaluate.py seac --split val --clips 60 --refine
R EPS``, see bundle.json graphs.proposer.refinement): radius 4 px of the resized frame, ε = 0.01
(colours in 0..1).
"""
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn

from ovavss.host import PIXEL_MEAN, PIXEL_STD

#: the demo bundle's choice (see the module docstring)
RADIUS = 4
EPS = 0.01
#: a query is refined inside the box around its pixels above this probability, widened by the
#: filter's reach (2·radius); outside it keeps its (lower) upsampled probability
SUPPORT = 0.01
#: queries the proposer itself rates below this objectness (softmax column 0) are returned unrefined:
#: no host takes them (the bundles' cut is 0.5), and refining them would double the cost
MIN_OBJECTNESS = 0.01


class GuidedRefinement(nn.Module):
    """Colour guided filter of soft masks by their frame: image [T,3,H,W] in 0..1, probabilities
    [T,H,W] (one mask per frame) → refined probabilities [T,H,W], clamped to [0, 1]. Box means over
    (2r+1)² windows with the edges replicated; the 3×3 colour covariance plus ε·I is inverted in
    closed form (cofactors)."""

    def __init__(self, radius: int = RADIUS, eps: float = EPS):
        super().__init__()
        if radius < 1 or not eps > 0:
            raise ValueError("radius must be >= 1 and eps > 0")
        self.radius = radius
        self.eps = eps

    def box(self, x: torch.Tensor) -> torch.Tensor:
        """Window means from running sums (float64, so the differences stay exact to float32), one
        axis at a time: a few operations per pixel whatever the radius (avg_pool2d is far slower)."""
        r = self.radius
        k = 2 * r + 1
        x = F.pad(x, (r, r, r, r), mode="replicate").double()
        c = F.pad(x.cumsum(3), (1, 0, 0, 0))
        x = c[:, :, :, k:] - c[:, :, :, :-k]
        c = F.pad(x.cumsum(2), (0, 0, 1, 0))
        return ((c[:, :, k:, :] - c[:, :, :-k, :]) / float(k * k)).float()

    def image_statistics(self, image: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Per pixel, the window means of the colours [T,3,H,W] and the inverse of their covariance
        plus ε·I as its six distinct entries [T,6,H,W] (rr, rg, rb, gg, gb, bb)."""
        mean = self.box(image)
        r, g, b = image[:, 0:1], image[:, 1:2], image[:, 2:3]
        mr, mg, mb = mean[:, 0:1], mean[:, 1:2], mean[:, 2:3]
        a11 = self.box(r * r) - mr * mr + self.eps
        a12 = self.box(r * g) - mr * mg
        a13 = self.box(r * b) - mr * mb
        a22 = self.box(g * g) - mg * mg + self.eps
        a23 = self.box(g * b) - mg * mb
        a33 = self.box(b * b) - mb * mb + self.eps
        c11 = a22 * a33 - a23 * a23
        c12 = a13 * a23 - a12 * a33
        c13 = a12 * a23 - a13 * a22
        c22 = a11 * a33 - a13 * a13
        c23 = a12 * a13 - a11 * a23
        c33 = a11 * a22 - a12 * a12
        det = a11 * c11 + a12 * c12 + a13 * c13
        return mean, torch.cat([c11, c12, c13, c22, c23, c33], 1) / det

    def refine(self, image: torch.Tensor, mean: torch.Tensor, inverse: torch.Tensor,
               probs: torch.Tensor) -> torch.Tensor:
        p = probs.unsqueeze(1)
        mp = self.box(p)
        cov = self.box(image * p) - mean * mp  # [T,3,H,W]
        i11, i12, i13 = inverse[:, 0:1], inverse[:, 1:2], inverse[:, 2:3]
        i22, i23, i33 = inverse[:, 3:4], inverse[:, 4:5], inverse[:, 5:6]
        c1, c2, c3 = cov[:, 0:1], cov[:, 1:2], cov[:, 2:3]
        a = torch.cat([i11 * c1 + i12 * c2 + i13 * c3,
                       i12 * c1 + i22 * c2 + i23 * c3,
                       i13 * c1 + i23 * c2 + i33 * c3], 1)
        b = mp - (a * mean).sum(1, keepdim=True)
        out = (self.box(a) * image).sum(1, keepdim=True) + self.box(b)
        return out.squeeze(1).clamp(0.0, 1.0)

    def forward(self, image: torch.Tensor, probs: torch.Tensor) -> torch.Tensor:
        mean, inverse = self.image_statistics(image)
        return self.refine(image, mean, inverse, probs)


class RefinedProposer(nn.Module):
    """proposer.pt with refinement: frames [T,3,Hp,Wp] (normalised, zero-padded) → (objectness
    logits [Q,2], mask logits [Q,T,Hp,Wp]). The inner proposer's quarter-resolution logits are
    upsampled (bilinear, as every host upsamples them), turned into probabilities, refined by the
    de-normalised frames and returned as logits again (probabilities clamped to [1e-6, 1 − 1e-6]).
    The padding is refined too (it de-normalises to the pixel mean); hosts ignore it. Queries are
    refined one frame at a time, each inside the box around its support (SUPPORT), to bound memory and
    time; the colour statistics, which do not depend on the mask, are computed once per window and
    sliced. Queries below MIN_OBJECTNESS keep their upsampled logits."""

    def __init__(self, proposer: nn.Module, radius: int = RADIUS, eps: float = EPS):
        super().__init__()
        self.proposer = proposer
        self.refinement = GuidedRefinement(radius, eps)
        self.support = SUPPORT
        self.min_objectness = MIN_OBJECTNESS
        self.register_buffer("pixel_mean", torch.tensor(PIXEL_MEAN).view(1, 3, 1, 1))
        self.register_buffer("pixel_std", torch.tensor(PIXEL_STD).view(1, 3, 1, 1))

    def forward(self, frames: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        logits, masks = self.proposer(frames)
        hp, wp = frames.shape[2], frames.shape[3]
        image = (frames * self.pixel_std + self.pixel_mean) / 255.0
        mean, inverse = self.refinement.image_statistics(image)
        reach = 2 * self.refinement.radius  # how far a pixel's output depends on the mask
        objectness = logits.softmax(-1)[:, 0]
        out = []
        for q in range(masks.shape[0]):
            up = F.interpolate(masks[q:q + 1], size=[hp, wp], mode="bilinear", align_corners=False)[0]
            prob = up.sigmoid()
            refined = prob.clone()
            if float(objectness[q]) >= self.min_objectness:
                for t in range(prob.shape[0]):
                    # only where the mask is not ~0 within reach: elsewhere the filter's output is ~0
                    # as well (a and b vanish with p), and refining whole frames costs 4x the proposer
                    support = prob[t] > self.support
                    rows = torch.nonzero(support.any(1)).flatten()
                    cols = torch.nonzero(support.any(0)).flatten()
                    if rows.numel() == 0:
                        continue
                    y0 = max(int(rows[0]) - reach, 0)
                    y1 = min(int(rows[-1]) + 1 + reach, hp)
                    x0 = max(int(cols[0]) - reach, 0)
                    x1 = min(int(cols[-1]) + 1 + reach, wp)
                    refined[t:t + 1, y0:y1, x0:x1] = self.refinement.refine(
                        image[t:t + 1, :, y0:y1, x0:x1], mean[t:t + 1, :, y0:y1, x0:x1],
                        inverse[t:t + 1, :, y0:y1, x0:x1], prob[t:t + 1, y0:y1, x0:x1])
            refined = refined.clamp(1e-6, 1.0 - 1e-6)
            out.append(torch.log(refined) - torch.log1p(-refined))
        return logits, torch.stack(out)
