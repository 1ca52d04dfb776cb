"""The sign screen's stamp preview: the core building the stamp for a box
(:func:`signing.api.stamp_preview`, on a worker thread in the app) and QtPdf
rendering it (on the GUI thread, at the box's pixel size).

Prints the first build in the process (cold: pyHanko and the font load),
then the median and worst of warm builds while a drag changes the box's
size on every step (English and Japanese text), and of the QtPdf render of
a 200 x 70 pt box at 2 pixels per point.

    .venv/bin/python benchmarks/bench_stamp_preview.py [-n 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _common import ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=40, help="measured builds (default 40)")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication

    from desktop.appearance_preview import StampPicture, StampRequest, build_stamp

    app = QGuiApplication([])
    start = time.perf_counter()
    first = StampRequest(None, None, False, (200, 70), "Sample Signer", reason="Approved")
    build_stamp(first)
    print(f"first build (cold)      {ms(time.perf_counter() - start)}")
    for label, signer, reason in (
        ("en", "Alice Tester", "Approved"),
        ("ja", "山田 太郎", "承認"),
    ):
        times = []
        for i in range(args.n):
            size = (150.0 + i * 2.5, 50.0 + i)  # a drag: a new size each time
            request = StampRequest(None, None, False, size, signer, reason=reason)
            t0 = time.perf_counter()
            build_stamp(request)
            times.append(time.perf_counter() - t0)
        print(f"warm build ({label}) median {ms(statistics.median(times))}  worst {ms(max(times))}")
    renders = []
    request = StampRequest(None, None, False, (200, 70), "Alice Tester", reason="Approved")
    stamp = build_stamp(request)
    for _ in range(args.n):
        picture = StampPicture(request, stamp)  # (a fresh one: no render cache)
        t0 = time.perf_counter()
        picture.image(QSize(400, 140))
        renders.append(time.perf_counter() - t0)
    median, worst = ms(statistics.median(renders)), ms(max(renders))
    print(f"QtPdf render 400x140 px median {median}  worst {worst}")
    del app


if __name__ == "__main__":
    main()
