"""The JSON validation report, schema ``shomei.validation/2``.

Stable enough for scripts: one object per file, one per signature or document
timestamp, enums as fixed strings, datetimes as ISO 8601 in UTC
(``2026-01-02T03:04:05Z``), every reason as ``{code, en, ja, severity,
technical}``. The JSON Schema is
``signing/reports/schema/validation-report-v2.json`` (:func:`schema_document`);
adding a key is a compatible change that updates the schema, renaming or
removing one needs ``shomei.validation/3``.

Migration from ``shomei.validation/1`` (what a script reading /1 must know):

- ``schema`` is ``"shomei.validation/2"`` at the top and in every file object.
- New: each file has ``headline`` ``{code, en, ja, severity, technical,
  category, entry}``: the reason that decides its verdict, chosen across all
  entries (integrity and structure first, then revocation, trust, time and
  algorithms, information). Read it instead of the first reason of the first
  signature: the CLI line, the readable report and the app show the same.
- New: the report and each file have ``trust_lists`` (out-of-date and
  missing trusted lists, with a sentence), null when unknown.
- New: each signature has ``story``: its ``decisive`` reason, ``proven_time``
  with ``time_source`` and a sentence (null when only the signer claims a
  time; ``best_time`` stays, with its ETSI meaning: the validation time
  when nothing earlier is proven), ``change`` (what changed since signing,
  one vocabulary), ``revocation`` and ``eu`` in words.
- Every reason may carry ``technical`` (the raw cause, e.g. a library's
  exception text); ``en`` / ``ja`` no longer quote it.
- ``indication`` / ``subindication`` agree with ``verdict``: an entry INVALID
  for its integrity, structure or forbidden changes is ``TOTAL-FAILED`` with
  ``HASH_FAILURE``, ``SIG_CRYPTO_FAILURE`` or ``FORMAT_FAILURE`` (in /1 it
  could say INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND, or TOTAL-PASSED).
- :func:`file_result_from_json` still reads /1 file objects.
- New (compatible): each file has ``validation_time_chosen``: true when
  ``validation_time`` is a moment the user chose (``--at``, the app's
  Settings › Validation), not the time the validation ran.

Top level (:func:`results_to_json`)::

    {"schema": "shomei.validation/2", "generator": {...},
     "summary": {"files": 2, "signatures": 3, "verdict": "INVALID",
                 "verdicts": {"VALID": 1, "VALID_WITH_WARNINGS": 0,
                              "INDETERMINATE": 0, "INVALID": 1},
                 "all_valid": false},
     "files": [<file>, ...], "trust_lists": {...} | null}

A file (:func:`file_result_to_json`) has ``path``, ``verdict`` (VALID /
VALID_WITH_WARNINGS / INDETERMINATE / INVALID), ``signature_count``,
``modified_after_last_signature``, ``error``, ``reasons``, ``signatures`` and
``etsi_report_xml`` (the ETSI TS 119 102-2 report as text, or null);
each signature has ``verdict``, ``indication``, ``subindication``, ``level``,
``covers_whole_file`` and ``modified_after_signing`` at its top, then the
signer, times, chain (with revocation status and source), timestamps,
``eu_qualification`` and ``jp_status``.

:func:`file_result_from_json` reads a file object back into the exact
:class:`~signing.model.results.FileResult` (used for caching and for moving
results between processes as text).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import signing
from signing.errors import ValidationError
from signing.model.results import (
    CertificateInfo,
    ChainElement,
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    JapaneseStatus,
    Level,
    ListedService,
    ModificationInfo,
    Qualification,
    Reason,
    RevocationReason,
    RevocationSource,
    RevocationStatus,
    SignatureResult,
    SignerKind,
    TimestampInfo,
    TrustPath,
    Verdict,
)
from signing.validation.story import (
    EntryStory,
    FileStory,
    TrustListState,
    entry_story,
    file_story,
)

SCHEMA_ID = "shomei.validation/2"
#: the earlier schema, still read back (:func:`file_result_from_json`)
READABLE_SCHEMAS = ("shomei.validation/1", SCHEMA_ID)
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "validation-report-v2.json"

Json = dict[str, Any]


@cache
def schema_document() -> Json:
    """The JSON Schema (draft 2020-12) of the report."""
    doc: Json = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return doc


# --- to JSON ------------------------------------------------------------------


def _time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # the model's datetimes are UTC; be explicit
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _reason(reason: Reason) -> Json:
    return {
        "code": reason.code,
        "en": reason.en,
        "ja": reason.ja,
        "severity": reason.severity.name,
        "technical": reason.technical,
    }


def _headline(story: FileStory) -> Json:
    return {
        **_reason(story.headline),
        "category": story.headline_category.name.lower(),
        "entry": story.headline_entry,
    }


def trust_lists_to_json(state: TrustListState | None) -> Json | None:
    if state is None:
        return None
    message = state.message
    return {
        "stale": [{"list": k, "days_past_update": d} for k, d in state.stale],
        "missing": list(state.missing),
        "loaded": list(state.loaded),
        "message": _reason(message) if message is not None else None,
    }


def _story(entry: EntryStory) -> Json:
    change = entry.change
    return {
        "decisive": _reason(entry.decisive),
        "proven_time": _time(entry.time.time),
        "time_source": entry.time.source.value,
        "time": _reason(entry.time.message),
        "change": {
            "code": change.code,
            "changed": change.changed,
            "allowed": change.allowed,
            "en": change.message.en,
            "ja": change.message.ja,
        },
        "revocation": _reason(entry.revocation),
        "eu": _reason(entry.eu),
    }


def _cert(cert: CertificateInfo | None) -> Json | None:
    if cert is None:
        return None
    return {
        "subject": cert.subject,
        "issuer": cert.issuer,
        "serial_hex": cert.serial_hex,
        "not_before": _time(cert.not_before),
        "not_after": _time(cert.not_after),
        "sha256_hex": cert.sha256_hex,
        "common_name": cert.common_name,
        "organisation": cert.organisation,
        "country": cert.country,
        "key_algorithm": cert.key_algorithm,
        "trust_source": cert.trust_source,
    }


def _chain_element(el: ChainElement) -> Json:
    return {
        "certificate": _cert(el.certificate),
        "revocation_status": el.revocation_status.value,
        "revocation_source": el.revocation_source.value,
        "revocation_time": _time(el.revocation_time),
        "revocation_reason": el.revocation_reason.value if el.revocation_reason else None,
        "is_trust_anchor": el.is_trust_anchor,
    }


def _timestamp(ts: TimestampInfo | None) -> Json | None:
    if ts is None:
        return None
    return {
        "time": _time(ts.time),
        "tsa": _cert(ts.tsa),
        "intact": ts.intact,
        "trusted": ts.trusted,
        "indication": ts.indication.value if ts.indication else None,
        "subindication": ts.subindication,
        "qualification": ts.qualification.value,
        "eu_service": _service(ts.eu_service),
    }


def _service(entry: ListedService | None) -> Json | None:
    if entry is None:
        return None
    return {
        "territory": entry.territory,
        "provider": entry.provider,
        "service": entry.service,
        "status": entry.status,
        "at": _time(entry.at),
    }


def _modification(mod: ModificationInfo | None) -> Json | None:
    if mod is None:
        return None
    return {
        "covers_whole_file": mod.covers_whole_file,
        "modified_after_signing": mod.modified_after_signing,
        "change_kind": mod.change_kind.value,
        "changes_permitted": mod.changes_permitted,
        "signed_bytes": mod.signed_bytes,
        "file_bytes": mod.file_bytes,
        "docmdp_level": mod.docmdp_level,
    }


def _jp(status: JapaneseStatus | None) -> Json | None:
    if status is None:
        return None
    return {
        "code": status.code,
        "en": status.en,
        "ja": status.ja,
        "long_term_profile": status.long_term_profile,
    }


def _path(path: TrustPath | None) -> Json | None:
    if path is None:
        return None
    return {
        "certificates": [_cert(c) for c in path.certificates],
        "anchor": path.anchor,
        "missing_issuer": path.missing_issuer,
    }


def signature_result_to_json(sig: SignatureResult, entry: EntryStory | None = None) -> Json:
    """One signature's object (``entry``: its story, made here when not given)."""
    mod = sig.modification
    entry = entry or entry_story(sig, 1)
    return {
        "kind": sig.kind.value,
        "field_name": sig.field_name,
        "verdict": sig.verdict.name,
        "indication": sig.indication.value,
        "subindication": sig.subindication,
        "level": sig.level.value,
        # None when the engine could not tell (e.g. the signature was unreadable)
        "covers_whole_file": mod.covers_whole_file if mod else None,
        "modified_after_signing": mod.modified_after_signing if mod else None,
        "reasons": [_reason(r) for r in sig.reasons],
        "signer": _cert(sig.signer),
        "signer_kind": sig.signer_kind.value,
        "digest_algorithm": sig.digest_algorithm,
        "signature_algorithm": sig.signature_algorithm,
        "subfilter": sig.subfilter,
        "claimed_time": _time(sig.claimed_time),
        "signature_timestamp": _timestamp(sig.signature_timestamp),
        "best_time": _time(sig.best_time),
        "chain": [_chain_element(e) for e in sig.chain],
        "intact": sig.intact,
        "modification": _modification(mod),
        "signer_reason": sig.reason,
        "signer_location": sig.location,
        "signer_contact": sig.contact,
        "eu_qualification": sig.eu_qualification.value,
        "eu_reasons": [_reason(r) for r in sig.eu_reasons],
        # the trusted-list entry the EU column read (optional: older files lack it)
        "eu_service": _service(sig.eu_service),
        "jp_status": _jp(sig.jp_status),
        # the certificates each column decided on, signer first (optional keys:
        # older files do not have them)
        "eu_path": _path(sig.eu_path),
        "jp_path": _path(sig.jp_path),
        "covering_timestamps": [_timestamp(t) for t in sig.covering_timestamps],
        "story": _story(entry),
    }


