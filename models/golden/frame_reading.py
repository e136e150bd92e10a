#!/usr/bin/env python3
"""Frame JPEGs as the reference tools read them, for ovavss.studio.media.PicturesTest.

detectron2's read_image (which OV-AVSS's demo and data loaders use) opens a frame with PIL,
applies its EXIF orientation (ImageOps.exif_transpose) and converts it to RGB. Written here:
  * grey.jpg: a greyscale JPEG (PIL mode L) holding the level 128 and a ramp;
  * orient-<o>.jpg for o = 1..8: the same asymmetric RGB picture with EXIF orientation o;
  * grey-alpha.png (LA), palette.png (P): the other modes convert('RGB') handles;
and for each <name> the expected pixels, <name>.rgb: width and height as two little-endian
uint16, then the RGB bytes row by row.

Run: /usr/bin/python3 models/golden/frame_reading.py src/test/resources/frames
"""
import os
import struct
import sys

from PIL import Image, ImageOps


def expected(path):
    with Image.open(path) as im:
        return ImageOps.exif_transpose(im).convert("RGB")


def write_expected(path):
    im = expected(path)
    with open(path + ".rgb", "wb") as f:
        f.write(struct.pack("<HH", im.width, im.height))
        f.write(im.tobytes())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    w, h = 48, 32
    grey = Image.new("L", (w, h), 128)
    for x in range(w):
        for y in range(h // 2, h):
            grey.putpixel((x, y), x * 255 // (w - 1))
    grey.save(os.path.join(out, "grey.jpg"), quality=95)

    # asymmetric: a red block top-left, a blue bar along the bottom, green elsewhere
    rgb = Image.new("RGB", (w, h), (40, 160, 60))
    for x in range(12):
        for y in range(8):
            rgb.putpixel((x, y), (220, 30, 30))
    for x in range(w):
        for y in range(h - 6, h):
            rgb.putpixel((x, y), (30, 40, 210))
    for o in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = o
        rgb.save(os.path.join(out, "orient-%d.jpg" % o), quality=95, exif=exif.tobytes())

    la = Image.new("LA", (w, h), (90, 200))
    la.save(os.path.join(out, "grey-alpha.png"))
    pal = Image.new("P", (w, h), 1)
    pal.putpalette([0, 0, 0, 200, 100, 50, 10, 220, 240] + [0] * (256 * 3 - 9))
    for x in range(w // 2):
        for y in range(h):
            pal.putpixel((x, y), 2)
    pal.save(os.path.join(out, "palette.png"))

    for name in sorted(os.listdir(out)):
        if not name.endswith(".rgb"):
            write_expected(os.path.join(out, name))


if __name__ == "__main__":
    main()
