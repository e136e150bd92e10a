"""Signed distance functions of the six AV-Shapes shapes (numpy, vectorised).

Each function takes local coordinates ``x, y`` (pixels, already rotated into the shape's frame,
y pointing down) and the shape's radius ``r`` and returns the signed distance in pixels:
negative inside, positive outside. A pixel belongs to the shape when its centre has sdf < 0;
anti-aliased coverage is ``clip(0.5 - sdf, 0, 1)``, and the glow of a playing object is a
function of the positive distance, so all shapes share one renderer.
"""

from __future__ import annotations

import numpy as np

_SQRT3 = np.sqrt(3.0)


def _box(x, y, hx, hy):
    qx = np.abs(x) - hx
    qy = np.abs(y) - hy
    outside = np.hypot(np.maximum(qx, 0.0), np.maximum(qy, 0.0))
    inside = np.minimum(np.maximum(qx, qy), 0.0)
    return outside + inside


def sdf_circle(x, y, r):
    return np.hypot(x, y) - r


def sdf_square(x, y, r):
    h = 0.8 * r
    return _box(x, y, h, h)


def sdf_triangle(x, y, r):
    """Equilateral triangle, apex up, circumradius ~1.1 r (centroid at the origin)."""
    s = 0.95 * r  # half side length
    px = np.abs(x) - s
    py = -y + s / _SQRT3  # flip y so the apex points up in image coordinates
    fold = px + _SQRT3 * py > 0.0
    px, py = (np.where(fold, (px - _SQRT3 * py) / 2.0, px),
              np.where(fold, (-_SQRT3 * px - py) / 2.0, py))
    px = px - np.clip(px, -2.0 * s, 0.0)
    return -np.hypot(px, py) * np.sign(py)


_STAR_SECTOR = np.pi / 5.0


def sdf_star(x, y, r):
    """Five-pointed star, outer radius 1.15 r, inner radius 0.5 r, one point up."""
    outer, inner = 1.15 * r, 0.5 * r
    # rotate so one point is straight up, then fold into one half-sector [0, pi/5]
    a = np.arctan2(x, -y)
    a = np.abs(np.mod(a + _STAR_SECTOR, 2 * _STAR_SECTOR) - _STAR_SECTOR)
    rho = np.hypot(x, y)
    qx, qy = rho * np.cos(a), rho * np.sin(a)
    ax, ay = outer, 0.0
    bx, by = inner * np.cos(_STAR_SECTOR), inner * np.sin(_STAR_SECTOR)
    ex, ey = bx - ax, by - ay
    h = np.clip(((qx - ax) * ex + (qy - ay) * ey) / (ex * ex + ey * ey), 0.0, 1.0)
    d = np.hypot(qx - ax - h * ex, qy - ay - h * ey)
    # inside when q lies on the origin's side of the edge A->B
    cross = ex * (qy - ay) - ey * (qx - ax)
    return np.where(cross > 0.0, -d, d)


def sdf_ring(x, y, r):
    return np.abs(np.hypot(x, y) - 0.74 * r) - 0.3 * r


def sdf_cross(x, y, r):
    """A plus sign: two bars 2 r long and 0.6 r wide."""
    length, width = 1.0 * r, 0.3 * r
    return np.minimum(_box(x, y, length, width), _box(x, y, width, length))


SDFS = (sdf_circle, sdf_square, sdf_triangle, sdf_star, sdf_ring, sdf_cross)

#: Circle and ring look the same at every angle, so only the other shapes get a random,
#: slowly drifting rotation.
ROTATES = (False, True, True, True, False, True)