def file_result_to_json(result: FileResult, trust_lists: TrustListState | None = None) -> Json:
    """One file's object (also valid on its own: it carries ``schema``)."""
    story = file_story(result, trust_lists)
    return {
        "schema": SCHEMA_ID,
        "path": result.path,
        "verdict": result.verdict.name,
        "signature_count": result.signature_count,
        "modified_after_last_signature": result.modified_after_last_signature,
        "validation_time": _time(result.validation_time),
        "validation_time_chosen": result.validation_time_chosen,
        "sha256_hex": result.sha256_hex,
        "file_bytes": result.file_bytes,
        "error": _reason(result.error) if result.error else None,
        "reasons": [_reason(r) for r in result.reasons],
        "signatures": [
            signature_result_to_json(s, e)
            for s, e in zip(result.signatures, story.entries, strict=True)
        ],
        "etsi_report_xml": result.etsi_report_xml,
        "headline": _headline(story),
        "trust_lists": trust_lists_to_json(trust_lists),
    }


def results_to_json(
    results: Sequence[FileResult], trust_lists: TrustListState | None = None
) -> Json:
    """The whole report: a summary and one object per file (``trust_lists``:
    the state of the lists the validation used, when known)."""
    counts = {v.name: 0 for v in Verdict}
    for r in results:
        counts[r.verdict.name] += 1
    worst = max((r.verdict for r in results), default=None)
    return {
        "schema": SCHEMA_ID,
        "generator": {"name": "shomei", "version": signing.__version__},
        "summary": {
            "files": len(results),
            "signatures": sum(r.signature_count for r in results),
            "verdict": worst.name if worst is not None else None,
            "verdicts": counts,
            "all_valid": bool(results) and all(r.verdict is Verdict.VALID for r in results),
        },
        "files": [file_result_to_json(r, trust_lists) for r in results],
        "trust_lists": trust_lists_to_json(trust_lists),
    }


