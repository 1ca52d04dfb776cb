"""PLAIN-ECDSA (BSI TR-03111, issue 14 cause 4): a genuine ECDSA signature whose
value is stored as r || s under ecdsa-plain-SHA256 (0.4.0.127.0.7.1.1.4.1.3),
as German qualified cards make them, validates; the same file with a changed
value still fails."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import algos, cms
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.model.results import Indication, Verdict
from signing.validation.engine import validate_pdf
from signing.validation.options import RevocationPolicy, ValidationOptions
from signing.validation.plain_ecdsa import plain_to_der
from tests.pdf_factory import pyhanko_signed
from tests.pki import KEY_PASSWORD, PKI

PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"


def _signed(pki: PKI, out: Path) -> Path:
    return pyhanko_signed(out, pki.p12_path("signer-ec"), KEY_PASSWORD)


def _as_plain(pdf: Path, out: Path, *, flip: bool = False) -> None:
    """The same signature with its value as r || s under the BSI identifier."""
    data = pdf.read_bytes()
    with pdf.open("rb") as fh:
        (emb,) = PdfFileReader(fh).embedded_signatures
        contents = bytes(emb.sig_object["/Contents"])
    info = cms.ContentInfo.load(contents.rstrip(b"\x00"))
    stored = info.dump()
    si = info["content"]["signer_infos"][0]
    assert si["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"
    sig = algos.DSASignature.load(si["signature"].native)
    value = sig["r"].native.to_bytes(32, "big") + sig["s"].native.to_bytes(32, "big")
    if flip:
        value = value[:-1] + bytes([value[-1] ^ 1])
    si["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": PLAIN_SHA256})
    si["signature"] = value
    new = info.dump(force=True)
    # only the algorithm and the value changed (same certificates, same attributes)
    assert si["signed_attrs"].dump() in stored and len(new) <= len(contents)
    old_hex = contents.hex().encode()
    new_hex = new.hex().encode().ljust(len(old_hex), b"0")
    if data.count(old_hex) != 1:
        old_hex, new_hex = old_hex.upper(), new_hex.upper()
    assert data.count(old_hex) == 1
    out.write_bytes(data.replace(old_hex, new_hex))


def _options(pki: PKI) -> ValidationOptions:
    return ValidationOptions(
        revocation_policy=RevocationPolicy.SKIP,
        offline=True,
        user_trust_files=(pki.cert_pem_path("root"),),
    )


def test_plain_ecdsa_signature_validates(pki: PKI, tmp_path: Path) -> None:
    der = _signed(pki, tmp_path / "der.pdf")
    plain = tmp_path / "plain.pdf"
    _as_plain(der, plain)
    (sig,) = validate_pdf(plain, _options(pki)).signatures
    assert sig.indication is Indication.TOTAL_PASSED, sig.reasons
    assert sig.intact
    # the same answer as the DER original (a warning only for the skipped revocation)
    (same,) = validate_pdf(der, _options(pki)).signatures
    assert sig.verdict is same.verdict <= Verdict.VALID_WITH_WARNINGS
    assert [r.code for r in sig.reasons] == [r.code for r in same.reasons]


def test_tampered_plain_ecdsa_signature_fails(pki: PKI, tmp_path: Path) -> None:
    plain = tmp_path / "plain-bad.pdf"
    _as_plain(_signed(pki, tmp_path / "der.pdf"), plain, flip=True)
    (sig,) = validate_pdf(plain, _options(pki)).signatures
    assert sig.indication is Indication.TOTAL_FAILED
    assert sig.verdict is Verdict.INVALID


def test_plain_to_der() -> None:
    der = plain_to_der(bytes([0] * 31 + [5]) + bytes([0x80] + [0] * 31))
    parsed = algos.DSASignature.load(der)
    assert parsed["r"].native == 5 and parsed["s"].native == 0x80 << 248
    for bad in (b"", b"\x01\x02\x03"):
        try:
            plain_to_der(bad)
        except ValueError:
            continue
        raise AssertionError("accepted a malformed value")
