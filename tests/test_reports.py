"""Reports (JSON, HTML, PDF) and the reason catalogue, from hand-built results.

The results carry every field of the model, several signatures and hostile
strings (markup, bidi overrides, control characters, CJK and RTL names) the way
a forged PDF would hand them to us.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from signing.model import labels, reasons
from signing.model.labels import Lang
from signing.model.results import (
    CertificateInfo,
    ChainElement,
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    JapaneseStatus,
    Level,
    ModificationInfo,
    Qualification,
    Reason,
    RevocationSource,
    RevocationStatus,
    SignatureResult,
    SignerKind,
    TimestampInfo,
    Verdict,
)
from signing.model.text import has_japanese
from signing.reports.json_report import (
    SCHEMA_ID,
    file_result_from_json,
    file_result_to_json,
    results_from_json,
    results_to_json,
    schema_document,
)
from signing.reports.readable import _fallback_font, clean, render_html, render_pdf, write_report
from signing.reports.xml_report import WRAPPER_NS, results_to_etsi_xml, write_etsi_xml
from signing.resources import font_path

T0 = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script>&amp;'
RTL_NAME = "שלום עולם \u202egpj.exe"  # Hebrew plus a right-to-left override
CJK_NAME = "山田 太郎"
CJK_ORG = "株式会社テスト商事"
ETSI_NS = "http://uri.etsi.org/19102/v1.2.1#"
ETSI_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<vr:ValidationReport xmlns:vr="{ETSI_NS}"><vr:SignatureValidationReport>'
    "<vr:SignatureValidationStatus><vr:MainIndication>"
    "urn:etsi:019102:mainindication:total-passed</vr:MainIndication>"
    "</vr:SignatureValidationStatus></vr:SignatureValidationReport></vr:ValidationReport>"
)


def _cert(cn: str, org: str | None, *, anchor: str | None = None) -> CertificateInfo:
    return CertificateInfo(
        subject=f"CN={cn}, O={org}, C=JP",
        issuer="CN=Test CA, O=Shomei Test, C=JP",
        serial_hex="0a1b2c3d",
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        not_after=datetime(2027, 1, 1, tzinfo=UTC),
        sha256_hex="ab" * 32,
        common_name=cn,
        organisation=org,
        country="JP",
        key_algorithm="RSA-2048",
        trust_source=anchor,
    )


ROOT = _cert("Shomei Test Root", "Shomei Test", anchor="user:root.pem")
TSA = _cert("Shomei Test TSA", "Shomei Test")


def _ts(*, ok: bool = True) -> TimestampInfo:
    return TimestampInfo(
        time=T0,
        tsa=TSA,
        intact=ok,
        trusted=ok,
        indication=Indication.TOTAL_PASSED if ok else Indication.TOTAL_FAILED,
        subindication=None if ok else "HASH_FAILURE",
        qualification=Qualification.QTST if ok else Qualification.NOT_QUALIFIED,
    )


def _chain(signer: CertificateInfo, source: RevocationSource) -> tuple[ChainElement, ...]:
    return (
        ChainElement(signer, RevocationStatus.GOOD, source),
        ChainElement(ROOT, RevocationStatus.GOOD, RevocationSource.NOT_NEEDED, None, True),
    )


def make_results() -> list[FileResult]:
    good_signer = _cert(CJK_NAME, CJK_ORG)
    hostile_signer = _cert(HOSTILE, RTL_NAME)
    good = SignatureResult(
        kind=EntryKind.SIGNATURE,
        field_name="Signature1",
        verdict=Verdict.VALID,
        indication=Indication.TOTAL_PASSED,
        subindication=None,
        level=Level.B_LTA,
        reasons=(reasons.signature_valid(),),
        signer=good_signer,
        signer_kind=SignerKind.NATURAL_PERSON,
        digest_algorithm="sha256",
        signature_algorithm="sha256_rsa",
        subfilter="/ETSI.CAdES.detached",
        claimed_time=T0,
        signature_timestamp=_ts(),
        best_time=T0,
        chain=_chain(good_signer, RevocationSource.EMBEDDED),
        intact=True,
        modification=ModificationInfo(
            False, True, ChangeKind.LTA_UPDATES, True, 1000, 1500, "form-filling"
        ),
        reason="承認",
        location="東京",
        contact="taro@example.jp",
        eu_qualification=Qualification.ADESIG_QC,
        eu_reasons=(Reason("eu-not-on-tl", "Not on an EU list.", "EU リストにありません。"),),
        jp_status=JapaneseStatus("accredited-ca", "Accredited CA", "認定認証事業者", True),
        covering_timestamps=(_ts(),),
    )
    doc_ts = SignatureResult(
        kind=EntryKind.DOCUMENT_TIMESTAMP,
        field_name="DocTS1",
        verdict=Verdict.VALID,
        indication=Indication.TOTAL_PASSED,
        subindication=None,
        level=Level.NONE,
        signer=TSA,
        signature_timestamp=_ts(),
        intact=True,
        modification=ModificationInfo(True, False, ChangeKind.NONE, True, 1500, 1500),
    )
    bad = SignatureResult(
        kind=EntryKind.SIGNATURE,
        field_name=f"Field {HOSTILE}",
        verdict=Verdict.INVALID,
        indication=Indication.TOTAL_FAILED,
        subindication="HASH_FAILURE",
        level=Level.B_T,
        reasons=(
            reasons.from_subindication(Indication.TOTAL_FAILED, "HASH_FAILURE"),
            reasons.modified_after_signing(ChangeKind.OTHER),
            reasons.certificate_revoked(hostile_signer.subject, T0),
            Reason("x-hostile", HOSTILE, HOSTILE, Verdict.INVALID),
        ),
        signer=hostile_signer,
        signer_kind=SignerKind.LEGAL_PERSON,
        claimed_time=datetime(2026, 3, 4, 5, 0, tzinfo=UTC),
        signature_timestamp=_ts(ok=False),
        chain=(
            ChainElement(
                hostile_signer, RevocationStatus.REVOKED, RevocationSource.FETCHED_OCSP, T0
            ),
            ChainElement(ROOT, RevocationStatus.UNKNOWN, RevocationSource.FETCHED_CRL),
        ),
        intact=False,
        modification=ModificationInfo(False, True, ChangeKind.OTHER, False, 800, 2000),
        reason=f"{HOSTILE}\x00\x1b",
        location=RTL_NAME,
        eu_qualification=Qualification.NOT_QUALIFIED,
    )
    unreadable = SignatureResult(
        kind=EntryKind.SIGNATURE,
        field_name="Sig3",
        verdict=Verdict.INDETERMINATE,
        indication=Indication.INDETERMINATE,
        subindication="NO_CERTIFICATE_CHAIN_FOUND",
        level=Level.NONE,
    )
    return [
        FileResult(
            path="/data/契約書.pdf",
            verdict=Verdict.INVALID,
            signatures=(good, bad, doc_ts, unreadable),
            modified_after_last_signature=True,
            validation_time=T0,
            sha256_hex="cd" * 32,
            file_bytes=2000,
            reasons=(reasons.not_covering_whole_file(800, 2000),),
        ),
        FileResult(
            path=f"/data/{HOSTILE}.pdf",
            verdict=Verdict.INDETERMINATE,
            error=reasons.cannot_parse(HOSTILE),
            validation_time=T0,
        ),
        FileResult(path="/data/unsigned.pdf", verdict=Verdict.INDETERMINATE),
        FileResult(
            path="/data/form.pdf",
            verdict=Verdict.VALID_WITH_WARNINGS,
            signatures=(
                dataclasses.replace(
                    good,
                    field_name="Approval",
                    verdict=Verdict.VALID_WITH_WARNINGS,
                    level=Level.B_T,
                    reasons=(reasons.modified_after_signing(ChangeKind.FORM_FILLING),),
                    modification=ModificationInfo(
                        False, True, ChangeKind.FORM_FILLING, True, 900, 1200
                    ),
                    covering_timestamps=(),
                    jp_status=None,
                ),
            ),
            modified_after_last_signature=True,
            validation_time=T0,
            file_bytes=1200,
            etsi_report_xml=ETSI_XML,
        ),
    ]


# --- reason catalogue --------------------------------------------------------

#: every public reason function with sample arguments
REASON_CALLS = {
    "signature_valid": (),
    "no_signatures": (),
    "cannot_parse": ("xref table is broken",),
    "hash_mismatch": (),
    "signature_invalid": (),
    "byterange_invalid": (),
    "not_covering_whole_file": (1000, 1500),
    "modified_after_signing": (ChangeKind.FORM_FILLING,),
    "changes_not_permitted": (),
    "docmdp_violation": ("no-changes",),
    "untrusted_chain": (CJK_NAME,),
    "no_signing_certificate": (),
    "certificate_revoked": (CJK_NAME, T0),
    "certificate_expired": (CJK_NAME, T0),
    "certificate_not_yet_valid": (CJK_NAME, T0),
    "signed_attributes_not_der": (),
    "authentication_certificate": (CJK_NAME,),
    "key_usage_not_for_signing": (CJK_NAME, ["digital_signature"]),
    "revocation_unavailable": (CJK_NAME,),
    "offline_no_revocation": (),
    "weak_algorithm": ("SHA-1",),
    "weak_algorithm_dated": ([("SHA-1", datetime(2017, 1, 1, tzinfo=UTC))], None, False),
    "timestamp_invalid": ("TSA",),
    "timestamp_untrusted": ("TSA",),
    "no_poe": (CJK_NAME,),
    "not_pades_baseline": ("/adbe.pkcs7.detached",),
    "revocation_not_checked": (),
    "signing_certificate_missing": (),
    "signature_crypto_failure": (),
    "signature_dictionary_changed": (),
    "revoked_no_poe": (),
    "unexplained_changes": (),
    "not_a_pdf": (),
    "truncated_pdf": (),
    "unreadable_pdf": (),
    "file_too_large": (),
    "file_unreadable": (),
    "cms_unreadable": (),
    "validation_error": (),
    "signature_structure": (),
    "lenient_parsing": (),
    "unsupported_signature_format": (),
    "failed": (),
    "indeterminate": (),
    "timestamp_problem": (),
    "archive_timestamp_not_used": (),
    "validated_at_later_timestamp": (T0,),
    "validated_at_signature_time": (T0,),
    "too_many_signatures": (5001, 100),
    "time_limit_reached": (120.0, 3, 12),
    "encrypted_pdf": (),
    "encrypt_entry_ignored": (),
    "weak_algorithm_before_sunset": (T0,),
    "unknown_problem": ("some-new-code",),
    "time_by_signature_timestamp": (T0, "TSA"),
    "time_by_document_timestamp": (T0, "TSA"),
    "time_by_archive_timestamp": (T0, "TSA"),
    "time_by_untrusted_timestamp": (T0, "TSA"),
    "time_claimed_by_signer": (T0,),
    "change_since_signing": ("change-form-filled", True),
    "revocation_words": ("revoked", T0),
    "all_valid": (3,),
    "trust_lists_stale": ((("EE", 360),),),
    "trust_lists_missing": (),
    "validation_time_chosen": (T0,),
    "eu_not_assessable": (),
    "jp_not_assessable": (),
}

#: how the validation engine asks for reasons: every code it uses, called by
#: name with the keywords it passes (see signing/validation/verdict.py)
ENGINE_CALLS: list[tuple[str, dict[str, str]]] = [
    ("no-signatures", {}),
    ("lenient-parsing", {}),
    ("archive-timestamp-not-used", {}),
    ("revocation-not-checked", {}),
    ("validated-at-later-timestamp", {"detail": "2026-03-04T05:06:07+00:00"}),
    ("modified-after-signing", {"detail": "form-filling"}),
    ("changes-not-permitted", {"detail": "other"}),
    ("unexplained-changes", {"detail": "other"}),
    ("cms-unreadable", {"detail": "bad tag"}),
    ("validation-error", {"detail": "boom"}),
    ("timestamp-problem", {"detail": "imprint"}),
    ("unsupported-signature-format", {"detail": "/x.y"}),
    *[(c, {"detail": "d"}) for c in ("not-a-pdf", "truncated-pdf", "unreadable-pdf")],
    *[(c, {"detail": "d"}) for c in ("file-too-large", "file-unreadable")],
    ("signature-structure", {"problem": "byte-range-overlap", "detail": "d"}),
    *[
        (code, {"detail": "pyHanko prose", "subindication": sub})
        for code, sub in (
            ("hash-mismatch", "HASH_FAILURE"),
            ("signature-crypto-failure", "SIG_CRYPTO_FAILURE"),
            ("certificate-revoked", "REVOKED"),
            ("certificate-not-yet-valid", "NOT_YET_VALID"),
            ("revoked-no-poe", "REVOKED_CA_NO_POE"),
            ("untrusted-chain", "NO_CERTIFICATE_CHAIN_FOUND"),
            ("certificate-expired", "OUT_OF_BOUNDS_NO_POE"),
            ("weak-algorithm", "CRYPTO_CONSTRAINTS_FAILURE"),
            ("signing-certificate-missing", "NO_SIGNING_CERTIFICATE_FOUND"),
            ("revocation-unavailable", "TRY_LATER"),
            ("failed", "FORMAT_FAILURE"),
            ("indeterminate", "SIG_CONSTRAINTS_FAILURE"),
        )
    ],
]


@pytest.mark.parametrize(("code", "fields"), ENGINE_CALLS, ids=[c for c, _ in ENGINE_CALLS])
def test_engine_calls_by_code(code: str, fields: dict[str, str]) -> None:
    made = getattr(reasons, code.replace("-", "_"))(**fields)
    assert made.code.startswith(code)  # modified-after-signing-form etc. keep the prefix
    assert has_japanese(made.ja)
    assert "pyHanko prose" not in made.en + made.ja  # sentences are ours


def test_engine_detail_shapes_the_sentence() -> None:
    assert "/ByteRange" in reasons.signature_structure(problem="byte-range-overlap").en
    assert "重なっています" in reasons.signature_structure(problem="byte-range-overlap").ja
    later = reasons.validated_at_later_timestamp(detail="2026-03-04T05:06:07+00:00")
    assert "2026-03-04 05:06:07 UTC" in later.en and later.severity is Verdict.VALID
    lta = reasons.modified_after_signing(detail="lta-updates")
    assert lta.severity is Verdict.VALID
    assert reasons.modified_after_signing(detail="???").severity is Verdict.INVALID
    ca = reasons.revoked_no_poe(subindication="REVOKED_CA_NO_POE")
    assert "認証局" in ca.ja and ca.code == "revoked-no-poe"
    assert reasons.failed(subindication="FORMAT_FAILURE").severity is Verdict.INVALID
    assert "形式" in reasons.failed(subindication="FORMAT_FAILURE").ja


def test_every_reason_function_is_exercised() -> None:
    public = {
        name
        for name, fn in inspect.getmembers(reasons, inspect.isfunction)
        if not name.startswith("_") and fn.__module__ == reasons.validation.__name__
    }
    assert public - {"from_subindication"} == set(REASON_CALLS)


@pytest.mark.parametrize("name", sorted(REASON_CALLS))
def test_reason_has_english_and_japanese(name: str) -> None:
    reason = getattr(reasons, name)(*REASON_CALLS[name])
    assert isinstance(reason, Reason)
    assert reason.code and reason.code == reason.code.lower()
    assert reason.en and not has_japanese(reason.en.replace(CJK_NAME, ""))
    assert has_japanese(reason.ja), reason.ja
    assert reason.en != reason.ja


def test_reasons_carry_their_fields() -> None:
    r = reasons.certificate_revoked("CN=Hanako", T0)
    assert "CN=Hanako" in r.en and "CN=Hanako" in r.ja
    assert "2026-03-04 05:06:07 UTC" in r.en and "2026年3月4日" in r.ja
    assert r.severity is Verdict.INVALID
    r = reasons.not_covering_whole_file(1000, 1500)
    assert "1,000" in r.en and "1,500" in r.en and "500 bytes" in r.en
    assert "500 バイト" in r.ja
    assert reasons.revocation_unavailable("x").severity is Verdict.INDETERMINATE
    assert "失効情報を取得できません" in reasons.revocation_unavailable("x").ja
    assert "証明書「x」は失効しています" in reasons.certificate_revoked("x", None).ja
    assert reasons.signature_valid().ja == "署名は有効です。"
    assert "署名後に文書が変更されています" in reasons.hash_mismatch().ja


@pytest.mark.parametrize("kind", list(ChangeKind))
def test_every_change_kind_has_a_reason(kind: ChangeKind) -> None:
    r = reasons.modified_after_signing(kind)
    assert has_japanese(r.ja)
    bad = kind is ChangeKind.OTHER
    assert (r.severity is Verdict.INVALID) == bad


ETSI = [
    "FORMAT_FAILURE",
    "HASH_FAILURE",
    "SIG_CRYPTO_FAILURE",
    "REVOKED",
    "SIG_CONSTRAINTS_FAILURE",
    "CHAIN_CONSTRAINTS_FAILURE",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE",
    "CRYPTO_CONSTRAINTS_FAILURE",
    "EXPIRED",
    "NOT_YET_VALID",
    "POLICY_PROCESSING_ERROR",
    "SIGNATURE_POLICY_NOT_AVAILABLE",
    "TIMESTAMP_ORDER_FAILURE",
    "NO_SIGNING_CERTIFICATE_FOUND",
    "NO_CERTIFICATE_CHAIN_FOUND",
    "REVOKED_NO_POE",
    "REVOKED_CA_NO_POE",
    "OUT_OF_BOUNDS_NO_POE",
    "OUT_OF_BOUNDS_NOT_REVOKED",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
    "NO_POE",
    "TRY_LATER",
    "SIGNED_DATA_NOT_FOUND",
    "GENERIC",
]


@pytest.mark.parametrize("sub", ETSI)
@pytest.mark.parametrize("indication", [Indication.TOTAL_FAILED, Indication.INDETERMINATE])
def test_every_subindication_maps(indication: Indication, sub: str) -> None:
    assert sub in reasons.SUBINDICATIONS
    r = reasons.from_subindication(indication, sub)
    assert r.code == "etsi-" + sub.lower().replace("_", "-")
    assert "sub-indication" not in r.en  # a real sentence, not the fallback
    assert has_japanese(r.ja)
    expected = Verdict.INVALID if indication is Indication.TOTAL_FAILED else Verdict.INDETERMINATE
    assert r.severity is expected
    # hyphenated spelling and string indications are accepted too
    assert reasons.from_subindication(indication.value, sub.replace("_", "-")) == r


def test_subindication_from_pyhanko_enums() -> None:
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESStatus

    for member in [*AdESFailure, *AdESIndeterminate]:
        r = reasons.from_subindication(member.status, member)
        assert r.code == "etsi-" + member.name.lower().replace("_", "-")
        assert "sub-indication" not in r.en, member
    assert reasons.from_subindication(AdESStatus.PASSED, None) == reasons.signature_valid()


def test_expired_sentence_depends_on_indication() -> None:
    failed = reasons.from_subindication("TOTAL-FAILED", "EXPIRED")
    indet = reasons.from_subindication("INDETERMINATE", "EXPIRED")
    assert failed.en != indet.en and failed.ja != indet.ja


def test_unknown_subindication_is_reported_not_dropped() -> None:
    r = reasons.from_subindication("INDETERMINATE", "SOMETHING_NEW")
    assert "SOMETHING_NEW" in r.en and "SOMETHING_NEW" in r.ja
    assert r.severity is Verdict.INDETERMINATE


@pytest.mark.parametrize("enum_type", labels.labelled_enums())
def test_every_enum_member_has_labels(enum_type: type) -> None:
    for member in enum_type:
        en, ja = labels.label(member, "en"), labels.label(member, "ja")
        assert en and ja and en != ja


def test_verdict_labels() -> None:
    assert [labels.label(v, "en") for v in Verdict] == [
        "Valid",
        "Valid with warnings",
        "Indeterminate",
        "Invalid",
    ]
    assert [labels.label(v, "ja") for v in Verdict] == [
        "有効",
        "有効（警告あり）",
        "判定不能",
        "無効",
    ]
    with pytest.raises(ValueError):
        labels.label(Verdict.VALID, "fr")  # type: ignore[arg-type]


# --- JSON --------------------------------------------------------------------


def test_json_report_is_schema_valid() -> None:
    results = make_results()
    doc = results_to_json(results)
    text = json.dumps(doc, ensure_ascii=False)  # serialisable as is
    jsonschema.Draft202012Validator.check_schema(schema_document())
    jsonschema.validate(json.loads(text), schema_document())
    for one in doc["files"]:
        jsonschema.validate(one, schema_document())
    assert doc["schema"] == SCHEMA_ID
    assert doc["summary"] == {
        "files": 4,
        "signatures": 4,
        "verdict": "INVALID",
        "verdicts": {"VALID": 0, "VALID_WITH_WARNINGS": 1, "INDETERMINATE": 2, "INVALID": 1},
        "all_valid": False,
    }


def test_json_required_keys_and_values() -> None:
    f = file_result_to_json(make_results()[0])
    assert f["verdict"] == "INVALID" and f["signature_count"] == 3
    good, bad, doc_ts, unreadable = f["signatures"]
    assert good["verdict"] == "VALID" and good["indication"] == "TOTAL-PASSED"
    assert good["level"] == "B-LTA" and good["subindication"] is None
    assert good["covers_whole_file"] is False and good["modified_after_signing"] is True
    assert good["claimed_time"] == "2026-03-04T05:06:07Z"
    assert good["chain"][0]["revocation_source"] == "embedded"
    assert good["chain"][1]["is_trust_anchor"] is True
    assert good["jp_status"]["ja"] == "認定認証事業者"
    assert good["eu_qualification"] == "AdESig-QC"
    assert bad["subindication"] == "HASH_FAILURE" and bad["indication"] == "TOTAL-FAILED"
    assert bad["reasons"][0]["code"] == "etsi-hash-failure"
    assert bad["reasons"][0]["severity"] == "INVALID"
    assert bad["chain"][0]["revocation_status"] == "revoked"
    assert bad["chain"][0]["revocation_time"] == "2026-03-04T05:06:07Z"
    assert doc_ts["kind"] == "document-timestamp"
    assert unreadable["covers_whole_file"] is None and unreadable["signer"] is None


def test_json_schema_rejects_drift() -> None:
    doc = results_to_json(make_results())
    broken = json.loads(json.dumps(doc))
    broken["files"][0]["signatures"][0]["verdict"] = "GREEN"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema_document())
    broken = json.loads(json.dumps(doc))
    del broken["files"][0]["signatures"][1]["covers_whole_file"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema_document())


def test_json_round_trip() -> None:
    results = make_results()
    for result in results:
        text = json.dumps(file_result_to_json(result))
        assert file_result_from_json(json.loads(text)) == result
    assert results_from_json(json.loads(json.dumps(results_to_json(results)))) == results


def test_json_times_are_utc() -> None:
    from datetime import timedelta, timezone

    jst = timezone(timedelta(hours=9))
    r = dataclasses.replace(make_results()[2], validation_time=datetime(2026, 1, 1, 9, tzinfo=jst))
    d = file_result_to_json(r)
    assert d["validation_time"] == "2026-01-01T00:00:00Z"
    assert file_result_from_json(d).validation_time == datetime(2026, 1, 1, tzinfo=UTC)


def test_json_from_damaged_input_raises_our_error() -> None:
    from signing.errors import ValidationError

    good = file_result_to_json(make_results()[0])
    with pytest.raises(ValidationError):
        file_result_from_json({**good, "schema": "other/9"})
    with pytest.raises(ValidationError):
        file_result_from_json({**good, "verdict": "GREEN"})
    damaged = json.loads(json.dumps(good))
    del damaged["signatures"][0]["indication"]
    with pytest.raises(ValidationError):
        file_result_from_json(damaged)


# --- readable reports --------------------------------------------------------

VERDICT_WORDS = {
    "en": ["Valid", "Valid with warnings", "Indeterminate", "Invalid"],
    "ja": ["有効", "有効（警告あり）", "判定不能", "無効"],
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs |= {name for name, _ in attrs}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_report(lang: Lang) -> None:
    page = render_html(make_results(), lang, created=T0)
    parser = _Tags()
    parser.feed(page)
    # hostile strings are text, never markup
    assert parser.tags <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "div",
        "table", "thead", "tbody", "tr", "th", "td", "bdi", "ul", "li", "p", "br", "footer",
    }  # fmt: skip
    assert not {a for a in parser.attrs if a.startswith("on")}
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&amp;amp;" in page  # the literal "&amp;" in a name stays literal
    assert "\u202e" not in page and "[U+202E]" in page  # the override is shown, not obeyed
    assert "\x00" not in page and "[U+0000]" in page
    assert "Content-Security-Policy" in page and "src=" not in page and "<link" not in page
    for word in VERDICT_WORDS[lang]:
        assert f"{word}</div>" in page or f"{word}</td>" in page or f"{word}: " in page, word
    for text in (CJK_NAME, CJK_ORG, "שלום עולם", "/data/契約書.pdf", "Shomei Test TSA"):
        assert text in page
    if lang == "ja":
        assert '<html lang="ja">' in page
        assert "判定: 無効" in page and "署名は有効です。" in page
        assert "証明書チェーン" in page and "失効情報の入手元" in page
        assert "ファイルに埋め込み済み" in page and "OCSP で取得" in page
        assert "適格証明書に基づく高度電子署名" in page and "認定認証事業者" in page
    else:
        assert "Verdict: Invalid" in page and "The signature is valid." in page
        assert "Certificate chain" in page and "Embedded in the file" in page
        assert "Fetched by OCSP" in page and "Accredited CA" in page
        assert "Signing time claimed by the signer (not proven)" in page
    assert "0.1" in page.split("<footer>")[1]  # Shomei version in the footer


def _squash(text: str) -> str:
    return "".join(text.split())


def _pdftotext(path: Path) -> str:
    res = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return res.stdout


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)
needs_font = pytest.mark.skipif(
    not font_path().is_file(), reason="the bundled Japanese font has not landed yet"
)


@needs_poppler
@needs_font
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pdf_report(lang: Lang, tmp_path: Path) -> None:
    out = render_pdf(make_results(), lang, tmp_path / "report.pdf", created=T0)
    assert out == tmp_path / "report.pdf"
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temp file left
    text = _squash(_pdftotext(out))
    for word in VERDICT_WORDS[lang]:
        assert _squash(word) in text, word
    for name in (CJK_NAME, CJK_ORG, "/data/契約書.pdf", "ShomeiTestTSA", "U+202E]gpj.exe"):
        assert _squash(name) in text, name
    assert _squash('<script>alert("x")</script>&amp;') in text
    if _fallback_font() is not None:  # Hebrew comes out (in either reading order)
        assert "שלום" in text or "םולש" in text
    if lang == "ja":
        for phrase in ("署名検証レポート", "署名は有効です。", "失効しています", "証明書チェーン"):
            assert phrase in text, phrase
    else:
        assert "Signaturevalidationreport" in text and "Certificatechain" in text
    fonts = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts, "no fonts at all?"
    for line in fonts:
        # columns: name type encoding emb sub uni object ID
        emb = line.split()[-5]
        assert emb == "yes", f"font not embedded: {line}"


@needs_font
def test_pdf_report_is_atomic(tmp_path: Path) -> None:
    from signing.errors import OutputError

    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    write_report(make_results()[:1], "en", target, created=T0)
    assert target.read_bytes().startswith(b"%PDF-")
    with pytest.raises(OutputError):
        render_pdf(make_results(), "en", tmp_path / "missing" / "r.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_html_written_atomically(tmp_path: Path) -> None:
    out = write_report(make_results(), "ja", tmp_path / "r.html", created=T0)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_clean_shows_invisible_characters() -> None:
    assert clean("a\u202eb\u2066c\u200bd\x07") == "a[U+202E]b[U+2066]c[U+200B]d[U+0007]"
    assert clean("山田\nTaro") == "山田\nTaro"
    assert len(clean("x" * 100_000)) < 3000


def test_report_blocks_reject_unknown_language() -> None:
    with pytest.raises(ValueError):
        render_html(make_results(), "fr")  # type: ignore[arg-type]


# --- ETSI XML ----------------------------------------------------------------


def test_etsi_xml_single_file_is_the_etsi_report(tmp_path: Path) -> None:
    form = make_results()[3]
    out = write_etsi_xml([form], tmp_path / "r.xml")
    root = ET.fromstring(out.read_bytes())
    assert root.tag == f"{{{ETSI_NS}}}ValidationReport"
    assert root.find(f".//{{{ETSI_NS}}}MainIndication") is not None
    assert [p.name for p in tmp_path.iterdir()] == ["r.xml"]


def test_etsi_xml_many_files_are_wrapped() -> None:
    results = make_results()
    text = results_to_etsi_xml(results)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{{{WRAPPER_NS}}}ValidationReports"
    files = root.findall(f"{{{WRAPPER_NS}}}File")
    assert [f.get("path") for f in files] == [r.path for r in results]  # hostile path intact
    assert [f.get("verdict") for f in files] == [r.verdict.name for r in results]
    assert files[1].get("error") == "cannot-parse"
    assert files[3].find(f"{{{ETSI_NS}}}ValidationReport") is not None
    assert "<script>" not in text


def test_etsi_xml_refuses_a_broken_report() -> None:
    from signing.errors import ValidationError

    broken = dataclasses.replace(make_results()[3], etsi_report_xml="<vr:Validation")
    with pytest.raises(ValidationError):
        results_to_etsi_xml([broken])


# --- real validation results ---------------------------------------------------

REAL_FILES = (
    "dss__pades-ltv.pdf",  # a signature and two document timestamps
    "dss__Signature-P-DE_CRY-2_HASH_FAILURE.pdf",  # a broken signature
    "dss__BadEncodedCMS.pdf",  # unreadable CMS
)


@needs_poppler
@needs_font
def test_reports_from_real_validation(shared_dir: Path, tmp_path: Path) -> None:
    """The engine's own results on real corpus files go through every report."""
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions

    options = ValidationOptions(offline=True, validation_time=datetime(2024, 1, 1, tzinfo=UTC))
    results = [validate_pdf(shared_dir / "corpus" / "eu" / "pdf" / f, options) for f in REAL_FILES]
    assert all(r.verdict is not Verdict.VALID for r in results)  # untrusted or broken
    doc = results_to_json(results)
    jsonschema.validate(json.loads(json.dumps(doc)), schema_document())
    assert results_from_json(json.loads(json.dumps(doc))) == results
    for lang in ("en", "ja"):
        page = render_html(results, lang)
        out = render_pdf(results, lang, tmp_path / f"{lang}.pdf")
        text = _squash(_pdftotext(out))
        for r in results:
            word = labels.label(r.verdict, lang)
            assert word in page and _squash(word) in text
            for sig in r.signatures:
                if sig.signer is not None and sig.signer.common_name:
                    assert _squash(sig.signer.common_name) in text


@needs_font
def test_pdf_report_survives_huge_hostile_values(tmp_path: Path) -> None:
    """Values longer than a page (one unbreakable 'word' of 6000 characters in
    every name) are cut with a visible count, and the report still lays out."""
    first = make_results()[0]
    sig = first.signatures[1]
    assert sig.signer is not None
    huge = "Ａ" * 3000 + "x" * 3000
    cert = dataclasses.replace(sig.signer, common_name=huge, subject=huge, issuer=huge)
    chain = tuple(dataclasses.replace(e, certificate=cert) for e in sig.chain) * 3
    sig = dataclasses.replace(sig, signer=cert, chain=chain, reason=huge, field_name=huge)
    result = dataclasses.replace(first, path=huge, signatures=(sig,))
    out = render_pdf([result], "en", tmp_path / "huge.pdf")
    assert out.stat().st_size > 0
    page = render_html([result], "en")
    assert huge not in page and "… (+5,000)" in page
