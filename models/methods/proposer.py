"""The image-only mask proposer: SeAC's and OpenAVS's "segment" stage on AV-Shapes.

The papers use a class-agnostic detector + SAM, trained elsewhere on object masks and never on
audio. Here the demo segmenter's architecture is fine-tuned to propose *every* visible object
(sounding or silent) with the audio input held at zero, so no audio can enter: the graph
``proposer.pt`` takes frames only. Its targets are AV-Shapes' instance masks (the analogue of
SAM's object masks); it never sees which object sounds or what any object is called.
"""
from typing import Tuple

import torch
from torch import nn

from ovavss.model import Segmenter


class ProposerExport(nn.Module):
    """proposer.pt: frames [T,3,Hp,Wp] → (objectness_logits [Q,2], mask_logits [Q,T,Hp/4,Wp/4]).
    Column 0 of the logits is "object", 1 "no object" (the segmenter's layout)."""

    def __init__(self, seg: Segmenter, audio_dim: int):
        super().__init__()
        self.backbone = seg.backbone
        self.sem_seg_head = seg.sem_seg_head
        self.audio_dim = audio_dim

    def forward(self, frames: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        silence = torch.zeros(frames.shape[0], self.audio_dim, dtype=frames.dtype, device=frames.device)
        f = self.backbone(frames)
        mask_features, ms, fused = self.sem_seg_head.pixel_decoder(f["res2"], f["res3"], f["res4"], f["res5"], silence)
        logits, masks, _, _ = self.sem_seg_head.predictor(ms, mask_features, fused)
        return logits[0], masks[0]


def proposals(objectness_logits: torch.Tensor, mask_logits: torch.Tensor, frame: int, size: Tuple[int, int],
              top: int = 50, min_score: float = 0.5, min_pixels: int = 6) -> Tuple[torch.Tensor, torch.Tensor]:
    """The proposer's masks for one frame of its window, as the Java side computes them: masks
    upsampled bilinearly to ``size``, sigmoid > 0.5; queries ordered by objectness (softmax column 0),
    those ≥ ``min_score`` with ≥ ``min_pixels`` pixels, at most ``top``; a pixel claimed by several
    belongs to the most confident (masks are disjoint, as SAM masks after the paper's NMS are not,
    but the aggregation only ever takes one mask per pixel). Returns (masks bool [N,H,W], scores [N])."""
    score = objectness_logits.softmax(-1)[:, 0]
    order = torch.argsort(score, descending=True, stable=True)
    up = torch.nn.functional.interpolate(mask_logits[:, frame:frame + 1].float(), size=size, mode="bilinear",
                                         align_corners=False)[:, 0]
    taken = torch.zeros(size, dtype=torch.bool)
    masks, scores = [], []
    for q in order.tolist():
        if len(masks) >= top or float(score[q]) < min_score:
            break
        m = (up[q] > 0.0) & ~taken
        if int(m.sum()) < min_pixels:
            continue
        taken |= m
        masks.append(m)
        scores.append(float(score[q]))
    if not masks:
        return torch.zeros((0,) + tuple(size), dtype=torch.bool), torch.zeros(0)
    return torch.stack(masks), torch.tensor(scores)
