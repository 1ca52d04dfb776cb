"""Signed attributes that are not DER-encoded (issue 14, cause 5). A CMS
signature covers the DER encoding of the signed attributes (RFC 5652, 5.4).
A signer that signed another encoding (here: the attributes in an order DER
forbids, the signature made over exactly those bytes) has a signature
pyHanko would verify as stored, but EU DSS re-encodes the attributes and
reports HASH_FAILURE. So do we, with a reason that says why."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import cms
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.model.results import Indication, Verdict
from signing.validation.der_check import der_problem
from signing.validation.engine import validate_pdf
from signing.validation.options import RevocationPolicy, ValidationOptions
from tests.pdf_factory import pyhanko_signed
from tests.pki import KEY_PASSWORD, PKI


def _signed(pki: PKI, out: Path) -> Path:
    return pyhanko_signed(out, pki.p12_path("signer-rsa"), KEY_PASSWORD)


def _reorder_and_resign(pki: PKI, pdf: Path, out: Path) -> None:
    """The same attributes in reverse (non-DER) order, signed as stored: same
    lengths everywhere, so only bytes inside /Contents change."""
    data = pdf.read_bytes()
    with pdf.open("rb") as fh:
        (emb,) = PdfFileReader(fh).embedded_signatures
        cms_bytes = bytes(emb.sig_object["/Contents"])
    info = cms.ContentInfo.load(cms_bytes.rstrip(b"\x00"))
    si = info["content"]["signer_infos"][0]
    attrs = si["signed_attrs"].dump()
    members = [a.dump() for a in si["signed_attrs"]]
    header = attrs[: len(attrs) - sum(map(len, members))]
    reordered = header + b"".join(reversed(members))
    assert der_problem(attrs) is None and der_problem(reordered) is not None
    key = pki.private_key("signer-rsa")
    new_sig = key.sign(b"\x31" + reordered[1:], padding.PKCS1v15(), hashes.SHA256())
    old_sig = si["signature"].native
    assert len(new_sig) == len(old_sig) and cms_bytes.count(attrs) == 1
    new_cms = cms_bytes.replace(attrs, reordered).replace(old_sig, new_sig)
    old_hex, new_hex = cms_bytes.hex().encode(), new_cms.hex().encode()
    if data.count(old_hex) != 1:
        old_hex, new_hex = old_hex.upper(), new_hex.upper()
    assert data.count(old_hex) == 1
    out.write_bytes(data.replace(old_hex, new_hex))


def test_non_der_signed_attributes_are_a_hash_failure(pki: PKI, tmp_path: Path) -> None:
    good = _signed(pki, tmp_path / "good.pdf")
    bad = tmp_path / "non-der.pdf"
    _reorder_and_resign(pki, good, bad)
    options = ValidationOptions(
        revocation_policy=RevocationPolicy.SKIP,
        offline=True,
        user_trust_files=(pki.cert_pem_path("root"),),
    )
    (ok,) = validate_pdf(good, options).signatures
    assert ok.indication is Indication.TOTAL_PASSED, ok.reasons
    result = validate_pdf(bad, options)
    (sig,) = result.signatures
    assert sig.indication is Indication.TOTAL_FAILED
    assert sig.subindication == "HASH_FAILURE"
    assert not sig.intact
    assert sig.verdict is Verdict.INVALID and result.verdict is Verdict.INVALID
    codes = [r.code for r in sig.reasons]
    assert "signed-attributes-not-der" in codes
    assert "hash-mismatch" not in codes  # the document itself was not changed
    (why,) = [r for r in sig.reasons if r.code == "signed-attributes-not-der"]
    assert "not DER-encoded" in why.en and "DER order" in why.en
    assert "DER で符号化されていません" in why.ja


def test_der_check_on_hostile_encodings() -> None:
    assert der_problem(bytes.fromhex("3106020101020102")) is None
    assert "order" in (der_problem(bytes.fromhex("3106020102020101")) or "")
    assert "indefinite" in (der_problem(bytes.fromhex("30800201010000")) or "")
    assert "long-form" in (der_problem(bytes.fromhex("30810302 0101".replace(" ", ""))) or "")
    assert der_problem(b"\x30\x84\xff\xff\xff\xff") is not None  # length beyond the data
    assert der_problem(b"\x30" + b"\x30\x80" * 5000) is not None  # deep nesting: no crash
    assert der_problem(b"") is not None
