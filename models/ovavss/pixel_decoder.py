"""MSDeformAttnPixelDecoderAVBi: input projections, audio-visual bi-attention (VLFuse), multi-scale
deformable encoder (grid_sample formulation) and a one-level FPN producing mask features (OVAVSS.md §1.5).

Module names follow the official checkpoint (``input_proj.{l}.{0,1}``, ``transformer.level_embed``,
``transformer.encoder.vl_layer.b_attn.*``, ``transformer.encoder.layers.{i}.*``, ``adapter_1``,
``layer_1``, ``mask_features``).
"""
import math
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .backbone import Conv2d
from .config import OVAVSSConfig
from .layers import sine_pos_2d


class MSDeformAttn(nn.Module):
    def __init__(self, d_model: int, n_levels: int, n_heads: int, n_points: int):
        super().__init__()
        self.d_model = d_model
        self.n_levels = n_levels
        self.n_heads = n_heads
        self.n_points = n_points
        self.sampling_offsets = nn.Linear(d_model, n_heads * n_levels * n_points * 2)
        self.attention_weights = nn.Linear(d_model, n_heads * n_levels * n_points)
        self.value_proj = nn.Linear(d_model, d_model)
        self.output_proj = nn.Linear(d_model, d_model)
        self._reset_parameters()

    def _reset_parameters(self):
        # Deformable-DETR initialisation: offsets start on a ring of directions per head.
        nn.init.constant_(self.sampling_offsets.weight, 0.0)
        thetas = torch.arange(self.n_heads, dtype=torch.float32) * (2.0 * math.pi / self.n_heads)
        grid = torch.stack([thetas.cos(), thetas.sin()], -1)
        grid = (grid / grid.abs().max(-1, keepdim=True)[0]).view(self.n_heads, 1, 1, 2)
        grid = grid.repeat(1, self.n_levels, self.n_points, 1)
        for i in range(self.n_points):
            grid[:, :, i, :] *= i + 1
        with torch.no_grad():
            self.sampling_offsets.bias.copy_(grid.view(-1))
        nn.init.constant_(self.attention_weights.weight, 0.0)
        nn.init.constant_(self.attention_weights.bias, 0.0)
        nn.init.xavier_uniform_(self.value_proj.weight)
        nn.init.constant_(self.value_proj.bias, 0.0)
        nn.init.xavier_uniform_(self.output_proj.weight)
        nn.init.constant_(self.output_proj.bias, 0.0)

    def forward(self, query: torch.Tensor, reference_points: torch.Tensor, input_flatten: torch.Tensor,
                spatial_shapes: List[Tuple[int, int]]) -> torch.Tensor:
        """query [N,Lq,C]; reference_points [N,Lq,L,2] (x,y in 0..1); input_flatten [N,S,C]."""
        n, lq, _ = query.shape
        s = input_flatten.shape[1]
        m = self.n_heads
        d = self.d_model // m
        nl = self.n_levels
        p = self.n_points
        value = self.value_proj(input_flatten).view(n, s, m, d)
        offsets = self.sampling_offsets(query).view(n, lq, m, nl, p, 2)
        weights = torch.softmax(self.attention_weights(query).view(n, lq, m, nl * p), -1)
        norm_list: List[torch.Tensor] = []
        for hw in spatial_shapes:
            norm_list.append(torch.tensor([float(hw[1]), float(hw[0])], dtype=query.dtype, device=query.device))
        normalizer = torch.stack(norm_list, 0)  # [L,2] as (W,H)
        loc = reference_points[:, :, None, :, None, :] + offsets / normalizer[None, None, None, :, None, :]
        grids = 2.0 * loc - 1.0
        sampled: List[torch.Tensor] = []
        start = 0
        lid = 0
        for hw in spatial_shapes:
            h = hw[0]
            w = hw[1]
            value_l = value[:, start:start + h * w].flatten(2).transpose(1, 2).reshape(n * m, d, h, w)
            grid_l = grids[:, :, :, lid].transpose(1, 2).flatten(0, 1)  # [N*M,Lq,P,2]
            sampled.append(F.grid_sample(value_l, grid_l, mode="bilinear", padding_mode="zeros",
                                         align_corners=False))  # [N*M,D,Lq,P]
            start += h * w
            lid += 1
        w_all = weights.transpose(1, 2).reshape(n * m, 1, lq, nl * p)
        out = (torch.stack(sampled, dim=-2).flatten(-2) * w_all).sum(-1).view(n, m * d, lq)
        return self.output_proj(out.transpose(1, 2))


