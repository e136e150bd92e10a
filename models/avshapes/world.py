"""AV-Shapes: a deterministic synthetic audio-visual world in the AVSBench-semantic layout.

Categories are colour x shape (6 x 6 = 36), named ``"<colour>-<shape>"``. Class index 0 is
background, then the 36 names sorted alphabetically get 1..36 (``CATEGORIES[i-1]``).

Open-vocabulary split: colour ``i`` and shape ``j`` (positions in ``COLOURS`` / ``SHAPES``)
form a NOVEL category when ``(j - i) mod 6`` is 0 or 3 (12 novel, 24 base). Every colour word
and every shape word occurs in exactly 4 base categories. Novel categories never occur in a
training clip in any role: not as sources, not as silent objects, not as off-screen sounds.
Validation and test clips draw from all 36.

A clip (``make_clip``) is ``num_frames`` seconds long. Keyframe ``k`` is the image at exactly
``t = k`` s. Each clip holds 2-5 objects drifting slowly over a textured background (objects may
overlap; the list order is the z-order, back to front):

* 1-3 *sources*, each with its own category; a source's sounding state is constant within each
  second ``[k, k+1)`` and switches on/off between seconds. While it sounds it visibly "plays":
  a bright rim glow (strength >= 0.6, exactly 1.0 at every whole second), a small pulse in size
  and a slight vibration, all following the sound's rhythm;
* silent objects: *twins* (same category as a source, never play), *look-alikes* (share the
  colour or the shape of a source) and random *distractors*;
* sometimes a *mime*: a silent object whose category is not heard, that plays visually anyway
  during some seconds -- only the audio tells it apart from a real source;
* sometimes an off-screen sound (hiss, mains hum, pitch sweeps, or the sound of a category that
  is not on screen).

Ground truth (``semantic``) marks only the visible pixels (after z-order occlusion) of objects
that are sounding at that second.

Audio (``audio.py``): colour -> pitch (412, 753, 1100, 623, 1353, 506 Hz for red, green, blue,
yellow, purple, orange), shape -> timbre and rhythm (circle steady sine, square 4 Hz gated square
wave, triangle 3 Hz sawtooth plucks, star 2 Hz FM bell, ring 6 Hz tremolo organ, cross 5 Hz
whistling noise bursts). Sound switches exactly at whole seconds, so second ``k`` of audio
(samples ``[16000 k, 16000 (k+1))``) belongs to keyframe ``k``. Note that VGGish examples are
0.96 s long with no overlap: example ``k`` covers ``[0.96 k, 0.96 k + 0.975)`` s, so late
examples straddle two seconds (example 9 is ~36 % second 8).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from . import audio as _audio
from .shapes import ROTATES, SDFS

COLOURS = ("red", "green", "blue", "yellow", "purple", "orange")
SHAPES = ("circle", "square", "triangle", "star", "ring", "cross")

#: Saturated, well separated fill colours (RGB 0..255), same order as COLOURS.
COLOUR_RGB = {
    "red": (220, 30, 35),
    "green": (30, 190, 60),
    "blue": (35, 90, 235),
    "yellow": (245, 225, 30),
    "purple": (160, 50, 210),
    "orange": (250, 135, 15),
}

CATEGORIES = sorted(f"{c}-{s}" for c in COLOURS for s in SHAPES)
#: Key order of label2idx.json: background first (index 0), then the categories (1..36).
LABELS = ["background"] + CATEGORIES
CATEGORY_INDEX = {name: i + 1 for i, name in enumerate(CATEGORIES)}


def is_novel(colour: int, shape: int) -> bool:
    """The open-vocabulary rule on colour / shape positions."""
    return (shape - colour) % 6 in (0, 3)


def category_of(colour: int, shape: int) -> int:
    return CATEGORY_INDEX[f"{COLOURS[colour]}-{SHAPES[shape]}"]


def parts_of(category: int) -> tuple[int, int]:
    """Class index 1..36 -> (colour position, shape position)."""
    c, s = CATEGORIES[category - 1].split("-")
    return COLOURS.index(c), SHAPES.index(s)


NOVEL = sorted(category_of(c, s) for c in range(6) for s in range(6) if is_novel(c, s))
BASE = sorted(category_of(c, s) for c in range(6) for s in range(6) if not is_novel(c, s))

FRAME_SIZE = 128
FPS_KEY = 1
SAMPLE_RATE = _audio.SAMPLE_RATE
SPLITS = ("train", "val", "test")
#: Default number of clips per held-out split (train is an unbounded seeded index space).
DEFAULT_COUNTS = {"val": 100, "test": 200}

# Bumping this changes every clip; keep it fixed once datasets/models depend on it.
WORLD_VERSION = 1
_SPLIT_CODE = {"train": 0, "val": 1, "test": 2}

_GLOW_REACH = 9.0  # px beyond the edge where a playing object's rim glow fades out


def palette() -> np.ndarray:
    """AVSBench bit-interleaved (VOC-style) palette for indices 0..36, uint8 [37, 3]."""
    pal = np.zeros((len(LABELS), 3), dtype=np.uint8)
    for j in range(len(LABELS)):
        lab, i, rgb = j, 0, [0, 0, 0]
        while lab > 0:
            for ch in range(3):
                rgb[ch] |= ((lab >> ch) & 1) << (7 - i)
            i += 1
            lab >>= 3
        pal[j] = rgb
    return pal


PALETTE = palette()


@dataclass
class SceneObject:
    """One object of a scene; all motion is a closed-form function of time."""
    category: int
    colour: int
    shape: int
    rgb: np.ndarray          # float32 [3], 0..1
    radius: float            # px
    pos0: np.ndarray         # float64 [2] (x, y) px at t = 0
    vel: np.ndarray          # float64 [2] px / s
    angle0: float            # rad
    omega: float             # rad / s
    sounding: np.ndarray     # bool [T]: audible (and ground truth) at second k
    playing: np.ndarray      # bool [T]: visibly plays at second k (sounding, or a mime)
    role: str                # source | twin | lookalike | distractor | mime
    gain: float = 1.0
    detune: float = 1.0
    jitter_phase: float = 0.0

    @property
    def name(self) -> str:
        return CATEGORIES[self.category - 1]


@dataclass
class Scene:
    """Everything needed to render a clip at any time and to synthesise its audio."""
    split: str
    index: int
    num_frames: int
    background: np.ndarray                     # float32 [H, W, 3], 0..1
    objects: list                              # SceneObject, back to front
    offscreen: list = field(default_factory=list)  # dicts: kind, on [T], category (opt.)
    audio_seed: int = 0

    @property
    def vid(self) -> str:
        return f"avshapes-{self.split}-{self.index:06d}"

    @property
    def uid(self) -> str:
        # AVSBench v2 uids are <vid>_<start_ms>_<end_ms>
        return f"{self.vid}_0_{self.num_frames * 1000}"


def _rng(split: str, index: int) -> np.random.Generator:
    if index < 0:
        raise ValueError(f"clip index must be >= 0, got {index}")
    code = _SPLIT_CODE.get(split)
    if code is None:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return np.random.default_rng([WORLD_VERSION, code, index])


def allowed_categories(split: str) -> list:
    """Categories that may appear (in any role) in a split: base only for train."""
    return list(BASE) if split == "train" else list(BASE) + list(NOVEL)


# ----------------------------------------------------------------------------- background

def _hsv_to_rgb(h, s, v):
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    return np.array([(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i],
                    dtype=np.float32)


def _value_noise(rng, n: int, size: int) -> np.ndarray:
    """Smooth noise: an n x n random grid, bilinearly upsampled to size x size."""
    g = rng.random((n, n)).astype(np.float32)
    u = np.linspace(0, n - 1, size, dtype=np.float32)
    i0 = np.minimum(u.astype(np.int64), n - 2)
    w = u - i0
    rows = g[i0] * (1 - w)[:, None] + g[i0 + 1] * w[:, None]
    return rows[:, i0] * (1 - w)[None, :] + rows[:, i0 + 1] * w[None, :]


def _background(rng, size: int) -> np.ndarray:
    """A muted, textured background (low saturation so objects' colours stay unambiguous)."""
    h = rng.random()
    c1 = _hsv_to_rgb(h, rng.uniform(0.0, 0.3), rng.uniform(0.22, 0.62))
    c2 = _hsv_to_rgb((h + rng.uniform(0.1, 0.5)) % 1.0, rng.uniform(0.0, 0.3), rng.uniform(0.22, 0.62))
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    kind = rng.integers(0, 4)
    if kind == 0:    # blobs
        m = _value_noise(rng, int(rng.integers(3, 9)), size)
    elif kind == 1:  # stripes
        th = rng.uniform(0, np.pi)
        period = rng.uniform(8, 32)
        m = 0.5 + 0.35 * np.sin(2 * np.pi * (xx * np.cos(th) + yy * np.sin(th)) / period)
    elif kind == 2:  # checkerboard
        cell = int(rng.integers(8, 25))
        m = 0.25 + 0.5 * (((xx // cell) + (yy // cell)) % 2)
    else:            # gradient
        th = rng.uniform(0, 2 * np.pi)
        m = ((xx - size / 2) * np.cos(th) + (yy - size / 2) * np.sin(th)) / size + 0.5
    m = np.clip(m, 0, 1)[..., None]
    img = c1 * (1 - m) + c2 * m
    shade = 0.85 + 0.3 * _value_noise(rng, 4, size)[..., None]
    grain = rng.normal(0.0, 0.025, (size, size, 1)).astype(np.float32)
    return np.clip(img * shade + grain, 0.0, 1.0).astype(np.float32)


# ----------------------------------------------------------------------------- scene sampling

def _markov_on_off(rng, n: int, p_start: float, p_switch: float) -> np.ndarray:
    on = np.empty(n, dtype=bool)
    on[0] = rng.random() < p_start
    for k in range(1, n):
        on[k] = (not on[k - 1]) if rng.random() < p_switch else on[k - 1]
    if not on.any():
        on[rng.integers(0, n)] = True
    return on


def _random_object(rng, category, role, T, size, placed) -> SceneObject:
    colour, shape = parts_of(category)
    radius = float(rng.uniform(10.0, 21.0))
    margin = 0.7 * radius
    pos = None
    for _ in range(30):  # spread objects out; overlaps still happen through drift
        cand = rng.uniform(margin, size - margin, 2)
        if all(np.hypot(*(cand - p)) > 0.9 * (radius + r) for p, r in placed):
            pos = cand
            break
    if pos is None:
        pos = rng.uniform(margin, size - margin, 2)
    placed.append((pos, radius))
    speed = rng.uniform(0.0, 7.0)
    heading = rng.uniform(0, 2 * np.pi)
    base = np.array(COLOUR_RGB[COLOURS[colour]], dtype=np.float32) / 255.0
    rgb = np.clip(base * rng.uniform(0.9, 1.05) + rng.uniform(-0.03, 0.03, 3), 0, 1).astype(np.float32)
    return SceneObject(
        category=int(category), colour=colour, shape=shape, rgb=rgb, radius=radius,
        pos0=pos, vel=speed * np.array([np.cos(heading), np.sin(heading)]),
        angle0=float(rng.uniform(0, 2 * np.pi)) if ROTATES[shape] else 0.0,
        omega=float(rng.uniform(-0.4, 0.4)) if ROTATES[shape] else 0.0,
        sounding=np.zeros(T, dtype=bool), playing=np.zeros(T, dtype=bool), role=role,
        gain=float(rng.uniform(0.6, 1.0)), detune=float(rng.uniform(0.99, 1.01)),
        jitter_phase=float(rng.uniform(0, 2 * np.pi)))


def make_scene(split: str, index: int, num_frames: int = 10) -> Scene:
    """Sample the (deterministic) scene of clip ``index`` of ``split``."""
    if num_frames < 1:
        raise ValueError(f"num_frames must be >= 1, got {num_frames}")
    rng = _rng(split, index)
    T, size = num_frames, FRAME_SIZE
    allowed = allowed_categories(split)
    background = _background(rng, size)

    n_obj = int(rng.integers(2, 6))
    n_src = min(n_obj, int(rng.choice([1, 2, 3], p=[0.4, 0.35, 0.25])))
    sources = [int(c) for c in rng.choice(allowed, n_src, replace=False)]
    if split != "train":
        # held-out sets cycle their first source through all 36 categories, so every category
        # (novel ones included) is heard in >= count // 36 clips and per-class scores are stable
        first = allowed[index % len(allowed)]
        if first in sources:
            sources.remove(first)
        else:
            sources.pop()
        sources.insert(0, first)
    specs = [(c, "source") for c in sources]
    for _ in range(n_obj - n_src):
        u = rng.random()
        if u < 0.3:
            specs.append((int(rng.choice(sources)), "twin"))
            continue
        if u < 0.65:
            sc, ss = parts_of(int(rng.choice(sources)))
            alike = [c for c in allowed if c not in sources and (parts_of(c)[0] == sc or parts_of(c)[1] == ss)]
            if alike:
                specs.append((int(rng.choice(alike)), "lookalike"))
                continue
        specs.append((int(rng.choice([c for c in allowed if c not in sources])), "distractor"))

    placed = []
    objects = [_random_object(rng, c, role, T, size, placed) for c, role in specs]
    for o in objects[:n_src]:
        o.sounding = _markov_on_off(rng, T, 0.75, 0.25)
    # keep fully silent seconds rare (about 1 in 10), as in AVSBench where most frames have a source
    for k in range(T):
        if not any(o.sounding[k] for o in objects[:n_src]) and rng.random() < 0.6:
            objects[int(rng.integers(0, n_src))].sounding[k] = True
    for o in objects[:n_src]:
        o.playing = o.sounding.copy()
    # A mime plays visually but is silent; its category is never heard in this clip.
    mimes = [o for o in objects[n_src:] if o.category not in sources]
    if mimes and rng.random() < 0.2:
        m = mimes[int(rng.integers(0, len(mimes)))]
        m.role = "mime"
        m.playing = _markov_on_off(rng, T, 0.5, 0.3)
    order = rng.permutation(len(objects))
    objects = [objects[i] for i in order]

    offscreen = []
    if rng.random() < 0.35:
        visible = {o.category for o in objects}
        kinds = list(_audio.OFFSCREEN_KINDS) + ["category"]
        kind = str(rng.choice(kinds, p=[0.3, 0.25, 0.25, 0.2]))
        item = {"kind": kind, "on": _markov_on_off(rng, T, 0.6, 0.3)}
        if kind == "category":
            cands = [c for c in allowed if c not in visible]
            item["category"] = int(rng.choice(cands))
            item["gain"] = float(rng.uniform(0.4, 0.8))
        offscreen.append(item)
    return Scene(split=split, index=index, num_frames=T, background=background, objects=objects,
                 offscreen=offscreen, audio_seed=int(rng.integers(0, 2 ** 31)))


# ----------------------------------------------------------------------------- rendering

def _reflect(x, lo, hi):
    """Bounce x back and forth inside [lo, hi] (triangle wave)."""
    span = hi - lo
    y = np.mod(x - lo, 2 * span)
    return lo + np.where(y > span, 2 * span - y, y)


def object_pose(obj: SceneObject, t: float, size: int = FRAME_SIZE):
    """Centre (x, y), scale, angle and glow strength of an object at time t (seconds)."""
    k = min(int(np.floor(t)), obj.playing.size - 1)
    play = bool(obj.playing[k]) if k >= 0 else False
    margin = 0.7 * obj.radius
    centre = _reflect(obj.pos0 + obj.vel * t, margin, size - margin)
    scale, glow = 1.0, 0.0
    if play:
        env = float(_audio.visual_envelope(obj.shape, t))
        glow = 0.6 + 0.4 * env
        scale = 1.0 + 0.08 * env
        ph = obj.jitter_phase
        centre = centre + 0.8 * env * np.array([np.sin(2 * np.pi * 11 * t + ph),
                                                np.cos(2 * np.pi * 13 * t + ph)])
    return centre, scale, obj.angle0 + obj.omega * t, glow


def render(scene: Scene, t: float, with_masks: bool = False, size: int = FRAME_SIZE):
    """Render the scene at time t. Returns uint8 [H, W, 3] and, if asked, the visible
    (occlusion-resolved) bool mask of every object, in scene order."""
    if size == FRAME_SIZE:
        img = scene.background.copy()
    else:
        img = np.asarray(Image.fromarray((scene.background * 255).astype(np.uint8)).resize(
            (size, size), Image.BILINEAR), dtype=np.float32) / 255.0
    s = size / FRAME_SIZE
    masks = [] if with_masks else None
    white = np.ones(3, dtype=np.float32)
    for obj in scene.objects:
        (cx, cy), scale, angle, glow = object_pose(obj, t)
        cx, cy = cx * s, cy * s
        r = obj.radius * scale * s
        reach = 1.25 * r + _GLOW_REACH * s + 1.0
        x0, x1 = max(int(cx - reach), 0), min(int(cx + reach) + 1, size)
        y0, y1 = max(int(cy - reach), 0), min(int(cy + reach) + 1, size)
        if x0 >= x1 or y0 >= y1:
            if with_masks:
                masks.append(np.zeros((size, size), dtype=bool))
            continue
        xs = np.arange(x0, x1, dtype=np.float32) + 0.5 - cx
        ys = np.arange(y0, y1, dtype=np.float32) + 0.5 - cy
        X, Y = np.meshgrid(xs, ys)
        if angle:
            c, sn = np.float32(np.cos(angle)), np.float32(np.sin(angle))
            X, Y = c * X + sn * Y, -sn * X + c * Y
        d = SDFS[obj.shape](X, Y, r)
        region = img[y0:y1, x0:x1]
        if glow > 0.0:
            ga = (glow * np.exp(-np.maximum(d, 0.0) / (3.2 * s)) * (d > -0.5))[..., None]
            gcol = 0.35 * obj.rgb + 0.65 * white
            region = region * (1.0 - ga) + gcol * ga
        alpha = np.clip(0.5 - d, 0.0, 1.0)[..., None]
        # light from the top, and a brighter body while playing
        shade = (1.0 - 0.12 * np.clip(Y / r, -1.0, 1.0))[..., None]
        fill = obj.rgb * shade
        if glow > 0.0:
            fill = fill + (1.0 - fill) * (0.12 * glow)
        img[y0:y1, x0:x1] = region * (1.0 - alpha) + fill * alpha
        if with_masks:
            m = np.zeros((size, size), dtype=bool)
            m[y0:y1, x0:x1] = d < 0.0
            for prev in masks:
                prev &= ~m
            masks.append(m)
    frame = (np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return (frame, masks) if with_masks else frame


def render_frame(scene: Scene, t_seconds: float, size: int = FRAME_SIZE) -> np.ndarray:
    """uint8 [size, size, 3] image of the scene at any time; equals keyframe k at t = k."""
    return render(scene, float(t_seconds), size=size)


def synthesize_audio(scene: Scene) -> np.ndarray:
    """Mono float32 [T * 16000] soundtrack in [-1, 1]."""
    rng = np.random.default_rng([WORLD_VERSION, 99, scene.audio_seed])
    n = scene.num_frames * SAMPLE_RATE
    y = _audio.noise_floor(n, rng)
    for o in scene.objects:
        if o.sounding.any():
            y += o.gain * _audio.category_sound(o.colour, o.shape, o.sounding, n, rng, o.detune)
    for item in scene.offscreen:
        if item["kind"] == "category":
            c, s = parts_of(item["category"])
            y += item["gain"] * _audio.category_sound(c, s, item["on"], n, rng)
        else:
            y += _audio.offscreen_sound(item["kind"], item["on"], n, rng)
    peak = float(np.max(np.abs(y)))
    if peak > 0.95:
        y *= 0.95 / peak
    return y.astype(np.float32)


def make_clip(split: str, index: int, num_frames: int = 10) -> dict:
    """Clip ``index`` of ``split`` (deterministic). See the module docstring for the world.

    Returns a dict: ``uid``; ``frames`` uint8 [T,128,128,3] (keyframe k at t = k s);
    ``audio`` float32 [T*16000]; ``semantic`` uint8 [T,128,128] (class of sounding visible
    pixels, 0 elsewhere); ``objects``: list (z-order, back to front) of dicts with ``category``
    (1..36), ``name``, ``role``, ``masks`` bool [T,128,128] (visible pixels), ``sounding`` bool
    [T], ``playing`` bool [T]; ``a_obj``: names of visible categories that sound at some second
    (sorted by class index); ``offscreen``: list of off-screen sounds; ``scene``: the Scene
    (for ``render_frame``).
    """
    scene = make_scene(split, index, num_frames)
    T = num_frames
    frames = np.empty((T, FRAME_SIZE, FRAME_SIZE, 3), dtype=np.uint8)
    obj_masks = np.empty((len(scene.objects), T, FRAME_SIZE, FRAME_SIZE), dtype=bool)
    semantic = np.zeros((T, FRAME_SIZE, FRAME_SIZE), dtype=np.uint8)
    for k in range(T):
        frames[k], masks = render(scene, float(k), with_masks=True)
        for i, m in enumerate(masks):
            obj_masks[i, k] = m
    for i, o in enumerate(scene.objects):
        for k in np.flatnonzero(o.sounding):
            semantic[k][obj_masks[i, k]] = o.category
    a_obj = sorted({o.category for i, o in enumerate(scene.objects)
                    if any(o.sounding[k] and obj_masks[i, k].any() for k in range(T))})
    objects = [{"category": o.category, "name": o.name, "role": o.role, "masks": obj_masks[i],
                "sounding": o.sounding.copy(), "playing": o.playing.copy()}
               for i, o in enumerate(scene.objects)]
    offscreen = [{"kind": it["kind"], "on": it["on"].copy(),
                  **({"category": it["category"]} if "category" in it else {})}
                 for it in scene.offscreen]
    return {"uid": scene.uid, "vid": scene.vid, "frames": frames, "audio": synthesize_audio(scene),
            "semantic": semantic, "objects": objects,
            "a_obj": [CATEGORIES[c - 1] for c in a_obj], "offscreen": offscreen, "scene": scene}


# ----------------------------------------------------------------------------- AVSBench layout

METADATA_HEADER = ["vid", "uid", "s_min", "s_sec", "a_obj", "split", "label"]
SUBSET = "v2"


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def wav_bytes(audio: np.ndarray) -> bytes:
    """16 kHz mono PCM16 WAV."""
    pcm = np.round(np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def write_clip(root, clip: dict, split: str) -> Path:
    """Write one clip's folder ``<root>/v2/<uid>/``; returns it."""
    d = Path(root) / SUBSET / clip["uid"]
    for sub in ("frames", "labels_rgb", "labels_semantic"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    for k in range(clip["frames"].shape[0]):
        # 4:4:4 chroma: at 128 px, 4:2:0 would smear the colours that name the categories
        Image.fromarray(clip["frames"][k]).save(d / "frames" / f"{k}.jpg", quality=95, subsampling=0)
        Image.fromarray(PALETTE[clip["semantic"][k]]).save(d / "labels_rgb" / f"{k}.png")
        Image.fromarray(clip["semantic"][k], mode="L").save(d / "labels_semantic" / f"{k}.png")
    _atomic_write_bytes(d / "audio.wav", wav_bytes(clip["audio"]))
    info = {
        "uid": clip["uid"], "split": split, "world_version": WORLD_VERSION,
        "a_obj": clip["a_obj"],
        "objects": [{"category": o["category"], "name": o["name"], "role": o["role"],
                     "z": z, "sounding": o["sounding"].astype(int).tolist(),
                     "playing": o["playing"].astype(int).tolist(),
                     "visible_pixels": o["masks"].sum(axis=(1, 2)).tolist()}
                    for z, o in enumerate(clip["objects"])],
        "offscreen": [{**{k: v for k, v in it.items() if k != "on"},
                       "on": it["on"].astype(int).tolist()} for it in clip["offscreen"]],
    }
    _atomic_write_bytes(d / "objects.json", (json.dumps(info, indent=1) + "\n").encode())
    return d


def metadata_row(clip: dict, split: str) -> list:
    vid = clip["uid"].rsplit("_", 2)[0]
    a_obj = "_".join(clip["a_obj"]) if clip["a_obj"] else "off-the-screen"
    return [vid, clip["uid"], 0, 0, a_obj, split, SUBSET]


def _write_one(job) -> list:
    root, split, index, num_frames = job
    clip = make_clip(split, index, num_frames)
    write_clip(root, clip, split)
    return metadata_row(clip, split)


def write_avsbench(root, split: str, count: int, num_frames: int = 10, progress=None,
                   jobs: int = 1) -> Path:
    """Write clips 0..count-1 of ``split`` under ``root`` in the AVSBench-semantic layout.

    ``metadata.csv`` keeps the rows of other splits already there (so train/val/test can be
    written one after another into one root); ``label2idx.json`` is (re)written. ``jobs > 1``
    renders clips in that many processes. ``progress(done, count)`` is called per clip.
    Returns root.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    meta = root / "metadata.csv"
    rows = []
    if meta.exists():
        with open(meta, newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != METADATA_HEADER:
                raise ValueError(f"{meta} exists but does not look like AVSBench metadata: {header}")
            rows = [r for r in reader if r and r[5] != split]
    label2idx = {name: i + 1 for i, name in enumerate(LABELS)}
    _atomic_write_bytes(root / "label2idx.json", (json.dumps(label2idx, indent=1) + "\n").encode())
    todo = [(str(root), split, i, num_frames) for i in range(count)]
    if jobs > 1 and count > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for done, row in enumerate(pool.imap(_write_one, todo, chunksize=4), 1):
                rows.append(row)
                if progress is not None:
                    progress(done, count)
    else:
        for done, job in enumerate(todo, 1):
            rows.append(_write_one(job))
            if progress is not None:
                progress(done, count)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(METADATA_HEADER)
    w.writerows(rows)
    _atomic_write_bytes(meta, buf.getvalue().encode())
    return root
