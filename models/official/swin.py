"""Swin Transformer backbone in the Mask2Former/detectron2 layout (``D2SwinTransformer``), scriptable.

Parameter and buffer names match the official OV-AVSS Swin-B checkpoint (OVAVSS.md §1.4, §5):
``patch_embed.{proj,norm}``, ``layers.{i}.blocks.{j}.{norm1,attn.qkv,attn.proj,
attn.relative_position_bias_table,attn.relative_position_index,norm2,mlp.fc1,mlp.fc2}``,
``layers.{i}.downsample.{reduction,norm}`` and the per-output LayerNorms ``norm0..norm3``.

Behaviour follows the detection variant of Swin: every odd block is shifted by window//2 whatever the
feature size, inputs are zero-padded to the patch size and, inside each block, to the window size;
the shifted-window mask is built per call from the padded size (-100 between different regions).
Written without Python slice objects or data-dependent Python control flow so ``torch.jit.script``
handles any input size.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class SwinConfig:
    """Swin hyper-parameters; ``swin_b()`` is the official OV-AVSS Swin-B (IN21k-384) setting."""

    embed_dim: int = 128
    depths: List[int] = field(default_factory=lambda: [2, 2, 18, 2])
    num_heads: List[int] = field(default_factory=lambda: [4, 8, 16, 32])
    window_size: int = 12
    patch_size: int = 4
    mlp_ratio: float = 4.0
    qkv_bias: bool = True

    @staticmethod
    def swin_b() -> "SwinConfig":
        return SwinConfig()


def window_partition(x: torch.Tensor, ws: int) -> torch.Tensor:
    """[B,H,W,C] (H, W multiples of ws) → [B*nW, ws, ws, C]."""
    b, h, w, c = x.shape
    x = x.view(b, h // ws, ws, w // ws, ws, c)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, ws, ws, c)


def window_reverse(windows: torch.Tensor, ws: int, h: int, w: int) -> torch.Tensor:
    """[B*nW, ws, ws, C] → [B,H,W,C]."""
    b = windows.shape[0] // ((h // ws) * (w // ws))
    x = windows.view(b, h // ws, w // ws, ws, ws, windows.shape[-1])
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(b, h, w, windows.shape[-1])


def relative_position_index(ws: int) -> torch.Tensor:
    """[ws*ws, ws*ws] index into the (2ws-1)^2 bias table (Swin's definition)."""
    coords = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij"))  # [2,ws,ws]
    flat = coords.flatten(1)
    rel = (flat[:, :, None] - flat[:, None, :]).permute(1, 2, 0).contiguous()
    rel[:, :, 0] += ws - 1
    rel[:, :, 1] += ws - 1
    rel[:, :, 0] *= 2 * ws - 1
    return rel.sum(-1)


class WindowAttention(nn.Module):
    def __init__(self, dim: int, window_size: int, num_heads: int, qkv_bias: bool):
        super().__init__()
        self.dim = dim
        self.window_size = window_size
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * window_size - 1) ** 2, num_heads))
        self.register_buffer("relative_position_index", relative_position_index(window_size))
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
        """x [B*nW, N, C]; mask [nW, N, N] additive (0 / -100) or None."""
        b_, n, c = x.shape
        h = self.num_heads
        qkv = self.qkv(x).reshape(b_, n, 3, h, c // h).permute(2, 0, 3, 1, 4)
        q = qkv[0] * self.scale
        k = qkv[1]
        v = qkv[2]
        attn = torch.matmul(q, k.transpose(-2, -1))
        bias = self.relative_position_bias_table[self.relative_position_index.view(-1)].view(n, n, h)
        attn = attn + bias.permute(2, 0, 1).contiguous().unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = attn.view(b_ // nw, nw, h, n, n) + mask.unsqueeze(1).unsqueeze(0)
            attn = attn.view(-1, h, n, n)
        attn = torch.softmax(attn, dim=-1)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(b_, n, c)
        return self.proj(out)


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class SwinTransformerBlock(nn.Module):
    def __init__(self, dim: int, num_heads: int, window_size: int, shift_size: int, mlp_ratio: float,
                 qkv_bias: bool):
        super().__init__()
        self.window_size = window_size
        self.shift_size = shift_size
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, window_size, num_heads, qkv_bias)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor, h: int, w: int, mask: torch.Tensor) -> torch.Tensor:
        b, _, c = x.shape
        ws = self.window_size
        shortcut = x
        x = self.norm1(x).view(b, h, w, c)
        pad_r = (ws - w % ws) % ws
        pad_b = (ws - h % ws) % ws
        x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))
        hp = h + pad_b
        wp = w + pad_r
        if self.shift_size > 0:
            x = torch.roll(x, shifts=(-self.shift_size, -self.shift_size), dims=(1, 2))
            windows = self.attn(window_partition(x, ws).view(-1, ws * ws, c), mask)
        else:
            windows = self.attn(window_partition(x, ws).view(-1, ws * ws, c), None)
        x = window_reverse(windows.view(-1, ws, ws, c), ws, hp, wp)
        if self.shift_size > 0:
            x = torch.roll(x, shifts=(self.shift_size, self.shift_size), dims=(1, 2))
        x = x[:, :h, :w, :].contiguous().view(b, h * w, c)
        x = shortcut + x
        return x + self.mlp(self.norm2(x))


