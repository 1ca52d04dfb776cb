"""The validation engine on files signed here, with the test PKI's live TSA,
OCSP responder and CRLs on 127.0.0.1: PAdES levels, revocation, offline
mode, changes after signing, validation in the past and the future, batches.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from asn1crypto import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator import ValidationContext

from signing.errors import ValidationError
from signing.model.results import (
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    Level,
    RevocationSource,
    RevocationStatus,
    SignerKind,
    Verdict,
)
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.validation import engine
from signing.validation.engine import collect_pdfs, validate_many, validate_pdf
from signing.validation.options import ValidationOptions
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


def sign(pki: PKI, src: Path, dst: Path, level: str, label: str = "signer-rsa") -> Path:
    """Sign ``src`` into ``dst`` at a PAdES level, with pyHanko directly."""
    signer = signers.SimpleSigner.load_pkcs12(pki.p12_path(label), passphrase=KEY_PASSWORD.encode())
    assert signer is not None
    long_term = level in ("B-LT", "B-LTA")
    vc = None
    if long_term:
        root = x509.Certificate.load(pki.cert_der("root"))
        vc = ValidationContext(trust_roots=[root], allow_fetching=True)
    meta = signers.PdfSignatureMetadata(
        field_name="Sig1",
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=long_term,
        use_pades_lta=level == "B-LTA",
        validation_context=vc,
    )
    tsa = None if level == "B-B" else timestamps.HTTPTimeStamper(pki.tsa_url())
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        with open(dst, "wb") as out:
            signers.PdfSigner(meta, signer, timestamper=tsa).sign_pdf(writer, output=out)
    return dst


@pytest.fixture(scope="module")
def signed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("signed")
    src = make_pdf(folder / "plain.pdf", text="Validation test")
    out = {level: sign(pki, src, folder / f"{level}.pdf", level) for level in LEVELS}
    out["revoked"] = sign(pki, src, folder / "revoked.pdf", "B-B", "signer-revoked")
    out["seal"] = sign(pki, src, folder / "seal.pdf", "B-T", "seal-ec")
    return out


def trusting(pki: PKI, **kw: object) -> ValidationOptions:
    anchor = TrustAnchor(pki.cert_der("root"), AnchorOrigin.USER, "root.pem")
    return ValidationOptions(trust_anchors=(anchor,), timeout_s=5.0, **kw)  # type: ignore[arg-type]


def only_signature(result: FileResult) -> object:
    sigs = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
    assert len(sigs) == 1, result
    return sigs[0]


@pytest.mark.parametrize("level", LEVELS)
def test_levels_detected_and_valid(pki: PKI, signed: dict[str, Path], level: str) -> None:
    result = validate_pdf(signed[level], trusting(pki))
    sig = only_signature(result)
    assert sig.level is Level(level), sig  # type: ignore[attr-defined]
    assert sig.indication is Indication.TOTAL_PASSED, sig.reasons  # type: ignore[attr-defined]
    assert result.verdict is Verdict.VALID, [r.code for r in sig.reasons]  # type: ignore[attr-defined]
    assert sig.intact and sig.signer.common_name == "Alice Tester"  # type: ignore[attr-defined]
    assert sig.signer_kind is SignerKind.NATURAL_PERSON  # type: ignore[attr-defined]
    assert sig.digest_algorithm == "sha256"  # type: ignore[attr-defined]
    mod = sig.modification  # type: ignore[attr-defined]
    if level in ("B-B", "B-T"):
        assert mod.covers_whole_file and not mod.modified_after_signing
    else:
        # DSS (and document timestamp) added after signing: shown, but allowed
        assert mod.modified_after_signing and mod.change_kind is ChangeKind.LTA_UPDATES
    if level != "B-B":
        ts = sig.signature_timestamp  # type: ignore[attr-defined]
        assert ts is not None and ts.trusted
        assert ts.tsa.common_name == "Shomei Test Time Stamping Unit"
    if level == "B-LTA":
        stamps = [s for s in result.signatures if s.kind is EntryKind.DOCUMENT_TIMESTAMP]
        assert stamps and all(s.indication is Indication.TOTAL_PASSED for s in stamps)
        # the archive timestamp is listed on the signature it covers
        covering = sig.covering_timestamps  # type: ignore[attr-defined]
        assert [ts.time for ts in covering] == [s.signature_timestamp.time for s in stamps]
    else:
        assert sig.covering_timestamps == ()  # type: ignore[attr-defined]
    # the chain, leaf first, ends at the trust anchor; revocation where it came from
    chain = sig.chain  # type: ignore[attr-defined]
    assert chain[-1].is_trust_anchor and chain[-1].certificate.trust_source == "user:root.pem"
    assert chain[0].revocation_status is RevocationStatus.GOOD
    expected_source = (
        RevocationSource.EMBEDDED if level in ("B-LT", "B-LTA") else RevocationSource.FETCHED_OCSP
    )
    assert chain[0].revocation_source is expected_source
    if level in ("B-B", "B-T"):
        # the intermediate CA: the root's CRL, fetched from the test PKI
        assert chain[1].revocation_source is RevocationSource.FETCHED_CRL, chain[1]
    assert result.etsi_report_xml is not None
    root = ET.fromstring(result.etsi_report_xml)
    assert root.tag.endswith("ValidationReport")


@pytest.mark.parametrize("level", ("B-LT", "B-LTA"))
def test_long_term_files_valid_offline(pki: PKI, signed: dict[str, Path], level: str) -> None:
    result = validate_pdf(signed[level], trusting(pki, offline=True))
    assert result.verdict is Verdict.VALID, result


@pytest.mark.parametrize("level", ("B-LT", "B-LTA"))
def test_long_term_files_valid_offline_days_later(
    pki: PKI, signed: dict[str, Path], level: str
) -> None:
    """The file's OCSP response (the test responder's live ten minutes) is
    long stale a week on: it is judged at the proven signing time, which is
    what a B-LT file carries it for; a B-T file carries none and stays
    INDETERMINATE."""
    later = datetime.now(UTC) + timedelta(days=7)
    result = validate_pdf(signed[level], trusting(pki, offline=True, validation_time=later))
    sig = only_signature(result)
    assert result.verdict is Verdict.VALID, [r.code for r in sig.reasons]  # type: ignore[attr-defined]
    codes = {r.code for r in sig.reasons}  # type: ignore[attr-defined]
    assert ("validated-at-signature-time" in codes) is (level == "B-LT")
    bare = validate_pdf(signed["B-T"], trusting(pki, offline=True, validation_time=later))
    assert bare.verdict is Verdict.INDETERMINATE
    assert only_signature(bare).subindication != "PASSED"  # type: ignore[attr-defined]
    # the ETSI report keeps the validation time asked for
    assert result.etsi_report_xml is not None
    times = ET.fromstring(result.etsi_report_xml).iter(
        "{http://uri.etsi.org/19102/v1.2.1#}ValidationTime"
    )
    assert {datetime.fromisoformat(t.text.replace("Z", "+00:00")) for t in times if t.text} == {
        later
    }


def test_stale_data_only_vouches_when_issued_after_the_proven_time(
    pki: PKI, signed: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file's OCSP response for the signer was fetched just after the
    signature timestamp. Were it from before that time (asked for here by
    requiring data a day newer), it could not vouch for the signer: a
    response from before a revocation must not clear a signature made after."""
    from signing.validation import processes

    later = datetime.now(UTC) + timedelta(days=7)
    monkeypatch.setattr(processes, "_ISSUE_SLACK", timedelta(days=-1))
    result = validate_pdf(signed["B-LT"], trusting(pki, offline=True, validation_time=later))
    sig = only_signature(result)
    assert result.verdict is Verdict.INDETERMINATE
    assert sig.subindication == "TRY_LATER"  # type: ignore[attr-defined]
    assert "validated-at-signature-time" not in {r.code for r in sig.reasons}  # type: ignore[attr-defined]


