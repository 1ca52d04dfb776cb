"""Signing with keys on a PKCS#11 token (SoftHSM2) beside PKCS#12, in one run.

Builds the test PKI and SoftHSM2 tokens in a temporary folder (its own
SOFTHSM2_CONF), then times, through the real pipeline (``sign_pdf`` /
``sign_batch``, B-B, invisible, 100 KiB input):

* one document per ``sign_pdf`` call: open the key (token login or PKCS#12
  parse), sign, close — what a user signing one file waits for;
* a batch of N documents with one key opening (one PIN entry);
* the bare key operation (``Signer.async_sign_raw`` over 32 bytes).

    .venv/bin/python benchmarks/bench_tokens.py [-n 100] [--single 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100, help="documents in the batch (default 100)")
    ap.add_argument("--single", type=int, default=10, help="one-document runs per key")
    args = ap.parse_args()

    from tests.pdf_factory import make_pdf
    from tests.pki import KEY_PASSWORD, start_pki
    from tests.softhsm import MODULE, PINS, available, build

    reason = available()
    if reason:
        print(f"skipped: {reason}")
        return 0
    with tempfile.TemporaryDirectory(prefix="shomei-bench-tokens-") as tmp:
        root = Path(tmp)
        pki = start_pki(root / "pki")
        hsm = build(root / "softhsm", pki)
        os.environ["SOFTHSM2_CONF"] = str(hsm.conf)

        from signing.keys.pkcs11 import Pkcs11KeySource
        from signing.keys.pkcs12 import Pkcs12KeySource
        from signing.secrets import FixedSecret
        from signing.sign.request import Level, SignRequest
        from signing.sign.signer import sign_batch, sign_pdf

        src = make_pdf(root / "in.pdf", size_bytes=100 * 1024)
        outdir = root / "out"
        outdir.mkdir()
        sources = [
            ("PKCS#12 RSA-2048", Pkcs12KeySource(pki.p12_path("signer-rsa")), KEY_PASSWORD),
            ("PKCS#12 P-256", Pkcs12KeySource(pki.p12_path("signer-ec")), KEY_PASSWORD),
            ("SoftHSM2 RSA-2048", Pkcs11KeySource(MODULE, "Shomei RSA"), PINS["Shomei RSA"]),
            ("SoftHSM2 P-256", Pkcs11KeySource(MODULE, "Shomei EC"), PINS["Shomei EC"]),
        ]
        print(f"input {src.stat().st_size // 1024} KiB, B-B, invisible; batch of {args.n}")
        print(f"{'key':<20} {'1 doc (open+sign)':>18} {'batch per doc':>14} {'batch total':>12}"
              f" {'raw sign':>9}")  # fmt: skip
        for name, source, secret in sources:
            prompt = FixedSecret(secret)

            def request(i: int, source: object = source) -> SignRequest:
                return SignRequest(
                    input_path=src,
                    output_path=outdir / f"{i}.pdf",
                    key_source=source,  # type: ignore[arg-type]
                    level=Level.B_B,
                )

            sign_pdf(request(0), prompt)  # warm-up: imports, caches
            singles = []
            for i in range(args.single):
                t0 = time.perf_counter()
                sign_pdf(request(i), prompt)
                singles.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            outcomes = sign_batch([request(i) for i in range(args.n)], prompt)
            total = time.perf_counter() - t0
            failed = [o for o in outcomes if isinstance(o, Exception)]
            if failed:
                print(f"  {name}: {len(failed)} of {args.n} failed, first: {failed[0]}")
            with source.open(prompt) as signer:
                raws = []
                for _ in range(20):
                    t1 = time.perf_counter()
                    asyncio.run(signer.async_sign_raw(b"x" * 32, "sha256"))
                    raws.append(time.perf_counter() - t1)
            print(
                f"{name:<20} {statistics.median(singles) * 1000:>15.1f} ms"
                f" {total / args.n * 1000:>11.1f} ms {total:>10.2f} s"
                f" {statistics.median(raws) * 1000:>6.2f} ms"
            )
        pki.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
