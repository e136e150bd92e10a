"""Size configuration of the OV-AVSS module classes.

One dataclass covers both the official checkpoint layout (``official_r50``) and the small demo model
(``demo``); the module classes read only this object, so the official-weights loader and the demo
training build the very same classes.
"""
from dataclasses import dataclass, field, asdict
from typing import List


@dataclass
class OVAVSSConfig:
    # --- backbone (detectron2-style ResNet; another backbone may be plugged in by name) ---
    backbone: str = "resnet"
    resnet_blocks: List[int] = field(default_factory=lambda: [3, 4, 6, 3])
    stem_out_channels: int = 64
    res2_out_channels: int = 256
    width_per_group: int = 64
    num_groups: int = 1
    stride_in_1x1: bool = False
    backbone_norm: str = "FrozenBN"  # "FrozenBN" (official, buffers) or "BN" (trainable demo)
    # --- pixel decoder (MSDeformAttnPixelDecoderAVBi) ---
    conv_dim: int = 256
    mask_dim: int = 256
    gn_groups: int = 32
    enc_layers: int = 6
    enc_ffn_dim: int = 1024
    enc_heads: int = 8
    enc_points: int = 4
    vl_embed_dim: int = 1024
    vl_heads: int = 8
    vl_init_values: float = 1.0 / 6.0
    # --- transformer decoder ---
    hidden_dim: int = 256
    num_queries: int = 100
    nheads: int = 8
    dim_feedforward: int = 2048
    dec_layers: int = 9
    num_frames: int = 5
    # --- audio encoder (VGGish layout) ---
    audio_dim: int = 128
    vggish_channels: List[int] = field(default_factory=lambda: [64, 128, 256, 256, 512, 512])
    vggish_hidden: int = 4096
    # --- CLIP towers (OpenAI layout) ---
    clip_embed_dim: int = 512
    clip_image_resolution: int = 224
    clip_patch_size: int = 16
    clip_vision_width: int = 768
    clip_vision_layers: int = 12
    clip_vision_heads: int = 12
    clip_context_length: int = 77
    clip_vocab_size: int = 49408
    clip_text_width: int = 512
    clip_text_heads: int = 8
    clip_text_layers: int = 12
    clip_text_pool: str = "argmax"  # "argmax" (OpenAI EOT = highest id), "mean" (demo bag of n-grams)

    @staticmethod
    def official_r50() -> "OVAVSSConfig":
        """The released OV-AVSS R50 + ViT-B/16 configuration (OVAVSS.md §1, §5, §7)."""
        return OVAVSSConfig()

    @staticmethod
    def demo() -> "OVAVSSConfig":
        """The small AV-Shapes demo model: trains in under an hour on 2 CPU cores."""
        return OVAVSSConfig(
            resnet_blocks=[1, 1, 1, 1], stem_out_channels=16, res2_out_channels=32, width_per_group=8,
            backbone_norm="BN",
            conv_dim=64, mask_dim=64, gn_groups=8, enc_layers=2, enc_ffn_dim=128, enc_heads=4, enc_points=4,
            vl_embed_dim=128, vl_heads=4,
            hidden_dim=64, num_queries=16, nheads=4, dim_feedforward=128, dec_layers=3, num_frames=5,
            audio_dim=128, vggish_channels=[8, 16, 32, 32, 64, 64], vggish_hidden=128,
            clip_embed_dim=64, clip_image_resolution=32, clip_patch_size=4, clip_vision_width=64,
            clip_vision_layers=2, clip_vision_heads=4, clip_context_length=64, clip_vocab_size=8192,
            clip_text_width=64, clip_text_heads=4, clip_text_layers=0, clip_text_pool="mean")

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> "OVAVSSConfig":
        return OVAVSSConfig(**d)
