#!/usr/bin/env python3
"""A small AVSBench-semantic root with the real data's quirks, and what PIL and the official
metric code make of it, for ovavss.studio.avsbench.AvsbenchFidelityTest.

The root (gt/):
  * label2idx.json: the 71 standard names with 1-based values;
  * metadata.csv written by Python's csv module with every field quoted (csv.QUOTE_ALL), one
    a_obj holding a comma, and the official file's quirks (s_sec = 60, an off-the-screen token) on
    the train and val rows only;
  * v2/rgbclip (test): 5 JPEG frames, labels_rgb in PIL mode RGB, audio.wav at 44.1 kHz stereo;
  * v2/palclip (test): labels_rgb in PIL mode P with the AVSBench palette (what an editor that
    keeps palettes saves), a few pixels of a colour outside the palette;
  * v1s/trainclip (train): 5 frames, labels_rgb/0.png only (v1s train labels the first frame);
  * v1m/oddclip (val): labels_rgb with frame 2 at another size than the others.
Predictions (pred/) in the layout AVSBench's save_color_mask writes: <uid>/<uid>_<k>.png, RGB
palette colours, for the two test clips.

Expected values (expected.json, *.bin):
  * per labelled frame, the label map as the official loader reads it: Image.open(p).convert('RGB')
    then palette colour -> index, anything else background;
  * eval --split test of pred/ against gt/: metrics_reference.ov_scores and avss_scores;
  * pngs/: label PNGs in other encodings (16-bit grey, grey + alpha, 1/2/4-bit grey, RGBA, 16-bit
    RGB) and their convert('RGB') pixels.

Run: /usr/bin/python3 models/golden/avsbench_fidelity.py src/test/resources/avsbench/fidelity
"""
import csv
import json
import shutil
import sys
import wave
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics_reference import avss_scores, ov_scores  # noqa: E402
from pil_export_reference import NAMES, palette  # noqa: E402

W, H = 40, 30
PAL = palette()
SEEN = [2, 4, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19, 20, 21, 26, 27, 28, 29, 31, 35, 36, 37, 38, 40, 41,
        43, 44, 46, 47, 48, 52, 55, 58, 59, 60, 62, 63, 67, 70]
UNSEEN = [1, 3, 5, 13, 14, 15, 22, 23, 24, 25, 30, 32, 33, 34, 39, 42, 45, 49, 50, 51, 53, 54, 56, 57, 61,
          64, 65, 66, 68, 69]


