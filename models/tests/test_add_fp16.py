"""fp16 graphs (models/add_fp16.py): what the exporter writes for Precision: fp16, for an official
bundle (pixel decoder kept in float32) and a plain one (the tiny test bundle, cast whole).

torch 1.13 on the CPU has no float16 kernels, so here the graphs are checked for structure, dtypes of
parameters and manifest entries; their numbers are compared with fp32 wherever float16 runs (the
exporter's check, on a GPU or with torch >= 2.1 on the CPU), which the last test does when it can.
"""
import json
import shutil
import sys
from pathlib import Path

import pytest
import torch

MODELS = Path(__file__).resolve().parents[1]
REPO = MODELS.parent
sys.path.insert(0, str(MODELS))

import add_fp16  # noqa: E402
import export  # noqa: E402
from official import synthetic  # noqa: E402
from ovavss.files import sha256  # noqa: E402

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def official_bundle(tmp_path_factory):
    files = synthetic.write_files("r50-tiny", str(tmp_path_factory.mktemp("ckpt")), seed=5)
    out = tmp_path_factory.mktemp("bundles") / "r50"
    assert export.main(["--checkpoint", files["checkpoint"], "--clip", files["clip"], "--vggish", files["vggish"],
                        "--bpe", files["bpe"], "--out", str(out), "--variant", "r50-tiny"]) == 0
    return out


def dtypes(module):
    return {p.dtype for p in module.parameters()}


def test_export_writes_fp16_graphs_listed_and_hashed(official_bundle):
    m = json.loads((official_bundle / "bundle.json").read_text())
    fp16 = m["precisions"]["fp16"]
    assert fp16["graphs"] == {g: "fp16/" + g for g in add_fp16.GRAPHS}
    for rel in fp16["graphs"].values():
        assert m["sha256"][rel] == sha256(str(official_bundle / rel))
    if not add_fp16.half_runs_on(torch.device("cpu")) and not torch.cuda.is_available():
        assert "not checked" in fp16["check"]["note"]


def test_official_segmenter_keeps_the_pixel_decoder_in_float32(official_bundle):
    seg = torch.jit.load(str(official_bundle / "fp16" / "segmenter.pt"))
    assert dtypes(seg.backbone) == {torch.float16}
    assert dtypes(seg.predictor) == {torch.float16}
    assert dtypes(seg.pixel_decoder) == {torch.float32}
    for g in ("audio_encoder.pt", "clip_image.pt", "clip_text.pt"):
        assert dtypes(torch.jit.load(str(official_bundle / "fp16" / g))) == {torch.float16}


def test_a_plain_segmenter_is_cast_whole_and_the_copy_leaves_the_source_alone(tmp_path):
    src = tmp_path / "tiny"
    shutil.copytree(REPO / "src/test/resources/bundles/tiny", src)
    shutil.rmtree(src / "fp16")
    m = json.loads((src / "bundle.json").read_text())
    m.pop("precisions")
    for g in add_fp16.GRAPHS:
        m["sha256"].pop("fp16/" + g)
    (src / "bundle.json").write_text(json.dumps(m, indent=2))
    before = (src / "bundle.json").read_text()
    assert add_fp16.main([str(src), "--out", str(tmp_path / "copy"), "--device", "none"]) == 0
    assert (src / "bundle.json").read_text() == before and not (src / "fp16").exists()
    seg = torch.jit.load(str(tmp_path / "copy" / "fp16" / "segmenter.pt"))
    assert dtypes(seg) == {torch.float16}
    assert add_fp16.main([str(src), "--out", str(tmp_path / "copy"), "--device", "none"]) == 2  # never overwrites


@pytest.mark.skipif(not (torch.cuda.is_available() or add_fp16.half_runs_on(torch.device("cpu"))),
                    reason="this torch has no float16 kernels here")
def test_fp16_graphs_agree_with_fp32(official_bundle):
    m = json.loads((official_bundle / "bundle.json").read_text())
    dev = add_fp16.choose_device("auto")
    result = add_fp16.check(str(official_bundle), m, dev)
    seg = result["graphs"]["segmenter.pt"]
    assert seg["mask_sign_agreement"] > 0.98 and seg["sound_argmax_agreement"] > 0.9
    for g in ("audio_encoder.pt", "clip_image.pt", "clip_text.pt"):
        assert result["graphs"][g]["mean_cosine"] > 0.999
