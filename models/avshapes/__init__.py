"""AV-Shapes: a deterministic synthetic audio-visual world (colour x shape categories).

Import with ``models/`` on ``sys.path``: ``from avshapes import make_clip``.
See ``avshapes.world`` for the world's rules and ``avshapes.render`` for mp4 output.
"""

from .world import (BASE, CATEGORIES, COLOURS, FPS_KEY, FRAME_SIZE, LABELS, NOVEL, PALETTE,
                    SAMPLE_RATE, SHAPES, make_clip, make_scene, render_frame, write_avsbench)

__all__ = ["BASE", "CATEGORIES", "COLOURS", "FPS_KEY", "FRAME_SIZE", "LABELS", "NOVEL", "PALETTE",
           "SAMPLE_RATE", "SHAPES", "make_clip", "make_scene", "render_frame", "write_avsbench"]
