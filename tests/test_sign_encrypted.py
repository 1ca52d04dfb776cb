"""Encrypted inputs: signed as every reader opens them, and co-signed or
extended without making an earlier signature look modified.

- a file whose user password is empty opens without asking (as readers
  do) and is signed; one with a user password is signed with it; the
  owner password is never needed for an incremental update;
- RC4 (40 and 128 bit), AES-128 and AES-256 (R6), the /Encrypt dictionary
  held as an object or directly in the trailer (as MuPDF writes it);
- the output stays encrypted the same way and validates (Shomei, and
  poppler's pdfsig when installed);
- the 2008 Official Gazette (``kampo.pdf``: RC4, empty user password,
  signed, with an XMP packet without the ``x:xmpmeta`` wrapper) co-signed:
  its first signature is not "changes cannot be shown harmless", while a
  page or metadata change in the same kind of file still is.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import (
    SecurityHandlerVersion,
    StandardSecurityHandler,
    StandardSecuritySettingsRevision,
)
from pyhanko.pdf_utils.crypt.permissions import StandardPermissions
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import signers

from signing import thirdparty_internals as internals
from signing.errors import EncryptedPdfError, UserCancelled
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.model.results import ChangeKind, EntryKind, FileResult, SignatureResult, Verdict
from signing.secrets import SecretKind, SecretRequest
from signing.sign.extend import extend_pdf, timestamp_pdf
from signing.sign.request import ExtendRequest, Level, SignRequest
from signing.sign.signer import sign_pdf
from signing.validation.engine import validate_pdf
from tests.conftest import need
from tests.pdf_factory import A4, helvetica
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import make_nss_db, sha256
from tests.sign_helpers import timestamp_request
from tests.test_sign_cli import run
from tests.test_validation_engine import trusting

OWNER = "owner-only-secret"


class Answers:
    """The key password for the key; ``pdf`` for the PDF (None: the user
    cancels). Records what was asked."""

    def __init__(self, pdf: str | None = None) -> None:
        self.pdf = pdf
        self.asked: list[SecretKind] = []

    def ask(self, request: SecretRequest) -> str:
        self.asked.append(request.kind)
        if request.kind is not SecretKind.PDF_PASSWORD:
            return KEY_PASSWORD
        if self.pdf is None or request.retry:
            raise UserCancelled()
        return self.pdf


def _r5_handler(user: str) -> StandardSecurityHandler:
    """A revision 5 handler (Acrobat 9; Adobe extension level 3, algorithm
    3.2a: one SHA-256 where revision 6 iterates), written as /R 6 and
    relabelled afterwards (pyHanko writes no revision 5)."""
    key = os.urandom(32)

    def sha(*parts: bytes) -> bytes:
        return hashlib.sha256(b"".join(parts)).digest()

    def aes(k: bytes, data: bytes, mode: modes.Mode) -> bytes:
        encryptor = Cipher(algorithms.AES(k), mode).encryptor()
        return encryptor.update(data) + encryptor.finalize()

    u_salts, o_salts = os.urandom(16), os.urandom(16)
    upw, opw = user.encode(), OWNER.encode()
    udata = sha(upw, u_salts[:8]) + u_salts
    odata = sha(opw, o_salts[:8], udata) + o_salts
    perms = StandardPermissions.allow_everything()
    raw_perms = perms.as_uint32().to_bytes(4, "little") + b"\xff" * 4 + b"Tadb" + os.urandom(4)
    handler = StandardSecurityHandler(
        version=SecurityHandlerVersion.AES256,
        revision=StandardSecuritySettingsRevision.AES256,
        legacy_keylen=32,
        perm_flags=perms,
        odata=odata,
        udata=udata,
        oeseed=aes(sha(opw, o_salts[8:], udata), key, modes.CBC(bytes(16))),
        ueseed=aes(sha(upw, u_salts[8:]), key, modes.CBC(bytes(16))),
        encrypted_perms=aes(key, raw_perms, modes.ECB()),
    )
    handler._shared_key = key
    return handler


def _handler(kind: str, id1: bytes, user: str) -> StandardSecurityHandler:
    if kind == "aes-256-r5":
        return _r5_handler(user)
    if kind == "aes-256":
        return StandardSecurityHandler.build_from_pw(OWNER, user)
    rev, keylen, aes = {
        "rc4-40": (StandardSecuritySettingsRevision.RC4_BASIC, 5, False),
        "rc4-128": (StandardSecuritySettingsRevision.RC4_EXTENDED, 16, False),
        "aes-128": (StandardSecuritySettingsRevision.RC4_OR_AES128, 16, True),
    }[kind]
    return StandardSecurityHandler.build_from_pw_legacy(
        rev, id1, OWNER, user, keylen_bytes=keylen, use_aes128=aes
    )


def encrypted_pdf(path: Path, kind: str, user: str, *, direct: bool = False) -> Path:
    """A one-page PDF encrypted with ``kind``, user password ``user`` (may be
    empty) and an owner password; ``direct``: /Encrypt held in the trailer
    itself, not as an object."""
    writer = PdfFileWriter()
    font = helvetica(writer)
    ops = f"BT /F1 18 Tf 72 760 Td (encrypted {kind}) Tj ET\n".encode()
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font})}
    )
    contents = writer.add_object(generic.StreamObject(stream_data=ops))
    writer.insert_page(PageObject(contents=contents, media_box=A4, resources=resources))
    sh = _handler(kind, writer.document_id[0].original_bytes, user)
    writer._assign_security_handler(sh)
    if direct:
        writer._encrypt = generic.DictionaryObject(sh.as_pdf_object())
        internals.keep_direct_encrypt_dictionary(writer)
    with path.open("wb") as out:
        writer.write(out)
    if kind == "aes-256-r5":
        data = path.read_bytes()
        assert data.count(b"/R 6") == 1
        path.write_bytes(data.replace(b"/R 6", b"/R 5"))
    return path


def _request(pki: PKI, src: Path, out: Path, **kw: object) -> SignRequest:
    kw.setdefault("level", Level.B_B)
    return SignRequest(
        input_path=src,
        output_path=out,
        key_source=Pkcs12KeySource(pki.p12_path(str(kw.pop("label", "signer-rsa")))),
        trust_roots=(pki.cert_pem_path("root"),),
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def nss(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    if shutil.which("pdfsig") is None or shutil.which("certutil") is None:
        yield None
        return
    yield make_nss_db(tmp_path_factory.mktemp("nss"), pki.cert_pem_path("root"))


def pdfsig_blocks(path: Path, nss: str, password: str = "") -> list[str]:
    """pdfsig's report per signature, opening the file with ``password``."""
    cmd = ["pdfsig", "-nssdir", nss, str(path)]
    if password:
        cmd[1:1] = ["-upw", password]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return re.split(r"^Signature #\d+:\s*$", res.stdout, flags=re.M)[1:]


