"""What a validation returns: small ordered enums plus immutable detail objects.

This module is the contract between the validation engine, the reports
(JSON / ETSI XML / readable), the trust layers (EU qualification, Japanese
status) and the GUI. Keep it free of pyHanko types: everything here is plain
data that pickles across a process pool.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Verdict(enum.IntEnum):
    """The one verdict for people. Ordered: ``max()`` gives the worst."""

    VALID = 0
    VALID_WITH_WARNINGS = 1
    INDETERMINATE = 2
    INVALID = 3

    @property
    def colour(self) -> str:
        return {0: "green", 1: "amber", 2: "amber", 3: "red"}[self.value]


class Indication(enum.Enum):
    """ETSI EN 319 102-1 main indication."""

    TOTAL_PASSED = "TOTAL-PASSED"
    INDETERMINATE = "INDETERMINATE"
    TOTAL_FAILED = "TOTAL-FAILED"


class Level(enum.Enum):
    """PAdES baseline level reached (NONE: not a PAdES baseline signature,
    e.g. adbe.pkcs7.detached)."""

    NONE = "none"
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


class EntryKind(enum.Enum):
    SIGNATURE = "signature"
    DOCUMENT_TIMESTAMP = "document-timestamp"


class SignerKind(enum.Enum):
    NATURAL_PERSON = "natural-person"  # a signature
    LEGAL_PERSON = "legal-person"  # a seal
    UNKNOWN = "unknown"


class RevocationSource(enum.Enum):
    EMBEDDED = "embedded"  # in the file (DSS / CMS revocation values)
    FETCHED_OCSP = "fetched-ocsp"
    FETCHED_CRL = "fetched-crl"
    NOT_AVAILABLE = "not-available"
    NOT_NEEDED = "not-needed"  # trust anchor


class RevocationStatus(enum.Enum):
    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"
    NOT_CHECKED = "not-checked"


class RevocationReason(enum.Enum):
    """Why a certificate was revoked (RFC 5280 CRLReason, its ASN.1 names)."""

    UNSPECIFIED = "unspecified"
    KEY_COMPROMISE = "keyCompromise"
    CA_COMPROMISE = "cACompromise"
    AFFILIATION_CHANGED = "affiliationChanged"
    SUPERSEDED = "superseded"
    CESSATION_OF_OPERATION = "cessationOfOperation"
    CERTIFICATE_HOLD = "certificateHold"
    REMOVE_FROM_CRL = "removeFromCRL"
    PRIVILEGE_WITHDRAWN = "privilegeWithdrawn"
    AA_COMPROMISE = "aACompromise"

    @classmethod
    def from_native(cls, name: object) -> RevocationReason | None:
        """The reason for asn1crypto's name of it (``"key_compromise"``);
        None when absent or not one of RFC 5280's."""
        if not isinstance(name, str):
            return None
        # the ASN.1 names without case or underscores: "key_compromise" is keyCompromise
        folded = name.replace("_", "").lower()
        return next((r for r in cls if r.value.lower() == folded), None)


class ChangeKind(enum.Enum):
    """What changed after a signature (pyHanko difference analysis)."""

    NONE = "none"
    LTA_UPDATES = "lta-updates"  # DSS / document timestamps only
    FORM_FILLING = "form-filling"
    ANNOTATIONS = "annotations"
    OTHER = "other"  # not allowed / unclassified


class Qualification(enum.Enum):
    """EU signature qualification (ETSI TS 119 615 / EU DSS categories)."""

    QESIG = "QESig"
    QESEAL = "QESeal"
    ADESIG_QC = "AdESig-QC"
    ADESEAL_QC = "AdESeal-QC"
    ADESIG = "AdESig"
    ADESEAL = "AdESeal"
    QTST = "QTST"  # qualified electronic timestamp
    TST = "TST"  # timestamp, not qualified
    #: no EU trusted list names any certificate of the chain (EU DSS: "N/A, the
    #: certificate is not related to a trusted list"): no EU status at all
    NOT_EU_LISTED = "not-eu-listed"
    NOT_QUALIFIED = "not-qualified"
    INDETERMINATE = "indeterminate"
    NOT_ASSESSED = "not-assessed"  # EU trust not loaded / not applicable


@dataclass(frozen=True)
class Reason:
    """One structured reason behind a verdict.

    ``code`` is stable (scripts and translations key on it); ``en`` and
    ``ja`` are sentences built from the fields, for people.
    """

    code: str
    en: str
    ja: str
    #: how much it weighs on the verdict
    severity: Verdict = Verdict.VALID_WITH_WARNINGS
    #: the raw cause (a library's exception text...) for logs, ``--verbose``
    #: and a collapsed "technical detail": never part of ``en`` / ``ja``
    technical: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    issuer: str
    serial_hex: str
    not_before: datetime
    not_after: datetime
    sha256_hex: str
    common_name: str | None = None
    organisation: str | None = None
    country: str | None = None
    key_algorithm: str | None = None  # e.g. "RSA-2048", "ECDSA P-256"
    #: where the anchor came from when this is a trust anchor: "eu-tl:BE",
    #: "jp-tl", "user", "test"...
    trust_source: str | None = None
    #: the certificate itself (DER), for the certificate viewer's details and
    #: export; empty when the result was read back from a JSON report (which
    #: does not carry it), and never part of equality
    der: bytes = field(default=b"", compare=False, repr=False)


