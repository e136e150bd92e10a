"""Tests of the AV-Shapes synthetic world (models/avshapes)."""

import csv
import json
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from avshapes import audio, render, world  # noqa: E402

SR = world.SAMPLE_RATE


@pytest.fixture(scope="module")
def test_clips():
    return [world.make_clip("test", i) for i in range(12)]


@pytest.fixture(scope="module")
def train_clips():
    return [world.make_clip("train", i) for i in range(12)]


def test_categories_and_open_vocabulary_split():
    assert len(world.CATEGORIES) == 36
    assert world.CATEGORIES == sorted(world.CATEGORIES)
    assert world.CATEGORIES[0] == "blue-circle" and world.CATEGORIES[-1] == "yellow-triangle"
    assert world.LABELS[0] == "background"
    assert len(world.NOVEL) == 12 and len(world.BASE) == 24
    assert sorted(world.NOVEL + world.BASE) == list(range(1, 37))
    for c, colour in enumerate(world.COLOURS):
        for s, shape in enumerate(world.SHAPES):
            idx = world.CATEGORIES.index(f"{colour}-{shape}") + 1
            assert (idx in world.NOVEL) == ((s - c) % 6 in (0, 3))
    base_names = [world.CATEGORIES[i - 1] for i in world.BASE]
    for i in world.NOVEL:
        colour, shape = world.CATEGORIES[i - 1].split("-")
        # every novel word is seen in training, in exactly 4 base categories
        assert sum(n.startswith(colour + "-") for n in base_names) == 4
        assert sum(n.endswith("-" + shape) for n in base_names) == 4


def test_palette_is_avsbench_bit_interleaving():
    pal = world.PALETTE
    assert pal.shape == (37, 3) and pal.dtype == np.uint8
    expected = {0: (0, 0, 0), 1: (128, 0, 0), 2: (0, 128, 0), 3: (128, 128, 0), 7: (128, 128, 128),
                8: (64, 0, 0), 36: (0, 0, 192)}
    for j, rgb in expected.items():
        assert tuple(pal[j]) == rgb
    assert len({tuple(c) for c in pal}) == 37


def test_clip_shapes_and_dtypes(test_clips):
    c = test_clips[0]
    T = 10
    assert c["frames"].shape == (T, 128, 128, 3) and c["frames"].dtype == np.uint8
    assert c["audio"].shape == (T * SR,) and c["audio"].dtype == np.float32
    assert np.abs(c["audio"]).max() <= 1.0
    assert c["semantic"].shape == (T, 128, 128) and c["semantic"].dtype == np.uint8
    assert 2 <= len(c["objects"]) <= 5
    for o in c["objects"]:
        assert 1 <= o["category"] <= 36
        assert o["masks"].shape == (T, 128, 128) and o["masks"].dtype == bool
        assert o["sounding"].shape == (T,) and o["sounding"].dtype == bool
    short = world.make_clip("val", 3, num_frames=3)
    assert short["frames"].shape[0] == 3 and short["audio"].shape == (3 * SR,)
    assert c["uid"].replace("-", "").replace("_", "").isalnum()


def test_deterministic_per_split_and_index():
    a, b = world.make_clip("val", 5), world.make_clip("val", 5)
    assert a["uid"] == b["uid"]
    for key in ("frames", "audio", "semantic"):
        assert np.array_equal(a[key], b[key])
    other = world.make_clip("val", 6)
    assert not np.array_equal(a["frames"], other["frames"])
    assert world.make_clip("test", 5)["uid"] != a["uid"]
    with pytest.raises(ValueError):
        world.make_clip("holdout", 0)


def test_ground_truth_is_union_of_sounding_visible_masks(test_clips, train_clips):
    for c in test_clips + train_clips:
        expected = np.zeros_like(c["semantic"])
        covered = np.zeros(c["semantic"].shape, dtype=int)
        for o in c["objects"]:
            covered += o["masks"]
            for k in np.flatnonzero(o["sounding"]):
                expected[k][o["masks"][k]] = o["category"]
        assert covered.max() <= 1, "visible masks must not overlap (z-order resolves them)"
        assert np.array_equal(c["semantic"], expected)
        heard = {o["name"] for o in c["objects"]
                 if any(o["sounding"][k] and o["masks"][k].any() for k in range(10))}
        assert set(c["a_obj"]) == heard and heard


