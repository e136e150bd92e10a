"""Shared building blocks written with plain ops (linear, matmul, softmax) so that TorchScript saved by
torch 1.13 loads in any later libtorch, while keeping nn.MultiheadAttention's parameter names."""
import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class MultiheadAttention(nn.Module):
    """Batch-first multi-head attention with nn.MultiheadAttention's state-dict keys
    (``in_proj_weight``, ``in_proj_bias``, ``out_proj.{weight,bias}``)."""

    def __init__(self, embed_dim: int, num_heads: int):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """query [B,Lq,C], key/value [B,Lk,C]; attn_mask bool [B*heads,Lq,Lk] (True = blocked) or
        float additive [Lq,Lk]."""
        b, lq, c = query.shape
        lk = key.shape[1]
        w = self.in_proj_weight
        bias = self.in_proj_bias
        q = F.linear(query, w[:c], bias[:c])
        k = F.linear(key, w[c:2 * c], bias[c:2 * c])
        v = F.linear(value, w[2 * c:], bias[2 * c:])
        h = self.num_heads
        d = self.head_dim
        q = q.reshape(b, lq, h, d).transpose(1, 2) * (1.0 / math.sqrt(d))
        k = k.reshape(b, lk, h, d).transpose(1, 2)
        v = v.reshape(b, lk, h, d).transpose(1, 2)
        logits = torch.matmul(q, k.transpose(2, 3))  # [B,h,Lq,Lk]
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                logits = logits.masked_fill(attn_mask.reshape(b, h, lq, lk), float("-inf"))
            else:
                logits = logits + attn_mask
        attn = torch.softmax(logits, dim=-1)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(b, lq, c)
        return self.out_proj(out)


class MLP(nn.Module):
    """Linear layers with ReLU between them (not after the last), keys ``layers.{i}``."""

    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int, num_layers: int):
        super().__init__()
        dims_in = [input_dim] + [hidden_dim] * (num_layers - 1)
        dims_out = [hidden_dim] * (num_layers - 1) + [output_dim]
        self.layers = nn.ModuleList([nn.Linear(i, o) for i, o in zip(dims_in, dims_out)])
        self.num_layers = num_layers

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        i = 0
        for layer in self.layers:
            x = layer(x)
            if i < self.num_layers - 1:
                x = F.relu(x)
            i += 1
        return x


def sine_pos_2d(b: int, h: int, w: int, num_pos_feats: int, device: torch.device,
                temperature: float = 10000.0) -> torch.Tensor:
    """PositionEmbeddingSine(normalize=True, scale=2*pi) → [b, 2*num_pos_feats, h, w]."""
    scale = 2.0 * math.pi
    eps = 1e-6
    y_embed = torch.arange(1, h + 1, dtype=torch.float32, device=device).reshape(h, 1).expand(h, w)
    x_embed = torch.arange(1, w + 1, dtype=torch.float32, device=device).reshape(1, w).expand(h, w)
    y_embed = y_embed / (float(h) + eps) * scale
    x_embed = x_embed / (float(w) + eps) * scale
    dim_t = torch.arange(num_pos_feats, dtype=torch.float32, device=device)
    dim_t = torch.pow(temperature, 2.0 * torch.div(dim_t, 2, rounding_mode="floor") / num_pos_feats)
    pos_x = x_embed[:, :, None] / dim_t
    pos_y = y_embed[:, :, None] / dim_t
    pos_x = torch.stack((pos_x[:, :, 0::2].sin(), pos_x[:, :, 1::2].cos()), dim=3).flatten(2)
    pos_y = torch.stack((pos_y[:, :, 0::2].sin(), pos_y[:, :, 1::2].cos()), dim=3).flatten(2)
    pos = torch.cat((pos_y, pos_x), dim=2).permute(2, 0, 1)
    return pos.unsqueeze(0).expand(b, 2 * num_pos_feats, h, w)


def sine_pos_3d(t: int, h: int, w: int, num_pos_feats: int, device: torch.device,
                temperature: float = 10000.0) -> torch.Tensor:
    """PositionEmbeddingSine3D(normalize=True) → [t, 2*num_pos_feats, h, w] (same for every clip)."""
    scale = 2.0 * math.pi
    eps = 1e-6
    z_embed = torch.arange(1, t + 1, dtype=torch.float32, device=device) / (float(t) + eps) * scale
    pos2d = sine_pos_2d(1, h, w, num_pos_feats, device, temperature)[0]  # [2F,h,w]
    dim_tz = torch.arange(num_pos_feats * 2, dtype=torch.float32, device=device)
    dim_tz = torch.pow(temperature, 2.0 * torch.div(dim_tz, 2, rounding_mode="floor") / (num_pos_feats * 2))
    pos_z = z_embed[:, None] / dim_tz  # [t,2F]
    pos_z = torch.stack((pos_z[:, 0::2].sin(), pos_z[:, 1::2].cos()), dim=2).flatten(1)
    return pos2d.unsqueeze(0) + pos_z[:, :, None, None]
