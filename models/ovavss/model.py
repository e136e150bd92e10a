"""Top-level OV-AVSS modules with the official state-dict prefixes, plus export wrappers."""
from typing import List, Tuple

import torch
from torch import nn

from .audio import AudioEncoder
from .backbone import build_backbone
from .clip import ClipAdapter
from .config import OVAVSSConfig
from .decoder import AudioVideoMultiScaleMaskedTransformerDecoder
from .pixel_decoder import MSDeformAttnPixelDecoderAVBi


class MaskFormerHeadAV(nn.Module):
    def __init__(self, cfg: OVAVSSConfig, in_channels: List[int]):
        super().__init__()
        self.pixel_decoder = MSDeformAttnPixelDecoderAVBi(cfg, in_channels)
        self.predictor = AudioVideoMultiScaleMaskedTransformerDecoder(cfg)


class Segmenter(nn.Module):
    """backbone + sem_seg_head. forward(frames [B*T,3,Hp,Wp], audio [B*T,A]) → class [B,Q,2],
    masks [B,Q,T,Hp/4,Wp/4], aux lists."""

    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        self.backbone = build_backbone(cfg)
        oc = self.backbone.out_channels
        self.sem_seg_head = MaskFormerHeadAV(cfg, [oc["res2"], oc["res3"], oc["res4"], oc["res5"]])

    def forward(self, frames: torch.Tensor, audio: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, List[torch.Tensor], List[torch.Tensor]]:
        f = self.backbone(frames)
        mask_features, ms, fused = self.sem_seg_head.pixel_decoder(f["res2"], f["res3"], f["res4"], f["res5"], audio)
        return self.sem_seg_head.predictor(ms, mask_features, fused)


class SegmenterExport(nn.Module):
    """The bundle's segmenter.pt: (frames [T,3,Hp,Wp], audio [T,A]) → (sound_logits [Q,2], mask_logits
    [Q,T,Hp/4,Wp/4]) for one clip."""

    def __init__(self, seg: Segmenter):
        super().__init__()
        self.backbone = seg.backbone
        self.sem_seg_head = seg.sem_seg_head

    def forward(self, frames: torch.Tensor, audio: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        f = self.backbone(frames)
        mask_features, ms, fused = self.sem_seg_head.pixel_decoder(f["res2"], f["res3"], f["res4"], f["res5"], audio)
        logits, masks, _, _ = self.sem_seg_head.predictor(ms, mask_features, fused)
        return logits[0], masks[0]


class Criterion(nn.Module):
    """Holds only the training-time ``criterion.empty_weight`` buffer that detectron2 checkpoints carry."""

    def __init__(self, eos_coef: float = 0.1):
        super().__init__()
        w = torch.ones(2)
        w[-1] = eos_coef
        self.register_buffer("empty_weight", w)


class OVAVSS(nn.Module):
    """Whole model with the official key prefixes: backbone.*, sem_seg_head.*, audio_encoder.*,
    clip_adapter.*, criterion.*. Meta-arch pixel_mean/std are non-persistent as in the official code."""

    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        self.cfg = cfg
        self.backbone = build_backbone(cfg)
        oc = self.backbone.out_channels
        self.sem_seg_head = MaskFormerHeadAV(cfg, [oc["res2"], oc["res3"], oc["res4"], oc["res5"]])
        self.audio_encoder = AudioEncoder(cfg)
        self.clip_adapter = ClipAdapter(cfg)
        self.criterion = Criterion()
        self.register_buffer("pixel_mean", torch.tensor([123.675, 116.280, 103.530]).view(-1, 1, 1), persistent=False)
        self.register_buffer("pixel_std", torch.tensor([58.395, 57.120, 57.375]).view(-1, 1, 1), persistent=False)

    def segmenter(self) -> Segmenter:
        s = Segmenter.__new__(Segmenter)
        nn.Module.__init__(s)
        s.backbone = self.backbone
        s.sem_seg_head = self.sem_seg_head
        return s


class ClipImageExport(nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.visual = clip.visual

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.visual(image)


class ClipTextExport(nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.clip = clip

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        return self.clip.encode_text(text)


class AudioExport(nn.Module):
    def __init__(self, enc: AudioEncoder):
        super().__init__()
        self.audio_backbone = enc.audio_backbone

    def forward(self, log_mel: torch.Tensor) -> torch.Tensor:
        return self.audio_backbone(log_mel)


#: where each bundle graph's parameters live in the OVAVSS state dict
_GRAPH_PREFIX = {"segmenter.pt": "", "audio_encoder.pt": "audio_encoder.",
                 "clip_image.pt": "clip_adapter.clip_model.", "clip_text.pt": "clip_adapter.clip_model."}


def model_from_bundle(bundle_dir: str) -> OVAVSS:
    """Rebuilds the eager model from a bundle's own graphs (bundle.json "model_config" + the scripted
    graphs' parameters), e.g. to fine-tune a stage of the demo without its training checkpoint. Loads
    strictly: every parameter must come from some graph. Only for bundles you trust (TorchScript)."""
    import json
    import os
    with open(os.path.join(bundle_dir, "bundle.json")) as f:
        cfg = OVAVSSConfig.from_dict(json.load(f)["model_config"])
    model = OVAVSS(cfg)
    state = model.state_dict()
    for graph, prefix in _GRAPH_PREFIX.items():
        for k, v in torch.jit.load(os.path.join(bundle_dir, graph), map_location="cpu").state_dict().items():
            key = prefix + (k[len("clip."):] if k.startswith("clip.") else k)
            if key in state:
                state[key] = v
            elif not key.endswith("attn_mask"):
                raise ValueError(f"{graph}: parameter {k} has no place in the model")
    model.load_state_dict(state, strict=True)
    return model
