"""Regenerate the AV-Shapes dataset in the AVSBench-semantic layout (one root, three splits).

    /usr/bin/python3 models/make_avshapes.py --out models/data/avshapes --train 2000 --val 100 --test 200

Writes ``<out>/metadata.csv``, ``<out>/label2idx.json`` and ``<out>/v2/<uid>/...`` per clip (see
``avshapes/world.py``). Clips are deterministic per (split, index), so a rerun reproduces the
same files. ``--samples DIR`` also renders the demo test clips to mp4 (as committed in
``models/samples``). models/data/ is git-ignored: never commit generated datasets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from avshapes import world  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="models/data/avshapes", help="dataset root (default %(default)s)")
    ap.add_argument("--train", type=int, default=1000, help="training clips to write (default %(default)s)")
    ap.add_argument("--val", type=int, default=world.DEFAULT_COUNTS["val"])
    ap.add_argument("--test", type=int, default=world.DEFAULT_COUNTS["test"])
    ap.add_argument("--frames", type=int, default=10, help="seconds (= keyframes) per clip")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (this machine has 2 cores)")
    ap.add_argument("--samples", metavar="DIR", help="also render the demo test clips (.mp4) into DIR")
    args = ap.parse_args(argv)

    for split in world.SPLITS:
        count = getattr(args, split)
        start = time.time()

        def progress(done, total, split=split):
            if done < total and done % 500 == 0:
                print(f"{split}: {done}/{total}", flush=True)

        world.write_avsbench(args.out, split, count, args.frames, progress=progress, jobs=args.jobs)
        print(f"{split}: {count} clips in {time.time() - start:.1f} s", flush=True)
    if args.samples:
        from avshapes import render
        render.render_samples(args.samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
