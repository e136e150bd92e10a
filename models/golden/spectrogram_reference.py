#!/usr/bin/python3
"""numpy reference for the `bench audio` spectrogram ratio (spectrogram_vs_numpy_ratio).

Does the same work as the Java overview benchmark: 1 h of 44.1 kHz stereo 16-bit audio held in
memory, a mono-mix overview of `--columns` columns x `--rows` rows with the Spectrogram.java
definition (1024-sample periodic Hann, 75 % overlap, at most 8 frames averaged per column, mel
axis with max-of-bins rows, dB, 256-entry colour table to ARGB). Only the spectrogram is timed, not
the signal synthesis. Vectorised numpy, single process. Prints `numpy_spectrogram_1h_s <seconds>`
(best of --repeats).
"""
import argparse
import time

import numpy as np


def synth(seconds, sr):
    """Stereo int16: a tone that changes every 10 s per channel plus a little noise.

    Every 10 s segment starts at a whole number of cycles, so segments of the same frequency are
    identical and computed once (synthesis is not what is being measured)."""
    n = int(seconds * sr)
    left = np.empty(n, dtype=np.int16)
    right = np.empty(n, dtype=np.int16)
    seg = 10 * sr
    t = np.arange(seg) / sr
    noise = np.random.default_rng(1).standard_normal(seg) * 0.01
    cache = {}

    def tone(f, amp):
        if (f, amp) not in cache:
            cache[(f, amp)] = np.round((amp * np.sin(2 * np.pi * f * t) + noise) * 32767).astype(np.int16)
        return cache[(f, amp)]

    for s in range(0, n, seg):
        m = min(seg, n - s)
        k = s // seg
        left[s:s + m] = tone(200.0 + (k * 37 % 40) * 100.0, 0.3)[:m]
        right[s:s + m] = tone(300.0 + (k * 17 % 30) * 150.0, 0.2)[:m]
    return left, right


def hz_to_mel(f):
    return 1127.0 * np.log(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (np.exp(m / 1127.0) - 1.0)


def overview(left, right, sr, columns, rows, win, overlap, lut):
    n = len(left)
    spc = n / columns
    hop = max(1, int(np.floor(win * (1 - overlap) + 0.5)))
    k = int(max(1, min(8, np.floor(spc / hop + 0.5))))
    nfft = 1 << (win - 1).bit_length()
    bins = nfft // 2 + 1
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
    ref = (w.sum() / 2) ** 2
    # Frames: k per column, spread over the column.
    c = np.arange(columns)[:, None]
    j = np.arange(k)[None, :]
    centres = np.floor(c * spc + (j + 0.5) * spc / k).astype(np.int64).ravel()
    idx = centres[:, None] - win // 2 + np.arange(win)[None, :]
    valid = (idx >= 0) & (idx < n)
    idx = np.clip(idx, 0, n - 1)
    frames = (left[idx].astype(np.float32) + right[idx].astype(np.float32)) * (0.5 / 32768.0)
    frames *= valid
    spec = np.fft.rfft(frames * w, nfft)
    power = (spec.real ** 2 + spec.imag ** 2).reshape(columns, k, bins).mean(axis=1) / ref
    # Rows on a mel axis: max over the bins in each band, interpolation for narrow bands.
    bin_hz = sr / nfft
    lo_m, hi_m = hz_to_mel(0.0), hz_to_mel(sr / 2)
    edges = mel_to_hz(lo_m + np.arange(rows + 1) / rows * (hi_m - lo_m))
    out = np.empty((rows, columns))
    for i in range(rows):
        lo = max(0, int(np.ceil(edges[i] / bin_hz - 1e-9)))
        hi = int(np.floor(edges[i + 1] / bin_hz + 1e-9)) if i == rows - 1 else int(np.ceil(edges[i + 1] / bin_hz - 1e-9)) - 1
        hi = min(bins - 1, hi)
        if hi >= lo:
            p = power[:, lo:hi + 1].max(axis=1)
        else:
            x = min(bins - 1, (edges[i] + edges[i + 1]) / 2 / bin_hz)
            b0 = int(np.floor(x))
            b1 = min(bins - 1, b0 + 1)
            p = power[:, b0] * (1 - (x - b0)) + power[:, b1] * (x - b0)
        out[rows - 1 - i] = p
    db = 10 * np.log10(np.maximum(out, 1e-20))
    index = np.clip(((db + 100.0) * (255 / 100.0) + 0.5).astype(np.int64), 0, 255)
    return lut[index]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=3600)
    ap.add_argument("--rate", type=int, default=44100)
    ap.add_argument("--columns", type=int, default=1920)
    ap.add_argument("--rows", type=int, default=256)
    ap.add_argument("--window", type=int, default=1024)
    ap.add_argument("--overlap", type=float, default=0.75)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    left, right = synth(a.seconds, a.rate)
    lut = (0xFF000000 + np.arange(256) * 0x010101).astype(np.uint32)  # any 256-entry table costs the same
    best = float("inf")
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        img = overview(left, right, a.rate, a.columns, a.rows, a.window, a.overlap, lut)
        best = min(best, time.perf_counter() - t0)
    assert img.shape == (a.rows, a.columns)
    print(f"numpy_spectrogram_1h_s {best:.4f}")


if __name__ == "__main__":
    main()