def test_seal_is_a_legal_person(pki: PKI, signed: dict[str, Path]) -> None:
    sig = only_signature(validate_pdf(signed["seal"], trusting(pki)))
    assert sig.signer_kind is SignerKind.LEGAL_PERSON  # type: ignore[attr-defined]
    assert sig.signer.key_algorithm == "ECDSA secp256r1"  # type: ignore[attr-defined]


def test_revoked_signer_is_invalid(pki: PKI, signed: dict[str, Path]) -> None:
    result = validate_pdf(signed["revoked"], trusting(pki))
    sig = only_signature(result)
    assert sig.indication is not Indication.TOTAL_PASSED  # type: ignore[attr-defined]
    assert result.verdict is Verdict.INVALID
    assert "certificate-revoked" in {r.code for r in sig.reasons}  # type: ignore[attr-defined]
    assert sig.chain[0].revocation_status is RevocationStatus.REVOKED  # type: ignore[attr-defined]


def test_offline_without_embedded_revocation_is_indeterminate(
    pki: PKI, signed: dict[str, Path]
) -> None:
    result = validate_pdf(signed["B-T"], trusting(pki, offline=True))
    sig = only_signature(result)
    assert result.verdict is Verdict.INDETERMINATE
    assert sig.indication is Indication.INDETERMINATE  # type: ignore[attr-defined]
    codes = {r.code for r in sig.reasons}  # type: ignore[attr-defined]
    assert codes & {"offline-no-revocation", "revocation-unavailable"}, codes
    assert sig.chain[0].revocation_source is RevocationSource.NOT_AVAILABLE  # type: ignore[attr-defined]


