"""The whole official OV-AVSS module tree with the checkpoint's top-level prefixes
(``backbone.*``, ``sem_seg_head.*``, ``audio_encoder.*``, ``clip_adapter.*``, ``criterion.*``).

Built from the MODEL-SIDE classes in ``models/ovavss``; the only addition is the Swin-B backbone,
which ``ovavss.backbone.build_backbone`` does not know, so this tree chooses the backbone itself.
"""
import torch
from torch import nn

from ovavss.audio import AudioEncoder
from ovavss.backbone import ResNet
from ovavss.clip import ClipAdapter
from ovavss.model import (AudioExport, ClipImageExport, ClipTextExport, Criterion, MaskFormerHeadAV,
                          SegmenterExport)

from .configs import Variant
from .swin import SwinTransformer

# Tensors of the released checkpoint that only training reads; absent ones are not an error.
TRAINING_ONLY = ("criterion.empty_weight",)


class OfficialOVAVSS(nn.Module):
    def __init__(self, v: Variant):
        super().__init__()
        self.variant = v
        self.backbone = SwinTransformer(v.swin) if v.backbone == "swin" else ResNet(v.cfg)
        oc = self.backbone.out_channels
        self.sem_seg_head = MaskFormerHeadAV(v.cfg, [oc["res2"], oc["res3"], oc["res4"], oc["res5"]])
        self.audio_encoder = AudioEncoder(v.cfg)
        self.clip_adapter = ClipAdapter(v.cfg)
        self.criterion = Criterion()

    def export_modules(self) -> dict:
        """The four bundle graphs as eager modules (file name → module), in eval mode."""
        mods = {
            "audio_encoder.pt": AudioExport(self.audio_encoder),
            "segmenter.pt": SegmenterExport(self),
            "clip_image.pt": ClipImageExport(self.clip_adapter.clip_model),
            "clip_text.pt": ClipTextExport(self.clip_adapter.clip_model),
        }
        for m in mods.values():
            m.eval()
        return mods


def build(v: Variant, fast_init: bool = True) -> OfficialOVAVSS:
    """Builds the module tree. ``fast_init`` skips the random initialisers (the weights are about to be
    overwritten by a checkpoint), which saves most of the build time of the 270M / 610M-parameter trees."""
    if not fast_init:
        return OfficialOVAVSS(v)
    saved = {}
    names = ["normal_", "uniform_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
             "trunc_normal_", "constant_", "zeros_", "ones_"]
    for n in names:
        saved[n] = getattr(nn.init, n)
        setattr(nn.init, n, lambda t, *a, **k: t)
    try:
        with torch.no_grad():
            return OfficialOVAVSS(v)
    finally:
        for n, f in saved.items():
            setattr(nn.init, n, f)
