"""Signing benchmark: prints, in one run, with the limits measured alongside.

* time to sign 100 KiB, 10 MiB and 100 MiB PDFs at B-B and B-T (loopback
  TSA from the test PKI), the peak resident memory of the signing process,
  and the ratio to reading + SHA-256 of the same bytes;
* a warm visible Japanese stamp;
* a batch of 1,000 small PDFs sealed with one key load, on one core and on
  two processes.

Each measurement runs in a fresh worker process (``--worker``) so peak memory
is that of signing, not of the benchmark. Usage::

    .venv/bin/python benchmarks/bench_sign.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
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

# --- worker side ------------------------------------------------------------


def _request(src: Path, out: Path, key: Any, level: str, tsa: str, **kw: Any) -> Any:
    from signing.sign.request import SignMode, SignRequest, parse_level

    return SignRequest(
        input_path=src,
        output_path=out,
        key_source=key,
        mode=SignMode.SEAL,
        level=parse_level(level),
        tsa_urls=(tsa,) if tsa else (),
        **kw,
    )


def worker_sign(cfg: dict[str, Any]) -> dict[str, Any]:
    from signing.keys.pkcs12 import Pkcs12KeySource
    from signing.secrets import FixedSecret
    from signing.sign.signer import open_session, sign_with_session

    src, outdir = Path(cfg["src"]), Path(cfg["outdir"])
    key = Pkcs12KeySource(cfg["p12"])
    prompt = FixedSecret(cfg["password"])
    with open_session(key, prompt) as session:
        warm = _request(Path(cfg["warm_src"]), outdir / "warm.pdf", key, cfg["level"], cfg["tsa"])
        sign_with_session(warm, session, prompt)
        rss_before = peak_rss_mib()
        times = []
        for i in range(cfg["repeat"]):
            req = _request(src, outdir / f"out{i % 2}.pdf", key, cfg["level"], cfg["tsa"])
            start = time.perf_counter()
            sign_with_session(req, session, prompt)
            times.append(time.perf_counter() - start)
    rss_peak = peak_rss_mib()
    floor = min(read_and_hash(src) for _ in range(3))
    return {
        "median": statistics.median(times),
        "best": min(times),
        "floor": floor,
        "rss_before": rss_before,
        "rss_peak": rss_peak,
    }


def worker_stamp(cfg: dict[str, Any]) -> dict[str, Any]:
    from signing.appearance.stamp import AppearanceSpec
    from signing.keys.pkcs12 import Pkcs12KeySource
    from signing.secrets import FixedSecret
    from signing.sign.request import FieldPlacement
    from signing.sign.signer import open_session, sign_with_session

    src, outdir = Path(cfg["src"]), Path(cfg["outdir"])
    key = Pkcs12KeySource(cfg["p12"])
    prompt = FixedSecret(cfg["password"])
    spec = AppearanceSpec(language="ja")
    times = []
    with open_session(key, prompt) as session:
        for i in range(cfg["repeat"] + 1):
            req = _request(
                src,
                outdir / f"stamp{i % 2}.pdf",
                key,
                "B-B",
                "",
                placement=FieldPlacement(page=1, box=(50, 50, 300, 140)),
                reason="承認しました",
                location="東京都千代田区",
                appearance=spec,
            )
            start = time.perf_counter()
            sign_with_session(req, session, prompt)
            times.append(time.perf_counter() - start)
    return {"cold": times[0], "warm": statistics.median(times[1:])}


def _batch_share(args: tuple[list[str], str, str, str, Any]) -> float:
    paths, outdir, p12, password, barrier = args
    from signing.keys.pkcs12 import Pkcs12KeySource
    from signing.secrets import FixedSecret
    from signing.sign.request import SignMode, SignRequest
    from signing.sign.signer import sign_batch

    key = Pkcs12KeySource(p12)
    reqs = [
        SignRequest(
            input_path=Path(p),
            output_path=Path(outdir) / Path(p).name,
            key_source=key,
            mode=SignMode.SEAL,
        )
        for p in paths
    ]
    # warm the imports and the key file once before the clock starts
    sign_batch(reqs[:1], FixedSecret(password))
    barrier.wait()
    start = time.perf_counter()
    outcomes = sign_batch(reqs, FixedSecret(password))
    elapsed = time.perf_counter() - start
    bad = [o for o in outcomes if isinstance(o, Exception)]
    if bad:
        raise RuntimeError(f"{len(bad)} documents failed: {bad[0]}")
    return elapsed


def _plain_pyhanko_share(args: tuple[list[str], str, str, str, Any]) -> float:
    """The peer: plain pyHanko seals the same documents (B-B, one key load,
    each written to its output file), with none of Shomei's checks."""
    paths, outdir, p12, password, barrier = args
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password.encode())
    meta = signers.PdfSignatureMetadata(field_name="Signature1")

    def seal(src: str) -> None:
        with open(src, "rb") as inf, open(Path(outdir) / Path(src).name, "wb") as outf:
            signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=outf)

    seal(paths[0])  # warm, as for Shomei
    barrier.wait()
    start = time.perf_counter()
    for p in paths:
        seal(p)
    return time.perf_counter() - start


