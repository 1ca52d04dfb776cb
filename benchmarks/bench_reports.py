"""Cost of the validation reports, in-process.

Prints, in one run: the JSON of one file and of a batch (with the round trip
back to results), the HTML report, and the PDF report for one file (the first
in the process pays for loading the font and making its subset) and for a
batch, in English and Japanese. The results are the hand-built ones of
tests/test_reports.py (every field, hostile strings, four files), repeated.

    .venv/bin/python benchmarks/bench_reports.py [--files N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from signing.reports.json_report import results_from_json, results_to_json
from signing.reports.readable import render_html, render_pdf
from tests.test_reports import make_results


def timed(label: str, fn: Callable[[], object], rounds: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    per = (time.perf_counter() - start) / rounds
    print(f"{label:<48} {per * 1000:9.1f} ms")
    return per


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200, help="files in the batch")
    args = parser.parse_args()
    one = make_results()[:1]
    batch = (make_results() * (args.files // 4 + 1))[: args.files]
    sigs = sum(len(r.signatures) for r in batch)
    print(f"batch: {len(batch)} files, {sigs} signatures or timestamps")
    timed("JSON, one file (dumps)", lambda: json.dumps(results_to_json(one)), 50)
    timed(
        f"JSON, {len(batch)} files (dumps + loads + back to results)",
        lambda: results_from_json(json.loads(json.dumps(results_to_json(batch)))),
        3,
    )
    timed("HTML, one file, ja", lambda: render_html(one, "ja"), 20)
    timed(f"HTML, {len(batch)} files, ja", lambda: render_html(batch, "ja"), 3)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.pdf"
        timed("PDF, one file, ja, first in process (font load)", lambda: render_pdf(one, "ja", out))
        timed("PDF, one file, ja, warm (same characters)", lambda: render_pdf(one, "ja", out), 5)
        timed("PDF, one file, en, warm (new subset)", lambda: render_pdf(one, "en", out))
        per = timed(f"PDF, {len(batch)} files, ja", lambda: render_pdf(batch, "ja", out))
        print(f"{'  PDF size':<48} {out.stat().st_size / 1024:9.0f} KiB")
        print(f"{'  per file':<48} {per / len(batch) * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