class PatchMerging(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(4 * dim)

    def forward(self, x: torch.Tensor, h: int, w: int) -> torch.Tensor:
        b, _, c = x.shape
        x = x.view(b, h, w, c)
        x = F.pad(x, (0, 0, 0, w % 2, 0, h % 2))
        x0 = x[:, 0::2, 0::2, :]
        x1 = x[:, 1::2, 0::2, :]
        x2 = x[:, 0::2, 1::2, :]
        x3 = x[:, 1::2, 1::2, :]
        x = torch.cat([x0, x1, x2, x3], -1).view(b, -1, 4 * c)
        return self.reduction(self.norm(x))


def shifted_window_mask(hp: int, wp: int, ws: int, shift: int, device: torch.device) -> torch.Tensor:
    """[nW, ws*ws, ws*ws] additive mask: -100 between tokens from different regions of the rolled map.

    The official code labels the 3x3 regions cut by the slices (0,-ws), (-ws,-shift), (-shift,None)
    along each axis; the region of a row r is (r >= hp-ws) + (r >= hp-shift), likewise for columns.
    """
    rows = torch.arange(hp, device=device)
    cols = torch.arange(wp, device=device)
    rid = (rows >= hp - ws).to(torch.int64) + (rows >= hp - shift).to(torch.int64)
    cid = (cols >= wp - ws).to(torch.int64) + (cols >= wp - shift).to(torch.int64)
    label = (rid.view(hp, 1) * 3 + cid.view(1, wp)).to(torch.float32).view(1, hp, wp, 1)
    mw = window_partition(label, ws).view(-1, ws * ws)
    diff = mw.unsqueeze(1) - mw.unsqueeze(2)
    return torch.where(diff != 0, torch.full_like(diff, -100.0), torch.zeros_like(diff))


class BasicLayer(nn.Module):
    def __init__(self, dim: int, depth: int, num_heads: int, window_size: int, mlp_ratio: float, qkv_bias: bool,
                 downsample: bool):
        super().__init__()
        self.window_size = window_size
        self.shift_size = window_size // 2
        self.blocks = nn.ModuleList([
            SwinTransformerBlock(dim, num_heads, window_size, 0 if i % 2 == 0 else window_size // 2, mlp_ratio,
                                 qkv_bias) for i in range(depth)])
        self.downsample = PatchMerging(dim) if downsample else None

    def forward(self, x: torch.Tensor, h: int, w: int) -> Tuple[torch.Tensor, torch.Tensor]:
        ws = self.window_size
        hp = (h + ws - 1) // ws * ws
        wp = (w + ws - 1) // ws * ws
        mask = shifted_window_mask(hp, wp, ws, self.shift_size, x.device).to(x.dtype)
        for blk in self.blocks:
            x = blk(x, h, w, mask)
        down = self.downsample
        if down is not None:
            return x, down(x, h, w)
        return x, x


class PatchEmbed(nn.Module):
    def __init__(self, patch_size: int, embed_dim: int):
        super().__init__()
        self.patch_size = patch_size
        self.embed_dim = embed_dim
        self.proj = nn.Conv2d(3, embed_dim, kernel_size=patch_size, stride=patch_size)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = self.patch_size
        h = x.shape[2]
        w = x.shape[3]
        x = F.pad(x, (0, (p - w % p) % p, 0, (p - h % p) % p))
        x = self.proj(x)
        wh = x.shape[2]
        ww = x.shape[3]
        x = self.norm(x.flatten(2).transpose(1, 2))
        return x.transpose(1, 2).reshape(-1, self.embed_dim, wh, ww)


class SwinTransformer(nn.Module):
    """(images [N,3,H,W]) → {res2: [N,C,H/4,W/4], res3 /8 2C, res4 /16 4C, res5 /32 8C} (ceil sizes)."""

    def __init__(self, cfg: SwinConfig):
        super().__init__()
        self.num_layers = len(cfg.depths)
        self.patch_embed = PatchEmbed(cfg.patch_size, cfg.embed_dim)
        dims = [cfg.embed_dim * 2 ** i for i in range(self.num_layers)]
        self.num_features = dims
        self.layers = nn.ModuleList([
            BasicLayer(dims[i], cfg.depths[i], cfg.num_heads[i], cfg.window_size, cfg.mlp_ratio, cfg.qkv_bias,
                       i < self.num_layers - 1) for i in range(self.num_layers)])
        for i in range(self.num_layers):
            self.add_module("norm" + str(i), nn.LayerNorm(dims[i]))
        self.out_channels: Dict[str, int] = {"res" + str(i + 2): dims[i] for i in range(self.num_layers)}
        self._init()

    def _init(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        x = self.patch_embed(x)
        h = x.shape[2]
        w = x.shape[3]
        x = x.flatten(2).transpose(1, 2)
        outs: List[torch.Tensor] = []
        for layer in self.layers:
            x_out, x = layer(x, h, w)
            outs.append(x_out.view(x_out.shape[0], h, w, x_out.shape[2]))
            h = (h + 1) // 2
            w = (w + 1) // 2
        # the per-output LayerNorms are separate attributes (norm0..norm3) in the official layout
        return {"res2": self.norm0(outs[0]).permute(0, 3, 1, 2).contiguous(),
                "res3": self.norm1(outs[1]).permute(0, 3, 1, 2).contiguous(),
                "res4": self.norm2(outs[2]).permute(0, 3, 1, 2).contiguous(),
                "res5": self.norm3(outs[3]).permute(0, 3, 1, 2).contiguous()}
