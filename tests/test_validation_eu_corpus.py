"""The EU corpus (``corpus/eu/MANIFEST.tsv``): 49 real signed PDFs with the
outcome their source's own tests assert. We compare our ETSI indication and
sub-indication (and, where the source asserts it, integrity) with that
outcome, offline, with the trust anchors and validation times the manifest
names.

Run with ``-s`` to see the agreement table.
"""

from __future__ import annotations

import base64
import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest
from asn1crypto import pem

from signing.model.results import (
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    SignatureResult,
    Verdict,
)
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.validation.engine import validate_pdf
from signing.validation.options import RevocationPolicy, ValidationOptions
from tests.conftest import SHARED, have, need

EU = SHARED / "corpus" / "eu"

P = Indication.TOTAL_PASSED
I = Indication.INDETERMINATE  # noqa: E741 - ETSI's own letter
F = Indication.TOTAL_FAILED
UNTRUSTED = frozenset({"NO_CERTIFICATE_CHAIN_FOUND"})


@dataclass(frozen=True)
class Check:
    """What the source asserts about one entry: ``S1`` first signature,
    ``S*`` every signature, ``T2`` second document timestamp, ``T*`` all."""

    which: str
    indications: frozenset[Indication]
    subindications: frozenset[str] | None = None
    intact: bool | None = None
    change: ChangeKind | None = None


@dataclass(frozen=True)
class Case:
    checks: tuple[Check, ...]
    anchors: tuple[str, ...] = ()  # "tl:<file>" or "cert:<file>"
    at: str | None = None
    revocation: RevocationPolicy = RevocationPolicy.REQUIRE
    no_signatures: bool = False
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def chk(
    which: str,
    ind: Indication | frozenset[Indication],
    sub: set[str] | None = None,
    intact: bool | None = None,
    change: ChangeKind | None = None,
) -> Check:
    inds = frozenset({ind}) if isinstance(ind, Indication) else ind
    return Check(which, inds, frozenset(sub) if sub is not None else None, intact, change)


def untrusted_intact(which: str = "S*") -> Check:
    # the DSS tests run without trust anchors: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND
    return chk(which, I, set(UNTRUSTED), intact=True)


EE = ("tl:pyhanko__tsl-ee-v5-seq68.xml", "tl:open-eid__EE_T.xml")
PYHANKO_ROOT = ("cert:pyhanko__testing-ca-root.cert.pem",)
MRA = tuple(f"cert:dss__ThirdCountryLOTLTest__cert{i}.cer" for i in range(1, 5))
NOT_FAILED = frozenset({P, I})

