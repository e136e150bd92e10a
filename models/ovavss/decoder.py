"""AudioVideoMultiScaleMaskedTransformerDecoder (OVAVSS.md §1.6): v2a and a2a once, then per layer masked
spatio-temporal cross-attention → query self-attention → audio cross-attention → FFN, prediction heads
after each step. Key names as in the official ``sem_seg_head.predictor.*``. Batch-first internally."""
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .config import OVAVSSConfig
from .layers import MLP, MultiheadAttention, sine_pos_3d


class SelfAttentionLayer(nn.Module):
    def __init__(self, d_model: int, nhead: int):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, tgt: torch.Tensor, query_pos: torch.Tensor) -> torch.Tensor:
        q = tgt + query_pos
        return self.norm(tgt + self.self_attn(q, q, tgt))


class CrossAttentionLayer(nn.Module):
    def __init__(self, d_model: int, nhead: int):
        super().__init__()
        self.multihead_attn = MultiheadAttention(d_model, nhead)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, tgt: torch.Tensor, memory: torch.Tensor, pos: torch.Tensor, query_pos: torch.Tensor,
                attn_mask: torch.Tensor, use_mask: bool) -> torch.Tensor:
        if use_mask:
            out = self.multihead_attn(tgt + query_pos, memory + pos, memory, attn_mask)
        else:
            out = self.multihead_attn(tgt + query_pos, memory + pos, memory, None)
        return self.norm(tgt + out)


class FFNLayer(nn.Module):
    def __init__(self, d_model: int, dim_feedforward: int):
        super().__init__()
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, tgt: torch.Tensor) -> torch.Tensor:
        return self.norm(tgt + self.linear2(F.relu(self.linear1(tgt))))


