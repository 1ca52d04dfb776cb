"""What the benchmark scripts share: the repository on ``sys.path``, sizes, the
peak memory of the process and the floor a PDF operation is compared with
(reading + SHA-256 of the same bytes)."""

from __future__ import annotations

import hashlib
import resource
import sys
import time
from pathlib import Path

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
