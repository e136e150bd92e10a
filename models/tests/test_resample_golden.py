"""The resampler goldens the Java tests hold Resampler to are resampy's own output (kaiser_best)."""
from pathlib import Path

import numpy as np
import pytest

resampy = pytest.importorskip("resampy")
GOLDEN = Path(__file__).resolve().parents[2] / "src/test/resources/golden/audio"


@pytest.mark.parametrize("inp,out,rate", [("resample_in_44k", "resample_out_16k", 44100),
                                          ("resample_in_48000", "resample_out_48000_16k", 48000),
                                          ("resample_in_22050", "resample_out_22050_16k", 22050),
                                          ("resample_in_8000", "resample_out_8000_16k", 8000)])
def test_golden_is_resampy_kaiser_best(inp, out, rate):
    x = np.load(GOLDEN / f"{inp}.npy")
    want = np.load(GOLDEN / f"{out}.npy")
    got = resampy.resample(x.astype(np.float64), rate, 16000).astype(np.float32)
    assert got.shape == want.shape
    assert np.abs(got - want).max() <= 1e-7
