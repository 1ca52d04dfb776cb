"""Cost of the Japanese trust layer, in-process.

Prints: loading the bundled Japanese list (XAdES verification against the pinned
signer, then parsing), and one ``japanese_assessment`` call for a signer two levels under a
listed anchor (chain built by signature over every certificate of the list), which is
the per-signature cost added to a validation.

    .venv/bin/python benchmarks/bench_jp_trust.py [--rounds N]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import sys
import time
import warnings
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from signing.trust.jp_list import (
    AnchorRole,
    CertUse,
    JpService,
    LegalBasis,
    RevocationAccess,
    load_bundled_jp_trust_list,
)
from signing.trust.jp_status import japanese_assessment

warnings.simplefilter("ignore")  # historical CA certificates with negative serials


def _cert(subject: str, issuer_key: object, key: object, issuer: str, ca: bool) -> bytes:
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())  # type: ignore[attr-defined]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return cert.public_bytes(serialization.Encoding.DER)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=200)
    args = p.parse_args()

    times = []
    for _ in range(5):
        t = time.perf_counter()
        jp = load_bundled_jp_trust_list()
        times.append(time.perf_counter() - t)
    n_certs = sum(len(s.certificates) for s in jp.services)
    print(
        f"load bundled list ({len(jp.services)} services, {n_certs} certs): "
        f"median {statistics.median(times) * 1000:.1f} ms"
    )

    root_key, ca_key, ee_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _cert("Bench Root", root_key, root_key, "Bench Root", True)
    ca = _cert("Bench CA", root_key, ca_key, "Bench Root", True)
    ee = _cert("Bench Signer", ca_key, ee_key, "Bench CA", False)
    bench = JpService(
        service_id="bench",
        name_en="Bench accredited CA",
        name_ja="Bench",
        tsp_name="Bench",
        legal_basis=LegalBasis.ACCREDITED_CA,
        role=AnchorRole.ANCHOR,
        use=CertUse.SIGNATURE,
        revocation=RevocationAccess.PUBLIC,
        certificates=(root,),
    )
    jp = dataclasses.replace(jp, services=(*jp.services, bench))
    at = dt.datetime.now(dt.UTC)
    times = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        status, _, _ = japanese_assessment(
            ee, [ca], at=at, jp=jp, has_revocation_data=True, has_archive_timestamp=False
        )
        times.append(time.perf_counter() - t)
    assert status.code == "accredited-ca"
    print(
        f"japanese_assessment, signer 2 levels under an anchor: median "
        f"{statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms "
        f"over {args.rounds} rounds"
    )


if __name__ == "__main__":
    main()
