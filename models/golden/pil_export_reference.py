#!/usr/bin/env python3
"""Python/PIL baseline for `bench export`: writes the same AVSBench-semantic tree as the Java
exporter does in ExportBenchmark, from the same generated clips.

Per clip: 10 x (frames/<k>.jpg quality 95, labels_rgb/<k>.png with the AVSBench palette,
labels_semantic/<k>.png mode L), audio.wav (16 kHz mono PCM16); then metadata.csv and
label2idx.json. Label maps are composed from two object masks, first mask wins (the official
composition). Inputs are generated before the timer starts; prints one JSON line with the time.
"""
import argparse
import json
import time
import wave
from pathlib import Path

import numpy as np
from PIL import Image

NAMES = ["background", "accordion", "airplane", "axe", "baby", "bassoon", "bell", "bird", "boat", "boy", "bus",
         "car", "cat", "cello", "clarinet", "clipper", "clock", "dog", "donkey", "drum", "duck", "elephant",
         "emergency-car", "erhu", "flute", "frying-food", "girl", "goose", "guitar", "gun", "guzheng",
         "hair-dryer", "handpan", "harmonica", "harp", "helicopter", "hen", "horse", "keyboard", "leopard", "lion",
         "man", "marimba", "missile-rocket", "motorcycle", "mower", "parrot", "piano", "pig", "pipa", "saw",
         "saxophone", "sheep", "sitar", "sorna", "squirrel", "tabla", "tank", "tiger", "tractor", "train",
         "trombone", "truck", "trumpet", "tuba", "ukulele", "utv", "vacuum-cleaner", "violin", "wolf", "woman"]


def palette(n=256):
    pal = np.zeros((n, 3), dtype=np.uint8)
    for j in range(n):
        lab, i, r, g, b = j, 0, 0, 0, 0
        while lab > 0:
            r |= ((lab >> 0) & 1) << (7 - i)
            g |= ((lab >> 1) & 1) << (7 - i)
            b |= ((lab >> 2) & 1) << (7 - i)
            i += 1
            lab >>= 3
        pal[j] = (r, g, b)
    return pal


def template(t, frames, size):
    """Same pictures as ExportBenchmark.template: gradient frames, two moving discs, a tone."""
    yy, xx = np.mgrid[0:size, 0:size]
    imgs, masks = [], []
    for k in range(frames):
        img = np.zeros((size, size, 3), dtype=np.uint8)
        img[..., 0] = (xx + 7 * k + 31 * t) % 256
        img[..., 1] = (yy + 3 * k) % 256
        img[..., 2] = (xx + yy + 50 * t) % 256
        cx1, cy1 = 40 + 12 * k, 60 + 5 * t
        cx2, cy2 = 150 - 6 * k, 140
        m1 = (xx + 0.5 - cx1) ** 2 + (yy + 0.5 - cy1) ** 2 <= 30 ** 2
        m2 = (xx + 0.5 - cx2) ** 2 + (yy + 0.5 - cy2) ** 2 <= 40 ** 2
        imgs.append(img)
        masks.append((m1, m2))
    n = 16000 * frames
    audio = (0.3 * np.sin(2 * np.pi * (440 + 110 * t) * np.arange(n) / 16000)).astype(np.float32)
    return imgs, masks, audio


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--clips", type=int, default=1000)
    ap.add_argument("--frames", type=int, default=10)
    ap.add_argument("--size", type=int, default=224)
    a = ap.parse_args()
    out = Path(a.out)
    pal = palette()
    templates = [template(t, a.frames, a.size) for t in range(4)]
    classes = [(17, 41), (7, 70), (28, 47), (2, 11)]
    t0 = time.perf_counter()
    rows = []
    for c in range(a.clips):
        t = c % 4
        imgs, masks, audio = templates[t]
        uid = "bench%05d_0_10000" % c
        d = out / "v2" / uid
        for sub in ("frames", "labels_rgb", "labels_semantic"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        for k in range(a.frames):
            lab = np.zeros((a.size, a.size), dtype=np.uint8)
            for cls, m in zip(classes[t], masks[k]):
                lab[m & (lab == 0)] = cls
            Image.fromarray(pal[lab]).save(d / "labels_rgb" / ("%d.png" % k))
            Image.fromarray(lab, mode="L").save(d / "labels_semantic" / ("%d.png" % k))
            Image.fromarray(imgs[k]).save(d / "frames" / ("%d.jpg" % k), quality=95)
        pcm = np.round(np.clip(audio, -1, 1) * 32767).astype("<i2")
        with wave.open(str(d / "audio.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(pcm.tobytes())
        rows.append("%s,%s,0,0,%s,test,v2" % (uid, uid, NAMES[classes[t][0]] + "_" + NAMES[classes[t][1]]))
    (out / "metadata.csv").write_text("vid,uid,s_min,s_sec,a_obj,split,label\n" + "\n".join(rows) + "\n")
    (out / "label2idx.json").write_text(json.dumps({n: i + 1 for i, n in enumerate(NAMES)}, indent=4))
    elapsed = time.perf_counter() - t0
    print(json.dumps({"clips": a.clips, "seconds": elapsed}))


if __name__ == "__main__":
    main()
