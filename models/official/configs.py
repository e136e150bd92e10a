"""The exact official OV-AVSS configurations (OVAVSS.md §1, §3, §4, §7) and reduced test variants.

``r50``   = configs/avsbench/OV_AVSS_R50.yaml: detectron2 ResNet-50 (FrozenBN), CLIP ViT-B/16.
``swinb`` = configs/avsbench/swin/OV_AVSS_SwinB.yaml: Swin-B (window 12), CLIP ViT-L/14@336px.
Both share the pixel decoder (256 ch, 6 deformable layers, 8 heads, 4 points, VLFuse 1024/8), the
decoder (256 hidden, 100 queries, 9 layers, 8 heads, FFN 2048, T = 5) and VGGish (no PCA, final ReLU).

The ``*-tiny`` variants keep every key-naming rule (same module classes, same prefixes) with fewer
blocks and narrower layers; they exist only so the end-to-end tests run in seconds on a CPU.
"""
from dataclasses import dataclass
from typing import Optional

from ovavss.config import OVAVSSConfig

from .swin import SwinConfig


@dataclass
class Variant:
    name: str                 # bundle name
    backbone: str             # "resnet" or "swin"
    cfg: OVAVSSConfig         # everything except the Swin backbone
    swin: Optional[SwinConfig]
    clip_name: str            # OpenAI model name the CLIP weights must come from
    official: bool            # False for the reduced test variants


def _clip_vit_b16(cfg: OVAVSSConfig) -> OVAVSSConfig:
    cfg.clip_embed_dim = 512
    cfg.clip_image_resolution = 224
    cfg.clip_patch_size = 16
    cfg.clip_vision_width = 768
    cfg.clip_vision_layers = 12
    cfg.clip_vision_heads = 12
    cfg.clip_context_length = 77
    cfg.clip_vocab_size = 49408
    cfg.clip_text_width = 512
    cfg.clip_text_heads = 8
    cfg.clip_text_layers = 12
    cfg.clip_text_pool = "argmax"
    return cfg


def _clip_vit_l14_336(cfg: OVAVSSConfig) -> OVAVSSConfig:
    cfg.clip_embed_dim = 768
    cfg.clip_image_resolution = 336
    cfg.clip_patch_size = 14
    cfg.clip_vision_width = 1024
    cfg.clip_vision_layers = 24
    cfg.clip_vision_heads = 16
    cfg.clip_context_length = 77
    cfg.clip_vocab_size = 49408
    cfg.clip_text_width = 768
    cfg.clip_text_heads = 12
    cfg.clip_text_layers = 12
    cfg.clip_text_pool = "argmax"
    return cfg


def _heads(cfg: OVAVSSConfig) -> OVAVSSConfig:
    """Segmentation head and audio encoder at full official size (OVAVSS.md §1.5, §1.6, §4)."""
    cfg.conv_dim = 256
    cfg.mask_dim = 256
    cfg.gn_groups = 32
    cfg.enc_layers = 6
    cfg.enc_ffn_dim = 1024
    cfg.enc_heads = 8
    cfg.enc_points = 4
    cfg.vl_embed_dim = 1024
    cfg.vl_heads = 8
    cfg.vl_init_values = 1.0 / 6.0
    cfg.hidden_dim = 256
    cfg.num_queries = 100
    cfg.nheads = 8
    cfg.dim_feedforward = 2048
    cfg.dec_layers = 9
    cfg.num_frames = 5
    cfg.audio_dim = 128
    cfg.vggish_channels = [64, 128, 256, 256, 512, 512]
    cfg.vggish_hidden = 4096
    return cfg


def official_r50() -> Variant:
    cfg = OVAVSSConfig()
    cfg.backbone = "resnet"
    cfg.resnet_blocks = [3, 4, 6, 3]
    cfg.stem_out_channels = 64
    cfg.res2_out_channels = 256
    cfg.width_per_group = 64
    cfg.num_groups = 1
    cfg.stride_in_1x1 = False
    cfg.backbone_norm = "FrozenBN"
    return Variant("ov-avss-r50", "resnet", _clip_vit_b16(_heads(cfg)), None, "ViT-B/16", True)


def official_swinb() -> Variant:
    cfg = _clip_vit_l14_336(_heads(OVAVSSConfig()))
    cfg.backbone = "swin"
    return Variant("ov-avss-swinb", "swin", cfg, SwinConfig.swin_b(), "ViT-L/14@336px", True)


# vocabulary of the synthetic merges file the tests write: 512 byte symbols + merges + 2 specials
TINY_CLIP_VOCAB = 512 + 26 * 26 + 2


def _tiny(cfg: OVAVSSConfig) -> OVAVSSConfig:
    cfg.conv_dim = 32
    cfg.mask_dim = 32
    cfg.gn_groups = 8
    cfg.enc_layers = 1
    cfg.enc_ffn_dim = 64
    cfg.enc_heads = 4
    cfg.enc_points = 2
    cfg.vl_embed_dim = 64
    cfg.vl_heads = 4
    cfg.hidden_dim = 32
    cfg.num_queries = 8
    cfg.nheads = 4
    cfg.dim_feedforward = 64
    cfg.dec_layers = 3
    cfg.num_frames = 5
    cfg.audio_dim = 128
    cfg.vggish_channels = [4, 8, 8, 8, 16, 16]
    cfg.vggish_hidden = 32
    cfg.clip_embed_dim = 16
    cfg.clip_image_resolution = 32
    cfg.clip_patch_size = 8
    cfg.clip_vision_width = 32
    cfg.clip_vision_layers = 1
    cfg.clip_vision_heads = 2
    cfg.clip_context_length = 77
    cfg.clip_vocab_size = TINY_CLIP_VOCAB
    cfg.clip_text_width = 32
    cfg.clip_text_heads = 2
    cfg.clip_text_layers = 1
    cfg.clip_text_pool = "argmax"
    return cfg


def tiny_r50() -> Variant:
    cfg = _tiny(OVAVSSConfig())
    cfg.resnet_blocks = [1, 2, 1, 1]
    cfg.stem_out_channels = 8
    cfg.res2_out_channels = 16
    cfg.width_per_group = 4
    cfg.backbone_norm = "FrozenBN"
    return Variant("ov-avss-r50-tiny-test", "resnet", cfg, None, "ViT-B/16", False)


def tiny_swinb() -> Variant:
    cfg = _tiny(OVAVSSConfig())
    cfg.backbone = "swin"
    swin = SwinConfig(embed_dim=16, depths=[2, 2, 2, 2], num_heads=[1, 2, 2, 4], window_size=12)
    return Variant("ov-avss-swinb-tiny-test", "swin", cfg, swin, "ViT-L/14@336px", False)


VARIANTS = {"r50": official_r50, "swinb": official_swinb, "r50-tiny": tiny_r50, "swinb-tiny": tiny_swinb}


def variant(name: str) -> Variant:
    if name not in VARIANTS:
        raise ValueError("unknown variant '" + name + "' (known: " + ", ".join(VARIANTS) + ")")
    return VARIANTS[name]()
