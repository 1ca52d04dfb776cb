"""EU trusted lists: cold load, warm load, and the cost of one qualification.

    .venv/bin/python benchmarks/bench_trust.py [--corpus ../shared/corpus/eu]

Cold = every list's XAdES signature checked and its services parsed into the
cache index (the bundled snapshot; with --corpus also the 2019 LOTL and its 28
national lists). Warm = ``EuTrust.open`` on that cache (JSON index only).
Qualification = ``qualify_signature_entry`` / ``qualify_timestamp`` on a real
certificate, per call.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import corpus_and_runs, has_lists_2019, import_lists_2019, ms

from signing.model.results import Indication
from signing.trust.eu import EuTrust, EuTrustConfig, load_pem_certs
from signing.trust.qualification import qualify_signature_entry, qualify_timestamp


def warm(cache: Path, runs: int = 15, snapshot: bool = True) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        cfg = EuTrustConfig(cache_dir=cache)
        trust = EuTrust.open(cfg if snapshot else EuTrustConfig(cache_dir=cache, snapshot_dir=None))
        trust.service_count()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    args = corpus_and_runs(runs=200)
    root = Path(tempfile.mkdtemp(prefix="shomei-bench-"))

    t = time.perf_counter()
    snap = EuTrust.open(EuTrustConfig(cache_dir=root / "snapshot"))
    cold = time.perf_counter() - t
    n = snap.service_count()
    print(f"bundled snapshot (LOTL + BE + EE, {n} services)")
    print(f"  cold load (verify + parse + index): {ms(cold)}")
    print(f"  warm load (median of 15):           {ms(warm(root / 'snapshot'))}")

    corpus = args.corpus
    if has_lists_2019(corpus):
        cfg = EuTrustConfig(
            cache_dir=root / "y2019",
            snapshot_dir=None,
            validation_time=datetime(2019, 9, 5, tzinfo=UTC),
        )
        t = time.perf_counter()
        trust = EuTrust.open(cfg)
        import_lists_2019(trust, corpus)
        trust.reload()
        cold = time.perf_counter() - t
        print(
            f"2019 LOTL 248 + 28 national lists ({trust.service_count()} services, "
            f"{len(trust.anchors())} anchors)"
        )
        print(f"  cold load (verify + parse + index): {ms(cold)}")
        print(f"  warm load (median of 15):           {ms(warm(root / 'y2019', snapshot=False))}")
        t = time.perf_counter()
        EuTrust.open(EuTrustConfig(cache_dir=root / "y2019", snapshot_dir=None)).anchors()
        print(f"  warm load + anchors():              {ms(time.perf_counter() - t)}")

        be = EuTrust.open(EuTrustConfig(cache_dir=root / "be74", snapshot_dir=None))
        be.import_list(
            "BE",
            (corpus / "tl" / "pyhanko__tsl-be-v5-seq74.xml").read_bytes(),
            load_pem_certs((corpus / "certs" / "pyhanko__BE_TLSO_CERT.cer").read_bytes()),
            validation_time=datetime(2025, 6, 1, tzinfo=UTC),
        )
        at = datetime(2025, 8, 6, tzinfo=UTC)
        qcert = (corpus / "certs" / "pyhanko__real-qcert.cer").read_bytes()
        tsa = (corpus / "certs" / "pyhanko__real-qtst-cert.cer").read_bytes()
        for label, fn in (
            (
                "qualify_signature_entry (itsme, QESig)",
                lambda: qualify_signature_entry(qcert, [], Indication.TOTAL_PASSED, at, be, now=at),
            ),
            (
                "qualify_timestamp (BOSA TSU, QTST)",
                lambda: qualify_timestamp(tsa, [], at, be, now=at),
            ),
        ):
            fn()
            t = time.perf_counter()
            for _ in range(args.runs):
                fn()
            print(f"  {label:<40} {ms((time.perf_counter() - t) / args.runs)} per call")
    else:
        print(f"(corpus not found at {corpus}: 2019 lists and qualification skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
