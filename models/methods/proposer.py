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