def test_roles_and_sounding_rules(test_clips, train_clips):
    for c in test_clips + train_clips:
        for k in range(10):
            cats = [o["category"] for o in c["objects"] if o["sounding"][k]]
            assert len(cats) == len(set(cats)) <= 3  # one sounding object per category
        sounding_cats = {o["category"] for o in c["objects"] if o["sounding"].any()}
        for o in c["objects"]:
            if o["role"] == "source":
                assert o["sounding"].any() and np.array_equal(o["playing"], o["sounding"])
            else:
                assert not o["sounding"].any()
            if o["role"] == "twin":
                assert o["category"] in sounding_cats and not o["playing"].any()
            if o["role"] == "mime":
                assert o["category"] not in sounding_cats and o["playing"].any()


def test_novel_categories_never_in_train():
    novel = set(world.NOVEL)
    seen_roles = set()
    for i in range(400):
        scene = world.make_scene("train", i)
        for o in scene.objects:
            assert o.category not in novel
            seen_roles.add(o.role)
        for item in scene.offscreen:
            assert item.get("category") not in novel
    assert seen_roles == {"source", "twin", "lookalike", "distractor", "mime"}
    test_cats = {o.category for i in range(100) for o in world.make_scene("test", i).objects
                 if o.sounding.any()}
    assert novel <= test_cats and set(world.BASE) & test_cats


def _band_energy(x, f0, rel=0.03):
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size))) ** 2
    f = np.fft.rfftfreq(x.size, 1.0 / SR)
    return spec[(f > f0 * (1 - rel)) & (f < f0 * (1 + rel))].sum()


def test_audio_on_off_per_second_matches_sounding(test_clips, train_clips):
    checked = 0
    for c in test_clips + train_clips:
        a = c["audio"].astype(np.float64)
        for colour in range(6):
            # a colour's pitch band is on when any source of that colour (visible or off-screen) is
            on = np.zeros(10, dtype=bool)
            for o in c["objects"]:
                if world.parts_of(o["category"])[0] == colour:
                    on |= o["sounding"]
            for item in c["offscreen"]:
                if "category" in item and world.parts_of(item["category"])[0] == colour:
                    on |= item["on"]
            if not on.any() or on.all():
                continue
            e = np.array([_band_energy(a[k * SR:(k + 1) * SR], audio.PITCHES_HZ[colour]) for k in range(10)])
            assert e[on].min() > 5 * e[~on].max(), (c["uid"], colour, np.log10(e), on)
            checked += 1
    assert checked >= 10


def test_playing_objects_are_at_full_strength_on_keyframes():
    for shape in range(6):
        env = audio.visual_envelope(shape, np.arange(10.0))
        assert np.allclose(env, 1.0)
        mid = audio.visual_envelope(shape, np.linspace(0, 10, 1001))
        assert mid.min() >= 0.0 and mid.max() <= 1.0
    # a playing object has a bright rim: the ring just outside its mask is lighter when it plays
    scene = world.make_scene("test", 7)
    src = next(o for o in scene.objects if o.role == "source")
    k = int(np.flatnonzero(src.playing)[0])
    frame, masks = world.render(scene, float(k), with_masks=True)
    src.playing = np.zeros_like(src.playing)
    quiet = world.render(scene, float(k))
    i = scene.objects.index(src)
    assert frame[masks[i]].mean() > quiet[masks[i]].mean() + 5


def test_keyframes_equal_render_frame_at_whole_seconds(test_clips):
    c = test_clips[1]
    for k in (0, 4, 9):
        assert np.array_equal(world.render_frame(c["scene"], k), c["frames"][k])