def blobs(rng, w, h, classes):
    lab = np.zeros((h, w), dtype=np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    for c in classes:
        cx, cy, r = rng.integers(0, w), rng.integers(0, h), rng.integers(4, 12)
        lab[(xx - cx) ** 2 + (yy - cy) ** 2 <= r * r] = c
    return lab


def to_rgb(lab):
    return PAL[lab]


def save_rgb(path, lab):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(to_rgb(lab), "RGB").save(path)


def save_palette(path, lab):
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.fromarray(lab, "P")
    im.putpalette(PAL.reshape(-1).tolist())
    im.save(path)


def read_as_official(path):
    """Image.open(...).convert('RGB') and the palette lookup; unknown colours are background."""
    rgb = np.array(Image.open(path).convert("RGB")).astype(np.int64)
    key = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    lut = {(int(r) << 16) | (int(g) << 8) | int(b): i for i, (r, g, b) in enumerate(PAL[:len(NAMES)])}
    out = np.zeros(key.shape, dtype=np.uint8)
    for k, i in lut.items():
        out[key == k] = i
    return out


def frames(rng, d, n, w=W, h=H):
    for k in range(n):
        img = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        (d / "frames").mkdir(parents=True, exist_ok=True)
        Image.fromarray(img, "RGB").save(d / "frames" / f"{k}.jpg", quality=90)


def stereo_wav(path, rate=44100, seconds=1):
    t = np.arange(rate * seconds)
    left = (0.3 * np.sin(2 * np.pi * 440 * t / rate) * 32767).astype("<i2")
    right = (0.2 * np.sin(2 * np.pi * 660 * t / rate) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as f:
        f.setnchannels(2)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(np.stack([left, right], axis=1).tobytes())


def main(out):
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    gt = out / "gt"
    pred = out / "pred"
    gt.mkdir(parents=True)
    rng = np.random.default_rng(20261204)
    (gt / "label2idx.json").write_text(json.dumps({n: i + 1 for i, n in enumerate(NAMES)}, indent=1))
    dog, man, piano, cello, car = (NAMES.index(x) for x in ("dog", "man", "piano", "cello", "car"))
    rows = [["vid", "uid", "s_min", "s_sec", "a_obj", "split", "label"],
            ["vidA", "rgbclip", "0", "5", "dog_man", "test", "v2"],
            ["vidB", "palclip", "1", "0", "piano, cello", "test", "v2"],
            ["vidC", "trainclip", "0", "60", "car", "train", "v1s"],
            ["vidD", "oddclip", "0", "10", "dog_off-the-screen", "val", "v1m"]]
    with open(gt / "metadata.csv", "w", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)
    expected = {"clips": {}, "seen": SEEN, "unseen": UNSEEN, "width": W, "height": H}
    gt_maps, pred_maps = [], []

    def clip(label, uid, n_frames, labelled, classes, writer, size_of=lambda k: (W, H)):
        d = gt / label / uid
        frames(rng, d, n_frames)
        maps = {}
        for k in labelled:
            w, h = size_of(k)
            lab = blobs(rng, w, h, classes)
            p = d / "labels_rgb" / f"{k}.png"
            writer(p, lab, k)
            maps[k] = read_as_official(p)
        return d, maps

    def rgb_writer(p, lab, k):
        save_rgb(p, lab)

    def pal_writer(p, lab, k):
        if k == 1:
            # index 250: a palette colour past the 71 classes, as an editor's stray pixels; the
            # official loader reads it as background
            lab = lab.copy()
            lab[0, 0:3] = 250
        save_palette(p, lab)

    d, maps = clip("v2", "rgbclip", 5, range(5), [dog, man], rgb_writer)
    stereo_wav(d / "audio.wav")
    expected["clips"]["rgbclip"] = {"labelled": sorted(maps), "keyframes": 5}
    for k, m in maps.items():
        m.tofile(out / f"rgbclip_{k}.bin")
    test_clips = [("rgbclip", maps)]
    d, maps = clip("v2", "palclip", 5, range(5), [piano, cello], pal_writer)
    expected["clips"]["palclip"] = {"labelled": sorted(maps), "keyframes": 5}
    for k, m in maps.items():
        m.tofile(out / f"palclip_{k}.bin")
    test_clips.append(("palclip", maps))
    d, maps = clip("v1s", "trainclip", 5, [0], [car], pal_writer)
    expected["clips"]["trainclip"] = {"labelled": [0], "keyframes": 5}
    maps[0].tofile(out / "trainclip_0.bin")
    d, maps = clip("v1m", "oddclip", 4, range(4), [dog], rgb_writer,
                   size_of=lambda k: (W // 2, H // 2) if k == 2 else (W, H))
    expected["clips"]["oddclip"] = {"labelled": sorted(maps), "keyframes": 4, "odd_frame": 2}
    for k, m in maps.items():
        if k != 2:
            m.tofile(out / f"oddclip_{k}.bin")

    # predictions in save_color_mask's layout, perturbed from the GT
    for uid, maps in test_clips:
        for k, g in sorted(maps.items()):
            p = g.copy()
            flip = rng.random(p.shape) < 0.2
            p[flip] = rng.choice([0, dog, man, piano, cello], size=int(flip.sum()))
            (pred / uid).mkdir(parents=True, exist_ok=True)
            Image.fromarray(to_rgb(p), "RGB").save(pred / uid / f"{uid}_{k}.png")
            gt_maps.append(g)
            pred_maps.append(read_as_official(pred / uid / f"{uid}_{k}.png"))
    g = np.stack(gt_maps)
    p = np.stack(pred_maps)
    expected["eval_test"] = {"frames": len(gt_maps), "ov": ov_scores(g.reshape(-1), p.reshape(-1), len(NAMES),
                                                                       SEEN, UNSEEN),
                             "avss": avss_scores(g, p, len(NAMES))}

    # other PNG encodings and what convert('RGB') makes of them
    pngs = out / "pngs"
    pngs.mkdir()
    cases = {}
    grey = rng.integers(0, 256, size=(3, 5), dtype=np.uint8)
    Image.fromarray(np.array([[0, 1, 70, 255, 256], [1000, 65535, 3, 7, 300], [2, 4, 8, 16, 32]], dtype=np.uint16)
                    ).save(pngs / "grey16.png")
    Image.fromarray(np.stack([grey, 255 - grey], axis=-1), "LA").save(pngs / "grey_alpha.png")
    for bits in (1, 2, 4):
        im = Image.fromarray(grey, "L")
        if bits == 1:
            im = im.convert("1")
            im.save(pngs / "grey1.png")
        else:
            im.save(pngs / f"grey{bits}.png", bits=bits)
    rgba = np.concatenate([rng.integers(0, 256, size=(3, 5, 3), dtype=np.uint8),
                           rng.integers(0, 256, size=(3, 5, 1), dtype=np.uint8)], axis=-1)
    Image.fromarray(rgba, "RGBA").save(pngs / "rgba.png")
    for f in sorted(pngs.iterdir()):
        im = Image.open(f)
        cases[f.name] = {"mode": im.mode,
                         "rgb": np.array(im.convert("RGB")).astype(int).reshape(-1, 3).tolist()}
    expected["pngs"] = cases
    (out / "expected.json").write_text(json.dumps(expected, indent=1, default=float))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/avsbench/fidelity")
