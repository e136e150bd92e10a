"""End to end: synthetic checkpoints with the official key names and random values → export.py →
bundle; eager vs exported equality; every refusal leaves no bundle behind.

The reduced ``*-tiny`` variants keep the official key naming (same classes, fewer/narrower layers)
so these run in seconds; tests/test_official_spec.py checks the full-size names and shapes.
"""
import gzip
import hashlib
import json
import os
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
import torch

MODELS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(MODELS))

import export  # noqa: E402
from official import metadata, synthetic  # noqa: E402
from official.checkpoint import CheckpointError, load_official  # noqa: E402
from official.configs import variant  # noqa: E402
from official.model import build  # noqa: E402

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def r50(tmp_path_factory):
    return synthetic.write_files("r50-tiny", str(tmp_path_factory.mktemp("r50")), seed=3)


@pytest.fixture(scope="module")
def r50_bundle(r50, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundles") / "ov-avss-r50"
    rc = export.main(["--checkpoint", r50["checkpoint"], "--clip", r50["clip"], "--vggish", r50["vggish"],
                      "--bpe", r50["bpe"], "--out", str(out), "--variant", "r50-tiny"])
    assert rc == 0
    return out


def reference_model(files, name):
    m = build(variant(name))
    m.load_state_dict(files["state"], strict=True)
    return m.eval()


def run_export(files, out, *extra, checkpoint=None, name="r50-tiny"):
    args = ["--checkpoint", checkpoint or files["checkpoint"], "--bpe", files["bpe"], "--out", str(out),
            "--variant", name] + list(extra)
    return export.main(args)


def no_leftovers(out: Path):
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith("." + out.name)]


