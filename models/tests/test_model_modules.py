"""Module classes: shapes, official key names/sizes, scripted == eager."""
import os
import sys

import pytest
import torch

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODELS)

from ovavss.config import OVAVSSConfig  # noqa: E402
from ovavss.model import (OVAVSS, AudioExport, ClipImageExport, ClipTextExport, SegmenterExport)  # noqa: E402
from ovavss import tokenizer  # noqa: E402

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def demo():
    torch.manual_seed(0)
    return OVAVSS(OVAVSSConfig.demo()).eval()


def test_demo_shapes(demo):
    cfg = demo.cfg
    seg = SegmenterExport(demo.segmenter())
    with torch.no_grad():
        logits, masks = seg(torch.randn(5, 3, 96, 128), torch.rand(5, 128))
        assert logits.shape == (cfg.num_queries, 2)
        assert masks.shape == (cfg.num_queries, 5, 24, 32)
        assert AudioExport(demo.audio_encoder)(torch.randn(4, 1, 96, 64)).shape == (4, 128)
        assert (AudioExport(demo.audio_encoder)(torch.randn(4, 1, 96, 64)) >= 0).all()
        clip = demo.clip_adapter.clip_model
        r = cfg.clip_image_resolution
        assert ClipImageExport(clip)(torch.randn(3, 3, r, r)).shape == (3, cfg.clip_embed_dim)
        assert ClipTextExport(clip)(tokenizer.encode_batch(["a", "b c"])).shape == (2, cfg.clip_embed_dim)


def test_scripted_equals_eager(demo):
    seg = SegmenterExport(demo.segmenter()).eval()
    s = torch.jit.script(seg)
    with torch.no_grad():
        for h, w in [(64, 64), (96, 160)]:
            x = torch.randn(5, 3, h, w)
            a = torch.rand(5, 128)
            l1, m1 = seg(x, a)
            l2, m2 = s(x, a)
            assert torch.allclose(m1, m2, atol=1e-5) and torch.allclose(l1, l2, atol=1e-5)
        clip = demo.clip_adapter.clip_model
        ids = tokenizer.encode_batch(["a photo of a red-circle.", ""])
        assert torch.allclose(torch.jit.script(ClipTextExport(clip))(ids), ClipTextExport(clip)(ids), atol=1e-5)


def test_audio_changes_the_masks(demo):
    seg = SegmenterExport(demo.segmenter())
    x = torch.randn(5, 3, 64, 64)
    with torch.no_grad():
        _, m1 = seg(x, torch.zeros(5, 128))
        _, m2 = seg(x, torch.rand(5, 128) * 3)
    assert (m1 - m2).abs().max() > 1e-4


def test_official_r50_layout():
    m = OVAVSS(OVAVSSConfig.official_r50())
    sd = m.state_dict()
    count = lambda pre: sum(p.numel() for n, p in m.named_parameters() if n.startswith(pre))  # noqa: E731
    # OVAVSS.md §7: exact parameter counts of the released R50 + ViT-B/16 model
    assert count("backbone") + count("sem_seg_head") == 48_135_810
    assert count("audio_encoder") == 72_141_184
    assert count("clip_adapter") == 149_620_737
    expect = {
        "backbone.stem.conv1.weight": (64, 3, 7, 7),
        "backbone.stem.conv1.norm.running_var": (64,),
        "backbone.res2.0.shortcut.weight": (256, 64, 1, 1),
        "backbone.res5.2.conv3.weight": (2048, 512, 1, 1),
        "sem_seg_head.pixel_decoder.input_proj.0.0.weight": (256, 2048, 1, 1),
        "sem_seg_head.pixel_decoder.input_proj.2.1.weight": (256,),
        "sem_seg_head.pixel_decoder.transformer.level_embed": (3, 256),
        "sem_seg_head.pixel_decoder.transformer.encoder.vl_layer.b_attn.gamma_v": (256,),
        "sem_seg_head.pixel_decoder.transformer.encoder.vl_layer.b_attn.attn.values_l_proj.weight": (1024, 128),
        "sem_seg_head.pixel_decoder.transformer.encoder.layers.5.self_attn.sampling_offsets.weight": (192, 256),
        "sem_seg_head.pixel_decoder.transformer.encoder.layers.0.self_attn.attention_weights.weight": (96, 256),
        "sem_seg_head.pixel_decoder.transformer.encoder.layers.0.linear1.weight": (1024, 256),
        "sem_seg_head.pixel_decoder.adapter_1.weight": (256, 256, 1, 1),
        "sem_seg_head.pixel_decoder.adapter_1.norm.weight": (256,),
        "sem_seg_head.pixel_decoder.layer_1.weight": (256, 256, 3, 3),
        "sem_seg_head.pixel_decoder.mask_features.weight": (256, 256, 1, 1),
        "sem_seg_head.predictor.transformer_cross_attention_layers.8.multihead_attn.in_proj_weight": (768, 256),
        "sem_seg_head.predictor.transformer_audio_cross_attention_layers.0.multihead_attn.out_proj.weight": (256, 256),
        "sem_seg_head.predictor.transformer_self_attention_layers.0.norm.weight": (256,),
        "sem_seg_head.predictor.transformer_ffn_layers.8.linear1.weight": (2048, 256),
        "sem_seg_head.predictor.query_feat.weight": (100, 256),
        "sem_seg_head.predictor.audio_query_embed.weight": (5, 256),
        "sem_seg_head.predictor.level_embed.weight": (3, 256),
        "sem_seg_head.predictor.class_embed.weight": (2, 256),
        "sem_seg_head.predictor.mask_embed.layers.2.weight": (256, 256),
        "sem_seg_head.predictor.audio_proj.layers.0.weight": (256, 128),
        "sem_seg_head.predictor.v2a.multihead_attn.in_proj_bias": (768,),
        "sem_seg_head.predictor.a2a.self_attn.in_proj_weight": (768, 256),
        "audio_encoder.audio_backbone.features.13.weight": (512, 512, 3, 3),
        "audio_encoder.audio_backbone.embeddings.0.weight": (4096, 12288),
        "audio_encoder.audio_backbone.embeddings.4.weight": (128, 4096),
        "clip_adapter.clip_model.visual.conv1.weight": (768, 3, 16, 16),
        "clip_adapter.clip_model.visual.positional_embedding": (197, 768),
        "clip_adapter.clip_model.visual.transformer.resblocks.11.mlp.c_fc.weight": (3072, 768),
        "clip_adapter.clip_model.visual.proj": (768, 512),
        "clip_adapter.clip_model.token_embedding.weight": (49408, 512),
        "clip_adapter.clip_model.text_projection": (512, 512),
        "clip_adapter.clip_model.logit_scale": (),
        "clip_adapter.pixel_mean": (1, 3, 1, 1),
        "criterion.empty_weight": (2,),
    }
    for k, shape in expect.items():
        assert k in sd, k
        assert tuple(sd[k].shape) == shape, (k, tuple(sd[k].shape))
    # non-persistent buffers and parameter-free modules must not appear
    assert "pixel_mean" not in sd and "clip_adapter.clip_model.attn_mask" not in sd
    assert not any(".pe_layer." in k or "predictor.input_proj" in k for k in sd)
    # FrozenBN statistics are buffers, not parameters
    assert "backbone.stem.conv1.norm.weight" not in dict(m.named_parameters())
