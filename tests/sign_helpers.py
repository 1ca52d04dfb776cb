"""Signing through Shomei's own ``sign_pdf`` with the test PKI's keys: the
one place that spells out the requests the signing, GUI and story tests use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.request import (
    ExtendRequest,
    FieldPlacement,
    Level,
    SignRequest,
    TimestampRequest,
)
from signing.sign.signer import sign_pdf
from tests.pki import KEY_PASSWORD, PKI


def pki_roots(pki: PKI) -> tuple[Path, ...]:
    """The test PKI's root as the only trust anchor."""
    return (pki.cert_pem_path("root"),)


def pki_request(
    pki: PKI, src: Path, out: Path, signer: str | Path = "signer-rsa", **fields: Any
) -> SignRequest:
    """``src`` into ``out`` with the PKCS#12 key of the PKI's ``signer`` (or
    the PKCS#12 file ``signer``); ``fields`` are the request's other fields."""
    key = Pkcs12KeySource(signer if isinstance(signer, Path) else pki.p12_path(signer))
    return SignRequest(input_path=src, output_path=out, key_source=key, **fields)


def extend_request(pki: PKI, src: Path, out: Path, level: Level, **fields: Any) -> ExtendRequest:
    """``src`` extended into ``out`` to ``level``, trusting the PKI's root
    unless ``fields`` say otherwise."""
    fields.setdefault("trust_roots", pki_roots(pki))
    return ExtendRequest(input_path=src, output_path=out, level=level, **fields)


def timestamp_request(pki: PKI, src: Path, out: Path) -> TimestampRequest:
    """A document timestamp on ``src`` into ``out`` by the PKI's TSA, with its root
    as the trust anchor."""
    return TimestampRequest(
        input_path=src, output_path=out, tsa_urls=(pki.tsa_url(),), trust_roots=pki_roots(pki)
    )


def tsa_failover_args(pki: PKI, dead: str) -> list[str]:
    """``shomei sign`` options for B-T with the dead server ``dead`` first, then
    the PKI's TSA."""
    return ["--level", "B-T", "--tsa", dead, "--tsa", pki.tsa_url()]


def sign_with_pki(
    pki: PKI, src: Path, out: Path, level: Level, placement: FieldPlacement | None = None
) -> Path:
    """``src`` signed into ``out`` by ``signer-rsa`` at ``level``, timestamped
    by the PKI's TSA, with its root as the trust anchor."""
    req = pki_request(
        pki,
        src,
        out,
        level=level,
        tsa_urls=(pki.tsa_url(),),
        trust_roots=pki_roots(pki),
        placement=placement or FieldPlacement(),
    )
    sign_pdf(req, FixedSecret(KEY_PASSWORD))
    return out