@dataclass(frozen=True)
class ListedService:
    """The EU trusted-list entry a certificate's EU status was read from: the
    service that issued it (or, for a TSA, the listed unit itself)."""

    #: the list's territory ("BE", "JP" under a mutual recognition agreement)
    territory: str
    #: the trust service provider and the service, as the list names them
    provider: str
    service: str
    #: the service's status at ``at`` ("granted", "withdrawn", ...); ``None``
    #: when the service had no status period then
    status: str | None
    #: the moment the status was read at (the best signature time)
    at: datetime


@dataclass(frozen=True)
class ChainElement:
    certificate: CertificateInfo
    revocation_status: RevocationStatus = RevocationStatus.NOT_CHECKED
    revocation_source: RevocationSource = RevocationSource.NOT_AVAILABLE
    revocation_time: datetime | None = None
    is_trust_anchor: bool = False
    #: why it was revoked, when the responder or the CRL said so
    revocation_reason: RevocationReason | None = None


@dataclass(frozen=True)
class TimestampInfo:
    """A signature timestamp or a document timestamp's token."""

    time: datetime
    tsa: CertificateInfo | None
    intact: bool
    trusted: bool
    indication: Indication | None = None
    subindication: str | None = None
    qualification: Qualification = Qualification.NOT_ASSESSED
    #: the EU trusted-list entry of the TSA (``None``: no EU list names it)
    eu_service: ListedService | None = None
    #: the TSA's validated path, its certificate first and the anchor last
    #: (for the certificate viewer; empty when no path was built or when read
    #: back from a JSON report, which does not carry it; never part of equality)
    chain: tuple[CertificateInfo, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class ModificationInfo:
    covers_whole_file: bool
    modified_after_signing: bool
    change_kind: ChangeKind = ChangeKind.NONE
    #: allowed by the certification (DocMDP) signature or the PAdES rules
    changes_permitted: bool = True
    #: the signed revision's length in bytes, and the file's
    signed_bytes: int = 0
    file_bytes: int = 0
    docmdp_level: str | None = None  # certification: "no-changes", "form-filling", ...


@dataclass(frozen=True)
class JapaneseStatus:
    """The Japanese column, never merged into the EU one."""

    code: str  # "jpki-signature", "accredited-ca", "commercial-registration",
    # "gpki", "lgpki", "accredited-tsa", "not-a-japanese-anchor", ...
    en: str
    ja: str
    long_term_profile: bool = False  # ISO 14533-3 (archive timestamp over VD)


@dataclass(frozen=True)
class TrustPath:
    """The certificates, from the signer up, on which one trust column (EU or
    Japanese) decided its status: what a reader needs to see where a status
    came from."""

    #: the signer's (or the TSA's) certificate first
    certificates: tuple[CertificateInfo, ...] = ()
    #: the column's anchor the path ends at ("eu-tl:BE", "jp-tl:SECOM RSA Root
    #: CA 2023"); ``None`` when it reaches none of the column's anchors
    anchor: str | None = None
    #: the path stops short: the issuer name that no certificate at hand
    #: (file, validation, the column's list) matches
    missing_issuer: str | None = None


@dataclass(frozen=True)
class SignatureResult:
    """Everything known about one signature or document timestamp."""

    kind: EntryKind
    field_name: str
    verdict: Verdict
    indication: Indication
    subindication: str | None
    level: Level
    reasons: tuple[Reason, ...] = ()
    # who
    signer: CertificateInfo | None = None
    signer_kind: SignerKind = SignerKind.UNKNOWN
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    subfilter: str | None = None
    # when
    claimed_time: datetime | None = None
    signature_timestamp: TimestampInfo | None = None
    best_time: datetime | None = None
    # chain and integrity
    chain: tuple[ChainElement, ...] = ()
    intact: bool = False
    modification: ModificationInfo | None = None
    # metadata the signer wrote
    reason: str | None = None
    location: str | None = None
    contact: str | None = None
    # trust layers
    eu_qualification: Qualification = Qualification.NOT_ASSESSED
    eu_reasons: tuple[Reason, ...] = ()
    #: the EU trusted-list entry over the signer's certificate (``None``: no
    #: EU list names its chain, or the EU column was not assessed)
    eu_service: ListedService | None = None
    jp_status: JapaneseStatus | None = None
    #: the paths each column decided on (``None``: the column was not assessed)
    eu_path: TrustPath | None = None
    jp_path: TrustPath | None = None
    #: document timestamps covering this signature (later archive timestamps)
    covering_timestamps: tuple[TimestampInfo, ...] = ()


@dataclass(frozen=True)
class FileResult:
    """One validated file."""

    path: str
    verdict: Verdict
    signatures: tuple[SignatureResult, ...] = ()
    #: set when the file could not be validated at all (not a PDF, ...)
    error: Reason | None = None
    modified_after_last_signature: bool = False
    validation_time: datetime | None = None
    #: ``validation_time`` is a moment the caller chose (``--at``, the app's
    #: Settings › Validation), not the time the validation ran
    validation_time_chosen: bool = False
    sha256_hex: str | None = None
    file_bytes: int = 0
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    #: ETSI TS 119 102-2 validation report (XML) from the same validation pass
    etsi_report_xml: str | None = None

    @property
    def signature_count(self) -> int:
        return sum(1 for s in self.signatures if s.kind is EntryKind.SIGNATURE)
