#!/usr/bin/env python3
"""Writes the committed key specs ``spec_r50.txt`` and ``spec_swinb.txt`` (one ``key shape`` per line).

The lists are derived from the documented facts only (OVAVSS.md §1.4-§1.6, §3, §4, §5 and the public
layouts of detectron2 ResNet, Swin, OpenAI CLIP and torchvggish), NOT from the module classes, so
that ``tests/test_official_spec.py`` catches any drift of the modules from the released checkpoint.

Run: /usr/bin/python3 models/official/make_spec.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def ln(out, p, d):
    out[p + ".weight"] = [d]
    out[p + ".bias"] = [d]


def lin(out, p, o, i, bias=True):
    out[p + ".weight"] = [o, i]
    if bias:
        out[p + ".bias"] = [o]


def mha(out, p, d):
    out[p + ".in_proj_weight"] = [3 * d, d]
    out[p + ".in_proj_bias"] = [3 * d]
    lin(out, p + ".out_proj", d, d)


def frozen_bn(out, p, c):
    for k in ("weight", "bias", "running_mean", "running_var"):
        out[p + ".norm." + k] = [c]


def resnet50(out):
    p = "backbone."
    out[p + "stem.conv1.weight"] = [64, 3, 7, 7]
    frozen_bn(out, p + "stem.conv1", 64)
    cin = 64
    for s, (n, c) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512])):
        for b in range(n):
            q = p + "res%d.%d." % (s + 2, b)
            if b == 0:
                out[q + "shortcut.weight"] = [4 * c, cin, 1, 1]
                frozen_bn(out, q + "shortcut", 4 * c)
            out[q + "conv1.weight"] = [c, cin, 1, 1]
            frozen_bn(out, q + "conv1", c)
            out[q + "conv2.weight"] = [c, c, 3, 3]
            frozen_bn(out, q + "conv2", c)
            out[q + "conv3.weight"] = [4 * c, c, 1, 1]
            frozen_bn(out, q + "conv3", 4 * c)
            cin = 4 * c
    return [256, 512, 1024, 2048]


def swin_b(out):
    p = "backbone."
    e, depths, heads, ws = 128, [2, 2, 18, 2], [4, 8, 16, 32], 12
    out[p + "patch_embed.proj.weight"] = [e, 3, 4, 4]
    out[p + "patch_embed.proj.bias"] = [e]
    ln(out, p + "patch_embed.norm", e)
    dims = [e * 2 ** i for i in range(4)]
    for i in range(4):
        d = dims[i]
        for j in range(depths[i]):
            q = p + "layers.%d.blocks.%d." % (i, j)
            ln(out, q + "norm1", d)
            out[q + "attn.relative_position_bias_table"] = [(2 * ws - 1) ** 2, heads[i]]
            out[q + "attn.relative_position_index"] = [ws * ws, ws * ws]
            lin(out, q + "attn.qkv", 3 * d, d)
            lin(out, q + "attn.proj", d, d)
            ln(out, q + "norm2", d)
            lin(out, q + "mlp.fc1", 4 * d, d)
            lin(out, q + "mlp.fc2", d, 4 * d)
        if i < 3:
            lin(out, p + "layers.%d.downsample.reduction" % i, 2 * d, 4 * d, bias=False)
            ln(out, p + "layers.%d.downsample.norm" % i, 4 * d)
    for i in range(4):
        ln(out, p + "norm%d" % i, dims[i])
    return dims


def pixel_decoder(out, chans):
    p = "sem_seg_head.pixel_decoder."
    for l, cin in enumerate([chans[3], chans[2], chans[1]]):
        out[p + "input_proj.%d.0.weight" % l] = [256, cin, 1, 1]
        out[p + "input_proj.%d.0.bias" % l] = [256]
        ln(out, p + "input_proj.%d.1" % l, 256)  # GroupNorm affine
    out[p + "transformer.level_embed"] = [3, 256]
    b = p + "transformer.encoder.vl_layer.b_attn."
    ln(out, b + "layer_norm_v", 256)
    ln(out, b + "layer_norm_l", 128)
    out[b + "gamma_v"] = [256]
    out[b + "gamma_l"] = [128]
    lin(out, b + "attn.v_proj", 1024, 256)
    lin(out, b + "attn.l_proj", 1024, 128)
    lin(out, b + "attn.values_v_proj", 1024, 256)
    lin(out, b + "attn.values_l_proj", 1024, 128)
    lin(out, b + "attn.out_v_proj", 256, 1024)
    lin(out, b + "attn.out_l_proj", 128, 1024)
    for i in range(6):
        q = p + "transformer.encoder.layers.%d." % i
        lin(out, q + "self_attn.sampling_offsets", 8 * 3 * 4 * 2, 256)
        lin(out, q + "self_attn.attention_weights", 8 * 3 * 4, 256)
        lin(out, q + "self_attn.value_proj", 256, 256)
        lin(out, q + "self_attn.output_proj", 256, 256)
        ln(out, q + "norm1", 256)
        lin(out, q + "linear1", 1024, 256)
        lin(out, q + "linear2", 256, 1024)
        ln(out, q + "norm2", 256)
    out[p + "adapter_1.weight"] = [256, chans[0], 1, 1]
    ln(out, p + "adapter_1.norm", 256)
    out[p + "layer_1.weight"] = [256, 256, 3, 3]
    ln(out, p + "layer_1.norm", 256)
    out[p + "mask_features.weight"] = [256, 256, 1, 1]
    out[p + "mask_features.bias"] = [256]


def predictor(out):
    p = "sem_seg_head.predictor."
    for i in range(9):
        mha(out, p + "transformer_self_attention_layers.%d.self_attn" % i, 256)
        ln(out, p + "transformer_self_attention_layers.%d.norm" % i, 256)
        mha(out, p + "transformer_cross_attention_layers.%d.multihead_attn" % i, 256)
        ln(out, p + "transformer_cross_attention_layers.%d.norm" % i, 256)
        mha(out, p + "transformer_audio_cross_attention_layers.%d.multihead_attn" % i, 256)
        ln(out, p + "transformer_audio_cross_attention_layers.%d.norm" % i, 256)
        lin(out, p + "transformer_ffn_layers.%d.linear1" % i, 2048, 256)
        lin(out, p + "transformer_ffn_layers.%d.linear2" % i, 256, 2048)
        ln(out, p + "transformer_ffn_layers.%d.norm" % i, 256)
    ln(out, p + "decoder_norm", 256)
    out[p + "query_feat.weight"] = [100, 256]
    out[p + "query_embed.weight"] = [100, 256]
    out[p + "audio_query_embed.weight"] = [5, 256]
    out[p + "level_embed.weight"] = [3, 256]
    lin(out, p + "class_embed", 2, 256)
    for i in range(3):
        lin(out, p + "mask_embed.layers.%d" % i, 256, 256)
    lin(out, p + "audio_proj.layers.0", 256, 128)
    lin(out, p + "audio_proj.layers.1", 256, 256)
    mha(out, p + "v2a.multihead_attn", 256)
    ln(out, p + "v2a.norm", 256)
    mha(out, p + "a2a.self_attn", 256)
    ln(out, p + "a2a.norm", 256)


def vggish(out):
    p = "audio_encoder.audio_backbone."
    for idx, (o, i) in zip([0, 3, 6, 8, 11, 13], [(64, 1), (128, 64), (256, 128), (256, 256), (512, 256), (512, 512)]):
        out[p + "features.%d.weight" % idx] = [o, i, 3, 3]
        out[p + "features.%d.bias" % idx] = [o]
    lin(out, p + "embeddings.0", 4096, 512 * 6 * 4)
    lin(out, p + "embeddings.2", 4096, 4096)
    lin(out, p + "embeddings.4", 128, 4096)


def clip(out, res, patch, vw, vl, tw, tl, embed):
    p = "clip_adapter."
    out[p + "pixel_mean"] = [1, 3, 1, 1]
    out[p + "pixel_std"] = [1, 3, 1, 1]
    p += "clip_model."

    def blocks(q, w, n):
        for i in range(n):
            r = q + "transformer.resblocks.%d." % i
            out[r + "attn.in_proj_weight"] = [3 * w, w]
            out[r + "attn.in_proj_bias"] = [3 * w]
            lin(out, r + "attn.out_proj", w, w)
            ln(out, r + "ln_1", w)
            lin(out, r + "mlp.c_fc", 4 * w, w)
            lin(out, r + "mlp.c_proj", w, 4 * w)
            ln(out, r + "ln_2", w)

    v = p + "visual."
    out[v + "class_embedding"] = [vw]
    out[v + "positional_embedding"] = [(res // patch) ** 2 + 1, vw]
    out[v + "proj"] = [vw, embed]
    out[v + "conv1.weight"] = [vw, 3, patch, patch]
    ln(out, v + "ln_pre", vw)
    blocks(v, vw, vl)
    ln(out, v + "ln_post", vw)
    out[p + "positional_embedding"] = [77, tw]
    out[p + "text_projection"] = [tw, embed]
    out[p + "logit_scale"] = []
    blocks(p, tw, tl)
    out[p + "token_embedding.weight"] = [49408, tw]
    ln(out, p + "ln_final", tw)


def spec(which):
    out = {}
    chans = resnet50(out) if which == "r50" else swin_b(out)
    pixel_decoder(out, chans)
    predictor(out)
    vggish(out)
    if which == "r50":
        clip(out, 224, 16, 768, 12, 512, 12, 512)
    else:
        clip(out, 336, 14, 1024, 24, 768, 12, 768)
    out["criterion.empty_weight"] = [2]
    return out


def write(which):
    path = os.path.join(HERE, "spec_%s.txt" % which)
    s = spec(which)
    with open(path, "w") as f:
        f.write("# OV-AVSS %s checkpoint keys and shapes, from OVAVSS.md §5 (models/official/make_spec.py)\n"
                % which)
        for k in sorted(s):
            f.write("%s %s\n" % (k, ",".join(str(d) for d in s[k])))
    return path


if __name__ == "__main__":
    for w in ("r50", "swinb"):
        print(write(w))
