"""The peer baseline of `bench media`: exact random seeks with OpenCV, the way users script them.

    python3 opencv_seek.py <video> <modulus> <target,target,...>

For each target frame: CAP_PROP_POS_FRAMES, then read(); the time of both together, and whether the
frame's barcode (the app's FrameBarcode: 20 data cells and an even-parity cell across the top band)
says target % modulus. Prints `name value unit` lines like the Java side.
"""
import statistics
import sys
import time

import cv2
import numpy as np

DATA_BITS = 20
CELLS = DATA_BITS + 1


def barcode(bgr):
    h, w = bgr.shape[:2]
    cell_w = w // CELLS
    band = max(8, h // 20)
    grey = bgr[:, :, 2] * 0.299 + bgr[:, :, 1] * 0.587 + bgr[:, :, 0] * 0.114
    bits = []
    for i in range(CELLS):
        block = grey[band // 4:band - band // 4, i * cell_w + cell_w // 4:(i + 1) * cell_w - cell_w // 4]
        bits.append(bool(block.size) and float(block.mean()) > 128)
    value = 0
    for b in bits[:DATA_BITS]:
        value = (value << 1) | int(b)
    ones = sum(bits[:DATA_BITS])
    return value if (ones & 1 == 1) == bits[DATA_BITS] else -1


def main():
    path, modulus, targets = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split(",")]
    cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG)
    if not cap.isOpened():
        sys.exit("opencv cannot open " + path)
    for t in targets[:3]:  # warm-up, as the Java side does
        cap.set(cv2.CAP_PROP_POS_FRAMES, t)
        cap.read()
    times, wrong = [], 0
    for t in targets:
        t0 = time.perf_counter()
        cap.set(cv2.CAP_PROP_POS_FRAMES, t)
        ok, frame = cap.read()
        times.append((time.perf_counter() - t0) * 1000)
        if not ok or barcode(frame.astype(np.float32)) != t % modulus:
            wrong += 1
    times.sort()
    print("opencv_seek_longgop_median_ms %.2f ms" % statistics.median(times))
    print("opencv_seek_longgop_p95_ms %.2f ms" % times[max(0, int(len(times) * 0.95 + 0.999999) - 1)])
    print("opencv_seek_longgop_wrong_frames %d count" % wrong)
    print("# opencv %s, %d threads" % (cv2.__version__, cv2.getNumThreads()))


if __name__ == "__main__":
    main()
