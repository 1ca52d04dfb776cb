"""Hostile-input benchmark: time and peak memory of validating each file of
issue 16's resource cases, built here from a B-B file signed with the test
PKI (``tests/hostile_pdfs.py``):

* an update whose xref stream declares 10^7 (and 2*10^9) entries;
* 990 (just under the 1,000 revisions read), 1,000 and 10,000 empty incremental updates;
* one 3 MB and one 10 MB number, and a 10 MiB name, literal string and
  comment, in a page;
* 1,000 fields with text-like /Contents (about 4 MB), and one 64 MiB field;
* 5,000 forged fields followed by 990 empty updates.

Each file is validated in a fresh worker process (``--worker``) so its peak
resident memory is that of the validation alone; a worker still running after
``--limit`` seconds is killed and reported as such, with its peak memory so
far; a worker may use at most 3 GiB (a runaway case fails there rather than
taking the machine down). Usage::

    .venv/bin/python benchmarks/bench_hostile.py [--limit 60] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import MIB, REPO

#: name -> generator over the seed's bytes
CASES: dict[str, Callable[[bytes], bytes]] = {}
#: address space a worker may use (a runaway case must not take the machine down)
MEMORY_CAP = 3 * 1024 * MIB


def _cases() -> None:
    from tests import hostile_pdfs as h

    CASES.update(
        {
            "xref-index-1e7": lambda d: h.xref_index_bomb(d, 10**7),
            "xref-index-2e9": lambda d: h.xref_index_bomb(d, 2 * 10**9),
            "updates-1000": lambda d: h.empty_updates(d, 1000),
            "updates-990": lambda d: h.empty_updates(d, 990),
            "updates-10000": lambda d: h.empty_updates(d, 10000),
            "number-3MB": lambda d: h.long_token(d, 3 * 10**6),
            "number-10MB": lambda d: h.long_token(d, 10 * 10**6),
            "name-10MiB": lambda d: h.long_token(d, 10 * MIB, "name"),
            "string-10MiB": lambda d: h.long_token(d, 10 * MIB, "string"),
            "comment-10MiB": lambda d: h.long_token(d, 10 * MIB, "comment"),
            "text-contents-1000x4K": lambda d: h.text_like_contents(d, 1000, 4096),
            "text-contents-64MiB": lambda d: h.text_like_contents(d, 1, 64 * MIB),
            "fields-5000-updates-990": lambda d: h.empty_updates(
                h.text_like_contents(d, 5000, 8), 990
            ),
        }
    )


def worker(path: str, root: str) -> None:
    """Validate one file; print JSON with the verdict, reasons, time, memory."""
    logging.disable(logging.WARNING)
    from _common import peak_rss_mib

    from signing.trust.anchors import AnchorOrigin, TrustAnchor
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions

    anchor = TrustAnchor(Path(root).read_bytes(), AnchorOrigin.USER, "root")
    options = ValidationOptions(trust_anchors=(anchor,), offline=True)
    start = time.perf_counter()
    result = validate_pdf(path, options)
    seconds = time.perf_counter() - start
    codes = sorted(
        {r.code for r in result.reasons} | {r.code for s in result.signatures for r in s.reasons}
    )
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": peak_rss_mib(),
                "verdict": result.verdict.name,
                "codes": codes,
            }
        )
    )


def _seed(folder: Path) -> tuple[bytes, Path]:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from tests.pdf_factory import make_pdf
    from tests.pki import KEY_PASSWORD, start_pki

    pki = start_pki(folder / "pki")
    try:
        plain = make_pdf(folder / "plain.pdf")
        signer = signers.SimpleSigner.load_pkcs12(
            pki.p12_path("signer-rsa"), passphrase=KEY_PASSWORD.encode()
        )
        meta = signers.PdfSignatureMetadata(field_name="Sig1", md_algorithm="sha256")
        out = folder / "seed.pdf"
        with plain.open("rb") as fh, out.open("wb") as dst:
            signers.PdfSigner(meta, signer).sign_pdf(IncrementalPdfFileWriter(fh), output=dst)
        root = folder / "root.der"
        root.write_bytes(pki.cert_der("root"))
    finally:
        pki.stop()
    return out.read_bytes(), root


def _peak_of(pid: int) -> str:
    """Peak resident memory (MiB) of a running process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return f"{int(line.split()[1]) / 1024:.0f}"
    except OSError:
        pass
    return "?"


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=60.0, help="kill a worker after this")
    parser.add_argument("--only", action="append", help="run only these cases")
    parser.add_argument("--worker", nargs=2, metavar=("PDF", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    _cases()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed, root = _seed(folder)
        print(f"{'case':24} {'file':>10} {'seconds':>9} {'peak MiB':>9}  verdict / reasons")
        for name, make in CASES.items():
            if args.only and name not in args.only:
                continue
            path = folder / f"{name}.pdf"
            path.write_bytes(make(seed))
            size = f"{path.stat().st_size / MIB:.2f} MiB"
            cmd = [sys.executable, __file__, "--worker", str(path), str(root)]
            start = time.perf_counter()
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=REPO,
                preexec_fn=_cap_memory,
            )
            try:
                stdout, stderr = proc.communicate(timeout=args.limit)
            except subprocess.TimeoutExpired:
                peak = _peak_of(proc.pid)
                proc.kill()
                proc.communicate()
                print(f"{name:24} {size:>10} {'>' + str(args.limit):>9} {peak:>9}  killed")
                path.unlink()
                continue
            wall = time.perf_counter() - start
            try:
                facts = json.loads(stdout.strip().splitlines()[-1])
            except (IndexError, ValueError):
                tail = (stderr.strip().splitlines() or ["no output"])[-1]
                print(f"{name:24} {size:>10} {wall:9.1f} {'?':>9}  crashed: {tail}")
                path.unlink()
                continue
            print(
                f"{name:24} {size:>10} {facts['seconds']:9.2f} {facts['peak_mib']:9.0f}  "
                f"{facts['verdict']} {', '.join(facts['codes'])}"
            )
            path.unlink()


if __name__ == "__main__":
    main()
