"""Time to the first paint of the desktop app, beside an empty PySide6 window.

Runs ``shomei`` (the GUI path of the real launcher) N times in a subprocess
under QT_QPA_PLATFORM=offscreen with SHOMEI_FIRST_PAINT_T0 set to
``time.monotonic()`` just before the spawn (CLOCK_MONOTONIC is system-wide on
Linux, so the child can subtract it); the app prints ``first-paint-ms`` when
its home screen has painted, and exits. The empty window is measured the same
way.

As a user launches it: the single-instance check runs (under a socket name of
its own), the settings file holds every setting (as saved by the settings
dialog), and Python's bytecode is cached as in an installed app (in a
temporary folder; the warm-up run writes it). ``--no-bytecode-cache`` keeps
the environment's PYTHONDONTWRITEBYTECODE instead (every module compiled at
every launch, as in a checkout with that variable set).

``--language ja`` starts in Japanese (the Japanese translation and, on a
system whose UI font has no Japanese, the bundled Gothic face load before the
first paint).

    .venv/bin/python benchmarks/bench_startup.py [-n 7] [--no-bytecode-cache] [--language ja]
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
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="keep the environment's bytecode setting (e.g. PYTHONDONTWRITEBYTECODE)",
    )
    ap.add_argument(
        "--language",
        choices=("system", "en", "ja"),
        default="system",
        help="the language setting (default: system)",
    )
    args = ap.parse_args()
    from dataclasses import replace

    from desktop.settings import AppSettings, SettingsStore

    with tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp) / "settings.ini"
        SettingsStore(str(settings)).save(replace(AppSettings(), language=args.language))
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            SHOMEI_SETTINGS=str(settings),
            SHOMEI_INSTANCE_NAME=f"shomei-bench-{os.getpid()}",
            XDG_DATA_HOME=tmp,
        )
        cached = not args.no_bytecode_cache
        if cached:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
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
    if cached:
        mode = "cached (as installed)"
    elif os.environ.get("PYTHONDONTWRITEBYTECODE"):
        mode = "compiled at every launch (PYTHONDONTWRITEBYTECODE)"
    else:
        mode = "as the environment has it"
    print(f"runs: {args.n}; bytecode {mode}; language setting {args.language}")
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
