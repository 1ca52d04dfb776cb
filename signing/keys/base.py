"""The key-source interface the signing pipeline depends on."""

from __future__ import annotations

import enum
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from ..secrets import SecretPrompt

if TYPE_CHECKING:
    from pyhanko.sign.signers.pdf_cms import Signer


class CertificatePurpose(enum.Enum):
    """What a certificate says it is for (from QcStatements / key usage)."""

    SIGN = "sign"  # natural person, QcType esign
    SEAL = "seal"  # legal person, QcType eseal
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CertificateSummary:
    """Plain facts about a certificate, safe to hand to the GUI."""

    subject: str
    issuer: str
    serial_hex: str
    not_before: datetime
    not_after: datetime
    sha256_hex: str
    key_usage: tuple[str, ...] = ()
    qualified: bool = False  # has the QC compliance statement
    qscd: bool = False
    purpose: CertificatePurpose = CertificatePurpose.UNKNOWN
    organisation: str | None = None
    country: str | None = None


class KeySource(Protocol):
    """Something that can produce a pyHanko signer for one or more signatures.

    ``open`` returns a context manager: the key stays unlocked (token session,
    parsed private key) only inside it, so a batch can sign many documents
    with one PIN entry and nothing outlives the batch.
    """

    def describe(self) -> str:
        """Short human description, e.g. 'PKCS#12 file alice.p12'."""
        ...

    def open(self, prompt: SecretPrompt) -> AbstractContextManager[Signer]: ...
