"""An Ed25519 key (not in the shared test PKI: issued here by its
intermediate CA) signs through the same path; pyHanko's validator, with the
test root as the only anchor, checks the result."""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.request import FieldPlacement, Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import PKI


def _ed25519_p12(pki: PKI, path: Path) -> Path:
    interm = x509.load_der_x509_certificate(pki.cert_der("interm"))
    root = x509.load_der_x509_certificate(pki.cert_der("root"))
    key = ed25519.Ed25519PrivateKey.generate()
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Edwin Edwards")]))
        .issuer_name(interm.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .sign(pki.private_key("interm"), hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ed", key, cert, [interm, root], serialization.NoEncryption()
        )
    )
    return path


def test_ed25519_signature_validates(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    key = Pkcs12KeySource(_ed25519_p12(pki, tmp_path / "ed.p12"))
    result = sign_pdf(
        SignRequest(
            input_path=src,
            output_path=tmp_path / "out.pdf",
            key_source=key,
            level=Level.B_T,
            tsa_urls=(pki.tsa_url(),),
            placement=FieldPlacement(page=1, box=(50, 50, 250, 120)),
        ),
        FixedSecret("unused: the file has no password"),
    )
    from asn1crypto import x509 as asn1_x509

    root = asn1_x509.Certificate.load(pki.cert_der("root"))
    with result.output_path.open("rb") as f:
        sig = PdfFileReader(f).embedded_signatures[0]
        assert sig.signer_info["signature_algorithm"]["algorithm"].native == "ed25519"
        status = validate_pdf_signature(
            sig, ValidationContext(trust_roots=[root], allow_fetching=True)
        )
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.coverage.name == "ENTIRE_FILE"
    # Not cross-checked with pdfsig or mutool: neither verifies Ed25519 in
    # the versions this project runs on (mutool: "Digest error").