def _signatures(result: FileResult) -> list[SignatureResult]:
    return [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]


def _encrypt_entry(path: Path, password: str = "") -> object:
    with path.open("rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        assert reader.decrypt(password).status.name != "FAILED"
        return dict(reader.trailer["/Encrypt"])


CASES = [
    ("rc4-40", "", False),
    ("rc4-128", "", False),
    ("rc4-128", "user-pw", False),
    ("aes-128", "", False),
    ("aes-256", "", False),
    ("aes-256", "user-pw", False),
    ("aes-256-r5", "", False),
    ("aes-256-r5", "user-pw", False),
    ("aes-128", "", True),
    ("aes-256", "user-pw", True),
]


@pytest.mark.parametrize(
    ("kind", "user", "direct"),
    CASES,
    ids=[f"{k}-{'pw' if u else 'empty'}{'-direct' if d else ''}" for k, u, d in CASES],
)
def test_encrypted_input_is_signed(
    pki: PKI, nss: str | None, tmp_path: Path, kind: str, user: str, direct: bool
) -> None:
    src = encrypted_pdf(tmp_path / "in.pdf", kind, user, direct=direct)
    before = sha256(src)
    prompt = Answers(user or None)
    out = sign_pdf(_request(pki, src, tmp_path / "out.pdf"), prompt).output_path
    assert sha256(src) == before
    # an empty user password is never asked for; the owner password never
    assert (SecretKind.PDF_PASSWORD in prompt.asked) is bool(user)
    # still encrypted, with the same dictionary
    assert _encrypt_entry(out, user) == _encrypt_entry(src, user)

    result = validate_pdf(out, trusting(pki, pdf_password=user or None))
    (sig,) = _signatures(result)
    assert sig.verdict is Verdict.VALID, [r.code for r in sig.reasons]
    assert not result.reasons, [r.code for r in result.reasons]
    assert sig.intact and sig.modification is not None
    assert sig.modification.covers_whole_file
    assert sig.modification.change_kind is ChangeKind.NONE

    if nss is not None:
        (block,) = pdfsig_blocks(out, nss, user)
        assert "Signature is Valid" in block and "Certificate is Trusted" in block, block
        assert "- Total document signed" in block, block


def test_wrong_password_refused_in_one_line(pki: PKI, tmp_path: Path) -> None:
    src = encrypted_pdf(tmp_path / "in.pdf", "aes-256", "user-pw")
    with pytest.raises(EncryptedPdfError) as info:
        sign_pdf(_request(pki, src, tmp_path / "out.pdf"), Answers("not-it"))
    assert "password" in str(info.value) and "\n" not in str(info.value)
    assert "not-it" not in str(info.value)
    assert not (tmp_path / "out.pdf").exists()


def test_altered_permissions_refused_with_the_cause(pki: PKI, tmp_path: Path) -> None:
    """AES-256 whose /P no longer matches /Perms (ISO 32000-2: altered):
    one line naming that, not "damaged"."""
    src = encrypted_pdf(tmp_path / "in.pdf", "aes-256", "")
    data = src.read_bytes()
    assert data.count(b"/P -4") == 1
    src.write_bytes(data.replace(b"/P -4", b"/P -8"))  # (printing no longer allowed)
    with pytest.raises(EncryptedPdfError) as info:
        sign_pdf(_request(pki, src, tmp_path / "out.pdf"), Answers())
    message = str(info.value)
    assert "/Perms" in message and "altered" in message and "damaged" not in message
    assert "\n" not in message
    assert not (tmp_path / "out.pdf").exists()


def test_encrypted_signed_file_extended(pki: PKI, tmp_path: Path) -> None:
    """B-T on an AES-256 file with a user password, then extended to B-LT
    with that password: the signature stays intact, the update is validation
    data only."""
    src = encrypted_pdf(tmp_path / "in.pdf", "aes-256", "user-pw")
    bt = sign_pdf(
        _request(pki, src, tmp_path / "bt.pdf", level=Level.B_T, tsa_urls=(pki.tsa_url(),)),
        Answers("user-pw"),
    ).output_path
    lt = extend_pdf(
        ExtendRequest(
            input_path=bt,
            output_path=tmp_path / "lt.pdf",
            level=Level.B_LT,
            trust_roots=(pki.cert_pem_path("root"),),
        ),
        Answers("user-pw"),
    ).output_path
    assert _encrypt_entry(lt, "user-pw") == _encrypt_entry(src, "user-pw")
    result = validate_pdf(lt, trusting(pki, pdf_password="user-pw"))
    (sig,) = _signatures(result)
    assert sig.intact and sig.modification is not None
    assert sig.modification.change_kind is ChangeKind.LTA_UPDATES
    assert "unexplained-changes" not in {r.code for r in sig.reasons}
    assert result.verdict in (Verdict.VALID, Verdict.VALID_WITH_WARNINGS), sig.reasons


# --- co-signing: an XMP packet without the x:xmpmeta wrapper ------------------

#: the XMP packet of kampo.pdf (Acrobat Distiller 5): rdf:RDF directly
OLD_XMP = (
    b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
    b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
    b"<rdf:Description about='' xmlns:pdf='http://ns.adobe.com/pdf/1.3/' "
    b"pdf:Producer='Acrobat Distiller 5.0.5 (Windows)'/></rdf:RDF>"
    b"<?xpacket end='r'?>"
)


def _with_old_xmp(src: Path, dst: Path) -> Path:
    """``src`` (encrypted, empty user password) with an old-style XMP
    packet added, as a plain update before anything is signed."""
    with src.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        writer.encrypt("")
        meta = generic.StreamObject(
            {pdf_name("/Type"): pdf_name("/Metadata"), pdf_name("/Subtype"): pdf_name("/XML")},
            stream_data=OLD_XMP,
        )
        writer.root[pdf_name("/Metadata")] = writer.add_object(meta)
        writer.update_root()
        writer._update_meta = lambda: None  # (pyHanko would rewrite the XMP)
        with dst.open("wb") as out:
            writer.write(out)
    return dst


def _signed_old_xmp(pki: PKI, tmp_path: Path) -> Path:
    """A signed RC4 file, empty user password, with an old-style XMP packet
    the signature left as it was (as Acrobat did): what kampo.pdf is, made
    here."""
    src = encrypted_pdf(tmp_path / "in.pdf", "rc4-128", "")
    src = _with_old_xmp(src, tmp_path / "xmp.pdf")
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path("signer-rsa"), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    meta = signers.PdfSignatureMetadata(field_name="First", md_algorithm="sha256")
    dst = tmp_path / "first.pdf"
    with src.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        writer.encrypt("")
        writer._update_meta = lambda: None  # (pyHanko would rewrite the XMP)
        with dst.open("wb") as out:
            signers.PdfSigner(meta, signer).sign_pdf(writer, output=out)
    with dst.open("rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        reader.decrypt("")
        assert reader.root["/Metadata"].data == OLD_XMP
    return dst


def _first_after_cosigning(pki: PKI, signed: Path, out: Path) -> tuple[FileResult, SignatureResult]:
    prompt = Answers()
    cosigned = sign_pdf(_request(pki, signed, out, label="signer-ec"), prompt).output_path
    assert SecretKind.PDF_PASSWORD not in prompt.asked
    result = validate_pdf(cosigned, trusting(pki))
    first, second = _signatures(result)
    assert second.modification is not None and second.modification.covers_whole_file
    assert second.intact and second.modification.change_kind is ChangeKind.NONE
    return result, first


def _assert_harmless(first: SignatureResult) -> None:
    mod = first.modification
    assert first.intact and mod is not None
    assert mod.modified_after_signing and mod.changes_permitted
    assert mod.change_kind not in (ChangeKind.OTHER, ChangeKind.NONE), mod
    assert "unexplained-changes" not in {r.code for r in first.reasons}


def test_cosigning_a_file_with_old_xmp(pki: PKI, nss: str | None, tmp_path: Path) -> None:
    signed = _signed_old_xmp(pki, tmp_path)
    result, first = _first_after_cosigning(pki, signed, tmp_path / "two.pdf")
    _assert_harmless(first)
    assert result.verdict in (Verdict.VALID, Verdict.VALID_WITH_WARNINGS)
    if nss is not None:
        blocks = pdfsig_blocks(tmp_path / "two.pdf", nss)
        assert len(blocks) == 2 and all("Signature is Valid" in b for b in blocks), blocks


def _append_update(src: Path, dst: Path, change: str) -> Path:
    """An update after the signatures: new page content, or a /Metadata
    stream that is not XMP."""
    with src.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        writer.encrypt("")
        if change == "page":
            page = writer.root["/Pages"]["/Kids"][0]
            content = generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 400 Td (PAID) Tj ET\n")
            page[pdf_name("/Contents")] = writer.add_object(content)
            writer.update_container(page)
        else:
            meta = generic.StreamObject(
                {pdf_name("/Type"): pdf_name("/Metadata"), pdf_name("/Subtype"): pdf_name("/XML")},
                stream_data=b"<html><body>not XMP</body></html>",
            )
            writer.root[pdf_name("/Metadata")] = writer.add_object(meta)
            writer.update_root()
            # (pyHanko would otherwise write its own XMP into that stream)
            writer._update_meta = lambda: None
        with dst.open("wb") as out:
            writer.write(out)
    return dst


@pytest.mark.parametrize("change", ["page", "metadata"])
def test_harmful_update_to_such_a_file_still_caught(pki: PKI, tmp_path: Path, change: str) -> None:
    signed = _signed_old_xmp(pki, tmp_path)
    changed = _append_update(signed, tmp_path / "changed.pdf", change)
    result = validate_pdf(changed, trusting(pki))
    (sig,) = _signatures(result)
    assert sig.modification is not None
    assert sig.modification.change_kind is ChangeKind.OTHER
    assert not sig.modification.changes_permitted
    assert result.verdict in (Verdict.INVALID, Verdict.INDETERMINATE)


def test_kampo_cosigned(pki: PKI, nss: str | None, shared_dir: Path, tmp_path: Path) -> None:
    """The 2008 Official Gazette (RC4-40, empty user password, signed)."""
    kampo = shared_dir / "corpus" / "jp" / "kampo.pdf"
    need(kampo)
    before = validate_pdf(kampo, trusting(pki))
    (orig,) = _signatures(before)
    _result, first = _first_after_cosigning(pki, kampo, tmp_path / "kampo2.pdf")
    _assert_harmless(first)
    # what the first signature was, it stays (its 2008 algorithms and trust
    # decide its verdict, not the co-signature)
    assert first.intact is orig.intact
    assert first.indication is orig.indication
    if nss is not None:
        blocks = pdfsig_blocks(tmp_path / "kampo2.pdf", nss)
        assert len(blocks) == 2
        assert "Signature is Valid" in blocks[1] and "Total document signed" in blocks[1]


def test_kampo_timestamped(pki: PKI, shared_dir: Path, tmp_path: Path) -> None:
    """A document timestamp (with its TSA's validation data) after the 2008
    signature: validation data added, nothing unexplained."""
    kampo = shared_dir / "corpus" / "jp" / "kampo.pdf"
    need(kampo)
    stamped = timestamp_pdf(
        timestamp_request(pki, kampo, tmp_path / "ts.pdf"), Answers()
    ).output_path
    result = validate_pdf(stamped, trusting(pki))
    (first,) = _signatures(result)
    assert first.intact and first.modification is not None
    assert first.modification.change_kind is ChangeKind.LTA_UPDATES, first.modification
    assert "unexplained-changes" not in {r.code for r in first.reasons}


def test_kampo_page_change_still_caught(pki: PKI, shared_dir: Path, tmp_path: Path) -> None:
    kampo = shared_dir / "corpus" / "jp" / "kampo.pdf"
    need(kampo)
    cosigned = sign_pdf(_request(pki, kampo, tmp_path / "k2.pdf"), Answers()).output_path
    changed = _append_update(cosigned, tmp_path / "k3.pdf", "page")
    result = validate_pdf(changed, trusting(pki))
    for sig in _signatures(result):
        assert sig.modification is not None
        assert sig.modification.change_kind is ChangeKind.OTHER, sig.field_name
        assert not sig.modification.changes_permitted


def test_cli_signs_and_validates_revision_5(pki: PKI, tmp_path: Path) -> None:
    """As a script would: empty user password without any option; a user
    password from --pdf-password-file, and validate with it."""
    empty = encrypted_pdf(tmp_path / "empty.pdf", "aes-256-r5", "")
    locked = encrypted_pdf(tmp_path / "locked.pdf", "aes-256-r5", "user-pw")
    pdf_pw = tmp_path / "pdf-pw.txt"
    pdf_pw.write_text("user-pw\n")
    key = f"p12:{pki.p12_path('signer-ec')}"
    trust = str(pki.cert_pem_path("root"))
    res = run("sign", str(empty), "-o", str(tmp_path / "e.pdf"), "--key", key, "--trust", trust)
    assert res.returncode == 0, res.stderr
    res = run("sign", str(locked), "-o", str(tmp_path / "l0.pdf"), "--key", key)
    assert res.returncode != 0 and "no password was given" in res.stderr
    res = run(
        "sign",
        str(locked),
        "-o",
        str(tmp_path / "l.pdf"),
        "--key",
        key,
        "--pdf-password-file",
        str(pdf_pw),
    )
    assert res.returncode == 0, res.stderr
    for out, extra in (("e.pdf", ()), ("l.pdf", ("--pdf-password-file", str(pdf_pw)))):
        res = run("validate", str(tmp_path / out), "--trust", trust, "--no-eu", "--no-jp", *extra)
        assert res.returncode == 0, res.stdout + res.stderr