class MSDeformAttnTransformerEncoderLayer(nn.Module):
    def __init__(self, d_model: int, d_ffn: int, n_levels: int, n_heads: int, n_points: int):
        super().__init__()
        self.self_attn = MSDeformAttn(d_model, n_levels, n_heads, n_points)
        self.norm1 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ffn)
        self.linear2 = nn.Linear(d_ffn, d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, src: torch.Tensor, pos: torch.Tensor, reference_points: torch.Tensor,
                spatial_shapes: List[Tuple[int, int]]) -> torch.Tensor:
        src = self.norm1(src + self.self_attn(src + pos, reference_points, src, spatial_shapes))
        return self.norm2(src + self.linear2(F.relu(self.linear1(src))))


class BiMultiHeadAttention(nn.Module):
    """GLIP-style bi-directional attention between visual tokens v and language/audio tokens l."""

    def __init__(self, v_dim: int, l_dim: int, embed_dim: int, num_heads: int):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scale = self.head_dim ** (-0.5)
        self.v_proj = nn.Linear(v_dim, embed_dim)
        self.l_proj = nn.Linear(l_dim, embed_dim)
        self.values_v_proj = nn.Linear(v_dim, embed_dim)
        self.values_l_proj = nn.Linear(l_dim, embed_dim)
        self.out_v_proj = nn.Linear(embed_dim, v_dim)
        self.out_l_proj = nn.Linear(embed_dim, l_dim)
        for lin in [self.v_proj, self.l_proj, self.values_v_proj, self.values_l_proj, self.out_v_proj,
                    self.out_l_proj]:
            nn.init.xavier_uniform_(lin.weight)
            lin.bias.data.fill_(0)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        b, n, _ = x.shape
        return x.view(b, n, self.num_heads, self.head_dim).transpose(1, 2).reshape(b * self.num_heads, n,
                                                                                 self.head_dim)

    def forward(self, v: torch.Tensor, l: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        b, tgt_len, _ = v.shape
        src_len = l.shape[1]
        q = self._heads(self.v_proj(v) * self.scale)
        k = self._heads(self.l_proj(l))
        vv = self._heads(self.values_v_proj(v))
        vl = self._heads(self.values_l_proj(l))
        attn = torch.bmm(q, k.transpose(1, 2))  # [B*h, S, Ll]
        attn = torch.clamp(attn, min=-50000.0, max=50000.0)
        attn_t = attn.transpose(1, 2)
        attn_l = attn_t - torch.max(attn_t, dim=-1, keepdim=True)[0]
        attn_l = torch.clamp(attn_l, min=-50000.0, max=50000.0)
        attn_l = torch.softmax(attn_l, dim=-1)  # over visual tokens
        attn_v = torch.softmax(attn, dim=-1)  # over audio tokens
        out_v = torch.bmm(attn_v, vl).view(b, self.num_heads, tgt_len, self.head_dim).transpose(1, 2)
        out_l = torch.bmm(attn_l, vv).view(b, self.num_heads, src_len, self.head_dim).transpose(1, 2)
        out_v = self.out_v_proj(out_v.reshape(b, tgt_len, self.embed_dim))
        out_l = self.out_l_proj(out_l.reshape(b, src_len, self.embed_dim))
        return out_v, out_l


class BiAttentionBlockForCheckpoint(nn.Module):
    def __init__(self, v_dim: int, l_dim: int, embed_dim: int, num_heads: int, init_values: float):
        super().__init__()
        self.layer_norm_v = nn.LayerNorm(v_dim)
        self.layer_norm_l = nn.LayerNorm(l_dim)
        self.attn = BiMultiHeadAttention(v_dim, l_dim, embed_dim, num_heads)
        self.gamma_v = nn.Parameter(init_values * torch.ones(v_dim))
        self.gamma_l = nn.Parameter(init_values * torch.ones(l_dim))

    def forward(self, v: torch.Tensor, l: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        v = self.layer_norm_v(v)
        l = self.layer_norm_l(l)
        dv, dl = self.attn(v, l)
        return v + self.gamma_v * dv, l + self.gamma_l * dl


class VLFuse(nn.Module):
    def __init__(self, img_dim: int, lang_dim: int, embed_dim: int, n_head: int, init_values: float):
        super().__init__()
        self.b_attn = BiAttentionBlockForCheckpoint(img_dim, lang_dim, embed_dim, n_head, init_values)

    def forward(self, v: torch.Tensor, l: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.b_attn(v, l)


class MSDeformAttnTransformerEncoder(nn.Module):
    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        self.vl_layer = VLFuse(cfg.conv_dim, cfg.audio_dim, cfg.vl_embed_dim, cfg.vl_heads, cfg.vl_init_values)
        self.layers = nn.ModuleList([
            MSDeformAttnTransformerEncoderLayer(cfg.conv_dim, cfg.enc_ffn_dim, 3, cfg.enc_heads, cfg.enc_points)
            for _ in range(cfg.enc_layers)])

    def forward(self, src: torch.Tensor, pos: torch.Tensor, reference_points: torch.Tensor,
                spatial_shapes: List[Tuple[int, int]], audio: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        src, audio_out = self.vl_layer(src, audio.unsqueeze(1))
        for layer in self.layers:
            src = layer(src, pos, reference_points, spatial_shapes)
        return src, audio_out.squeeze(1)


class MSDeformAttnTransformerEncoderOnly(nn.Module):
    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        self.level_embed = nn.Parameter(torch.empty(3, cfg.conv_dim))
        nn.init.normal_(self.level_embed)
        self.encoder = MSDeformAttnTransformerEncoder(cfg)


class MSDeformAttnPixelDecoderAVBi(nn.Module):
    """(features res2..res5 [T,C,h,w], audio [T,A]) → (mask_features [T,D,H/4,W/4],
    multi-scale maps [/32,/16,/8] each [T,C,h,w], fused audio [T,A])."""

    def __init__(self, cfg: OVAVSSConfig, in_channels: List[int]):
        super().__init__()
        # in_channels of res2..res5
        conv_dim = cfg.conv_dim
        self.conv_dim = conv_dim
        self.input_proj = nn.ModuleList()
        for c in [in_channels[3], in_channels[2], in_channels[1]]:
            proj = nn.Sequential(nn.Conv2d(c, conv_dim, kernel_size=1), nn.GroupNorm(cfg.gn_groups, conv_dim))
            nn.init.xavier_uniform_(proj[0].weight, gain=1)
            nn.init.constant_(proj[0].bias, 0)
            self.input_proj.append(proj)
        self.transformer = MSDeformAttnTransformerEncoderOnly(cfg)
        self.adapter_1 = Conv2d(in_channels[0], conv_dim, kernel_size=1, bias=False,
                                norm=nn.GroupNorm(cfg.gn_groups, conv_dim))
        self.layer_1 = Conv2d(conv_dim, conv_dim, kernel_size=3, padding=1, bias=False,
                              norm=nn.GroupNorm(cfg.gn_groups, conv_dim))
        self.mask_features = nn.Conv2d(conv_dim, cfg.mask_dim, kernel_size=1)
        for m in [self.adapter_1, self.layer_1, self.mask_features]:
            nn.init.kaiming_uniform_(m.weight, a=1)
        nn.init.constant_(self.mask_features.bias, 0)

    def forward(self, res2: torch.Tensor, res3: torch.Tensor, res4: torch.Tensor, res5: torch.Tensor,
                audio: torch.Tensor) -> Tuple[torch.Tensor, List[torch.Tensor], torch.Tensor]:
        feats = [res5, res4, res3]
        srcs: List[torch.Tensor] = []
        poss: List[torch.Tensor] = []
        refs: List[torch.Tensor] = []
        shapes: List[Tuple[int, int]] = []
        n = res5.shape[0]
        lvl = 0
        for proj in self.input_proj:
            x = proj(feats[lvl])
            h = x.shape[2]
            w = x.shape[3]
            shapes.append((h, w))
            srcs.append(x.flatten(2).transpose(1, 2))
            pos = sine_pos_2d(n, h, w, self.conv_dim // 2, x.device).flatten(2).transpose(1, 2)
            poss.append(pos + self.transformer.level_embed[lvl].view(1, 1, -1))
            ry = (torch.arange(h, dtype=torch.float32, device=x.device) + 0.5) / float(h)
            rx = (torch.arange(w, dtype=torch.float32, device=x.device) + 0.5) / float(w)
            ref = torch.stack((rx.view(1, w).expand(h, w), ry.view(h, 1).expand(h, w)), -1).reshape(h * w, 2)
            refs.append(ref)
            lvl += 1
        src = torch.cat(srcs, 1)
        pos = torch.cat(poss, 1)
        ref = torch.cat(refs, 0)[None, :, None, :].expand(n, src.shape[1], 3, 2)
        memory, audio_out = self.transformer.encoder(src, pos, ref, shapes, audio)
        outs: List[torch.Tensor] = []
        start = 0
        for hw in shapes:
            hh = hw[0]
            ww = hw[1]
            outs.append(memory[:, start:start + hh * ww].transpose(1, 2).reshape(n, self.conv_dim, hh, ww))
            start += hh * ww
        cur = self.adapter_1(res2)
        y = cur + F.interpolate(outs[-1], size=(cur.shape[2], cur.shape[3]), mode="bilinear", align_corners=False)
        y = F.relu(self.layer_1(y))
        return self.mask_features(y), outs, audio_out