def test_untrusted_signer_is_never_valid(signed: dict[str, Path]) -> None:
    result = validate_pdf(signed["B-B"], ValidationOptions(offline=True))
    assert result.verdict is Verdict.INDETERMINATE
    assert "untrusted-chain" in {r.code for s in result.signatures for r in s.reasons}


def _append_content(src: Path, dst: Path) -> Path:
    """An incremental update that changes what page 1 shows."""
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        extra = writer.add_object(
            generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 500 Td (PAID IN FULL) Tj ET")
        )
        page[pdf_name("/Contents")] = generic.ArrayObject([page["/Contents"], extra])
        writer.update_container(page)
        with open(dst, "wb") as out:
            writer.write(out)
    return dst


def test_content_added_after_signing(pki: PKI, signed: dict[str, Path], tmp_path: Path) -> None:
    changed = _append_content(signed["B-T"], tmp_path / "changed.pdf")
    result = validate_pdf(changed, trusting(pki))
    sig = only_signature(result)
    assert result.verdict not in (Verdict.VALID, Verdict.VALID_WITH_WARNINGS)
    assert sig.intact  # type: ignore[attr-defined]  # the signed revision itself is untouched
    mod = sig.modification  # type: ignore[attr-defined]
    assert mod.modified_after_signing and not mod.covers_whole_file
    assert mod.change_kind is ChangeKind.OTHER and not mod.changes_permitted
    assert result.modified_after_last_signature
    assert mod.signed_bytes < mod.file_bytes == changed.stat().st_size


def test_form_filling_after_signing_is_shown(pki: PKI, tmp_path: Path) -> None:
    """A second signature in an empty field is a permitted change, but the first
    signature still says it no longer covers the whole file."""
    src = make_pdf(tmp_path / "fields.pdf", empty_fields=("Sig1", "Sig2"))
    first = sign(pki, src, tmp_path / "one.pdf", "B-T")
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path("signer-ec"), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    meta = signers.PdfSignatureMetadata(field_name="Sig2", subfilter=SigSeedSubFilter.PADES)
    with open(first, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        with open(tmp_path / "two.pdf", "wb") as out:
            signers.PdfSigner(
                meta, signer, timestamper=timestamps.HTTPTimeStamper(pki.tsa_url())
            ).sign_pdf(writer, output=out)
    result = validate_pdf(tmp_path / "two.pdf", trusting(pki))
    by_name = {s.field_name: s for s in result.signatures}
    assert by_name["Sig1"].modification is not None
    assert by_name["Sig1"].modification.modified_after_signing
    assert by_name["Sig1"].modification.change_kind is ChangeKind.FORM_FILLING
    assert by_name["Sig1"].verdict is Verdict.VALID_WITH_WARNINGS
    assert by_name["Sig2"].verdict is Verdict.VALID
    assert result.verdict is Verdict.VALID_WITH_WARNINGS
    assert fields  # (imported for the field helpers used by make_pdf)


def test_b_lta_still_valid_after_the_certificates_expire(pki: PKI, signed: dict[str, Path]) -> None:
    """Frozen at 2030 (signer certificate expired 2029-01-01; the test PKI's
    services answer for 2030 too): the archive timestamp, validated with fresh
    data for its TSA, carries the signature and its embedded validation data."""
    with time_machine.travel(datetime(2030, 6, 1, tzinfo=UTC), tick=False):
        lta = validate_pdf(signed["B-LTA"], trusting(pki))
        bare = validate_pdf(signed["B-B"], trusting(pki))
    sig = only_signature(lta)
    assert sig.indication is Indication.TOTAL_PASSED, sig.reasons  # type: ignore[attr-defined]
    assert lta.validation_time == datetime(2030, 6, 1, tzinfo=UTC)
    # without any proof of existence, an expired signer is not acceptable
    assert bare.verdict is Verdict.INDETERMINATE
    assert only_signature(bare).subindication == "OUT_OF_BOUNDS_NO_POE"  # type: ignore[attr-defined]


def test_validation_in_the_past_before_the_signature_existed(
    pki: PKI, signed: dict[str, Path]
) -> None:
    at = datetime(2025, 6, 1, tzinfo=UTC)  # before the signer's certificate was issued
    result = validate_pdf(signed["B-T"], trusting(pki, offline=True, validation_time=at))
    assert result.verdict in (Verdict.INDETERMINATE, Verdict.INVALID)
    assert result.validation_time == at


# --- hostile input: never a crash, never green --------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj\n<<", b"%PDF-1.7\n%%EOF\n", b"\x00" * 4096],
    ids=["empty", "text", "truncated", "header-only", "zeros"],
)
def test_garbage_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    result = validate_pdf(path, ValidationOptions(offline=True))
    assert result.verdict in (Verdict.INDETERMINATE, Verdict.INVALID)
    assert result.error is not None or not result.signatures


