"""How a validation is run: one frozen object, handed to the engine."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from signing.trust.anchors import TrustAnchor
from signing.trust.config import TrustConfig


class RevocationPolicy(enum.Enum):
    """What to do about revocation data for the signer's chain."""

    #: revocation data must be found (in the file or fetched) for every
    #: certificate of the chain; without it the verdict is INDETERMINATE
    REQUIRE = "require"
    #: do not check revocation at all (e.g. test material at a past time);
    #: the verdict then carries a warning and is never plain VALID
    SKIP = "skip"


@dataclass(frozen=True)
class ValidationOptions:
    """Settings for :func:`signing.validation.engine.validate_pdf`."""

    validation_time: datetime | None = None
    """The moment to validate at (timezone-aware); ``None`` means now."""

    offline: bool = False
    """Use only what the file carries: no OCSP, CRL or certificate fetching."""

    trust_anchors: tuple[TrustAnchor, ...] = ()
    """Trust anchors from the trust layers (EU lists, Japanese list, user)."""

    user_trust_files: tuple[Path, ...] = ()
    """PEM or DER files with extra trust anchors (``--trust``)."""

    extra_certs: tuple[bytes, ...] = ()
    """DER certificates that may help build chains (never trusted by themselves)."""

    revocation_policy: RevocationPolicy = RevocationPolicy.REQUIRE
    """No silent soft-fail: the default requires revocation data."""

    timeout_s: float = 10.0
    """Timeout of each network fetch (OCSP, CRL, certificates)."""

    fetch_certificates: bool = False
    """Follow AIA caIssuers URLs found in the file (off: the URLs come from
    whoever made the file)."""

    max_file_bytes: int = 2 * 1024**3
    """Files larger than this are not opened."""

    max_file_seconds: float = 120.0
    """Validation of a file stops after this long (a forged file can make
    each signature wait out the network timeouts, or be slow to parse): the
    deadline is checked between signatures and inside one, while pyHanko
    parses, compares revisions and builds certificate paths
    (:mod:`signing.pdf.limits`). What is left stays unvalidated and the file
    is INDETERMINATE, saying so (``time-limit-reached``)."""

    max_signatures: int = 100
    """At most this many signatures and document timestamps of one file are
    validated (each takes tens of milliseconds; a forged file can hold
    thousands). A file with more is INDETERMINATE, saying so."""

    etsi_xml: bool = True
    """Produce the ETSI TS 119 102-2 XML report alongside the result."""

    file_sha256: bool = True
    """Compute the file's SHA-256 for the reports (a second hash over every
    byte of a large file; off when nothing shows it)."""

    pdf_password: str | None = field(default=None, repr=False)
    """The user password of encrypted files (``validate --pdf-password-file``);
    files encrypted with an empty user password need none. Never shown."""

    trust: TrustConfig | None = None
    """The trust layers (EU lists, Japanese list, user files), loaded once per
    process and worker, which also fill the EU and Japanese columns of every
    signature. ``None``: only ``trust_anchors`` and ``user_trust_files``, and
    both columns stay unfilled."""
