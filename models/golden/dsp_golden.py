#!/usr/bin/python3
"""Golden vectors for the Java DSP in ovavss.studio.audio (numpy only).

Writes small .npy files into src/test/resources/golden/audio/ (run from the repository root, or pass
the output directory). The Java tests (src/test/java/ovavss/studio/audio/GoldenVectorsTest.java) read
them and compare with stated tolerances.

Every formula here is written from its definition so the two implementations are independent:
 * VGGish log-mel: OVAVSS.md section 4 (torchvggish mel_features.py conventions): periodic Hann 400,
   hop 160, |rfft(512)|, HTK mel 64 bands 125-7500 Hz with the DC row zeroed, log(mel + 0.01),
   96-frame examples.
 * Spectrogram dB: the column/row definition documented in Spectrogram.java.
 * Resampler: a direct (non-polyphase) evaluation of the Kaiser-windowed sinc documented in
   Resampler.java (resampy's kaiser_best parameters).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from ovavss import audio as model_audio  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join("src", "test", "resources", "golden", "audio")


def save(name, arr):
    np.save(os.path.join(OUT, name + ".npy"), arr)


# ---------------------------------------------------------------- test signal (16 kHz, 2 s)
def test_signal(sr=16000, seconds=2.0):
    """Linear chirp 100 -> 6000 Hz (amplitude 0.3) plus a 1 kHz tone from 0.5 s to 1.5 s (0.2)."""
    t = np.arange(int(sr * seconds)) / sr
    f0, f1 = 100.0, 6000.0
    chirp = 0.3 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) / (2 * seconds) * t * t))
    tone = 0.2 * np.sin(2 * np.pi * 1000.0 * t) * ((t >= 0.5) & (t < 1.5))
    return (chirp + tone).astype(np.float32)


# ---------------------------------------------------------------- VGGish front-end
def hz_to_mel(hz):
    return 1127.0 * np.log(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    return 700.0 * (np.exp(np.asarray(mel, dtype=np.float64) / 1127.0) - 1.0)


def mel_matrix(bands=64, bins=257, sr=16000, lo=125.0, hi=7500.0):
    # the model side's own filterbank: the goldens hold the Java front end to exactly it
    return model_audio.mel_matrix(bands, bins, sr, lo, hi)


def periodic_window(kind, n):
    a = 2 * np.pi * np.arange(n) / n
    if kind == "hann":
        return 0.5 - 0.5 * np.cos(a)
    if kind == "hamming":
        return 0.54 - 0.46 * np.cos(a)
    if kind == "blackman":
        return 0.42 - 0.5 * np.cos(a) + 0.08 * np.cos(2 * a)
    return np.ones(n)


def stft_magnitude(x, win=400, hop=160, nfft=512):
    frames = 1 + (len(x) - win) // hop
    idx = np.arange(win)[None, :] + hop * np.arange(frames)[:, None]
    windowed = x[idx].astype(np.float64) * periodic_window("hann", win)[None, :]
    return np.abs(np.fft.rfft(windowed, nfft))


def vggish_examples(x16k):
    mag = stft_magnitude(x16k)
    logmel = np.log(mag @ mel_matrix() + 0.01)
    n = len(logmel) // 96
    return logmel[:n * 96].reshape(n, 96, 64).astype(np.float32)


# ---------------------------------------------------------------- display spectrogram
def fftlen(win):
    n = 1
    while n < win:
        n *= 2
    return n


def warp(scale, hz):
    return {"linear": lambda f: f, "log": np.log, "mel": hz_to_mel}[scale](hz)


def unwarp(scale, w):
    return {"linear": lambda v: v, "log": np.exp, "mel": mel_to_hz}[scale](w)


def spectrogram_db(x, sr, win, kind, overlap, scale, rows, spc, columns, min_hz=0.0):
    nfft = fftlen(win)
    bins = nfft // 2 + 1
    hop = max(1, int(np.floor(win * (1 - overlap) + 0.5)))
    k = int(max(1, min(8, np.floor(spc / hop + 0.5))))
    w = periodic_window(kind, win)
    ref = (w.sum() / 2) ** 2
    max_hz = sr / 2.0
    lo_hz = max(min_hz, 20.0) if scale == "log" else min_hz
    lo_hz = min(lo_hz, max_hz / 2)
    # Column power spectra (mean of k frames).
    power = np.zeros((columns, bins))
    padded = np.concatenate([np.zeros(win), x.astype(np.float64), np.zeros(win + int(spc * columns))])
    for c in range(columns):
        for j in range(k):
            centre = int(np.floor(c * spc + (j + 0.5) * spc / k))
            start = centre - win // 2 + win  # offset by the leading zero pad
            frame = padded[start:start + win] * w
            power[c] += np.abs(np.fft.rfft(frame, nfft)) ** 2
    power /= k * ref
    # Row bands.
    bin_hz = sr / nfft
    lw, hw = warp(scale, lo_hz), warp(scale, max_hz)
    out = np.zeros((rows, columns))
    for i in range(rows):
        e0 = unwarp(scale, lw + (i / rows) * (hw - lw))
        e1 = unwarp(scale, lw + ((i + 1) / rows) * (hw - lw))
        lo = int(np.ceil(e0 / bin_hz - 1e-9))
        hi = int(np.floor(e1 / bin_hz + 1e-9)) if i == rows - 1 else int(np.ceil(e1 / bin_hz - 1e-9)) - 1
        lo, hi = max(0, lo), min(bins - 1, hi)
        if hi >= lo:
            p = power[:, lo:hi + 1].max(axis=1)
        else:
            xpos = min(bins - 1, (e0 + e1) / 2 / bin_hz)
            b0 = int(np.floor(xpos))
            b1 = min(bins - 1, b0 + 1)
            f = xpos - b0
            p = power[:, b0] * (1 - f) + power[:, b1] * f
        out[rows - 1 - i] = 10 * np.log10(np.maximum(p, 1e-20))
    return out.astype(np.float32)


# ---------------------------------------------------------------- resampler
def resample(x, sr_in, sr_out):
    """resampy's default (kaiser_best), the official VGGish front end's resampler, in float64."""
    import resampy
    return resampy.resample(x.astype(np.float64), sr_in, sr_out).astype(np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    x = test_signal()
    save("signal_16k", x)
    mag = stft_magnitude(x)
    save("stft_magnitude", mag[:40].astype(np.float32))          # first 40 frames x 257 bins
    save("mel_matrix", mel_matrix())                               # float64 257 x 64
    save("logmel_examples", vggish_examples(x))                    # 2 x 96 x 64
    cases = [
        ("spec_db_mel", dict(win=512, kind="hann", overlap=0.75, scale="mel", rows=64, spc=300.0, columns=100)),
        ("spec_db_linear", dict(win=400, kind="hamming", overlap=0.5, scale="linear", rows=128, spc=160.0, columns=190)),
        ("spec_db_log", dict(win=1024, kind="blackman", overlap=0.9, scale="log", rows=96, spc=2000.0, columns=16)),
        ("spec_db_rect", dict(win=256, kind="rect", overlap=0.0, scale="linear", rows=200, spc=90.5, columns=64)),
    ]
    for name, kw in cases:
        save(name, spectrogram_db(x, 16000, **kw))
    # Resampler: 0.5 s at 44.1 kHz (chirp 200 -> 12 kHz: part of it must be removed by the filter).
    sr = 44100
    t = np.arange(sr // 2) / sr
    y = (0.5 * np.sin(2 * np.pi * (200 * t + (12000 - 200) * t * t))
         + 0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    save("resample_in_44k", y)
    save("resample_out_16k", resample(y, sr, 16000))
    # More rate pairs: 48 kHz and 22.05 kHz down, 8 kHz up (0.25 s each, chirp to 0.45 of the input rate).
    for sr_in in (48000, 22050, 8000):
        t = np.arange(sr_in // 4) / sr_in
        top = 0.45 * sr_in
        z = (0.5 * np.sin(2 * np.pi * (100 * t + (top - 100) * 2 * t * t))
             + 0.2 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
        save(f"resample_in_{sr_in}", z)
        save(f"resample_out_{sr_in}_16k", resample(z, sr_in, 16000))
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total / 1024:.0f} KiB, into {OUT}")


if __name__ == "__main__":
    main()