class AudioVideoMultiScaleMaskedTransformerDecoder(nn.Module):
    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        d = cfg.hidden_dim
        self.hidden_dim = d
        self.num_heads = cfg.nheads
        self.num_layers = cfg.dec_layers
        self.num_frames = cfg.num_frames
        self.num_queries = cfg.num_queries
        self.transformer_self_attention_layers = nn.ModuleList()
        self.transformer_cross_attention_layers = nn.ModuleList()
        self.transformer_audio_cross_attention_layers = nn.ModuleList()
        self.transformer_ffn_layers = nn.ModuleList()
        for _ in range(cfg.dec_layers):
            self.transformer_self_attention_layers.append(SelfAttentionLayer(d, cfg.nheads))
            self.transformer_cross_attention_layers.append(CrossAttentionLayer(d, cfg.nheads))
            self.transformer_audio_cross_attention_layers.append(CrossAttentionLayer(d, cfg.nheads))
            self.transformer_ffn_layers.append(FFNLayer(d, cfg.dim_feedforward))
        self.decoder_norm = nn.LayerNorm(d)
        self.query_feat = nn.Embedding(cfg.num_queries, d)
        self.query_embed = nn.Embedding(cfg.num_queries, d)
        self.audio_query_embed = nn.Embedding(cfg.num_frames, d)
        self.level_embed = nn.Embedding(3, d)
        self.class_embed = nn.Linear(d, 2)
        self.mask_embed = MLP(d, d, cfg.mask_dim, 3)
        self.audio_proj = MLP(cfg.audio_dim, d, d, 2)
        self.v2a = CrossAttentionLayer(d, cfg.nheads)
        self.a2a = SelfAttentionLayer(d, cfg.nheads)

    def forward_prediction_heads(self, output: torch.Tensor, mask_features: torch.Tensor, h: int, w: int
                                 ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """output [B,Q,C]; mask_features [B,T,C,h4,w4] → class [B,Q,2], masks [B,Q,T,h4,w4],
        attention mask bool [B*heads,Q,T*h*w] (True = blocked)."""
        dec = self.decoder_norm(output)
        outputs_class = self.class_embed(dec)
        mask_embed = self.mask_embed(dec)
        outputs_mask = torch.einsum("bqc,btchw->bqthw", mask_embed, mask_features)
        b = outputs_mask.shape[0]
        q = outputs_mask.shape[1]
        t = outputs_mask.shape[2]
        am = F.interpolate(outputs_mask.flatten(0, 1), size=(h, w), mode="bilinear", align_corners=False)
        am = am.view(b, q, t * h * w).sigmoid() < 0.5
        am = am.unsqueeze(1).expand(b, self.num_heads, q, t * h * w).reshape(b * self.num_heads, q, t * h * w)
        return outputs_class, outputs_mask, am.detach()

    def forward(self, x: List[torch.Tensor], mask_features: torch.Tensor, audio: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, List[torch.Tensor], List[torch.Tensor]]:
        """x: 3 maps [B*T,C,h,w] (/32,/16,/8); mask_features [B*T,C,h4,w4]; audio [B*T,A] (fused).
        Returns final class logits [B,Q,2], masks [B,Q,T,h4,w4] and the earlier (auxiliary) predictions."""
        bt = mask_features.shape[0]
        t = self.num_frames
        bs = bt // t
        mf = mask_features.view(bs, t, mask_features.shape[1], mask_features.shape[2], mask_features.shape[3])
        srcs: List[torch.Tensor] = []
        poss: List[torch.Tensor] = []
        sizes: List[Tuple[int, int]] = []
        for i in range(3):
            xi = x[i]
            c = xi.shape[1]
            h = xi.shape[2]
            w = xi.shape[3]
            sizes.append((h, w))
            # in the dtype of the features: the fp16 graphs (models/add_fp16.py) run this decoder in float16
            pos = sine_pos_3d(t, h, w, self.hidden_dim // 2, xi.device).to(xi.dtype)  # [t,C,h,w]
            pos = pos.flatten(2).permute(0, 2, 1).reshape(1, t * h * w, c).expand(bs, t * h * w, c)
            src = xi.flatten(2) + self.level_embed.weight[i][None, :, None]
            src = src.view(bs, t, c, h * w).permute(0, 1, 3, 2).reshape(bs, t * h * w, c)
            srcs.append(src)
            poss.append(pos)
        query_embed = self.query_embed.weight.unsqueeze(0).expand(bs, self.num_queries, self.hidden_dim)
        output = self.query_feat.weight.unsqueeze(0).expand(bs, self.num_queries, self.hidden_dim)
        a = self.audio_proj(audio).view(bs, t, self.hidden_dim)
        a_pos = self.audio_query_embed.weight.unsqueeze(0).expand(bs, t, self.hidden_dim)
        dummy = torch.zeros(1, dtype=torch.bool, device=audio.device)
        output = self.v2a(output, a, a_pos, query_embed, dummy, False)
        aux_class: List[torch.Tensor] = []
        aux_mask: List[torch.Tensor] = []
        outputs_class, outputs_mask, attn_mask = self.forward_prediction_heads(output, mf, sizes[0][0], sizes[0][1])
        aux_class.append(outputs_class)
        aux_mask.append(outputs_mask)
        a = self.a2a(a, a_pos)
        i = 0
        for ca, sa, aca, ffn in zip(self.transformer_cross_attention_layers, self.transformer_self_attention_layers,
                                    self.transformer_audio_cross_attention_layers, self.transformer_ffn_layers):
            level = i % 3
            # a query whose mask is empty everywhere attends to the whole memory instead
            attn_mask = attn_mask & ~attn_mask.all(-1, keepdim=True)
            output = ca(output, srcs[level], poss[level], query_embed, attn_mask, True)
            output = sa(output, query_embed)
            output = aca(output, a, a_pos, query_embed, dummy, False)
            output = ffn(output)
            nxt = sizes[(i + 1) % 3]
            outputs_class, outputs_mask, attn_mask = self.forward_prediction_heads(output, mf, nxt[0], nxt[1])
            aux_class.append(outputs_class)
            aux_mask.append(outputs_mask)
            i += 1
        aux_class.pop()
        aux_mask.pop()
        return outputs_class, outputs_mask, aux_class, aux_mask
