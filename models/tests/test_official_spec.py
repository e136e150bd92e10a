"""The official module trees must hold exactly the documented checkpoint keys and shapes (OVAVSS.md §5).

The committed specs (models/official/spec_*.txt) are generated from the document's facts by
models/official/make_spec.py, independently of the module classes, so any drift in either fails here.
"""
import sys
from pathlib import Path

import pytest
import torch

MODELS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(MODELS))

from official import configs, make_spec  # noqa: E402
from official.model import build  # noqa: E402
from official.swin import shifted_window_mask  # noqa: E402


def read_spec(name):
    spec = {}
    for line in (MODELS / "official" / ("spec_%s.txt" % name)).read_text().splitlines():
        if line.startswith("#"):
            continue
        key, shape = line.split(" ")
        spec[key] = [int(d) for d in shape.split(",")] if shape else []
    return spec


@pytest.mark.parametrize("name", ["r50", "swinb"])
def test_committed_spec_is_the_generated_one(name):
    assert read_spec(name) == make_spec.spec(name)


@pytest.mark.parametrize("name", ["r50", "swinb"])
def test_module_tree_matches_the_spec_key_for_key(name):
    spec = read_spec(name)
    sd = {k: list(v.shape) for k, v in build(configs.variant(name)).state_dict().items()}
    missing = sorted(set(spec) - set(sd))
    unexpected = sorted(set(sd) - set(spec))
    wrong = sorted(k for k in spec if k in sd and spec[k] != sd[k])
    assert not missing and not unexpected and not wrong, (missing[:10], unexpected[:10], wrong[:10])


def count(sd, prefix=""):
    return sum(int(torch.tensor(s).prod()) if s else 1 for k, s in sd.items() if k.startswith(prefix))


def test_r50_parameter_counts_match_the_paper():
    # OVAVSS.md §7.1: parameters only (FrozenBN statistics and other buffers excluded)
    m = build(configs.official_r50())
    params = {k: list(p.shape) for k, p in m.named_parameters()}
    assert count(params) == 269_897_731
    assert count(params, "backbone.") + count(params, "sem_seg_head.") == 48_135_810
    assert count(params, "sem_seg_head.pixel_decoder.") == 7_221_184
    assert count(params, "audio_encoder.") == 72_141_184
    assert count(params, "clip_adapter.clip_model.visual.") == 86_192_640
    assert count(params, "clip_adapter.") == 149_620_737
    buffers = {k for k, _ in m.named_buffers()}
    assert "backbone.res4.5.conv2.norm.running_var" in buffers  # FrozenBN lives in buffers


def test_swinb_configuration():
    v = configs.official_swinb()
    assert (v.swin.embed_dim, v.swin.depths, v.swin.num_heads, v.swin.window_size) == (128, [2, 2, 18, 2],
                                                                                       [4, 8, 16, 32], 12)
    m = build(v)
    params = {k: list(p.shape) for k, p in m.named_parameters()}
    assert count(params, "sem_seg_head.pixel_decoder.") == 6_729_664
    assert count(params, "sem_seg_head.predictor.") == 17_459_714
    assert m.backbone.out_channels == {"res2": 128, "res3": 256, "res4": 512, "res5": 1024}
    assert v.clip_name == "ViT-L/14@336px" and v.cfg.clip_image_resolution == 336 and v.cfg.clip_embed_dim == 768


def test_swin_forward_shapes_and_norm_outputs():
    v = configs.tiny_swinb()
    m = build(v, fast_init=False).backbone.eval()
    with torch.no_grad():
        out = m(torch.randn(2, 3, 70, 100))  # not a multiple of the patch or window size
    assert [tuple(out[k].shape) for k in ("res2", "res3", "res4", "res5")] == [
        (2, 16, 18, 25), (2, 32, 9, 13), (2, 64, 5, 7), (2, 128, 3, 4)]
    # every output went through its own LayerNorm over channels
    r3 = out["res3"].permute(0, 2, 3, 1)
    w, b = m.norm1.weight, m.norm1.bias
    z = (r3 - b) / w
    assert torch.allclose(z.mean(-1), torch.zeros(()), atol=1e-4)


@pytest.mark.parametrize("hp,wp", [(12, 12), (24, 36), (36, 24)])
def test_shifted_window_mask_matches_the_slice_definition(hp, wp):
    ws, shift = 12, 6
    img = torch.zeros(hp, wp)
    cnt = 0
    for h in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
        for w in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
            img[h, w] = cnt
            cnt += 1
    win = img.view(hp // ws, ws, wp // ws, ws).permute(0, 2, 1, 3).reshape(-1, ws * ws)
    ref = win.unsqueeze(1) - win.unsqueeze(2)
    ref = torch.where(ref != 0, torch.full_like(ref, -100.0), torch.zeros_like(ref))
    assert torch.equal(shifted_window_mask(hp, wp, ws, shift, torch.device("cpu")), ref)
