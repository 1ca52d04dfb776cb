"""What the full trust environment (EU lists + Japanese list + user anchors)
costs a validation, in one run:

* per process: ``load_environment`` on a warm cache (the bundled snapshot, and
  the 2019 LOTL with its 28 national lists from the shared corpus), and the
  engine's trust manager built from those anchors (``context.prepared``);
* per file: the same small PDFs validated offline with the same anchors,
  without and with the trust layers' columns (EU qualification, Japanese
  status, the ETSI quality element), median per file.

    .venv/bin/python benchmarks/bench_trust_env.py [--corpus ../shared/corpus/eu] [--runs 15]
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import corpus_and_runs, has_lists_2019, import_lists_2019, ms

from signing.trust.config import TrustConfig
from signing.trust.environment import load_environment
from signing.trust.eu import EuTrust, EuTrustConfig
from signing.validation import context
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions

#: small real PDFs of the corpus (signatures by EU CAs, timestamps)
SAMPLE = ("dss__DSS-2821.pdf", "dss__DSS-1983.pdf", "dss__PAdES-LT.pdf")


def _median(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _cache_2019(corpus: Path, cache: Path) -> None:
    trust = EuTrust.open(
        EuTrustConfig(
            cache_dir=cache, snapshot_dir=None, validation_time=datetime(2019, 9, 5, tzinfo=UTC)
        )
    )
    import_lists_2019(trust, corpus)


def _per_process(label: str, config: TrustConfig, runs: int) -> None:
    env = load_environment(config)
    load = _median(lambda: load_environment(config), runs)
    options = ValidationOptions(trust=config, offline=True)

    def build() -> None:
        context._PREPARED.clear()
        context.prepared(options)

    prepared = _median(build, max(3, runs // 3))
    print(f"{label}: {len(env.anchors)} anchors, {len(env.intermediates)} intermediates")
    print(f"  load_environment (warm cache):       {ms(load)}")
    print(f"  + trust manager (context.prepared):  {ms(prepared)}")


def main() -> int:
    args = corpus_and_runs(runs=15)
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    root = Path(tempfile.mkdtemp(prefix="shomei-bench-env-"))

    snapshot = TrustConfig(eu_cache_dir=root / "snapshot")
    t = time.perf_counter()
    load_environment(snapshot)
    print(f"cold: seed the bundled EU snapshot + Japanese list: {ms(time.perf_counter() - t)}")
    _per_process("bundled snapshot (LOTL 388 + BE + EE) + JP list", snapshot, args.runs)

    corpus = args.corpus
    if has_lists_2019(corpus):
        _cache_2019(corpus, root / "y2019")
        full = TrustConfig(
            eu_cache_dir=root / "y2019", jp_cache_dir=root / "snapshot", seed_bundled=False
        )
        _per_process("2019 LOTL 248 + 28 national lists + JP list", full, args.runs)

        files = [corpus / "pdf" / name for name in SAMPLE if (corpus / "pdf" / name).is_file()]
        env = load_environment(full)
        # the same anchors without the trust layers' columns: the difference is
        # what the EU qualification, the Japanese status and the ETSI element cost
        plain = ValidationOptions(
            offline=True, trust_anchors=env.anchors, extra_certs=env.intermediates
        )
        trusted = ValidationOptions(offline=True, trust=full)
        for options in (plain, trusted):
            for f in files:
                validate_pdf(f, options)  # warm: imports, the environment, parsed anchors
        for f in files:
            base = _median(lambda f=f: validate_pdf(f, plain), args.runs)
            full_t = _median(lambda f=f: validate_pdf(f, trusted), args.runs)
            n = len(validate_pdf(f, trusted).signatures)
            print(
                f"  {f.name:<22} ({n} entries) anchors only {ms(base)}   "
                f"+ EU/JP columns {ms(full_t)}   overhead {ms(full_t - base)}"
            )
    else:
        print(f"(corpus not found at {corpus}: 2019 lists and per-file figures skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
