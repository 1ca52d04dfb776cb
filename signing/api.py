"""The core's public API in one place: what the command line and the desktop
app call. Importing this module loads pyHanko, so callers that must start fast
(the GUI's first paint) import it from a worker, not at start-up.

Everything here is also importable from its own module; this list is the
promise of what stays stable.
"""

from __future__ import annotations

from .errors import ShomeiError, UserCancelled
from .extend import extend_pdf, timestamp_pdf
from .keys.base import CertificatePurpose, CertificateSummary, KeySource
from .keys.pkcs11 import find_modules, list_keys, list_tokens
from .keys.spec import key_source_from_spec
from .page_frames import PageFrame, list_page_frames
from .pdf_open import list_signature_fields
from .secrets import SecretKind, SecretPrompt, SecretRequest
from .sign_pdf import presign_warnings, sign_batch, sign_pdf
from .sign_request import (
    ExtendRequest,
    FieldPlacement,
    SignedResult,
    SignMode,
    SignRequest,
    TimestampRequest,
)
from .trust.anchors import AnchorOrigin, TrustAnchor
from .trust.config import TrustConfig
from .trust.eu import EuTrust
from .trust.jp_trust import JpTrust, trust_status
from .validation.engine import collect_pdfs, validate_many, validate_pdf
from .validation.model import FileResult, SignatureResult, Verdict
from .validation.options import ValidationOptions
from .validation.report_json import file_result_to_json, results_to_json
from .validation.report_readable import write_report
from .validation.report_xml import write_etsi_xml

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