# --- from JSON ----------------------------------------------------------------


def _from_time(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _req_time(value: Any) -> datetime:
    moment = _from_time(value)
    if moment is None:
        raise ValueError("a required time is missing")
    return moment


def _from_reason(d: Mapping[str, Any]) -> Reason:
    technical = d.get("technical")
    return Reason(
        str(d["code"]),
        str(d["en"]),
        str(d["ja"]),
        Verdict[d["severity"]],
        technical=str(technical) if technical is not None else None,
    )


def _from_path(d: Mapping[str, Any] | None) -> TrustPath | None:
    if d is None:
        return None
    certs = (_from_cert(c) for c in d.get("certificates", ()))
    return TrustPath(
        certificates=tuple(c for c in certs if c is not None),
        anchor=d.get("anchor"),
        missing_issuer=d.get("missing_issuer"),
    )


def _from_cert(d: Mapping[str, Any] | None) -> CertificateInfo | None:
    if d is None:
        return None
    return CertificateInfo(
        subject=d["subject"],
        issuer=d["issuer"],
        serial_hex=d["serial_hex"],
        not_before=_req_time(d["not_before"]),
        not_after=_req_time(d["not_after"]),
        sha256_hex=d["sha256_hex"],
        common_name=d.get("common_name"),
        organisation=d.get("organisation"),
        country=d.get("country"),
        key_algorithm=d.get("key_algorithm"),
        trust_source=d.get("trust_source"),
    )


def _from_revocation_reason(value: str | None) -> RevocationReason | None:
    return RevocationReason(value) if value else None


def _from_chain_element(d: Mapping[str, Any]) -> ChainElement:
    cert = _from_cert(d["certificate"])
    if cert is None:
        raise ValueError("a chain element has no certificate")
    return ChainElement(
        certificate=cert,
        revocation_status=RevocationStatus(d["revocation_status"]),
        revocation_source=RevocationSource(d["revocation_source"]),
        revocation_time=_from_time(d.get("revocation_time")),
        is_trust_anchor=bool(d["is_trust_anchor"]),
        revocation_reason=_from_revocation_reason(d.get("revocation_reason")),
    )


def _from_timestamp(d: Mapping[str, Any] | None) -> TimestampInfo | None:
    if d is None:
        return None
    return TimestampInfo(
        time=_req_time(d["time"]),
        tsa=_from_cert(d.get("tsa")),
        intact=bool(d["intact"]),
        trusted=bool(d["trusted"]),
        indication=Indication(d["indication"]) if d.get("indication") else None,
        subindication=d.get("subindication"),
        qualification=Qualification(d["qualification"]),
        eu_service=_from_service(d.get("eu_service")),
    )


def _from_service(d: Mapping[str, Any] | None) -> ListedService | None:
    if d is None:
        return None
    return ListedService(
        territory=str(d["territory"]),
        provider=str(d["provider"]),
        service=str(d["service"]),
        status=d.get("status"),
        at=_req_time(d["at"]),
    )


def _from_modification(d: Mapping[str, Any] | None) -> ModificationInfo | None:
    if d is None:
        return None
    return ModificationInfo(
        covers_whole_file=bool(d["covers_whole_file"]),
        modified_after_signing=bool(d["modified_after_signing"]),
        change_kind=ChangeKind(d["change_kind"]),
        changes_permitted=bool(d["changes_permitted"]),
        signed_bytes=int(d["signed_bytes"]),
        file_bytes=int(d["file_bytes"]),
        docmdp_level=d.get("docmdp_level"),
    )


def _from_jp(d: Mapping[str, Any] | None) -> JapaneseStatus | None:
    if d is None:
        return None
    return JapaneseStatus(
        code=d["code"], en=d["en"], ja=d["ja"], long_term_profile=bool(d["long_term_profile"])
    )


def _from_signature(d: Mapping[str, Any]) -> SignatureResult:
    covering = []
    for t in d.get("covering_timestamps", ()):
        ts = _from_timestamp(t)
        if ts is not None:
            covering.append(ts)
    return SignatureResult(
        kind=EntryKind(d["kind"]),
        field_name=d["field_name"],
        verdict=Verdict[d["verdict"]],
        indication=Indication(d["indication"]),
        subindication=d.get("subindication"),
        level=Level(d["level"]),
        reasons=tuple(_from_reason(r) for r in d.get("reasons", ())),
        signer=_from_cert(d.get("signer")),
        signer_kind=SignerKind(d["signer_kind"]),
        digest_algorithm=d.get("digest_algorithm"),
        signature_algorithm=d.get("signature_algorithm"),
        subfilter=d.get("subfilter"),
        claimed_time=_from_time(d.get("claimed_time")),
        signature_timestamp=_from_timestamp(d.get("signature_timestamp")),
        best_time=_from_time(d.get("best_time")),
        chain=tuple(_from_chain_element(e) for e in d.get("chain", ())),
        intact=bool(d["intact"]),
        modification=_from_modification(d.get("modification")),
        reason=d.get("signer_reason"),
        location=d.get("signer_location"),
        contact=d.get("signer_contact"),
        eu_qualification=Qualification(d["eu_qualification"]),
        eu_reasons=tuple(_from_reason(r) for r in d.get("eu_reasons", ())),
        eu_service=_from_service(d.get("eu_service")),
        jp_status=_from_jp(d.get("jp_status")),
        eu_path=_from_path(d.get("eu_path")),
        jp_path=_from_path(d.get("jp_path")),
        covering_timestamps=tuple(covering),
    )


def file_result_from_json(d: Mapping[str, Any]) -> FileResult:
    """The :class:`FileResult` a file object describes.

    Raises :class:`~signing.errors.ValidationError` when ``d`` is not a
    ``shomei.validation/2`` (or ``/1``) file object (wrong schema, missing or
    bad values). The story keys of /2 are derived, not read: they are made
    again from the result.
    """
    if d.get("schema") not in READABLE_SCHEMAS:
        raise ValidationError(
            f"Not a Shomei validation result in the {SCHEMA_ID} format "
            f"(schema: {d.get('schema')!r}).",
            ja=f"{SCHEMA_ID}形式のShomeiの検証結果ではありません（schema: {d.get('schema')!r}）。",
        )
    try:
        return FileResult(
            path=d["path"],
            verdict=Verdict[d["verdict"]],
            signatures=tuple(_from_signature(s) for s in d.get("signatures", ())),
            error=_from_reason(d["error"]) if d.get("error") else None,
            modified_after_last_signature=bool(d["modified_after_last_signature"]),
            validation_time=_from_time(d.get("validation_time")),
            validation_time_chosen=bool(d.get("validation_time_chosen", False)),
            sha256_hex=d.get("sha256_hex"),
            file_bytes=int(d.get("file_bytes", 0)),
            reasons=tuple(_from_reason(r) for r in d.get("reasons", ())),
            etsi_report_xml=d.get("etsi_report_xml"),
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(
            f"The {SCHEMA_ID} validation result is damaged: a value is missing or wrong ({exc}).",
            ja=f"{SCHEMA_ID}形式の検証結果が壊れています。値が欠けているか誤っています。",
        ) from exc


def results_from_json(d: Mapping[str, Any]) -> list[FileResult]:
    """Every file of a report made by :func:`results_to_json`."""
    if d.get("schema") not in READABLE_SCHEMAS:
        raise ValidationError(
            f"Not a Shomei validation report in the {SCHEMA_ID} format.",
            ja=f"{SCHEMA_ID}形式のShomeiの検証レポートではありません。",
        )
    return [file_result_from_json(f) for f in d.get("files", ())]
