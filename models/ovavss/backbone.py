"""detectron2-style ResNet backbone (stem + bottleneck stages res2..res5) without detectron2.

Key names match detectron2's checkpoint layout: ``stem.conv1.weight``, ``stem.conv1.norm.*``,
``res{2..5}.{b}.conv{1,2,3}.{weight,norm.*}`` and ``.shortcut``. The backbone slot is chosen by
``cfg.backbone`` in :func:`build_backbone`; any module returning ``Dict[str, Tensor]`` with keys
res2..res5 and exposing ``out_channels: Dict[str, int]`` can replace it (e.g. a Swin-B class).
"""
from typing import Dict, List

import torch
import torch.nn.functional as F
from torch import nn

from .config import OVAVSSConfig


class FrozenBatchNorm2d(nn.Module):
    """BatchNorm with fixed statistics and affine parameters, all stored as buffers (detectron2)."""

    def __init__(self, num_features: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.register_buffer("weight", torch.ones(num_features))
        self.register_buffer("bias", torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features) - eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.weight * (self.running_var + self.eps).rsqrt()
        bias = self.bias - self.running_mean * scale
        return x * scale.reshape(1, -1, 1, 1) + bias.reshape(1, -1, 1, 1)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        # detectron2 checkpoints converted from BatchNorm may carry this counter; it has no meaning here.
        state_dict.pop(prefix + "num_batches_tracked", None)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)


def make_norm(kind: str, channels: int, gn_groups: int = 32) -> nn.Module:
    if kind == "FrozenBN":
        return FrozenBatchNorm2d(channels)
    if kind == "BN":
        return nn.BatchNorm2d(channels)
    if kind == "GN":
        return nn.GroupNorm(gn_groups, channels)
    if kind == "":
        return nn.Identity()
    raise ValueError("unknown norm " + kind)


class Conv2d(nn.Conv2d):
    """nn.Conv2d with a ``norm`` child applied after the convolution (detectron2.layers.Conv2d)."""

    def __init__(self, *args, norm: nn.Module = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.norm = norm if norm is not None else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                                  self.groups))


class BasicStem(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, norm: str):
        super().__init__()
        self.conv1 = Conv2d(in_channels, out_channels, kernel_size=7, stride=2, padding=3, bias=False,
                            norm=make_norm(norm, out_channels))
        nn.init.kaiming_normal_(self.conv1.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.conv1(x))
        return F.max_pool2d(x, kernel_size=3, stride=2, padding=1)


class BottleneckBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, bottleneck_channels: int, stride: int,
                 num_groups: int, norm: str, stride_in_1x1: bool):
        super().__init__()
        self.has_shortcut = in_channels != out_channels
        if self.has_shortcut:
            self.shortcut = Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False,
                                   norm=make_norm(norm, out_channels))
        else:
            self.shortcut = nn.Identity()
        s1, s3 = (stride, 1) if stride_in_1x1 else (1, stride)
        self.conv1 = Conv2d(in_channels, bottleneck_channels, kernel_size=1, stride=s1, bias=False,
                            norm=make_norm(norm, bottleneck_channels))
        self.conv2 = Conv2d(bottleneck_channels, bottleneck_channels, kernel_size=3, stride=s3, padding=1,
                            bias=False, groups=num_groups, norm=make_norm(norm, bottleneck_channels))
        self.conv3 = Conv2d(bottleneck_channels, out_channels, kernel_size=1, bias=False,
                            norm=make_norm(norm, out_channels))
        for m in [self.conv1, self.conv2, self.conv3]:
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        if self.has_shortcut:
            nn.init.kaiming_normal_(self.shortcut.weight, mode="fan_out", nonlinearity="relu")
        # zero-init the last norm's scale so a freshly trained block starts as identity
        if norm == "BN":
            nn.init.zeros_(self.conv3.norm.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.conv1(x))
        out = F.relu(self.conv2(out))
        out = self.conv3(out)
        out = out + self.shortcut(x)
        return F.relu(out)


class ResNet(nn.Module):
    """Outputs res2 (/4), res3 (/8), res4 (/16), res5 (/32)."""

    def __init__(self, cfg: OVAVSSConfig, in_channels: int = 3):
        super().__init__()
        self.stem = BasicStem(in_channels, cfg.stem_out_channels, cfg.backbone_norm)
        in_ch = cfg.stem_out_channels
        out_ch = cfg.res2_out_channels
        bott = cfg.num_groups * cfg.width_per_group
        self.out_channels: Dict[str, int] = {}
        stages: List[nn.Sequential] = []
        for i, n in enumerate(cfg.resnet_blocks):
            blocks = []
            for b in range(n):
                stride = 2 if (b == 0 and i > 0) else 1
                blocks.append(BottleneckBlock(in_ch, out_ch, bott, stride, cfg.num_groups, cfg.backbone_norm,
                                              cfg.stride_in_1x1))
                in_ch = out_ch
            stages.append(nn.Sequential(*blocks))
            self.out_channels["res" + str(i + 2)] = out_ch
            out_ch *= 2
            bott *= 2
        self.res2 = stages[0]
        self.res3 = stages[1]
        self.res4 = stages[2]
        self.res5 = stages[3]

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        x = self.stem(x)
        r2 = self.res2(x)
        r3 = self.res3(r2)
        r4 = self.res4(r3)
        r5 = self.res5(r4)
        return {"res2": r2, "res3": r3, "res4": r4, "res5": r5}


def build_backbone(cfg: OVAVSSConfig) -> nn.Module:
    if cfg.backbone == "resnet":
        return ResNet(cfg)
    raise ValueError("unknown backbone " + cfg.backbone + " (plug a class returning res2..res5 here)")