CASES: dict[str, Case] = {
    "dss__pades-bes.pdf": Case((untrusted_intact(),)),
    "dss__pades-epes.pdf": Case((untrusted_intact(),)),
    "dss__pades-ltv.pdf": Case((untrusted_intact("S1"), chk("T*", I, intact=True))),
    "dss__doc-firmado.pdf": Case((untrusted_intact("S1"), chk("T1", I, intact=True))),
    "dss__DSS-2821.pdf": Case((untrusted_intact("S1"), chk("T1", I, intact=True))),
    "dss__pades-tst-with-sig-type.pdf": Case(
        (untrusted_intact("S1"), chk("T1", I, intact=True)),
        note="RFC 3161 token in a /Type /Sig dictionary: validated as a timestamp",
    ),
    "dss__PAdES-LT.pdf": Case((untrusted_intact(), chk("T*", I, intact=True))),
    "dss__Test.signed_Certipost-2048-SHA512.extended-LTA.pdf": Case(
        (chk("S1", NOT_FAILED, intact=True), chk("T*", NOT_FAILED, intact=True)),
        anchors=("cert:dss__DSS1690Test__CertipostEtrustPrimaryQualifiedCA.cer",),
        note="the source asserts technical validity (T and A level) only",
    ),
    "dss__pades-t-duplicated-doctst.pdf": Case(
        (untrusted_intact("S1"), chk("T1", I, intact=True), chk("T2", F, {"HASH_FAILURE"}))
    ),
    "dss__Signature-P-HU_POL-7.pdf": Case((untrusted_intact(),)),
    "dss__Signature-P-DE_SCI-4.pdf": Case((untrusted_intact("S1"), chk("T1", I, intact=True))),
    "dss__Signature-P-BG_BOR-2.pdf": Case((untrusted_intact("S1"), chk("T1", I, intact=True))),
    "dss__Signature-P-SK-6.pdf": Case((untrusted_intact(),)),
    "dss__Signature-P-HU_NET-2.pdf": Case((chk("S1", F, intact=False),)),
    "dss__Signature-P-DE_CRY-2_HASH_FAILURE.pdf": Case(
        (chk("S1", F, {"HASH_FAILURE"}, intact=False),),
        note="signed attributes not in DER order: HASH_FAILURE, as DSS (which re-encodes them)",
    ),
    "dss__pdf-eof.pdf": Case((chk("S1", F, intact=False),)),
    "dss__BadEncodedCMS.pdf": Case(
        (chk("S*", F, {"FORMAT_FAILURE"}),),
        note="DSS finds no signature; we report the undecodable one as TOTAL-FAILED",
    ),
    "dss__self-issued-qesig.pdf": Case((chk("S1", I, {"CERTIFICATE_CHAIN_GENERAL_FAILURE"}),)),
    "dss__TestToSignPDFSHA256_TST_SIG_NOT_FOUND.pdf": Case(
        (untrusted_intact("S1"),),
        note="signature indication agrees; DSS also reports no signing certificate for "
        "the signature timestamp, while the token carries it (issuer+serial and both "
        "ESS hashes match, its signature verifies): we report the timestamp intact",
    ),
    "dss__belgian_pki_multiple_ocsps.pdf": Case(
        (untrusted_intact("S1"),), at="2021-07-15T09:14:40+00:00"
    ),
    "dss__pkcs7.pdf": Case((untrusted_intact("S1"),)),
    "dss__pades-enveloping-empty-bytes-cms.pdf": Case((chk("S1", F, intact=False),)),
    "dss__john-doe-lta.pdf": Case(
        (chk("S1", P), chk("T*", P)), anchors=MRA, at="2022-06-11T00:00:00+00:00"
    ),
    "dss__DSS-1983.pdf": Case((untrusted_intact("S1"), chk("T1", I, intact=True))),
    "dss__timestamped_and_signed.pdf": Case((untrusted_intact("S1"), chk("T1", I, intact=True))),
    "dss__pdf-with-vri-timestamp.pdf": Case((untrusted_intact("S1"),)),
    "siva__hellopades-pades-lt-sha256-sign.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__pades-baseline-lta-live-aj.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__hellopades-pades-b-sha256-auth.pdf": Case((chk("S1", F),), anchors=EE),
    "siva__hellopades-lt1-lt2-wrongDigestValue.pdf": Case(
        (chk("S1", P), chk("S2", F, {"HASH_FAILURE"})), anchors=EE
    ),
    "siva__hellopades-lt1-lt2-Serial.pdf": Case((chk("S*", P),), anchors=EE),
    "siva__pades_lt_two_valid_sig.pdf": Case((chk("S*", P),), anchors=EE),
    "siva__reason_and_location_Test.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__hellopades-lt-sha512.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__hellopades-lt-sha1.pdf": Case(
        (chk("S1", P),), anchors=EE, note="SHA-1 accepted: the timestamp predates its sunset"
    ),
    "siva__hellopades-lt-sha256-ec224.pdf": Case(
        (chk("S1", I, {"CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"}),),
        anchors=EE,
    ),
    "siva__hellopades-lt-sha256-rsa1024.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__hellopades-lt-sha256-rsa2047.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__PdfNoSignature.pdf": Case((), no_signatures=True),
    "siva__hellopades-lt-rsa1024-sha1-expired.pdf": Case((chk("S1", I),), anchors=EE),
    "siva__pades_lt_revoked.pdf": Case((chk("S1", I, {"REVOKED_NO_POE"}),), anchors=EE),
    "siva__hellopades-lt-sha256-rsa2048-7d.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__hellopades-lt-sha256-ocsp-15min1s.pdf": Case((chk("S1", P),), anchors=EE),
    "siva__hellopades-lt-sha256-rsa2048-ocsp-before-ts.pdf": Case((chk("S1", F),), anchors=EE),
    "pyhanko__pades-lta-dss-indirect-arrs-test.pdf": Case(
        (chk("S1", P),),
        anchors=PYHANKO_ROOT,
        at="2020-11-01T00:00:00+00:00",
        revocation=RevocationPolicy.SKIP,
    ),
    "pyhanko__sig-no-signed-attrs.pdf": Case(
        (chk("S1", P, intact=True),),
        anchors=PYHANKO_ROOT,
        at="2020-11-01T00:00:00+00:00",
        revocation=RevocationPolicy.SKIP,
    ),
    "pyhanko__ed448-shake256-nolen.pdf": Case((untrusted_intact("S1"),)),
    "pyhanko__minimal-signed-twice-both-created.pdf": Case(
        (
            chk(
                "S1",
                I,
                {"NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE"},
                True,
                ChangeKind.FORM_FILLING,
            ),
            chk("S2", I, {"NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE"}, True),
        ),
        note="an untrusted self-signed signer: pyHanko says CHAIN_CONSTRAINTS_FAILURE where "
        "DSS says NO_CERTIFICATE_CHAIN_FOUND; both INDETERMINATE (untrusted)",
    ),
    "pyhanko__pdf-sig-with-econtent.pdf": Case((chk("S1", F, {"FORMAT_FAILURE"}),)),
}