def test_missing_file_is_a_verdict(tmp_path: Path) -> None:
    result = validate_pdf(tmp_path / "nope.pdf", ValidationOptions())
    assert result.error is not None and result.verdict is Verdict.INDETERMINATE


def test_misuse_raises() -> None:
    with pytest.raises(ValidationError):
        validate_pdf("x.pdf", object())  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        validate_pdf("x.pdf", ValidationOptions(validation_time=datetime(2026, 1, 1)))


# --- batches ----------------------------------------------------------------------


def test_validate_many_in_a_pool(
    pki: PKI, signed: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "POOL_FROM", 2)  # (a pool, even for five files)
    files = [signed[level] for level in LEVELS] + [tmp_path / "missing.pdf"]
    seen: list[int] = []
    results = list(
        validate_many(
            files,
            trusting(pki, offline=True),
            workers=2,
            progress=lambda done, total, r: seen.append(done),
        )
    )
    assert sorted(r.path for r in results) == sorted(str(f) for f in files)
    assert seen == [1, 2, 3, 4, 5]
    by_path = {r.path: r for r in results}
    assert by_path[str(signed["B-LTA"])].verdict is Verdict.VALID
    assert by_path[str(tmp_path / "missing.pdf")].error is not None


def test_a_few_files_are_validated_without_a_pool(
    signed: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    def no_pool(*_a: object, **_k: object) -> None:
        raise AssertionError("a pool was started for a few files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    files = [signed[level] for level in LEVELS][: engine.POOL_FROM - 1]
    results = list(validate_many(files, ValidationOptions(offline=True), workers=4))
    assert [r.path for r in results] == [str(f) for f in files]  # (in order, here)


def test_validate_many_cancels(signed: dict[str, Path]) -> None:
    cancel = threading.Event()
    files = [signed["B-B"]] * 40
    got = []
    for result in validate_many(files, ValidationOptions(offline=True), workers=2, cancel=cancel):
        got.append(result)
        cancel.set()
    assert 1 <= len(got) < 40


def test_collect_pdfs(tmp_path: Path, signed: dict[str, Path]) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.PDF").write_bytes(b"%PDF-1.4")
    (tmp_path / "a" / "y.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a" / "notes.txt").write_text("no")
    found = collect_pdfs([tmp_path / "a", signed["B-B"], tmp_path / "a" / "y.pdf"])
    assert found == [tmp_path / "a" / "b" / "x.PDF", tmp_path / "a" / "y.pdf", signed["B-B"]]


def test_encrypted_file_needs_its_password(tmp_path: Path) -> None:
    locked = make_pdf(tmp_path / "locked.pdf", user_password="secret")
    result = validate_pdf(locked, ValidationOptions(offline=True))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.error is not None and result.error.code == "encrypted-pdf"


def test_decompression_bomb_in_the_dss_is_bounded(signed: dict[str, Path], tmp_path: Path) -> None:
    """A DSS "CRL" that inflates 1000:1 to 64 MiB: pyHanko's decode limits
    stop it, the engine treats it as missing data and carries on."""
    import zlib

    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
    with open(signed["B-B"], "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        crl = writer.add_object(
            generic.StreamObject({pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=bomb)
        )
        writer.root[pdf_name("/DSS")] = writer.add_object(
            generic.DictionaryObject({pdf_name("/CRLs"): generic.ArrayObject([crl])})
        )
        writer.update_root()
        out = tmp_path / "bomb.pdf"
        with open(out, "wb") as dst:
            writer.write(dst)
    result = validate_pdf(out, ValidationOptions(offline=True))
    (sig,) = result.signatures
    assert sig.intact and result.verdict is not Verdict.VALID
    # the engine's reader is the one that refuses to inflate it
    from pyhanko.pdf_utils.decode_limits import DecodePurpose
    from pyhanko.pdf_utils.misc import PdfDecodeLimitError

    from signing.validation.hostile import open_reader

    with open(out, "rb") as fh:
        reader, _ = open_reader(fh, out.stat().st_size)
        stream = reader.root["/DSS"]["/CRLs"][0]
        with pytest.raises(PdfDecodeLimitError):
            stream.read_data(DecodePurpose.CRL)
