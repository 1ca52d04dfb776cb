"""Time to the first paint of the desktop app, beside an empty PySide6 window.

Runs ``shomei`` (the GUI path of the real launcher) N times in a subprocess
under QT_QPA_PLATFORM=offscreen with SHOMEI_FIRST_PAINT_T0 set to
``time.monotonic()`` just before the spawn (CLOCK_MONOTONIC is system-wide on
Linux, so the child can subtract it); the app prints ``first-paint-ms`` and
exits. The empty window is measured the same way.

    .venv/bin/python benchmarks/bench_startup.py [-n 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent

EMPTY_WINDOW = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
t0 = float(os.environ["SHOMEI_FIRST_PAINT_T0"])
app = QApplication(sys.argv[:1])
w = QMainWindow()
class F(QObject):
    done = False
    def eventFilter(self, o, e):
        if not self.done and e.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        print(f"first-paint-ms {(time.monotonic() - t0) * 1000:.1f}", flush=True)
        app.quit()
f = F()
w.installEventFilter(f)
w.resize(980, 700)
w.show()
app.exec()
"""


def _measure(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    env = dict(env, SHOMEI_FIRST_PAINT_T0=repr(time.monotonic()))
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    ms = None
    extra = ""
    for line in out.stdout.splitlines():
        if line.startswith("first-paint-ms "):
            ms = float(line.split()[1])
        elif line.startswith("pyhanko-imported "):
            extra = line
    if ms is None:
        raise SystemExit(f"no first paint reported by {cmd}:\n{out.stdout}\n{out.stderr}")
    return ms, extra


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=7, help="runs per program (default 7)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            SHOMEI_SETTINGS=str(Path(tmp) / "settings.ini"),
            SHOMEI_SINGLE_INSTANCE="0",
            XDG_DATA_HOME=tmp,
        )
        shomei = [str(BIN / "shomei")]
        empty = [sys.executable, "-c", EMPTY_WINDOW]
        _measure(shomei, env)  # warm the file cache
        _measure(empty, env)
        app_ms, notes = [], set()
        empty_ms = []
        for _ in range(args.n):
            ms, note = _measure(shomei, env)
            app_ms.append(ms)
            notes.add(note)
            empty_ms.append(_measure(empty, env)[0])
    app_med = statistics.median(app_ms)
    empty_med = statistics.median(empty_ms)
    print(f"runs: {args.n}")
    print(
        f"shomei first paint: median {app_med:.0f} ms (min {min(app_ms):.0f}, "
        f"max {max(app_ms):.0f}); {', '.join(sorted(notes))}"
    )
    print(
        f"empty PySide6 window first paint: median {empty_med:.0f} ms "
        f"(min {min(empty_ms):.0f}, max {max(empty_ms):.0f})"
    )
    print(f"overhead over the empty window: {app_med - empty_med:+.0f} ms; target: 250 ms total")


if __name__ == "__main__":
    main()
