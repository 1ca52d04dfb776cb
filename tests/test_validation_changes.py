"""What changed after a signature, named by what the update contains: files
signed here with the test PKI, then changed by an incremental update.

- updates that only add validation data (DSS, document timestamps however
  their dictionary is typed) are "validation data added", and keep VALID;
- after a signature with no lock, changed pages, page content or catalog
  entries are INVALID with the change named; what cannot be classified
  stays INDETERMINATE;
- what the signer stated (/Reason...) is read from the signed revision;
- a signature whose signed bytes changed is INVALID / HASH_FAILURE, whatever
  broke later.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
from pyhanko.sign.signers.pdf_byterange import PdfSignedData

from signing.model.results import (
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    Level,
    SignatureResult,
    Verdict,
)
from signing.validation.engine import validate_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.test_validation_engine import sign, trusting


def _signature(result: FileResult) -> SignatureResult:
    sigs = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
    assert len(sigs) == 1, result
    return sigs[0]


def _codes(entry: SignatureResult) -> set[str]:
    return {r.code for r in entry.reasons}


def add_timestamp(
    pki: PKI,
    src: Path,
    dst: Path,
    sig_type: str | None,
    box: tuple[int, int, int, int] | None = None,
) -> Path:
    """A document timestamp in a new field (invisible, or with ``box`` on
    page 1), its dictionary typed ``sig_type`` (None: no /Type at all), as
    other writers make them."""
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        placeholder = PdfSignedData(
            obj_type=pdf_name("/DocTimeStamp"),
            subfilter=SigSeedSubFilter.ETSI_RFC3161,
            bytes_reserved=16384,
        )
        if sig_type is None:
            del placeholder["/Type"]
        else:
            placeholder[pdf_name("/Type")] = pdf_name(sig_type)
        embedder = PdfCMSEmbedder(new_field_spec=SigFieldSpec("Stamp1", box=box)).write_cms(
            field_name="Stamp1", writer=writer
        )
        next(embedder)
        embedder.send(SigObjSetup(sig_placeholder=placeholder))
        prepared, output = embedder.send(SigIOSetup(md_algorithm="sha256"))
        stamper = timestamps.HTTPTimeStamper(pki.tsa_url())
        token = asyncio.run(stamper.async_timestamp(prepared.document_digest, "sha256"))
        embedder.send(token)
    dst.write_bytes(output.getvalue())
    return dst


@pytest.fixture(scope="module")
def b_lt(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("changes")
    src = make_pdf(folder / "plain.pdf", text="Changes test", pages=2)
    return sign(pki, src, folder / "b-lt.pdf", "B-LT")


# --- 1. validation data added --------------------------------------------------


@pytest.mark.parametrize("sig_type", [None, "/Sig", "/DocTimeStamp"])
def test_timestamp_update_is_validation_data(
    pki: PKI, b_lt: Path, tmp_path: Path, sig_type: str | None
) -> None:
    """A document timestamp added after a B-LT signature is validation data
    whatever its dictionary's /Type: VALID, never "form fields filled in".
    An untyped one counts as an archive timestamp (B-LTA, as EU DSS counts
    it); one in a /Type /Sig dictionary does not (DSS says B-LT for those)."""
    stamped = add_timestamp(pki, b_lt, tmp_path / "stamped.pdf", sig_type)
    result = validate_pdf(stamped, trusting(pki, offline=True))
    sig = _signature(result)
    mod = sig.modification
    assert mod is not None and mod.modified_after_signing
    assert mod.change_kind is ChangeKind.LTA_UPDATES, sig.reasons
    assert sig.verdict is Verdict.VALID, sig.reasons
    assert result.verdict is Verdict.VALID, [r.code for s in result.signatures for r in s.reasons]
    assert not result.modified_after_last_signature
    why = [r for r in sig.reasons if r.code == "modified-after-signing"]
    assert why and "validation data" in why[0].en and why[0].severity is Verdict.VALID
    assert sig.level is (Level.B_LT if sig_type == "/Sig" else Level.B_LTA)
    stamps = [s for s in result.signatures if s.kind is EntryKind.DOCUMENT_TIMESTAMP]
    assert len(stamps) == 1 and stamps[0].indication is Indication.TOTAL_PASSED


@pytest.mark.parametrize("sig_type", [None, "/DocTimeStamp"])
def test_a_visible_timestamp_is_named_as_one(
    pki: PKI, b_lt: Path, tmp_path: Path, sig_type: str | None
) -> None:
    """A document timestamp with an area on the page (SK's writer makes
    them: SiVa's pades-baseline-lta-live-aj) is validation data, never "form
    fields were filled in"; its stamp is drawn over the signed page, so the
    signature gets a warning that says exactly that. (SiVa says
    TOTAL-PASSED: it does not look at what an update shows.)"""
    stamped = add_timestamp(pki, b_lt, tmp_path / "stamped.pdf", sig_type, box=(50, 50, 250, 100))
    result = validate_pdf(stamped, trusting(pki, offline=True))
    sig = _signature(result)
    assert sig.modification is not None
    assert sig.modification.change_kind is ChangeKind.LTA_UPDATES, sig.reasons
    assert not any("filled in" in r.en for r in sig.reasons), sig.reasons
    (named,) = [r for r in sig.reasons if r.code == "visible-timestamp-added"]
    assert "Stamp1" in named.en and "Stamp1" in named.ja
    assert named.severity is Verdict.VALID_WITH_WARNINGS
    assert sig.verdict is Verdict.VALID_WITH_WARNINGS, [(r.code, r.severity) for r in sig.reasons]
    stamps = [s for s in result.signatures if s.kind is EntryKind.DOCUMENT_TIMESTAMP]
    assert len(stamps) == 1 and stamps[0].indication is Indication.TOTAL_PASSED
    # the same timestamp without an area: no such warning
    plain = validate_pdf(
        add_timestamp(pki, b_lt, tmp_path / "plain.pdf", sig_type), trusting(pki, offline=True)
    )
    assert "visible-timestamp-added" not in _codes(_signature(plain))


# --- 6. tampered means INVALID -----------------------------------------------------


def test_flipped_byte_in_a_covered_dss_certificate_is_invalid(pki: PKI, tmp_path: Path) -> None:
    """A byte flipped inside a certificate stream of the DSS that the
    archive timestamp covers (the signer's name, made invalid UTF-8): the
    timestamp is not intact, so it is INVALID / HASH_FAILURE, whatever a
    later step made of the damaged certificate."""
    src = make_pdf(tmp_path / "plain.pdf", text="Tamper test")
    lta = sign(pki, src, tmp_path / "b-lta.pdf", "B-LTA")
    data = bytearray(lta.read_bytes())
    signer = pki.cert_der("signer-rsa")
    at = bytes(data).find(signer)
    assert at > 0, "the DSS holds the signer's certificate as a raw stream"
    name = signer.find(b"Alice Tester")
    assert name > 0
    data[at + name + 2] = 0xFF  # "Al\xffce": no longer UTF-8
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    result = validate_pdf(tampered, trusting(pki, offline=True))
    assert result.verdict is Verdict.INVALID
    stamps = [s for s in result.signatures if s.kind is EntryKind.DOCUMENT_TIMESTAMP]
    assert len(stamps) == 1
    stamp = stamps[0]
    assert not stamp.intact
    assert stamp.verdict is Verdict.INVALID
    assert stamp.indication is Indication.TOTAL_FAILED
    assert stamp.subindication == "HASH_FAILURE"
    assert "hash-mismatch" in _codes(stamp)
    assert "validation-error" not in _codes(stamp)
    # the signature itself does not cover the DSS: its own bytes are intact
    assert _signature(result).intact


# --- 3. what the signer stated ------------------------------------------------------


def _sign_stating(
    pki: PKI, src: Path, dst: Path, *, reason: str, location: str, field: str = "Sig1"
) -> Path:
    """B-T, with a /Reason and a /Location."""
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path("signer-rsa"), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    tsa = timestamps.HTTPTimeStamper(pki.tsa_url())
    with open(src, "rb") as fh, open(dst, "wb") as out:
        signers.PdfSigner(meta, signer, timestamper=tsa).sign_pdf(
            IncrementalPdfFileWriter(fh), output=out
        )
    return dst


def _replace_reason(src: Path, dst: Path, new_reason: str) -> Path:
    """An incremental update that rewrites the signature dictionary (same
    object number, same /Contents and /ByteRange) with another /Reason."""
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        sig_ref = field.raw_get("/V")
        sig = sig_ref.get_object()
        sig[pdf_name("/Reason")] = generic.TextStringObject(new_reason)
        sig[pdf_name("/Location")] = generic.TextStringObject("Elsewhere")
        writer.mark_update(sig_ref)
        with open(dst, "wb") as out:
            writer.write(out)
    return dst


def test_stated_reason_comes_from_the_signed_revision(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "plain.pdf", text="Reason test")
    signed = _sign_stating(pki, src, tmp_path / "signed.pdf", reason="Approved", location="Tokyo")
    before = _signature(validate_pdf(signed, trusting(pki)))
    assert (before.reason, before.location) == ("Approved", "Tokyo")
    forged = _replace_reason(signed, tmp_path / "forged.pdf", "Rejected")
    result = validate_pdf(forged, trusting(pki))
    sig = _signature(result)
    assert (sig.reason, sig.location) == ("Approved", "Tokyo")
    assert sig.modification is not None and sig.modification.modified_after_signing
    assert result.modified_after_last_signature
    assert result.verdict not in (Verdict.VALID, Verdict.VALID_WITH_WARNINGS)
    assert "signature-dictionary-changed" in _codes(sig), _codes(sig)


# --- 2. content changed after a signature with no lock ----------------------------


def _update(src: Path, dst: Path, change: str) -> Path:
    """One incremental update after the signature, of the kind ``change``."""
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        pages = writer.root["/Pages"]
        kids = pages["/Kids"]
        first = kids[0].get_object()
        if change == "content":
            extra = writer.add_object(
                generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 500 Td (PAID IN FULL) Tj ET")
            )
            first[pdf_name("/Contents")] = generic.ArrayObject([first["/Contents"], extra])
            writer.update_container(first)
        elif change == "font":
            font = first["/Resources"]["/Font"]["/F1"]
            font[pdf_name("/BaseFont")] = pdf_name("/Courier")
            writer.update_container(font)
        elif change in ("page-added", "page-replaced", "page-removed"):
            copy = generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Page"),
                    pdf_name("/Parent"): writer.root.raw_get("/Pages"),
                    pdf_name("/MediaBox"): first["/MediaBox"],
                    pdf_name("/Resources"): first.raw_get("/Resources"),
                    pdf_name("/Contents"): writer.add_object(
                        generic.StreamObject(stream_data=b"BT /F1 18 Tf 72 760 Td (Other) Tj ET")
                    ),
                }
            )
            new_ref = writer.add_object(copy)
            if change == "page-added":
                kids.append(new_ref)
            elif change == "page-replaced":
                kids[1] = new_ref
            else:
                del kids[1]
            pages[pdf_name("/Count")] = generic.NumberObject(len(kids))
            writer.update_container(pages)
        elif change == "open-action":
            writer.root[pdf_name("/OpenAction")] = generic.DictionaryObject(
                {
                    pdf_name("/S"): pdf_name("/URI"),
                    pdf_name("/URI"): generic.TextStringObject("https://example.invalid/"),
                }
            )
            writer.update_root()
        elif change == "annotation":
            note = writer.add_object(
                generic.DictionaryObject(
                    {
                        pdf_name("/Type"): pdf_name("/Annot"),
                        pdf_name("/Subtype"): pdf_name("/Text"),
                        pdf_name("/Rect"): generic.ArrayObject(
                            [generic.NumberObject(n) for n in (100, 100, 120, 120)]
                        ),
                        pdf_name("/Contents"): generic.TextStringObject("a comment"),
                    }
                )
            )
            annots = first.get("/Annots")
            if annots is None:
                first[pdf_name("/Annots")] = generic.ArrayObject([note])
                writer.update_container(first)
            else:
                annots.append(note)
                writer.update_container(annots)
        with open(dst, "wb") as out:
            writer.write(out)
    return dst


@pytest.mark.parametrize(
    ("change", "named_en", "named_ja"),
    [
        ("content", "content of page(s) 1", "1 ページ目の内容"),
        ("font", "content of page(s) 1, 2", "1、2 ページ目の内容"),  # (a shared font)
        ("page-added", "1 page(s) added", "1 ページの追加"),
        ("page-removed", "1 page(s) removed", "1 ページの削除"),
        ("page-replaced", "page(s) 2 replaced", "2 ページ目の差し替え"),
        ("open-action", "document-level entries changed (OpenAction)", "OpenAction"),
    ],
)
def test_content_changed_after_an_unlocked_signature_is_invalid(
    pki: PKI, b_lt: Path, tmp_path: Path, change: str, named_en: str, named_ja: str
) -> None:
    changed = _update(b_lt, tmp_path / f"{change}.pdf", change)
    result = validate_pdf(changed, trusting(pki, offline=True))
    sig = _signature(result)
    # the signed revision is intact; the entry is still TOTAL-FAILED, as its
    # verdict is INVALID for what changed (ETSI consistency, issue 15)
    assert sig.intact and sig.indication is Indication.TOTAL_FAILED
    assert sig.subindication == "FORMAT_FAILURE"
    assert sig.modification is not None and sig.modification.change_kind is ChangeKind.OTHER
    assert sig.modification.docmdp_level is None  # no lock
    assert sig.verdict is Verdict.INVALID and result.verdict is Verdict.INVALID
    why = [r for r in sig.reasons if r.code == "content-changed"]
    assert why, _codes(sig)
    assert named_en in why[0].en and named_ja in why[0].ja, why[0]
    assert "unexplained-changes" not in _codes(sig)
    assert result.modified_after_last_signature


def test_a_change_that_cannot_be_classified_stays_indeterminate(
    pki: PKI, b_lt: Path, tmp_path: Path
) -> None:
    """A comment added to a page: not content, not allowed by pyHanko's
    analysis, neither proven harmful nor harmless. Named, INDETERMINATE."""
    changed = _update(b_lt, tmp_path / "annotation.pdf", "annotation")
    result = validate_pdf(changed, trusting(pki, offline=True))
    sig = _signature(result)
    assert sig.verdict is Verdict.INDETERMINATE, sig.reasons
    why = [r for r in sig.reasons if r.code == "unexplained-changes"]
    assert why and "annotations on page(s) 1" in why[0].en and "注釈" in why[0].ja
    assert "content-changed" not in _codes(sig)


# --- 5. updates named by what they contain -----------------------------------------


def _set_need_appearances(src: Path, dst: Path) -> Path:
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        form = writer.root["/AcroForm"]
        form[pdf_name("/NeedAppearances")] = generic.BooleanObject(True)
        if isinstance(writer.root.raw_get("/AcroForm"), generic.IndirectObject):
            writer.update_container(form)
        else:
            writer.update_root()
        with open(dst, "wb") as out:
            writer.write(out)
    return dst


def _add_empty_field(src: Path, dst: Path) -> Path:
    from pyhanko.sign.fields import append_signature_field

    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        append_signature_field(writer, SigFieldSpec(sig_field_name="Later", on_page=0))
        with open(dst, "wb") as out:
            writer.write(out)
    return dst


def _define_twice(src: Path, dst: Path) -> Path:
    """An update that rewrites page 1 unchanged (what its cross-reference
    section points at), with a second, different definition of it before."""
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
        writer.mark_update(page_ref)
        with open(dst, "wb") as out:
            writer.write(out)
    data = dst.read_bytes()
    idnum = page_ref.reference.idnum
    start = data.rfind(b"startxref")
    section = int(data[start:].split()[1])  # after the update's objects: no offset moves
    twin = f"{idnum} 0 obj\n<< /Type /Page /Rotate 90 >>\nendobj\n".encode()
    forged = data[:section] + twin + data[section:start]
    head = forged + f"startxref\n{section + len(twin)}\n%%EOF\n".encode()
    tail = b""
    dst.write_bytes(head + tail)
    return dst


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("need-appearances", "need-appearances-set"),
        ("empty-field", "empty-signature-field-added"),
        ("defined-twice", "object-defined-twice"),
        ("trailing-bytes", "bytes-after-eof"),
    ],
)
def test_named_updates_are_warnings(
    pki: PKI, b_lt: Path, tmp_path: Path, kind: str, code: str
) -> None:
    """Each kind of update is named in the result: VALID_WITH_WARNINGS at
    most, never a silent VALID; the file's and the signature's "modified"
    flags agree."""
    out = tmp_path / f"{kind}.pdf"
    if kind == "need-appearances":
        _set_need_appearances(b_lt, out)
    elif kind == "empty-field":
        _add_empty_field(b_lt, out)
    elif kind == "defined-twice":
        _define_twice(b_lt, out)
    else:
        out.write_bytes(b_lt.read_bytes() + b"\nnot an update at all\n")
    result = validate_pdf(out, trusting(pki, offline=True))
    assert result.error is None, result.error
    sig = _signature(result)
    assert code in _codes(sig), _codes(sig)
    named = next(r for r in sig.reasons if r.code == code)
    assert named.severity is Verdict.VALID_WITH_WARNINGS and named.ja
    assert sig.verdict is Verdict.VALID_WITH_WARNINGS, [(r.code, r.severity) for r in sig.reasons]
    assert result.verdict is Verdict.VALID_WITH_WARNINGS
    assert sig.modification is not None and sig.modification.modified_after_signing
    assert result.modified_after_last_signature


def test_trailing_junk_ending_in_eof_keeps_the_file_readable(
    pki: PKI, b_lt: Path, tmp_path: Path
) -> None:
    """Junk after a valid update, itself ending in ``%%EOF``: the file is
    still read (it was "unreadable"), and the junk named."""
    out = tmp_path / "junk-eof.pdf"
    out.write_bytes(b_lt.read_bytes() + b"\nsome junk that is no update\n%%EOF\n")
    result = validate_pdf(out, trusting(pki, offline=True))
    assert result.error is None, result.error
    sig = _signature(result)
    assert sig.intact and sig.indication is Indication.TOTAL_PASSED
    assert "bytes-after-eof" in _codes(sig)
    assert result.verdict is Verdict.VALID_WITH_WARNINGS


# --- 4. files other validators read ----------------------------------------------


def _classic_pdf(trailer_extra: bytes) -> bytes:
    """A one-page PDF with a classic cross-reference table and ``trailer_extra``
    in its trailer."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 4 /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer_extra, xref)
    return bytes(out)


def test_prev_zero_ends_the_cross_reference_chain(pki: PKI, tmp_path: Path) -> None:
    """A trailer with ``/Prev 0`` (EU DSS's pades-5-signatures-and-1-document-
    timestamp.pdf has one): offset 0 is the header, never a section, and
    PDFBox, qpdf and poppler end the chain there. It ended as "validation
    error (OSError: [Errno 22] Invalid argument)", and could not be signed.
    Here: the file is signed five times and timestamped, as that one is, and
    every entry is read and judged."""
    from signing.keys.pkcs12 import Pkcs12KeySource
    from signing.sign.request import Level as SignLevel
    from signing.sign.request import SignRequest
    from signing.sign.signer import sign_pdf
    from tests.test_sign_encrypted import Answers

    current = tmp_path / "prev0.pdf"
    current.write_bytes(_classic_pdf(b" /Prev 0"))
    for i in range(5):
        nxt = tmp_path / f"signed{i}.pdf"
        request = SignRequest(
            input_path=current,
            output_path=nxt,
            key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
            level=SignLevel.B_B,
        )
        sign_pdf(request, Answers())
        current = nxt
    stamped = add_timestamp(pki, current, tmp_path / "stamped.pdf", "/DocTimeStamp")
    result = validate_pdf(stamped, trusting(pki))  # (revocation from the test PKI)
    assert result.error is None, result.error
    kinds = [s.kind for s in result.signatures]
    assert kinds.count(EntryKind.SIGNATURE) == 5 and kinds.count(EntryKind.DOCUMENT_TIMESTAMP) == 1
    for entry in result.signatures:
        assert entry.intact, entry
        assert "validation-error" not in _codes(entry), entry.reasons
        assert entry.indication is Indication.TOTAL_PASSED, entry.reasons


@pytest.mark.parametrize("entry", [b"5", b"[1 2]", b"null", b"999 0 R"])
def test_encrypt_entry_that_is_no_dictionary_is_read(
    pki: PKI, b_lt: Path, tmp_path: Path, entry: bytes
) -> None:
    """A last update whose trailer's /Encrypt is not a dictionary (EU DSS
    reads such files): read as not encrypted, with a word about it; it
    ended as "validation error: Encryption settings must be a dictionary"
    with no signature found."""
    data = b_lt.read_bytes()
    start = data.rfind(b"startxref")
    prev = int(data[start:].split()[1])
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(b_lt, "rb") as fh:
        trailer = PdfFileReader(fh).trailer
        size, root = int(trailer["/Size"]), trailer.raw_get("/Root").reference.idnum
    at = len(data) + 1
    update = (
        b"\nxref\n0 0\ntrailer\n<< /Size %d /Root %d 0 R /Prev %d /Encrypt %s >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (size, root, prev, entry, at)
    )
    out = tmp_path / "encrypt.pdf"
    out.write_bytes(data + update)
    result = validate_pdf(out, trusting(pki, offline=True))
    assert result.error is None, result.error
    sig = _signature(result)
    assert sig.intact and sig.indication is Indication.TOTAL_PASSED
    (why,) = [r for r in result.reasons if r.code == "encrypt-entry-ignored"]
    assert why.severity is Verdict.VALID_WITH_WARNINGS and "/Encrypt" in why.ja
    assert result.verdict is Verdict.VALID_WITH_WARNINGS


# --- 5. files that cannot be parsed ------------------------------------------------


def test_unparseable_file_with_intact_signature_is_indeterminate(
    pki: PKI, b_lt: Path, tmp_path: Path
) -> None:
    """An update that no reader can parse, after an intact signature:
    "cannot be processed" (INDETERMINATE) with the cause, never INVALID."""
    data = b_lt.read_bytes()
    at = len(data) + 1
    broken = data + b"\nxref\nnot a table\ntrailer\n<< /Size 3 >>\nstartxref\n%d\n%%%%EOF\n" % at
    out = tmp_path / "broken-update.pdf"
    out.write_bytes(broken)
    result = validate_pdf(out, trusting(pki, offline=True))
    assert result.error is not None and result.error.code == "unreadable-pdf", result.error
    assert result.error.severity is Verdict.INDETERMINATE
    assert result.verdict is Verdict.INDETERMINATE
    assert "hash-mismatch" not in {r.code for r in result.reasons}


def test_unparseable_file_that_lost_signed_bytes_is_invalid(pki: PKI, tmp_path: Path) -> None:
    """Signed bytes overwritten so that the file cannot be parsed: the
    signature found by its /ByteRange proves it (INVALID, hash mismatch)."""
    src = make_pdf(tmp_path / "plain.pdf", text="Unparseable test")
    signed = sign(pki, src, tmp_path / "b-b.pdf", "B-B")
    data = bytearray(signed.read_bytes())
    xref = data.rfind(b"startxref")
    data[xref - 40 : xref] = b"#" * 40  # the cross-reference section, signed
    out = tmp_path / "broken.pdf"
    out.write_bytes(bytes(data))
    result = validate_pdf(out, trusting(pki, offline=True))
    assert result.error is not None and result.error.code == "unreadable-pdf", result
    assert result.verdict is Verdict.INVALID
    assert "hash-mismatch" in {r.code for r in result.reasons}


def _vri_update(src: Path, dst: Path, key: str) -> Path:
    """A DSS update giving the /VRI key ``key`` a (new) entry listing the
    DSS's first certificate."""
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        dss = writer.root["/DSS"]
        cert = dss["/Certs"].raw_get(0)
        entry = writer.add_object(
            generic.DictionaryObject({pdf_name("/Cert"): generic.ArrayObject([cert])})
        )
        vri = dss.get("/VRI")
        if vri is None:
            dss[pdf_name("/VRI")] = generic.DictionaryObject({pdf_name(key): entry})
        else:
            vri[pdf_name(key)] = entry
        if isinstance(writer.root.raw_get("/DSS"), generic.IndirectObject):
            writer.update_container(dss)
        else:
            writer.update_root()
        if vri is not None and isinstance(dss.raw_get("/VRI"), generic.IndirectObject):
            writer.update_container(vri)
        with open(dst, "wb") as out:
            writer.write(out)
    return dst


def test_a_vri_entry_given_anew_is_validation_data(pki: PKI, b_lt: Path, tmp_path: Path) -> None:
    """SK's and e-Szigno's writers give a /VRI key that a signature covers a
    new entry in a later DSS update (pyHanko: "cannot be shown harmless"):
    validation data, VALID."""
    key = "/" + "A" * 40
    first = _vri_update(b_lt, tmp_path / "vri1.pdf", key)
    second = _sign_stating(
        pki, first, tmp_path / "signed2.pdf", reason="Second", location="Osaka", field="Sig2"
    )
    again = _vri_update(second, tmp_path / "vri2.pdf", key)
    result = validate_pdf(again, trusting(pki, offline=True))
    (sig2,) = [s for s in result.signatures if s.field_name == "Sig2"]
    assert sig2.modification is not None and sig2.modification.modified_after_signing
    assert sig2.modification.change_kind is ChangeKind.LTA_UPDATES, sig2.reasons
    assert "unexplained-changes" not in _codes(sig2)
