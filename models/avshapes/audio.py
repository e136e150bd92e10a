"""Sound synthesis for AV-Shapes: colour -> pitch, shape -> timbre and rhythm.

Every category sound is ``gate(t) * rhythm_envelope(t) * oscillator(t)``:

* the gate is the per-second on/off state of the source (constant inside ``[k, k+1)``,
  with 4 ms ramps so switching does not click);
* the rhythm envelope depends on the shape and always has a beat starting at every whole
  second, so a source that is on at second ``k`` is at full strength right at ``t = k`` --
  which is what lets a still keyframe show that an object is playing (see ``visual_envelope``);
* the oscillator depends on the shape (timbre) and the colour (pitch).

Pitches were picked so that no harmonic (up to 7.5 kHz) of one colour lies within 7.9 % of
another colour's fundamental: a narrow band around a colour's fundamental then carries only
that colour's energy, which keeps the classes separable and makes the on/off test exact.

Everything is numpy and vectorised; wavetables and noise loops are built once at import.
"""

from __future__ import annotations

import numpy as np

SAMPLE_RATE = 16000

#: Fundamental frequency per colour index (same order as ``world.COLOURS``).
PITCHES_HZ = (412.0, 753.0, 1100.0, 623.0, 1353.0, 506.0)

# Shape indices (same order as world.SHAPES): circle, square, triangle, star, ring, cross.
_CIRCLE, _SQUARE, _TRIANGLE, _STAR, _RING, _CROSS = range(6)

#: Beats per second of each shape's rhythm; every rhythm has a beat at each whole second.
BEATS_PER_SECOND = (1.0, 4.0, 3.0, 2.0, 6.0, 5.0)

#: Human-readable description of each shape's sound (for docs and the README).
TIMBRES = (
    "steady sine with a soft 2nd/3rd harmonic, continuous",
    "square wave (odd harmonics) gated at 4 Hz, 50 % duty",
    "sawtooth plucks at 3 Hz (fast attack, 0.12 s decay)",
    "FM bell strikes at 2 Hz (index and level decay, 0.25 s)",
    "organ-like tone with 6 Hz amplitude tremolo",
    "whistling narrow-band noise bursts at 5 Hz (40 ms decay)",
)

_TABLE_SIZE = 8192  # power of two: wrap with a bit mask; nearest lookup is then clean enough
_TABLE_MASK = _TABLE_SIZE - 1
_NYQUIST_LIMIT = 7600.0  # keep partials inside VGGish's 125..7500 Hz mel range and below Nyquist
_NOISE_LOOP = 4 * SAMPLE_RATE


def _wavetable(partials) -> np.ndarray:
    """One period of sum(a_n sin(2 pi n x)) normalised to unit RMS."""
    x = np.arange(_TABLE_SIZE, dtype=np.float64) / _TABLE_SIZE
    w = np.zeros(_TABLE_SIZE)
    for n, a in partials:
        w += a * np.sin(2 * np.pi * n * x)
    return (w / np.sqrt(np.mean(w * w))).astype(np.float32)


