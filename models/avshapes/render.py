"""Render AV-Shapes clips to H.264 + AAC ``.mp4`` files with the ffmpeg CLI.

Frames are rendered at 128 x 128 at 25 fps (continuous time, so motion, pulses and glows are
smooth) and upscaled x2 by ffmpeg's Lanczos filter; the frame at each whole second is exactly
the dataset keyframe before encoding (downscaling the video gives the keyframe back up to
codec loss).

    python3 models/avshapes/render.py --samples models/samples     # the committed demo clips
    python3 models/avshapes/render.py --split test --index 7 --out clip.mp4
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from avshapes import world  # noqa: E402
else:
    from . import world

VIDEO_FPS = 25


def video_frames(scene, fps: int = VIDEO_FPS) -> np.ndarray:
    """uint8 [T*fps, 128, 128, 3]: the scene at t = n / fps."""
    n = scene.num_frames * fps
    out = np.empty((n, world.FRAME_SIZE, world.FRAME_SIZE, 3), dtype=np.uint8)
    for i in range(n):
        out[i] = world.render_frame(scene, i / fps)
    return out


def write_mp4(path, scene, audio: np.ndarray, upscale: int = 2, crf: int = 26,
              audio_kbps: int = 48) -> Path:
    """Encode a scene and its soundtrack to ``path`` (H.264 yuv420p + AAC, 25 fps)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("ffmpeg was not found on PATH; it is needed to write .mp4 files")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = video_frames(scene)
    size = world.FRAME_SIZE * upscale
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "audio.wav"
        wav.write_bytes(world.wav_bytes(audio))
        part = path.with_name(f".{path.name}.part.mp4")
        cmd = [ffmpeg, "-v", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{world.FRAME_SIZE}x{world.FRAME_SIZE}",
               "-r", str(VIDEO_FPS), "-i", "-", "-i", str(wav),
               "-vf", f"scale={size}:{size}:flags=lanczos",
               "-c:v", "libx264", "-preset", "slow", "-crf", str(crf), "-pix_fmt", "yuv420p",
               "-threads", "2", "-c:a", "aac", "-b:a", f"{audio_kbps}k", "-ac", "1",
               "-movflags", "+faststart", "-shortest", str(part)]
        proc = subprocess.run(cmd, input=frames.tobytes(), capture_output=True)
        if proc.returncode != 0:
            if part.exists():
                part.unlink()
            raise RuntimeError(f"ffmpeg failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
        os.replace(part, path)
    return path


def _sounding_area(clip) -> float:
    """Mean visible sounding pixels over the seconds where something sounds."""
    per = (clip["semantic"] > 0).sum(axis=(1, 2))
    return float(per[per > 0].mean()) if (per > 0).any() else 0.0


def pick_samples(limit: int = 200) -> list:
    """Deterministically pick 3 test clips that show the world well:
    a novel category sounding; two simultaneous sources with a silent twin; a mime or an
    off-screen sound next to a real source. All with large, clearly visible sources."""
    novel = set(world.NOVEL)
    wanted = {
        "novel": lambda c: any(o["category"] in novel and o["sounding"].sum() >= 5 for o in c["objects"]),
        "twins": lambda c: (sum(o["role"] == "source" for o in c["objects"]) >= 2
                            and any(o["role"] == "twin" for o in c["objects"])),
        "mime-or-offscreen": lambda c: (any(o["role"] == "mime" and o["playing"].sum() >= 3 for o in c["objects"])
                                        or any(x["on"].sum() >= 3 for x in c["offscreen"])),
    }
    picks = {}
    for i in range(limit):
        clip = world.make_clip("test", i)
        if _sounding_area(clip) < 500:
            continue
        for name, ok in wanted.items():
            if name not in picks and i not in picks.values() and ok(clip):
                picks[name] = i
                break
        if len(picks) == len(wanted):
            break
    return [picks[n] for n in wanted if n in picks]


def render_samples(out_dir) -> list:
    out_dir = Path(out_dir)
    paths = []
    for i in pick_samples():
        clip = world.make_clip("test", i)
        p = write_mp4(out_dir / f"avshapes-test-{i}.mp4", clip["scene"], clip["audio"])
        paths.append(p)
        print(f"{p}  {p.stat().st_size // 1024} KB  sounding: {', '.join(clip['a_obj'])}")
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", metavar="DIR", help="render the demo test clips into DIR")
    ap.add_argument("--split", default="test", choices=world.SPLITS)
    ap.add_argument("--index", type=int, default=0)
    ap.add_argument("--frames", type=int, default=10, help="clip length in seconds")
    ap.add_argument("--out", help="output .mp4 for --split/--index")
    args = ap.parse_args(argv)
    if args.samples:
        render_samples(args.samples)
    elif args.out:
        clip = world.make_clip(args.split, args.index, args.frames)
        write_mp4(args.out, clip["scene"], clip["audio"])
    else:
        ap.error("give --samples DIR or --out FILE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