def run_batch(
    paths: list[Path], outdir: Path, p12: str, password: str, procs: int, plain: bool = False
) -> float:
    ctx = mp.get_context("spawn")
    manager = ctx.Manager()
    barrier = manager.Barrier(procs)
    shares = [[str(p) for p in paths[i::procs]] for i in range(procs)]
    dirs = []
    for i in range(procs):
        d = outdir / f"{'plain-' if plain else ''}p{procs}-{i}"
        d.mkdir(parents=True, exist_ok=True)
        dirs.append(str(d))
    with ctx.Pool(procs) as pool:
        elapsed = pool.map(
            _plain_pyhanko_share if plain else _batch_share,
            [(shares[i], dirs[i], p12, password, barrier) for i in range(procs)],
        )
    manager.shutdown()
    return len(paths) / max(elapsed)


# --- driver -------------------------------------------------------------------


def run_worker(kind: str, cfg: dict[str, Any]) -> dict[str, Any]:
    res = subprocess.run(
        [sys.executable, __file__, "--worker", kind, json.dumps(cfg)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=1800,
    )
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-2000:])
    result: dict[str, Any] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 200-doc batch")
    args = parser.parse_args()
    if args.worker:
        kind, cfg = args.worker
        fn = {"sign": worker_sign, "stamp": worker_stamp}[kind]
        print(json.dumps(fn(json.loads(cfg))))
        return

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from tests.pdf_factory import make_pdf
    from tests.pki import KEY_PASSWORD, start_pki

    work = Path(tempfile.mkdtemp(prefix="bench-sign-"))
    pki = start_pki(work / "pki")
    try:
        p12 = str(pki.p12_path("seal-rsa"))
        small = make_pdf(work / "small.pdf")
        print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; key RSA-2048 seal")
        print(
            "targets: 100 KiB B-B <= 20 ms warm; 100 MiB B-B <= 3x read+hash and peak < 80 MiB;\n"
            "         warm Japanese stamp < 300 ms; batch >= 100 docs/s (1 process), >= 200 (2)\n"
            "peak RSS: VmHWM of the signing process, imports included; (before): after\n"
            "imports and one warm-up signature. ratio: median / read+hash of the same file."
        )
        print(f"{'size':>8} {'level':>5} {'median':>9} {'best':>9} {'read+hash':>10} "
              f"{'ratio':>6} {'peak RSS':>9} {'(before)':>9}")  # fmt: skip
        sizes = [(100 * KIB, "100 KiB", 30), (10 * MIB, "10 MiB", 8), (100 * MIB, "100 MiB", 4)]
        if args.quick:
            sizes = [(s, n, max(2, r // 4)) for s, n, r in sizes]
        for size, name, repeat in sizes:
            src = make_pdf(work / f"in-{name.replace(' ', '')}.pdf", size_bytes=size)
            for level in ("B-B", "B-T"):
                outdir = work / f"out-{name.replace(' ', '')}-{level}"
                outdir.mkdir()
                r = run_worker(
                    "sign",
                    {
                        "src": str(src),
                        "warm_src": str(small),
                        "outdir": str(outdir),
                        "p12": p12,
                        "password": KEY_PASSWORD,
                        "level": level,
                        "tsa": pki.tsa_url() if level == "B-T" else "",
                        "repeat": repeat,
                    },
                )
                print(
                    f"{name:>8} {level:>5} {r['median'] * 1000:>7.1f}ms {r['best'] * 1000:>7.1f}ms "
                    f"{r['floor'] * 1000:>8.1f}ms {r['median'] / r['floor']:>6.1f} "
                    f"{r['rss_peak']:>6.0f}MiB {r['rss_before']:>6.0f}MiB"
                )
                for f in outdir.iterdir():
                    f.unlink()
            src.unlink()

        stamp_dir = work / "stamp"
        stamp_dir.mkdir()
        r = run_worker(
            "stamp",
            {
                "src": str(small),
                "outdir": str(stamp_dir),
                "p12": p12,
                "password": KEY_PASSWORD,
                "repeat": 5 if args.quick else 15,
            },
        )
        print(
            f"visible Japanese stamp (B-B): first {r['cold'] * 1000:.0f} ms, "
            f"warm median {r['warm'] * 1000:.1f} ms"
        )

        count = 200 if args.quick else 1000
        batch_dir = work / "batch-in"
        batch_dir.mkdir()
        template = make_pdf(batch_dir / "doc0000.pdf").read_bytes()
        paths = []
        for i in range(count):
            # distinct files (same content is fine: each signature is new)
            p = batch_dir / f"doc{i:04d}.pdf"
            if i:
                p.write_bytes(template)
            paths.append(p)
        print(f"load before the batches: {os.getloadavg()[0]:.2f}")
        for procs in (1, 2):
            rate = run_batch(paths, work / "batch-out", p12, KEY_PASSWORD, procs)
            peer = run_batch(paths, work / "batch-out", p12, KEY_PASSWORD, procs, plain=True)
            print(
                f"batch of {count} small PDFs sealed (B-B), {procs} process(es): {rate:.0f} docs/s"
                f"; plain pyHanko {peer:.0f} docs/s; ratio {rate / peer:.2f}"
                f" (load {os.getloadavg()[0]:.2f})"
            )
    finally:
        pki.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
