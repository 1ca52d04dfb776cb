"""The core's public API in one place: what the command line and the desktop
app call. Importing this module loads pyHanko, so callers that must start fast
(the GUI's first paint) import it from a worker, not at start-up.

Everything here is also importable from its own module; this list is the
promise of what stays stable.
"""

from __future__ import annotations

from signing.appearance.page_frames import PageFrame, list_page_frames
from signing.certs.summary import CertificatePurpose, CertificateSummary
from signing.errors import ShomeiError, UserCancelled
from signing.keys.base import KeySource
from signing.keys.pkcs11 import find_modules, list_keys, list_tokens
from signing.keys.spec import key_source_from_spec
from signing.model.results import FileResult, SignatureResult, Verdict
from signing.pdf.document import list_signature_fields
from signing.reports.json_report import file_result_to_json, results_to_json
from signing.reports.readable import write_report
from signing.reports.xml_report import write_etsi_xml
from signing.secrets import SecretKind, SecretPrompt, SecretRequest
from signing.sign.extend import extend_pdf, timestamp_pdf
from signing.sign.request import (
    ExtendRequest,
    FieldPlacement,
    SignedResult,
    SignMode,
    SignRequest,
    TimestampRequest,
)
from signing.sign.signer import presign_warnings, sign_batch, sign_pdf
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.trust.config import TrustConfig
from signing.trust.eu import EuTrust
from signing.trust.jp_trust import JpTrust, trust_status
from signing.validation.engine import collect_pdfs, validate_many, validate_pdf
from signing.validation.options import ValidationOptions

__all__ = [
    "AnchorOrigin",
    "CertificatePurpose",
    "CertificateSummary",
    "EuTrust",
    "ExtendRequest",
    "FieldPlacement",
    "FileResult",
    "JpTrust",
    "KeySource",
    "PageFrame",
    "SecretKind",
    "SecretPrompt",
    "SecretRequest",
    "ShomeiError",
    "SignMode",
    "SignRequest",
    "SignatureResult",
    "SignedResult",
    "TimestampRequest",
    "TrustAnchor",
    "TrustConfig",
    "UserCancelled",
    "ValidationOptions",
    "Verdict",
    "collect_pdfs",
    "extend_pdf",
    "file_result_to_json",
    "find_modules",
    "key_source_from_spec",
    "list_keys",
    "list_page_frames",
    "list_signature_fields",
    "list_tokens",
    "presign_warnings",
    "results_to_json",
    "sign_batch",
    "sign_pdf",
    "timestamp_pdf",
    "trust_status",
    "validate_many",
    "validate_pdf",
    "write_etsi_xml",
    "write_report",
]