#: genuine disagreements, each with the reason (the test xfails them)
DISAGREEMENTS: dict[str, str] = {
    "siva__hellopades-pades-b-sha256-auth.pdf": (
        "SiVa fails it on its QES policy (authentication certificate: KeyUsage "
        "nonRepudiation at level FAIL). EU DSS's default policy (constraint.xml) has the "
        "same check at level WARN, which we follow: a warning that it was made with an "
        "authentication certificate, never QESig. The certificate expired long ago and "
        "this B-B signature has no proof of existence, so we answer INDETERMINATE / "
        "OUT_OF_BOUNDS_NO_POE (never VALID)."
    ),
    "siva__hellopades-lt-sha256-rsa2048-ocsp-before-ts.pdf": (
        "SiVa applies an Estonian rule (OCSP produced before the signature timestamp is a "
        "failure). Under EN 319 102-1 that revocation data is simply not fresh enough: we "
        "answer INDETERMINATE (no revocation data after the proven time), never VALID."
    ),
}


def _manifest_rows() -> list[str]:
    with open(EU / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r["file"].removeprefix("pdf/") for r in rows if r["file"].startswith("pdf/")]


def _tl_certs(name: str) -> list[bytes]:
    text = (EU / "tl" / name).read_text(encoding="utf-8", errors="replace")
    found = re.findall(r"X509Certificate>\s*([A-Za-z0-9+/=\s]+?)\s*</", text)
    return [base64.b64decode(re.sub(r"\s", "", b64)) for b64 in found]


def _file_certs(name: str) -> list[bytes]:
    data = (EU / "certs" / name).read_bytes()
    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


def _anchors(sources: tuple[str, ...]) -> tuple[TrustAnchor, ...]:
    ders: dict[bytes, str] = {}
    for src in sources:
        kind, name = src.split(":", 1)
        for der in _tl_certs(name) if kind == "tl" else _file_certs(name):
            ders.setdefault(der, name)
    return tuple(TrustAnchor(der, AnchorOrigin.USER, name) for der, name in ders.items())


def _inputs(name: str) -> list[Path]:
    """The corpus files one case reads: the PDF and its trust anchors."""
    sources = [src.split(":", 1) for src in CASES[name].anchors]
    return [EU / "pdf" / name, *(EU / ("tl" if k == "tl" else "certs") / f for k, f in sources)]


@cache
def _validate(name: str) -> FileResult:
    case = CASES[name]
    at = datetime.fromisoformat(case.at) if case.at else None
    options = ValidationOptions(
        validation_time=at,
        offline=True,
        trust_anchors=_anchors(case.anchors),
        revocation_policy=case.revocation,
    )
    return validate_pdf(EU / "pdf" / name, options)


