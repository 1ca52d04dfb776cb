"""What the signing core is asked to do, and what it answers.

Plain frozen values: the CLI and the GUI fill a request from their own state
and hand it to :func:`signing.sign.signer.sign_pdf` (or its siblings); nothing
here touches pyHanko.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from signing.model.results import Level, Reason

if TYPE_CHECKING:  # (annotations only: ``shomei --help`` imports this module)
    from signing.appearance.stamp import AppearanceSpec
    from signing.certs.summary import CertificateSummary
    from signing.keys.base import KeySource

__all__ = [
    "SIGNING_LEVELS",
    "CertifyLevel",
    "ExtendRequest",
    "FieldPlacement",
    "Level",
    "SignMode",
    "SignRequest",
    "SignedResult",
    "TimestampRequest",
    "default_level",
    "parse_level",
]

MM_TO_PT = 72.0 / 25.4

#: the levels a signature can be produced at, lowest first
SIGNING_LEVELS = (Level.B_B, Level.B_T, Level.B_LT, Level.B_LTA)


class SignMode(enum.Enum):
    """A natural person signs; an organisation seals."""

    SIGN = "sign"
    SEAL = "seal"


class CertifyLevel(enum.Enum):
    """DocMDP permission of a certification signature."""

    NO_CHANGES = "no-changes"
    FORM_FILLING = "form-filling"
    ANNOTATIONS = "annotations"  # form filling and annotations


def parse_level(text: str) -> Level:
    """``"B-LT"`` (any case, with or without the dash) to :class:`Level`."""
    norm = text.strip().upper().replace("_", "-")
    if not norm.startswith("B-"):
        norm = "B-" + norm.removeprefix("B")
    for level in SIGNING_LEVELS:
        if level.value == norm:
            return level
    raise ValueError(f"Unknown PAdES level {text!r}; use B-B, B-T, B-LT or B-LTA.")


def default_level(tsa_urls: tuple[str, ...]) -> Level:
    """B-LT when a time-stamping server is configured, else B-B."""
    return Level.B_LT if tsa_urls else Level.B_B


@dataclass(frozen=True)
class FieldPlacement:
    """Where the signature goes.

    Exactly one of: an existing field (``field_name`` without ``box``), a new
    visible field (``box`` on ``page``), or a new invisible field (neither).
    ``field_name`` together with ``box`` names the new visible field.
    """

    #: 1-based page number for a new visible field
    page: int = 1
    #: (x1, y1, x2, y2) in ``unit``: in the page's user space (before
    #: /Rotate), or, with ``as_shown``, on the page as a viewer shows it
    #: (cropped and turned; from its lower-left corner)
    box: tuple[float, float, float, float] | None = None
    unit: str = "pt"  # "pt" or "mm"
    field_name: str | None = None
    #: the box was drawn on the page as shown: the signer converts it with
    #: the frame of the very file it signs (:mod:`signing.appearance.page_frames`)
    as_shown: bool = False

    @property
    def visible(self) -> bool:
        return self.box is not None

    def box_in_points(self) -> tuple[float, float, float, float] | None:
        if self.box is None:
            return None
        if self.unit == "pt":
            return self.box
        if self.unit == "mm":
            x1, y1, x2, y2 = self.box
            return (x1 * MM_TO_PT, y1 * MM_TO_PT, x2 * MM_TO_PT, y2 * MM_TO_PT)
        raise ValueError(f"Unknown unit {self.unit!r}; use 'pt' or 'mm'.")

    @classmethod
    def invisible(cls) -> FieldPlacement:
        return cls()

    @classmethod
    def existing(cls, name: str) -> FieldPlacement:
        return cls(field_name=name)


@dataclass(frozen=True)
class SignRequest:
    """One signature or seal to add to one document."""

    #: the document to sign; never modified
    input_path: Path
    #: where the signed copy goes; must differ from ``input_path``
    output_path: Path
    #: where the key lives (PKCS#12, token, remote)
    key_source: KeySource
    mode: SignMode = SignMode.SIGN
    #: ``None``: B-LT when ``tsa_urls`` is set, else B-B
    level: Level | None = None
    #: time-stamping servers, tried in order until one answers
    tsa_urls: tuple[str, ...] = ()
    #: seconds to wait for each time-stamping server
    tsa_timeout: float = 10.0
    #: PEM or DER files of trust anchors used to validate the chain for B-LT
    trust_roots: tuple[Path, ...] = ()
    placement: FieldPlacement = FieldPlacement()
    reason: str | None = None
    location: str | None = None
    contact: str | None = None
    #: make a certification (DocMDP) signature with this permission level
    certify: CertifyLevel | None = None
    #: styling of a visible signature; ``None``: the default for the mode
    appearance: AppearanceSpec | None = None

    @property
    def effective_level(self) -> Level:
        return self.level if self.level is not None else default_level(self.tsa_urls)


@dataclass(frozen=True)
class TimestampRequest:
    """Add a document timestamp (PAdES document time-stamp) only."""

    input_path: Path
    output_path: Path
    tsa_urls: tuple[str, ...]
    tsa_timeout: float = 10.0
    #: when set, validation data for the TSA chain is embedded first (needs trust)
    trust_roots: tuple[Path, ...] = ()


@dataclass(frozen=True)
class ExtendRequest:
    """Bring a signed document to B-LT or B-LTA, or renew its archive
    timestamp chain (``level`` B-LTA on a document that already has one)."""

    input_path: Path
    output_path: Path
    level: Level = Level.B_LTA
    tsa_urls: tuple[str, ...] = ()
    tsa_timeout: float = 10.0
    trust_roots: tuple[Path, ...] = ()


@dataclass(frozen=True)
class SignedResult:
    """What was written."""

    output_path: Path
    size: int
    #: the new signature's (or document timestamp's) field name
    field_name: str
    level: Level
    #: what the user should know about the result, each with a stable
    #: ``code`` (front ends de-duplicate and translate by it) and English and
    #: Japanese text; the pre-signing warnings of the key are among them
    notices: tuple[Reason, ...] = ()
    signer: CertificateSummary | None = None
    #: seconds spent per phase, e.g. {"open": .., "sign": .., "verify": ..}
    timings: tuple[tuple[str, float], ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices' English text."""
        return tuple(n.en for n in self.notices)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict (``--json``)."""
        signer = None
        if self.signer is not None:
            s = self.signer
            signer = {
                "subject": s.subject,
                "issuer": s.issuer,
                "serial": s.serial_hex,
                "not_before": s.not_before.isoformat(),
                "not_after": s.not_after.isoformat(),
                "sha256": s.sha256_hex,
                "purpose": s.purpose.value,
                "qualified": s.qualified,
                "qscd": s.qscd,
                "organisation": s.organisation,
            }
        return {
            "ok": True,
            "output": str(self.output_path),
            "size": self.size,
            "field": self.field_name,
            "level": self.level.value,
            "warnings": list(self.warnings),
            # the same with their codes and Japanese (the app's and --lang ja's words)
            "notices": [{"code": n.code, "en": n.en, "ja": n.ja} for n in self.notices],
            "signer": signer,
            "timings": {k: round(v, 4) for k, v in self.timings},
        }
