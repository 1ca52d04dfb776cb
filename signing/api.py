"""The core's one door: everything the command line (:mod:`signing.cli`) and
the desktop app (:mod:`desktop`) call. Neither imports any other core module
except :mod:`signing.errors` and the plain types of :mod:`signing.model`
(tests/test_architecture.py holds them to it).

Names load on first use (PEP 562), so ``from signing.api import Verdict`` in
the GUI's first paint does not pull in pyHanko: only a call that does real
work (sign, validate, fetch a list) loads it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from signing.appearance.page_frames import (
        PageFrame as PageFrame,
    )
    from signing.appearance.page_frames import (
        list_page_frames as list_page_frames,
    )
    from signing.appearance.stamp import AppearanceSpec as AppearanceSpec
    from signing.certs.summary import (
        CertificatePurpose as CertificatePurpose,
    )
    from signing.certs.summary import (
        CertificateSummary as CertificateSummary,
    )
    from signing.errors import ShomeiError as ShomeiError
    from signing.errors import UserCancelled as UserCancelled
    from signing.keys.base import KeySource as KeySource
    from signing.keys.pkcs11 import (
        find_modules as find_modules,
    )
    from signing.keys.pkcs11 import (
        list_keys as list_keys,
    )
    from signing.keys.pkcs11 import (
        list_tokens as list_tokens,
    )
    from signing.keys.spec import key_source_from_spec as key_source_from_spec
    from signing.model.labels import word as word
    from signing.model.results import (
        FileResult as FileResult,
    )
    from signing.model.results import (
        SignatureResult as SignatureResult,
    )
    from signing.model.results import (
        Verdict as Verdict,
    )
    from signing.pdf.document import list_signature_fields as list_signature_fields
    from signing.reports.columns_text import columns_text as columns_text
    from signing.reports.json_report import (
        file_result_to_json as file_result_to_json,
    )
    from signing.reports.json_report import (
        results_to_json as results_to_json,
    )
    from signing.reports.readable import write_report as write_report
    from signing.reports.xml_report import write_etsi_xml as write_etsi_xml
    from signing.resources import resources_dir as resources_dir
    from signing.secrets import (
        PinState as PinState,
    )
    from signing.secrets import (
        SecretKind as SecretKind,
    )
    from signing.secrets import (
        SecretPrompt as SecretPrompt,
    )
    from signing.secrets import (
        SecretRequest as SecretRequest,
    )
    from signing.sign.atomic_write import (
        atomic_write as atomic_write,
    )
    from signing.sign.atomic_write import (
        check_output_path as check_output_path,
    )
    from signing.sign.atomic_write import (
        check_regular_target as check_regular_target,
    )
    from signing.sign.atomic_write import (
        remove_live_temp_files as remove_live_temp_files,
    )
    from signing.sign.extend import extend_pdf as extend_pdf
    from signing.sign.extend import timestamp_pdf as timestamp_pdf
    from signing.sign.request import (
        SIGNING_LEVELS as SIGNING_LEVELS,
    )
    from signing.sign.request import (
        CertifyLevel as CertifyLevel,
    )
    from signing.sign.request import (
        ExtendRequest as ExtendRequest,
    )
    from signing.sign.request import (
        FieldPlacement as FieldPlacement,
    )
    from signing.sign.request import (
        Level as Level,
    )
    from signing.sign.request import (
        SignedResult as SignedResult,
    )
    from signing.sign.request import (
        SignMode as SignMode,
    )
    from signing.sign.request import (
        SignRequest as SignRequest,
    )
    from signing.sign.request import (
        TimestampRequest as TimestampRequest,
    )
    from signing.sign.request import (
        parse_level as parse_level,
    )
    from signing.sign.signer import (
        open_session as open_session,
    )
    from signing.sign.signer import (
        precheck as precheck,
    )
    from signing.sign.signer import (
        presign_warnings as presign_warnings,
    )
    from signing.sign.signer import (
        sign_batch as sign_batch,
    )
    from signing.sign.signer import (
        sign_pdf as sign_pdf,
    )
    from signing.sign.signer import (
        sign_with_session as sign_with_session,
    )
    from signing.sign.tsa import timestamp_digest as timestamp_digest
    from signing.thirdparty_internals import keep_none_alive as keep_none_alive
    from signing.trust.anchors import AnchorOrigin as AnchorOrigin
    from signing.trust.anchors import TrustAnchor as TrustAnchor
    from signing.trust.config import TrustConfig as TrustConfig
    from signing.trust.environment import forget_environments as forget_environments
    from signing.trust.eu import (
        EuTrust as EuTrust,
    )
    from signing.trust.eu import (
        EuTrustConfig as EuTrustConfig,
    )
    from signing.trust.eu import (
        UpdateReport as UpdateReport,
    )
    from signing.trust.eu import (
        load_pem_certs as load_pem_certs,
    )
    from signing.trust.eu import (
        utcnow as utcnow,
    )
    from signing.trust.jp_trust import (
        JpTrust as JpTrust,
    )
    from signing.trust.jp_trust import (
        JpTrustConfig as JpTrustConfig,
    )
    from signing.trust.status import Freshness as Freshness
    from signing.trust.status import ListStatus as ListStatus
    from signing.trust.status import TrustStatus as TrustStatus
    from signing.trust.status import trust_status as trust_status
    from signing.trust.tl_import import import_lists as import_lists
    from signing.validation.context import prepared as prepared
    from signing.validation.engine import (
        collect_pdfs as collect_pdfs,
    )
    from signing.validation.engine import (
        validate_many as validate_many,
    )
    from signing.validation.engine import (
        validate_pdf as validate_pdf,
    )
    from signing.validation.options import ValidationOptions as ValidationOptions
    from signing.validation.story import (
        EntryStory as EntryStory,
    )
    from signing.validation.story import (
        FileStory as FileStory,
    )
    from signing.validation.story import (
        TrustListState as TrustListState,
    )
    from signing.validation.story import (
        current_trust_lists as current_trust_lists,
    )
    from signing.validation.story import (
        entry_story as entry_story,
    )
    from signing.validation.story import (
        file_story as file_story,
    )
    from signing.validation.story import (
        text as text,
    )
    from signing.validation.story import (
        trust_list_state as trust_list_state,
    )

if TYPE_CHECKING:  # the desktop's needs (#13), kept apart so that isort leaves them here
    from signing.keys.pkcs11 import SigningKeyOffer as SigningKeyOffer
    from signing.keys.pkcs11 import list_signing_keys as list_signing_keys
    from signing.trust.tl_errors import (
        TrustListUnreachableError as TrustListUnreachableError,
    )
    from signing.trust.tl_fetch import FetchSettings as FetchSettings

if TYPE_CHECKING:  # the sign screen's box and preview (#18)
    from signing.appearance.legibility import TEXT_FLOOR_PT as TEXT_FLOOR_PT
    from signing.appearance.legibility import TEXT_WARN_PT as TEXT_WARN_PT
    from signing.appearance.legibility import Legibility as Legibility
    from signing.appearance.legibility import legibility as legibility
    from signing.appearance.preview import StampPreview as StampPreview
    from signing.appearance.preview import stamp_preview as stamp_preview


if TYPE_CHECKING:  # the certificate viewer's needs (#18)
    from signing.certs.details import (
        CertificateDetails as CertificateDetails,
    )
    from signing.certs.details import (
        CertificatePolicy as CertificatePolicy,
    )
    from signing.certs.details import (
        certificate_details as certificate_details,
    )
    from signing.certs.details import (
        certificate_pem as certificate_pem,
    )


if TYPE_CHECKING:  # the verdict screen's viewer (#18)
    from signing.validation.shown_stamps import with_signature_stamps as with_signature_stamps
    from signing.validation.signed_revision import signed_revision as signed_revision

#: public name -> the module that defines it (one line per name, so that a
#: front end's need is one line here; tests/test_api.py checks that the
#: table and the TYPE_CHECKING imports above name the same things)
_EXPORTS: dict[str, str] = {
    "PageFrame": "signing.appearance.page_frames",
    "list_page_frames": "signing.appearance.page_frames",
    "AppearanceSpec": "signing.appearance.stamp",
    "CertificatePurpose": "signing.certs.summary",
    "CertificateSummary": "signing.certs.summary",
    "ShomeiError": "signing.errors",
    "UserCancelled": "signing.errors",
    "KeySource": "signing.keys.base",
    "find_modules": "signing.keys.pkcs11",
    "list_keys": "signing.keys.pkcs11",
    "list_tokens": "signing.keys.pkcs11",
    "key_source_from_spec": "signing.keys.spec",
    "word": "signing.model.labels",
    "FileResult": "signing.model.results",
    "SignatureResult": "signing.model.results",
    "Verdict": "signing.model.results",
    "list_signature_fields": "signing.pdf.document",
    "columns_text": "signing.reports.columns_text",
    "file_result_to_json": "signing.reports.json_report",
    "results_to_json": "signing.reports.json_report",
    "write_report": "signing.reports.readable",
    "write_etsi_xml": "signing.reports.xml_report",
    "resources_dir": "signing.resources",
    "PinState": "signing.secrets",
    "SecretKind": "signing.secrets",
    "SecretPrompt": "signing.secrets",
    "SecretRequest": "signing.secrets",
    "atomic_write": "signing.sign.atomic_write",
    "check_output_path": "signing.sign.atomic_write",
    "check_regular_target": "signing.sign.atomic_write",
    "remove_live_temp_files": "signing.sign.atomic_write",
    "extend_pdf": "signing.sign.extend",
    "timestamp_pdf": "signing.sign.extend",
    "SIGNING_LEVELS": "signing.sign.request",
    "CertifyLevel": "signing.sign.request",
    "ExtendRequest": "signing.sign.request",
    "FieldPlacement": "signing.sign.request",
    "Level": "signing.sign.request",
    "SignedResult": "signing.sign.request",
    "SignMode": "signing.sign.request",
    "SignRequest": "signing.sign.request",
    "TimestampRequest": "signing.sign.request",
    "parse_level": "signing.sign.request",
    "open_session": "signing.sign.signer",
    "precheck": "signing.sign.signer",
    "presign_warnings": "signing.sign.signer",
    "sign_batch": "signing.sign.signer",
    "sign_pdf": "signing.sign.signer",
    "sign_with_session": "signing.sign.signer",
    "timestamp_digest": "signing.sign.tsa",
    "keep_none_alive": "signing.thirdparty_internals",
    "AnchorOrigin": "signing.trust.anchors",
    "TrustAnchor": "signing.trust.anchors",
    "TrustConfig": "signing.trust.config",
    "forget_environments": "signing.trust.environment",
    "EuTrust": "signing.trust.eu",
    "EuTrustConfig": "signing.trust.eu",
    "UpdateReport": "signing.trust.eu",
    "load_pem_certs": "signing.trust.eu",
    "utcnow": "signing.trust.eu",
    "JpTrust": "signing.trust.jp_trust",
    "JpTrustConfig": "signing.trust.jp_trust",
    "Freshness": "signing.trust.status",
    "ListStatus": "signing.trust.status",
    "TrustStatus": "signing.trust.status",
    "trust_status": "signing.trust.status",
    "import_lists": "signing.trust.tl_import",
    "prepared": "signing.validation.context",
    "collect_pdfs": "signing.validation.engine",
    "validate_many": "signing.validation.engine",
    "validate_pdf": "signing.validation.engine",
    "ValidationOptions": "signing.validation.options",
    "EntryStory": "signing.validation.story",
    "FileStory": "signing.validation.story",
    "TrustListState": "signing.validation.story",
    "current_trust_lists": "signing.validation.story",
    "entry_story": "signing.validation.story",
    "file_story": "signing.validation.story",
    "text": "signing.validation.story",
    "trust_list_state": "signing.validation.story",
    # the desktop's needs (#13)
    "TrustListUnreachableError": "signing.trust.tl_errors",
    "FetchSettings": "signing.trust.tl_fetch",
    "SigningKeyOffer": "signing.keys.pkcs11",
    "list_signing_keys": "signing.keys.pkcs11",
    # the sign screen's box and preview (#18)
    "TEXT_FLOOR_PT": "signing.appearance.legibility",
    "TEXT_WARN_PT": "signing.appearance.legibility",
    "Legibility": "signing.appearance.legibility",
    "legibility": "signing.appearance.legibility",
    "StampPreview": "signing.appearance.preview",
    "stamp_preview": "signing.appearance.preview",
    # the certificate viewer's needs (#18)
    "CertificateDetails": "signing.certs.details",
    "CertificatePolicy": "signing.certs.details",
    "certificate_details": "signing.certs.details",
    "certificate_pem": "signing.certs.details",
    # the verdict screen's viewer (#18)
    "signed_revision": "signing.validation.signed_revision",
    "with_signature_stamps": "signing.validation.shown_stamps",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'signing.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return __all__