def test_manifest_is_filled_from_the_official_configuration(r50_bundle):
    m = json.loads((r50_bundle / "bundle.json").read_text())
    assert m["format"] == "ovavss-bundle/1"
    assert m["image"] == {"min_size": 360, "max_size": 1333, "size_divisibility": 32,
                          "mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375], "order": "RGB"}
    clip = m["clip"]
    assert clip["temperature"] == 100 and clip["context_length"] == 77
    assert clip["tokenizer"] == {"type": "clip-bpe", "merges": "tokenizer/bpe_simple_vocab_16e6.txt.gz"}
    assert len(clip["templates"]) == 14 and clip["templates"][0] == "a photo of a {}."
    assert clip["templates"][-1] == "There is a large {} in the scene."
    assert m["postprocess"]["top_k"] == 10 and m["postprocess"]["score_threshold"] == 0.3
    voc = m["vocabulary"]
    assert len(voc["default"]) == 70 and voc["default"][21] == "emergency-car" and voc["default"][-1] == "woman"
    assert len(voc["base"]) == 40 and len(voc["novel"]) == 30
    assert sorted(voc["base"] + voc["novel"]) == sorted(voc["default"])
    assert voc["novel"][0] == "accordion" and voc["base"][0] == "airplane"
    assert m["queries"] == 8 and m["frames_per_clip"] == 5  # the tiny variant's own sizes
    assert "script" in m["graphs"]["segmenter.pt"]["export"]


def test_sha256_covers_every_file(r50_bundle):
    m = json.loads((r50_bundle / "bundle.json").read_text())
    files = sorted(str(p.relative_to(r50_bundle)) for p in r50_bundle.rglob("*") if p.is_file())
    assert sorted(m["sha256"]) == [f for f in files if f != "bundle.json"]
    for rel, digest in m["sha256"].items():
        assert hashlib.sha256((r50_bundle / rel).read_bytes()).hexdigest() == digest


def test_weights_survive_loading_exactly(r50):
    loaded = load_official(r50["checkpoint"], r50["clip"], r50["vggish"], "r50-tiny").model
    got = loaded.state_dict()
    for k, t in r50["state"].items():
        assert torch.equal(got[k], t), k


def test_exported_graphs_equal_the_eager_model(r50, r50_bundle):
    ref = reference_model(r50, "r50-tiny")
    eager = ref.export_modules()
    m = json.loads((r50_bundle / "bundle.json").read_text())
    for name, entry in m["golden"].items():
        graph = torch.jit.load(str(r50_bundle / name))
        inputs = [torch.from_numpy(np.load(r50_bundle / p)) for p in entry["inputs"]]
        outs = graph(*inputs)
        outs = outs if isinstance(outs, tuple) else (outs,)
        with torch.no_grad():
            want = eager[name](*inputs)
        want = want if isinstance(want, tuple) else (want,)
        for o, w, p in zip(outs, want, entry["outputs"]):
            assert torch.allclose(o, w, rtol=1e-4, atol=1e-5), name
            assert torch.allclose(torch.from_numpy(np.load(r50_bundle / p)), w, rtol=1e-4, atol=1e-5), name
    # the scripted segmenter is not tied to the golden size: another padded size works too
    seg = torch.jit.load(str(r50_bundle / "segmenter.pt"))
    frames, audio = torch.randn(5, 3, 96, 64), torch.rand(5, 128)
    logits, masks = seg(frames, audio)
    with torch.no_grad():
        wl, wm = eager["segmenter.pt"](frames, audio)
    assert masks.shape == (8, 5, 24, 16) and logits.shape == (8, 2)
    assert torch.allclose(masks, wm, rtol=1e-4, atol=1e-5)


def test_swinb_end_to_end(tmp_path):
    files = synthetic.write_files("swinb-tiny", str(tmp_path / "in"), seed=5)
    out = tmp_path / "ov-avss-swinb"
    assert run_export(files, out, "--clip", files["clip"], "--vggish", files["vggish"], name="swinb-tiny") == 0
    m = json.loads((out / "bundle.json").read_text())
    assert m["clip"]["model"] == "ViT-L/14@336px"
    eager = reference_model(files, "swinb-tiny").export_modules()["segmenter.pt"]
    seg = torch.jit.load(str(out / "segmenter.pt"))
    frames, audio = torch.randn(5, 3, 96, 128), torch.rand(5, 128)
    with torch.no_grad():
        want = eager(frames, audio)
    got = seg(frames, audio)
    assert torch.allclose(got[1], want[1], rtol=1e-4, atol=1e-5)


def test_raw_state_dict_with_embedded_clip_and_vggish_needs_no_extra_files(r50, tmp_path):
    sd = OrderedDict(r50["state"])
    path = tmp_path / "raw.pth"
    torch.save(sd, path)  # raw state dict, no {"model": ...}
    loaded = load_official(str(path), None, None, "r50-tiny")
    assert any("taken from the checkpoint" in n for n in loaded.notes)
    assert torch.equal(loaded.model.state_dict()["backbone.stem.conv1.norm.running_var"],
                       sd["backbone.stem.conv1.norm.running_var"])


def test_legacy_static_query_key_is_renamed_and_mean_std_buffers_are_optional(r50, tmp_path):
    ck = torch.load(r50["checkpoint"], weights_only=True)
    sd = ck["model"]
    query = sd.pop("sem_seg_head.predictor.query_feat.weight")
    sd["sem_seg_head.predictor.static_query.weight"] = query
    sd.pop("clip_adapter.pixel_mean", None)
    sd.pop("clip_adapter.pixel_std", None)
    path = tmp_path / "legacy.pth"
    torch.save(ck, path)
    loaded = load_official(str(path), r50["clip"], r50["vggish"], "r50-tiny")
    assert any("renamed legacy key" in n for n in loaded.notes)
    assert torch.equal(loaded.model.state_dict()["sem_seg_head.predictor.query_feat.weight"], query)


def corrupted(r50, tmp_path, edit):
    ck = torch.load(r50["checkpoint"], weights_only=True)
    edit(ck["model"])
    path = tmp_path / "bad.pth"
    torch.save(ck, path)
    return str(path)


@pytest.mark.parametrize("edit,needle", [
    (lambda sd: sd.pop("sem_seg_head.predictor.query_feat.weight"), "missing keys (1)"),
    (lambda sd: sd.__setitem__("sem_seg_head.extra.weight", torch.zeros(3)), "unexpected keys (1)"),
    (lambda sd: sd.__setitem__("sem_seg_head.predictor.query_feat.weight", torch.zeros(7, 32)), "wrong shapes (1)"),
    (lambda sd: sd.__setitem__("backbone.stem.conv1.weight", sd["backbone.stem.conv1.weight"] * float("nan")),
     "NaN/Inf"),
])
def test_bad_checkpoints_are_reported_and_write_nothing(r50, tmp_path, capsys, edit, needle):
    out = tmp_path / "bundle"
    rc = run_export(r50, out, "--clip", r50["clip"], "--vggish", r50["vggish"], checkpoint=corrupted(r50, tmp_path, edit))
    assert rc == 2
    err = capsys.readouterr().err
    assert needle in err and "no bundle written" in err
    no_leftovers(out)


def test_wrong_files_are_named(r50, tmp_path, capsys):
    out = tmp_path / "bundle"
    assert run_export(r50, out, checkpoint=r50["clip"]) == 2
    assert "this is a CLIP model" in capsys.readouterr().err
    assert run_export(r50, out, checkpoint=r50["vggish"]) == 2
    assert "VGGish model" in capsys.readouterr().err
    assert run_export(r50, out, "--vggish", r50["vggish"]) == 2  # clip_adapter.* absent and no --clip
    assert "--clip" in capsys.readouterr().err
    assert run_export(r50, out, "--clip", r50["vggish"], "--vggish", r50["vggish"]) == 2
    assert "not an OpenAI CLIP model" in capsys.readouterr().err
    assert run_export(r50, out, "--clip", r50["clip"], "--vggish", r50["clip"]) == 2
    assert "VGGish" in capsys.readouterr().err
    no_leftovers(out)


def test_unsafe_pickles_are_refused(r50, tmp_path, capsys):
    path = tmp_path / "pickled.pth"
    torch.save({"model": {"backbone.stem.conv1.weight": torch.zeros(1)}, "cfg": Path("x")}, path)
    out = tmp_path / "bundle"
    assert run_export(r50, out, checkpoint=str(path)) == 2
    assert "safe loading" in capsys.readouterr().err
    no_leftovers(out)


def test_wrong_merges_file_and_existing_out_are_refused(r50, tmp_path, capsys):
    bad = tmp_path / "merges.txt.gz"
    with gzip.open(bad, "wt") as f:
        f.write("#version\na b\n")
    out = tmp_path / "bundle"
    rc = export.main(["--checkpoint", r50["checkpoint"], "--clip", r50["clip"], "--vggish", r50["vggish"],
                      "--bpe", str(bad), "--out", str(out), "--variant", "r50-tiny"])
    assert rc == 2 and "token embeddings" in capsys.readouterr().err
    no_leftovers(out)
    out.mkdir()
    assert run_export(r50, out, "--clip", r50["clip"], "--vggish", r50["vggish"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_official_clip_model_is_enforced(r50, tmp_path, capsys):
    # a ViT-B/16-shaped file is accepted for R50 and refused for Swin-B (which needs ViT-L/14@336px)
    from official.checkpoint import describe_clip
    sd = {"visual.conv1.weight": torch.zeros(768, 3, 16, 16), "visual.positional_embedding": torch.zeros(197, 768)}
    assert describe_clip(sd) == "ViT-B/16"
    sd = {"visual.conv1.weight": torch.zeros(1024, 3, 14, 14), "visual.positional_embedding": torch.zeros(577, 1024)}
    assert describe_clip(sd) == "ViT-L/14@336px"
    assert metadata.CLIP_MAX_MERGES + 512 + 2 == 49408
