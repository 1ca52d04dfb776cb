"""Signing through Shomei's own ``sign_pdf`` with the test PKI's RSA signer:
the one place that spells out the request the GUI and story tests sign with."""

from __future__ import annotations

from pathlib import Path

from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.request import FieldPlacement, Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.pki import KEY_PASSWORD, PKI


def sign_with_pki(
    pki: PKI, src: Path, out: Path, level: Level, placement: FieldPlacement | None = None
) -> Path:
    """``src`` signed into ``out`` by ``signer-rsa`` at ``level``, timestamped
    by the PKI's TSA, with its root as the trust anchor."""
    sign_pdf(
        SignRequest(
            input_path=src,
            output_path=out,
            key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
            level=level,
            tsa_urls=(pki.tsa_url(),),
            trust_roots=(pki.cert_pem_path("root"),),
            placement=placement or FieldPlacement(),
        ),
        FixedSecret(KEY_PASSWORD),
    )
    return out
