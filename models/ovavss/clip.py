"""CLIP-style image and text towers with OpenAI's parameter names (``visual.conv1``, ``class_embedding``,
``transformer.resblocks.{i}.attn.in_proj_weight``, ``mlp.c_fc`` …, ``token_embedding``,
``text_projection``, ``logit_scale``)."""
from collections import OrderedDict
import math

import torch
from torch import nn

from .config import OVAVSSConfig
from .layers import MultiheadAttention


class QuickGELU(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(d_model * 4, d_model))]))
        self.ln_2 = nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor, use_mask: bool) -> torch.Tensor:
        y = self.ln_1(x)
        if use_mask:
            x = x + self.attn(y, y, y, attn_mask)
        else:
            x = x + self.attn(y, y, y, None)
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.width = width
        self.layers = layers
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor, use_mask: bool) -> torch.Tensor:
        for blk in self.resblocks:
            x = blk(x, attn_mask, use_mask)
        return x


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution: int, patch_size: int, width: int, layers: int, heads: int,
                 output_dim: int):
        super().__init__()
        self.input_resolution = input_resolution
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x [K,3,R,R] CLIP-normalised → [K,D] (not normalised)."""
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding.view(1, 1, -1).expand(x.shape[0], 1, x.shape[2])
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        x = self.transformer(x, torch.zeros(1), False)
        x = self.ln_post(x[:, 0, :])
        return x @ self.proj


class CLIP(nn.Module):
    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        self.context_length = cfg.clip_context_length
        self.pool = cfg.clip_text_pool
        self.visual = VisionTransformer(cfg.clip_image_resolution, cfg.clip_patch_size, cfg.clip_vision_width,
                                        cfg.clip_vision_layers, cfg.clip_vision_heads, cfg.clip_embed_dim)
        self.transformer = Transformer(cfg.clip_text_width, cfg.clip_text_layers, cfg.clip_text_heads)
        self.token_embedding = nn.Embedding(cfg.clip_vocab_size, cfg.clip_text_width)
        self.positional_embedding = nn.Parameter(torch.empty(cfg.clip_context_length, cfg.clip_text_width))
        self.ln_final = nn.LayerNorm(cfg.clip_text_width)
        self.text_projection = nn.Parameter(torch.empty(cfg.clip_text_width, cfg.clip_embed_dim))
        self.logit_scale = nn.Parameter(torch.ones([]) * math.log(1 / 0.07))
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        nn.init.normal_(self.text_projection, std=cfg.clip_text_width ** -0.5)
        mask = torch.full((cfg.clip_context_length, cfg.clip_context_length), float("-inf")).triu_(1)
        self.register_buffer("attn_mask", mask, persistent=False)

    def encode_image(self, image: torch.Tensor) -> torch.Tensor:
        return self.visual(image)

    def encode_text(self, text: torch.Tensor) -> torch.Tensor:
        """text int64 [P,L] → [P,D] (not normalised). ``argmax`` pools the highest token id (OpenAI EOT);
        ``mean`` averages the embeddings of the non-pad tokens (the demo's bag of hashed n-grams)."""
        x = self.token_embedding(text)
        if self.pool == "mean":
            m = (text != 0).to(x.dtype).unsqueeze(-1)
            x = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.ln_final(x) @ self.text_projection
        x = x + self.positional_embedding
        x = self.transformer(x, self.attn_mask, True)
        x = self.ln_final(x)
        idx = text.argmax(dim=-1)
        x = x[torch.arange(x.shape[0], device=x.device), idx]
        return x @ self.text_projection


class ClipAdapter(nn.Module):
    """``clip_adapter.clip_model.*`` plus the (unused in forward) pixel_mean/pixel_std buffers."""

    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        self.clip_model = CLIP(cfg)
        self.register_buffer("pixel_mean", torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1) * 255.0)
        self.register_buffer("pixel_std", torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1) * 255.0)