def test_written_layout_is_readable_and_consistent(tmp_path):
    root = tmp_path / "avshapes"
    world.write_avsbench(root, "val", 2)
    world.write_avsbench(root, "test", 1)
    world.write_avsbench(root, "val", 2)  # rewriting a split replaces its rows
    with open(root / "metadata.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["vid", "uid", "s_min", "s_sec", "a_obj", "split", "label"]
    assert sorted(r[5] for r in rows[1:]) == ["test", "val", "val"]
    label2idx = json.loads((root / "label2idx.json").read_text())
    assert list(label2idx) == world.LABELS and list(label2idx.values()) == list(range(1, 38))
    for row in rows[1:]:
        vid, uid, _, _, a_obj, split, label = row
        index = int(vid.rsplit("-", 1)[1])
        clip = world.make_clip(split, index)
        assert uid == clip["uid"] and label == "v2" and a_obj.split("_") == clip["a_obj"]
        d = root / label / uid
        for k in range(10):
            jpg = np.asarray(Image.open(d / "frames" / f"{k}.jpg").convert("RGB"), dtype=np.float32)
            assert np.abs(jpg - clip["frames"][k]).mean() < 4.0
            sem = Image.open(d / "labels_semantic" / f"{k}.png")
            assert sem.mode == "L" and np.array_equal(np.asarray(sem), clip["semantic"][k])
            rgb = np.asarray(Image.open(d / "labels_rgb" / f"{k}.png").convert("RGB"))
            # AVSBench decoding: exact palette match, argmax over classes, unmatched -> 0
            hits = np.stack([(rgb == c).all(-1) for c in world.PALETTE])
            assert np.array_equal(hits.argmax(0), clip["semantic"][k])
        with wave.open(str(d / "audio.wav")) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000)
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        assert np.abs(pcm / 32767.0 - clip["audio"]).max() < 1.0 / 32767.0 + 1e-6
        info = json.loads((d / "objects.json").read_text())
        assert [o["category"] for o in info["objects"]] == [o["category"] for o in clip["objects"]]


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg CLI not installed")
def test_mp4_render_has_video_and_audio(tmp_path):
    clip = world.make_clip("test", 2, num_frames=2)
    out = render.write_mp4(tmp_path / "c.mp4", clip["scene"], clip["audio"])
    probe = subprocess.run(["ffmpeg", "-v", "error", "-i", str(out), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                           capture_output=True, check=True).stdout
    video = np.frombuffer(probe, dtype=np.uint8).reshape(-1, 256, 256, 3)
    assert video.shape[0] == 2 * render.VIDEO_FPS
    # the frame at t = 1 s, downscaled, is the keyframe up to codec loss
    small = video[render.VIDEO_FPS].astype(np.float32).reshape(128, 2, 128, 2, 3).mean(axis=(1, 3))
    assert np.abs(small - clip["frames"][1]).mean() < 6.0
    streams = subprocess.run(["ffmpeg", "-hide_banner", "-i", str(out)], capture_output=True).stderr.decode()
    assert "Audio: aac" in streams and "Video: h264" in streams


def test_committed_samples_are_small_test_clips_with_a_novel_source():
    samples = sorted((Path(__file__).resolve().parents[1] / "samples").glob("avshapes-test-*.mp4"))
    assert len(samples) >= 3
    novel_heard = False
    picked = render.pick_samples()
    for p in samples:
        assert p.stat().st_size < 300 * 1024
        index = int(p.stem.rsplit("-", 1)[1])
        assert index in picked
        scene = world.make_scene("test", index)
        novel_heard |= any(o.sounding.any() and o.category in world.NOVEL for o in scene.objects)
    assert novel_heard


def test_visible_masks_cover_pixels_of_the_objects_own_colour(test_clips):
    from scipy.ndimage import binary_dilation, binary_erosion
    palette = np.array([world.COLOUR_RGB[c] for c in world.COLOURS], dtype=np.float32)
    checked = 0
    for c in test_clips:
        for o in c["objects"]:
            colour = world.parts_of(o["category"])[0]
            for k in range(0, 10, 3):
                inner = binary_erosion(o["masks"][k], iterations=1)
                for other in c["objects"]:
                    if other is not o and other["playing"][k]:  # its translucent glow tints neighbours
                        inner &= ~binary_dilation(other["masks"][k], iterations=10)
                if inner.sum() < 20:
                    continue
                rgb = c["frames"][k][inner].astype(np.float32)
                nearest = np.argmin(((rgb[:, None, :] - palette[None]) ** 2).sum(-1), axis=1)
                # occlusion is resolved correctly iff the visible pixels show this object's colour
                assert (nearest == colour).mean() > 0.95, (c["uid"], o["name"], k)
                checked += 1
    assert checked > 50