def _build_tables():
    tables = {}
    for c, f0 in enumerate(PITCHES_HZ):
        nmax = int(_NYQUIST_LIMIT // f0)
        tables[(_CIRCLE, c)] = _wavetable([(1, 1.0), (2, 0.12), (3, 0.05)])
        tables[(_SQUARE, c)] = _wavetable([(n, 1.0 / n) for n in range(1, nmax + 1, 2)])
        tables[(_TRIANGLE, c)] = _wavetable([(n, 1.0 / n) for n in range(1, nmax + 1)])
        tables[(_RING, c)] = _wavetable([(n, a) for n, a in ((1, 1.0), (2, 0.5), (3, 0.3), (4, 0.15))
                                         if n <= nmax])
    return tables


def _band_noise_loop(rng, centre_hz: float, rel_sigma: float) -> np.ndarray:
    """A looping noise buffer shaped by Gaussian bands at the centre and its 2nd harmonic."""
    spec = rng.standard_normal(_NOISE_LOOP // 2 + 1) + 1j * rng.standard_normal(_NOISE_LOOP // 2 + 1)
    f = np.fft.rfftfreq(_NOISE_LOOP, 1.0 / SAMPLE_RATE)
    gain = np.exp(-0.5 * ((f - centre_hz) / (rel_sigma * centre_hz)) ** 2)
    gain += 0.35 * np.exp(-0.5 * ((f - 2 * centre_hz) / (rel_sigma * 2 * centre_hz)) ** 2)
    y = np.fft.irfft(spec * gain, _NOISE_LOOP)
    return (y / np.sqrt(np.mean(y * y))).astype(np.float32)


def _coloured_noise_loop(rng, slope: float) -> np.ndarray:
    """Noise with power ~ f^-slope (slope 1 = pink), 100 Hz high-passed, unit RMS."""
    spec = rng.standard_normal(_NOISE_LOOP // 2 + 1) + 1j * rng.standard_normal(_NOISE_LOOP // 2 + 1)
    f = np.fft.rfftfreq(_NOISE_LOOP, 1.0 / SAMPLE_RATE)
    gain = np.where(f > 100.0, 1.0 / np.maximum(f, 1.0) ** (slope / 2), 0.0)
    y = np.fft.irfft(spec * gain, _NOISE_LOOP)
    return (y / np.sqrt(np.mean(y * y))).astype(np.float32)


_TABLES = _build_tables()
_fixed = np.random.default_rng(20261122)
_CROSS_NOISE = [_band_noise_loop(_fixed, f0, 0.02) for f0 in PITCHES_HZ]
_PINK = _coloured_noise_loop(_fixed, 1.0)
_WHITE = _coloured_noise_loop(_fixed, 0.0)
del _fixed

# Per-shape level so that all categories are about equally loud on average (RMS ~0.1 when on).
_LEVEL = (0.10, 0.13, 0.20, 0.19, 0.14, 0.28)


def _beat_phase(shape: int, t: np.ndarray) -> np.ndarray:
    """Seconds elapsed since the last beat of this shape's rhythm."""
    # via beats, not np.mod(t, period): 1.0 % (1/3) is 1/3 - eps in floating point, which
    # would put whole seconds at the *end* of a beat instead of on it
    beats = t * BEATS_PER_SECOND[shape]
    return np.maximum(beats - np.floor(beats + 1e-9), 0.0) / BEATS_PER_SECOND[shape]


def rhythm_envelope(shape: int, t: np.ndarray) -> np.ndarray:
    """Audio amplitude envelope (0..1) of a shape's rhythm at times ``t`` (seconds)."""
    ph = _beat_phase(shape, t)
    if shape == _CIRCLE:
        return np.ones_like(t)
    if shape == _SQUARE:
        period = 1.0 / BEATS_PER_SECOND[shape]
        on = ph < 0.5 * period
        # 4 ms linear ramps at both edges of each gated pulse
        ramp = np.minimum(ph / 0.004, (0.5 * period - ph) / 0.004)
        return np.where(on, np.clip(ramp, 0.0, 1.0), 0.0)
    if shape == _TRIANGLE:
        return np.minimum(ph / 0.005, 1.0) * np.exp(-ph / 0.12)
    if shape == _STAR:
        return np.minimum(ph / 0.003, 1.0) * np.exp(-ph / 0.25)
    if shape == _RING:
        return 0.55 + 0.45 * np.cos(2 * np.pi * BEATS_PER_SECOND[shape] * t)
    if shape == _CROSS:
        return np.minimum(ph / 0.002, 1.0) * np.exp(-ph / 0.04)
    raise ValueError(f"unknown shape index {shape}")


def visual_envelope(shape: int, t) -> np.ndarray:
    """How strongly a playing object "plays" at time ``t``: 1 on every beat, never below ~0.

    It follows the sound's rhythm but without the few-millisecond attack, so it equals 1.0
    at every whole second (keyframes) and on every other beat.
    """
    t = np.asarray(t, dtype=np.float64)
    ph = _beat_phase(shape, t)
    period = 1.0 / BEATS_PER_SECOND[shape]
    if shape == _CIRCLE:
        return 0.5 + 0.5 * np.cos(2 * np.pi * t)  # slow "breathing" at 1 Hz
    if shape == _SQUARE:
        return np.where(ph < 0.5 * period, 1.0, 0.25)
    if shape == _TRIANGLE:
        return np.exp(-ph / 0.12)
    if shape == _STAR:
        return np.exp(-ph / 0.25)
    if shape == _RING:
        return 0.5 + 0.5 * np.cos(2 * np.pi * BEATS_PER_SECOND[shape] * t)
    if shape == _CROSS:
        return np.exp(-ph / 0.06)
    raise ValueError(f"unknown shape index {shape}")


def _gate(on_per_second: np.ndarray, n: int) -> np.ndarray:
    """Per-second on/off -> per-sample gain with 4 ms ramps inside the 'on' seconds."""
    g = np.repeat(on_per_second.astype(np.float32), SAMPLE_RATE)[:n]
    ramp = int(0.004 * SAMPLE_RATE)
    r = np.linspace(0.0, 1.0, ramp, endpoint=False, dtype=np.float32)
    for k, on in enumerate(on_per_second):
        if not on:
            continue
        if k == 0 or not on_per_second[k - 1]:
            g[k * SAMPLE_RATE:k * SAMPLE_RATE + ramp] = r
        if k == len(on_per_second) - 1 or not on_per_second[k + 1]:
            g[(k + 1) * SAMPLE_RATE - ramp:(k + 1) * SAMPLE_RATE] = r[::-1]
    return g


def _table_lookup(table: np.ndarray, f_hz: float, phase0: float, n: int) -> np.ndarray:
    """n samples of a periodic wavetable at f_hz from start phase phase0 (cycles)."""
    step = f_hz * _TABLE_SIZE / SAMPLE_RATE
    idx = (np.arange(n, dtype=np.float64) * step + phase0 * _TABLE_SIZE).astype(np.int64)
    return table[idx & _TABLE_MASK]


def _per_second(one_second: np.ndarray, n: int) -> np.ndarray:
    """Repeat a 1-s buffer to n samples (all rhythms have a whole number of beats per second)."""
    return np.tile(one_second, -(-n // SAMPLE_RATE))[:n]


_SIN = np.sin(2 * np.pi * np.arange(_TABLE_SIZE) / _TABLE_SIZE).astype(np.float32)
_ONE_SECOND = np.arange(SAMPLE_RATE, dtype=np.float64) / SAMPLE_RATE
_ENV_SECOND = [rhythm_envelope(s, _ONE_SECOND).astype(np.float32) for s in range(6)]


def category_sound(colour: int, shape: int, on_per_second, n: int, rng,
                   detune: float = 1.0) -> np.ndarray:
    """n samples (from t = 0) of the sound of one colour-shape source.

    ``on_per_second`` is a bool array with one entry per second; ``rng`` supplies the random
    phase / noise offset; ``detune`` scales the pitch slightly (kept within +-1 %).
    """
    on = np.asarray(on_per_second, dtype=bool)
    f0 = PITCHES_HZ[colour] * detune
    gate = _gate(on, n)
    env = _per_second(_ENV_SECOND[shape], n)
    if shape == _STAR:
        # FM bell, carrier = modulator = f0 (harmonic spectrum), brightness follows the strike
        step = f0 * _TABLE_SIZE / SAMPLE_RATE
        ph = np.arange(n, dtype=np.float64) * step + rng.random() * _TABLE_SIZE
        modulator = _SIN[ph.astype(np.int64) & _TABLE_MASK]
        index = (0.6 + 3.0 * env) * np.float32(_TABLE_SIZE / (2 * np.pi))
        osc = _SIN[(ph + index * modulator).astype(np.int64) & _TABLE_MASK] * np.float32(np.sqrt(2.0))
    elif shape == _CROSS:
        loop = _CROSS_NOISE[colour]
        start = int(rng.integers(0, loop.size))
        osc = np.roll(np.tile(loop, -(-n // loop.size) + 1), -start)[:n]
    else:
        osc = _table_lookup(_TABLES[(shape, colour)], f0, rng.random(), n)
    return (np.float32(_LEVEL[shape]) * gate * env * osc).astype(np.float32)


def _hum_second(base_hz: float) -> np.ndarray:
    w = 2 * np.pi * base_hz * _ONE_SECOND
    return (np.sin(w) + 0.6 * np.sin(2 * w) + 0.4 * np.sin(3 * w) + 0.25 * np.sin(5 * w)).astype(np.float32)


def _chirp_second(rising: bool) -> np.ndarray:
    """One exponential sweep between 250 Hz and 4 kHz filling a second, faded at both ends."""
    f_lo, f_hi = 250.0, 4000.0
    frac = _ONE_SECOND if rising else 1.0 - _ONE_SECOND
    k = np.log(f_hi / f_lo)
    phase = f_lo * (np.exp(k * frac) - 1.0) / k  # integral of the instantaneous frequency
    fade = np.minimum(1.0, np.minimum(frac, 1.0 - frac) / 0.05)
    return (np.sin(2 * np.pi * phase) * fade).astype(np.float32)


_HUM = {50: _hum_second(50.0), 60: _hum_second(60.0)}
_CHIRP = {True: _chirp_second(True), False: _chirp_second(False)}


OFFSCREEN_KINDS = ("hiss", "hum", "chirp")


def offscreen_sound(kind: str, on_per_second, n: int, rng) -> np.ndarray:
    """A sound with no visible object: pink hiss, mains hum (50/60 Hz family) or pitch sweeps."""
    on = np.asarray(on_per_second, dtype=bool)
    gate = _gate(on, n)
    if kind == "hiss":
        start = int(rng.integers(0, _PINK.size))
        y = 0.05 * np.roll(np.tile(_PINK, -(-n // _PINK.size) + 1), -start)[:n]
    elif kind == "hum":
        y = 0.08 * _per_second(_HUM[50 if rng.random() < 0.5 else 60], n)
    elif kind == "chirp":
        y = 0.07 * _per_second(_CHIRP[bool(rng.random() < 0.5)], n)
    else:
        raise ValueError(f"unknown off-screen kind {kind!r}")
    return (gate * y).astype(np.float32)


def noise_floor(n: int, rng, level: float = 0.003) -> np.ndarray:
    """A faint white-noise floor so no clip is digitally silent."""
    start = int(rng.integers(0, _WHITE.size))
    return (level * np.roll(np.tile(_WHITE, -(-n // _WHITE.size) + 1), -start)[:n]).astype(np.float32)