def _select(result: FileResult, which: str) -> list[SignatureResult]:
    kind = EntryKind.SIGNATURE if which[0] == "S" else EntryKind.DOCUMENT_TIMESTAMP
    entries = [s for s in result.signatures if s.kind is kind]
    if which[1:] == "*":
        return entries
    index = int(which[1:]) - 1
    return entries[index : index + 1]


def expected_text(check: Check) -> str:
    """What the manifest expects of one entry, as the comparison tables print it."""
    want = "/".join(sorted(i.value for i in check.indications))
    if check.subindications:
        want += " " + "|".join(sorted(check.subindications))
    return f"{check.which}: {want}"


def compare(name: str) -> tuple[bool, str, str]:
    """(agree, expected, ours) for one corpus file."""
    case = CASES[name]
    result = _validate(name)
    if case.no_signatures:
        ours = f"{len(result.signatures)} signatures, {result.verdict.name}"
        ok = not result.signatures and result.verdict is Verdict.INDETERMINATE
        return ok, "0 signatures, INDETERMINATE", ours
    agree = True
    expected: list[str] = []
    ours_parts: list[str] = []
    for check in case.checks:
        entries = _select(result, check.which)
        expected.append(expected_text(check))
        if not entries:
            agree = False
            ours_parts.append(f"{check.which}: missing")
        for e in entries:
            ours_parts.append(f"{e.field_name[:18]}: {e.indication.value} {e.subindication or ''}")
            if e.indication not in check.indications:
                agree = False
            if check.subindications is not None and e.subindication not in check.subindications:
                agree = False
            if check.intact is not None and e.intact is not check.intact:
                agree = False
                ours_parts[-1] += f" intact={e.intact}"
            if check.change is not None and (
                e.modification is None or e.modification.change_kind is not check.change
            ):
                agree = False
    return agree, "; ".join(expected), "; ".join(ours_parts)


ROWS = _manifest_rows() if (EU / "MANIFEST.tsv").is_file() else []


def test_manifest_is_fully_covered() -> None:
    assert len(ROWS) == 49
    assert set(ROWS) == set(CASES), set(ROWS) ^ set(CASES)
    assert set(DISAGREEMENTS) <= set(CASES)


def judge(
    name: str,
    result: FileResult,
    comparison: tuple[bool, str, str],
    disagreements: dict[str, str],
) -> None:
    """Fail unless ``comparison`` (agree, expected, ours) agrees, or xfail
    where ``disagreements`` explains why not; either way nothing that failed
    or is indeterminate may show as VALID."""
    agree, expected, ours = comparison
    for s in result.signatures:
        if s.indication is not Indication.TOTAL_PASSED:
            assert s.verdict >= Verdict.INDETERMINATE
    if name in disagreements:
        assert not agree, f"{name} now agrees: drop it from DISAGREEMENTS"
        pytest.xfail(disagreements[name])
    assert agree, f"expected {expected}; ours {ours}"


@pytest.mark.parametrize("name", ROWS)
def test_eu_corpus_file(name: str) -> None:
    need(*_inputs(name))  # a missing PDF or anchor would change the outcome
    comparison = compare(name)
    result = _validate(name)
    # whatever the agreement: a file never crashes the engine, and nothing
    # that failed or is indeterminate is shown as VALID
    judge(name, result, comparison, DISAGREEMENTS)


def test_eu_corpus_agreement_table(capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["| file | expected | ours | agree |", "|---|---|---|---|"]
    agreed = 0
    present = [name for name in ROWS if all(have(p) for p in _inputs(name))]
    for name in ROWS:
        if name not in present:
            lines.append(f"| {name} | (missing: tests/data/fetch.py) | | |")
            continue
        agree, expected, ours = compare(name)
        agreed += agree
        note = CASES[name].note or DISAGREEMENTS.get(name, "")
        lines.append(
            f"| {name} | {expected} | {ours} | {'yes' if agree else 'NO'}"
            + (f" ({note})" if note else "")
            + " |"
        )
    lines.append(f"\nagreement: {agreed} of {len(present)} ({len(ROWS)} in the manifest)")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert agreed + len(DISAGREEMENTS.keys() & set(present)) == len(present)
    if len(present) == len(ROWS):
        assert agreed >= 47
