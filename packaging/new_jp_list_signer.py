#!/usr/bin/env python3
"""Make a new signing key for Shomei's Japanese trust list and its pinned certificate.

The key (ECDSA P-384, PKCS#8 PEM, encrypted when ``$SHOMEI_JP_TL_KEY_PASSWORD`` is set)
is written *outside the repository* with mode 0600; the certificate goes to
``resources/trust/jp/signers/`` so that the app pins it. Rotation: pin the new
certificate in a release before lists signed with it are published, and remove the old
one a release later (see resources/trust/jp/README.md).

Usage::

    python packaging/new_jp_list_signer.py --key /secure/jp-list-key/key.pem \\
        --name "Shomei Japanese Trust List Signer 2027" \\
        --cert resources/trust/jp/signers/shomei-jp-tl-signer-2027.pem
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

REPO = Path(__file__).resolve().parent.parent
#: ETSI TS 119 612 id-tsl-kp-tslSigning
TSL_SIGNING = ObjectIdentifier("0.4.0.2231.3.0")


def make_signer(name: str, years: int = 5) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP384R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Shomei project"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    start = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([TSL_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA384())
    )
    return key, cert


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--key", type=Path, required=True, help="where to write the key (outside the repo)"
    )
    p.add_argument("--cert", type=Path, required=True, help="where to write the certificate (PEM)")
    p.add_argument("--name", required=True, help="the certificate's common name")
    p.add_argument("--years", type=int, default=5)
    args = p.parse_args(argv)
    key_path = args.key.resolve()
    if REPO in key_path.parents:
        print("refusing: the key must not be written inside the repository", file=sys.stderr)
        return 2
    if key_path.exists():
        print(f"refusing: {key_path} exists", file=sys.stderr)
        return 2
    key, cert = make_signer(args.name, args.years)
    password = os.environ.get("SHOMEI_JP_TL_KEY_PASSWORD")
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
            )
        )
    args.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    digest = cert.fingerprint(hashes.SHA256()).hex()
    print(f"wrote {args.cert} (SHA-256 {digest}); key in {key_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
