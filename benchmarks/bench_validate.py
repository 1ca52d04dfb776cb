"""Validation benchmark: prints, in one run,

* in-process validation time of a B-B, B-T, B-LT and B-LTA signature on a 100 KiB
  and a 100 MiB PDF (signed here with the test PKI's loopback TSA/OCSP/CRL),
  beside reading + SHA-256 of the same bytes, with the peak resident memory
  of the validating process;
* batch throughput on 200 small B-LT files with 1 and 2 worker processes
  (trust material parsed once per worker, offline: the files carry their
  validation data);
* ``pyhanko sign validate`` (pyhanko-cli), run once per file on a sample.

Each single-file measurement runs in a fresh worker process (``--worker``)
so its peak memory is that of validation alone. Usage::

    .venv/bin/python benchmarks/bench_validate.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import KIB, MIB, REPO, peak_rss_mib, read_and_hash


def worker(path: str, root: str, offline: bool, repeat: int) -> None:
    """Validate one file ``repeat`` times; print JSON with timings and memory."""
    logging.disable(logging.WARNING)
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions

    # as the command line's summary: no ETSI XML and no whole-file hash
    options = ValidationOptions(
        offline=offline,
        user_trust_files=(Path(root),),
        etsi_xml=False,
        file_sha256=False,
        timeout_s=5.0,
    )
    times = []
    cpu = []
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = validate_pdf(path, options)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # (all threads: the hashing one too)
    assert result is not None
    print(
        json.dumps(
            {
                "first_s": times[0],
                "median_s": statistics.median(times[1:] or times),
                "cpu_median_s": statistics.median(cpu[1:] or cpu),
                "verdict": result.verdict.name,
                "levels": [s.level.value for s in result.signatures if s.kind.value == "signature"],
                "peak_mib": peak_rss_mib(),
            }
        )
    )


def _run_worker(path: Path, root: Path, offline: bool, repeat: int) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            str(path),
            str(root),
            str(int(offline)),
            str(repeat),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def _throughput(files: list[Path], root: Path, workers: int) -> tuple[float, float, dict[str, int]]:
    """Files per second over the whole batch (pool start-up included), CPU
    seconds per file (all processes), verdict counts."""
    code = (
        "import logging,sys,time,json,resource;logging.disable(logging.WARNING);"
        f"sys.path.insert(0,{str(REPO)!r});"
        "from pathlib import Path;"
        "from signing.validation.engine import validate_many;"
        "from signing.validation.options import ValidationOptions;"
        "files=[Path(p) for p in sys.argv[3:]];"
        "opts=ValidationOptions(offline=True,user_trust_files=(Path(sys.argv[1]),),"
        "etsi_xml=False,file_sha256=False);"
        "ru=lambda:sum(getattr(resource.getrusage(w),a) for w in (resource.RUSAGE_SELF,"
        "resource.RUSAGE_CHILDREN) for a in ('ru_utime','ru_stime'));"
        "t=time.perf_counter();c0=ru();"
        "res=list(validate_many(files,opts,workers=int(sys.argv[2])));"
        "dt=time.perf_counter()-t;cpu=ru()-c0;"
        "c={};[c.__setitem__(r.verdict.name,c.get(r.verdict.name,0)+1) for r in res];"
        "print(json.dumps({'s':dt,'cpu':cpu,'verdicts':c}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root), str(workers), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return len(files) / data["s"], data["cpu"] / len(files), data["verdicts"]


def _pyhanko_cli(files: list[Path], root: Path) -> float:
    cli = Path(sys.executable).parent / "pyhanko"
    start = time.perf_counter()
    for f in files:
        subprocess.run(
            [str(cli), "sign", "validate", "--trust", str(root), "--no-revocation-check", str(f)],
            capture_output=True,
            check=False,
        )
    return len(files) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10 MiB instead of 100, 40 files")
    parser.add_argument("--worker", nargs=4, metavar=("PDF", "ROOT", "OFFLINE", "REPEAT"))
    args = parser.parse_args()
    if args.worker:
        path, root, offline, repeat = args.worker
        worker(path, root, offline == "1", int(repeat))
        return
    logging.disable(logging.WARNING)
    from tests.pdf_factory import make_pdf
    from tests.pki import start_pki
    from tests.test_validation_engine import sign

    big = (10 if args.quick else 100) * MIB
    batch = 40 if args.quick else 200
    work = Path(tempfile.mkdtemp(prefix="bench-validate-"))
    pki = start_pki(work / "pki")
    try:
        root = work / "root.pem"
        shutil.copy(pki.cert_pem_path("root"), root)
        print(f"# validation benchmark ({'quick' if args.quick else 'full'})\n")
        print(
            "| file | level | first (s) | median (s) | read+SHA-256 (s) | ratio | peak MiB |",
            end="",
        )
        print(" verdict |")
        print("|---|---|---|---|---|---|---|---|")
        small_median: dict[tuple[str, bool], float] = {}
        per_byte: list[str] = []
        for size, label in ((100 * KIB, "100 KiB"), (big, f"{big // MIB} MiB")):
            src = make_pdf(work / f"plain-{size}.pdf", size_bytes=size)
            for level in ("B-B", "B-T", "B-LT", "B-LTA"):
                signed = sign(pki, src, work / f"{level}-{size}.pdf", level)
                hashing = min(read_and_hash(signed) for _ in range(3))
                # B-B/B-T: with OCSP/CRL fetched on loopback, and offline (the
                # same work without the network; untrusted-revocation verdict)
                for offline in (False, True) if level in ("B-B", "B-T") else (True,):
                    repeat = 9 if size < MIB else 5
                    m = _run_worker(signed, root, offline, repeat)
                    mode = "offline" if offline else "loopback OCSP"
                    print(
                        f"| {label} | {level} ({mode}) "
                        f"| {m['first_s']:.3f} | {m['median_s']:.3f} | {hashing:.3f} "
                        f"| {m['median_s'] / hashing:.1f}x | {m['peak_mib']:.0f} "
                        f"| {m['verdict']} |"
                    )
                    if size < MIB:
                        small_median[(level, offline)] = m["median_s"]
                    else:
                        extra = m["median_s"] - small_median[(level, offline)]
                        per_byte.append(
                            f"| {level} ({mode}) | {extra:.3f} | {hashing:.3f} "
                            f"| {extra / hashing:.2f}x |"
                        )
        # a changed byte voids the run made beside the hashing: it is made again
        changed = work / "B-LTA-changed.pdf"
        data = bytearray((work / f"B-LTA-{big}.pdf").read_bytes())
        data[len(data) // 2] ^= 1
        changed.write_bytes(bytes(data))
        del data
        hashing = min(read_and_hash(changed) for _ in range(3))
        m = _run_worker(changed, root, True, 5)
        print(
            f"| {big // MIB} MiB | B-LTA, one byte changed (offline) "
            f"| {m['first_s']:.3f} | {m['median_s']:.3f} | {hashing:.3f} "
            f"| {m['median_s'] / hashing:.1f}x | {m['peak_mib']:.0f} | {m['verdict']} |"
        )
        # (wall times stretch with the machine's load; CPU seconds less so)
        print(
            f"\none byte changed: CPU {m['cpu_median_s']:.3f} s (median, all threads), "
            f"target wall <= 1.5x read+SHA-256; load {os.getloadavg()[0]:.2f}"
        )
        print(
            f"\n| {big // MIB} MiB minus 100 KiB (cost of the bytes) | s | read+SHA-256 s | ratio |"
        )
        print("|---|---|---|---|")
        print("\n".join(per_byte))
        src = make_pdf(work / "small.pdf", text="batch")
        files = [sign(pki, src, work / f"lt-{i:03d}.pdf", "B-LT") for i in range(batch)]
        print(
            f"\n| batch of {batch} small B-LT files (offline) | files/s | CPU ms/file | verdicts |"
        )
        print("|---|---|---|---|")
        rates = {}
        for workers in (1, 2):
            rate, cpu, verdicts = _throughput(files, root, workers)
            rates[workers] = rate
            print(f"| shomei, {workers} worker(s) | {rate:.1f} | {cpu * 1000:.0f} | {verdicts} |")
        sample = files[:5]
        rate = _pyhanko_cli(sample, root)
        print(
            f"| pyhanko sign validate, once per file ({len(sample)} files) | {rate:.2f} | - | - |"
        )
        print(
            f"\nshomei, 2 workers: {rates[2]:.1f} files/s (target >= 150), "
            f"{rates[2] / rate:.0f}x pyhanko once per file; load {os.getloadavg()[0]:.2f}"
        )
    finally:
        pki.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
