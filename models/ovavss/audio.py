"""VGGish-layout audio encoder (``audio_encoder.audio_backbone.{features,embeddings}.*``) and the exact
VGGish log-mel front end in numpy (OVAVSS.md §4)."""
from typing import List

import numpy as np
import torch
from torch import nn

from .config import OVAVSSConfig

SAMPLE_RATE = 16000
STFT_WINDOW = 400
STFT_HOP = 160
FFT_LENGTH = 512
MEL_BINS = 64
MEL_MIN_HZ = 125.0
MEL_MAX_HZ = 7500.0
LOG_OFFSET = 0.01
EXAMPLE_FRAMES = 96


class VGG(nn.Module):
    """features: conv(0) relu pool(2) conv(3) relu pool(5) conv(6) relu conv(8) relu pool(10) conv(11) relu
    conv(13) relu pool(15); channels-last flatten; embeddings 3 Linear+ReLU."""

    def __init__(self, channels: List[int], hidden: int, out_dim: int):
        super().__init__()
        c = channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c[0], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(c[0], c[1], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(c[1], c[2], 3, padding=1), nn.ReLU(),
            nn.Conv2d(c[2], c[3], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(c[3], c[4], 3, padding=1), nn.ReLU(),
            nn.Conv2d(c[4], c[5], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2))
        self.embeddings = nn.Sequential(
            nn.Linear(c[5] * 6 * 4, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, out_dim), nn.ReLU())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x [N,1,96,64] log-mel → [N,out_dim] (non-negative)."""
        x = self.features(x)
        x = x.permute(0, 2, 3, 1).contiguous().reshape(x.shape[0], -1)
        return self.embeddings(x)


class AudioEncoder(nn.Module):
    def __init__(self, cfg: OVAVSSConfig):
        super().__init__()
        self.audio_backbone = VGG(cfg.vggish_channels, cfg.vggish_hidden, cfg.audio_dim)

    def forward(self, log_mel: torch.Tensor) -> torch.Tensor:
        return self.audio_backbone(log_mel)


def _hz_to_mel(f):
    return 1127.0 * np.log(1.0 + f / 700.0)


def mel_matrix(num_mel_bins=MEL_BINS, num_spectrogram_bins=FFT_LENGTH // 2 + 1, sample_rate=SAMPLE_RATE,
               lower=MEL_MIN_HZ, upper=MEL_MAX_HZ) -> np.ndarray:
    """[257,64] HTK triangular filters on linearly spaced mel edges, DC row zeroed (float64)."""
    nyquist = sample_rate / 2.0
    spec_mel = _hz_to_mel(np.linspace(0.0, nyquist, num_spectrogram_bins))
    edges = np.linspace(_hz_to_mel(lower), _hz_to_mel(upper), num_mel_bins + 2)
    w = np.empty((num_spectrogram_bins, num_mel_bins))
    for i in range(num_mel_bins):
        lo, c, hi = edges[i:i + 3]
        lower_slope = (spec_mel - lo) / (c - lo)
        upper_slope = (hi - spec_mel) / (hi - c)
        w[:, i] = np.maximum(0.0, np.minimum(lower_slope, upper_slope))
    w[0, :] = 0.0
    return w


def log_mel_frames(samples: np.ndarray) -> np.ndarray:
    """mono float 16 kHz samples → [frames,64] log-mel (float64), VGGish framing (no centring)."""
    x = np.asarray(samples, dtype=np.float64)
    if len(x) < STFT_WINDOW:
        return np.zeros((0, MEL_BINS))
    n = 1 + (len(x) - STFT_WINDOW) // STFT_HOP
    idx = np.arange(STFT_WINDOW)[None, :] + STFT_HOP * np.arange(n)[:, None]
    window = 0.5 - 0.5 * np.cos(2 * np.pi / STFT_WINDOW * np.arange(STFT_WINDOW))  # periodic Hann
    spec = np.abs(np.fft.rfft(x[idx] * window, FFT_LENGTH))
    return np.log(spec @ mel_matrix() + LOG_OFFSET)


def log_mel_examples(samples: np.ndarray, min_examples: int = 0) -> np.ndarray:
    """→ float32 [n,1,96,64] non-overlapping 0.96 s examples, tail dropped; zero-padded (in log-mel space)
    to ``min_examples`` rows like the official code pads to 10."""
    frames = log_mel_frames(samples)
    n = frames.shape[0] // EXAMPLE_FRAMES
    ex = frames[:n * EXAMPLE_FRAMES].reshape(n, EXAMPLE_FRAMES, MEL_BINS)
    if n < min_examples:
        ex = np.concatenate([ex, np.zeros((min_examples - n, EXAMPLE_FRAMES, MEL_BINS))], 0)
    return ex[:, None].astype(np.float32)


#: samples one log-mel example spans (96 frames of 10 ms)
EXAMPLE_SAMPLES = EXAMPLE_FRAMES * STFT_HOP


def example_levels_db(samples: np.ndarray, n: int) -> np.ndarray:
    """The level of each of the first ``n`` examples' spans, 10·log10(mean(x²) + 1e-10) dBFS (float64
    inside; a span past the end of the audio, or empty, is −100 dB: silence). Example k spans samples
    [k·15360, (k+1)·15360), cut short at the end of the audio (Java ``VggishLogMel.exampleLevelsDb``)."""
    x = np.asarray(samples, dtype=np.float64)
    out = np.full(n, -100.0)
    for k in range(n):
        seg = x[k * EXAMPLE_SAMPLES:(k + 1) * EXAMPLE_SAMPLES]
        if seg.size:
            out[k] = 10.0 * np.log10(float(np.mean(seg * seg)) + 1e-10)
    return out
