"""What the benchmark scripts share: the repository on ``sys.path``, sizes, the
peak memory of the process and the floor a PDF operation is compared with
(reading + SHA-256 of the same bytes)."""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

KIB = 1024
MIB = 1024 * KIB


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (VmHWM: unlike ru_maxrss it
    is not inherited from the parent across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def read_and_hash(path: Path) -> float:
    """Seconds to read ``path`` and hash it with SHA-256, 1 MiB at a time."""
    start = time.perf_counter()
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(MIB):
            h.update(chunk)
    return time.perf_counter() - start


#: the shared EU corpus (trusted lists, certificates, PDFs), beside the repository
EU_CORPUS = REPO.parent / "shared" / "corpus" / "eu"
#: the 28 national lists the 2019 LOTL (sequence 248) of the corpus points to
TERRITORIES_2019 = (
    "AT BE BG CY CZ DK EL ES FI FR HR HU IE IS IT LI LT LU LV MT NL NO PL PT SE SI SK UK"
)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def has_lists_2019(corpus: Path) -> bool:
    return (corpus / "tl" / "dss__lotl-seq248.xml").is_file()


def import_lists_2019(trust: Any, corpus: Path) -> None:
    """Import the 2019 LOTL and its national lists from ``corpus`` into ``trust``
    (an ``EuTrust`` opened with ``validation_time`` in September 2019), without
    reloading it."""
    from signing.trust.eu import LOTL_KEY, load_pem_certs

    trust.import_list(
        LOTL_KEY,
        (corpus / "tl" / "dss__lotl-seq248.xml").read_bytes(),
        load_pem_certs((corpus / "certs" / "pyhanko__lotl-signers-OJ-C276-2019.pem").read_bytes()),
    )
    for terr in TERRITORIES_2019.split():
        trust.import_list(
            terr, (corpus / "tl" / f"dss__tl-2019-{terr}.xml").read_bytes(), reload=False
        )


def corpus_and_runs(runs: int) -> argparse.Namespace:
    """The command line of the trust benchmarks: ``--corpus`` (the EU corpus
    folder) and ``--runs`` (repetitions, ``runs`` unless given)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=EU_CORPUS)
    ap.add_argument("--runs", type=int, default=runs)
    return ap.parse_args()
