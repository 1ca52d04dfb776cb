"""Document timestamps and extension of signed PDFs to B-LT / B-LTA,
including renewal of the archive timestamp chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.errors import CertificateRevokedError, DocumentError
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.extend import extend_pdf, timestamp_pdf
from signing.sign.request import ExtendRequest, Level, SignRequest, TimestampRequest
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import assert_mutool_ok, assert_pdfsig_ok, make_nss_db, pdfsig, sha256


@pytest.fixture(scope="module")
def nss(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_nss_db(tmp_path_factory.mktemp("nss"), pki.cert_pem_path("root"))


@pytest.fixture(scope="module")
def signed_bb(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bb")
    src = make_pdf(d / "in.pdf")
    req = SignRequest(
        input_path=src,
        output_path=d / "bb.pdf",
        key_source=Pkcs12KeySource(pki.p12_path("signer-ec")),
        level=Level.B_T,
        tsa_urls=(pki.tsa_url(),),
    )
    return sign_pdf(req, FixedSecret(KEY_PASSWORD)).output_path


def _dss_counts(path: Path) -> tuple[int, int, int]:
    with path.open("rb") as f:
        root = PdfFileReader(f).root
        if "/DSS" not in root:
            return (0, 0, 0)
        dss = root["/DSS"]
        return tuple(len(dss[k]) if k in dss else 0 for k in ("/Certs", "/OCSPs", "/CRLs"))  # type: ignore[return-value]


def test_document_timestamp_only(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    before = sha256(src)
    result = timestamp_pdf(
        TimestampRequest(
            input_path=src,
            output_path=tmp_path / "ts.pdf",
            tsa_urls=(pki.tsa_url(),),
            trust_roots=(pki.cert_pem_path("root"),),
        )
    )
    assert sha256(src) == before
    with result.output_path.open("rb") as f:
        reader = PdfFileReader(f)
        (ts,) = reader.embedded_timestamp_signatures
        assert ts.field_name == result.field_name
        assert ts.sig_object["/SubFilter"] == "/ETSI.RFC3161"
    entries = pdfsig(result.output_path, "sql:/nonexistent")
    assert len(entries) == 1 and entries[0].total
    assert _dss_counts(result.output_path)[2] >= 1  # the TSA chain's CRL


def test_extend_to_b_lt(pki: PKI, nss: str, signed_bb: Path, tmp_path: Path) -> None:
    assert _dss_counts(signed_bb) == (0, 0, 0)
    result = extend_pdf(
        ExtendRequest(
            input_path=signed_bb,
            output_path=tmp_path / "lt.pdf",
            level=Level.B_LT,
            trust_roots=(pki.cert_pem_path("root"),),
        )
    )
    certs, ocsps, crls = _dss_counts(result.output_path)
    assert certs >= 3 and ocsps >= 1 and crls >= 1
    (entry,) = pdfsig(result.output_path, nss)
    assert entry.valid and entry.trusted  # a DSS revision follows: not "total"
    assert_mutool_ok(result.output_path, last_covers_all=False)


def test_extend_to_b_lta_then_renew(pki: PKI, nss: str, signed_bb: Path, tmp_path: Path) -> None:
    root = (pki.cert_pem_path("root"),)
    lta = extend_pdf(
        ExtendRequest(
            input_path=signed_bb,
            output_path=tmp_path / "lta.pdf",
            level=Level.B_LTA,
            tsa_urls=(pki.tsa_url(),),
            trust_roots=root,
        )
    )
    assert_pdfsig_ok(lta.output_path, nss)
    renewed = extend_pdf(
        ExtendRequest(
            input_path=lta.output_path,
            output_path=tmp_path / "lta2.pdf",
            level=Level.B_LTA,
            tsa_urls=(pki.tsa_url(),),
            trust_roots=root,
        )
    )
    assert renewed.field_name != lta.field_name
    assert renewed.output_path.read_bytes().startswith(lta.output_path.read_bytes())
    with renewed.output_path.open("rb") as f:
        reader = PdfFileReader(f)
        names = [s.field_name for s in reader.embedded_timestamp_signatures]
        assert names == [lta.field_name, renewed.field_name]
    assert_pdfsig_ok(renewed.output_path, nss)
    assert_mutool_ok(renewed.output_path, last_covers_all=False)


def test_extend_needs_a_signature(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "plain.pdf")
    with pytest.raises(DocumentError):
        extend_pdf(
            ExtendRequest(
                input_path=src,
                output_path=tmp_path / "o.pdf",
                level=Level.B_LT,
                trust_roots=(pki.cert_pem_path("root"),),
            )
        )
    assert not (tmp_path / "o.pdf").exists()


def test_extend_revoked_signature(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    signed = sign_pdf(
        SignRequest(
            input_path=src,
            output_path=tmp_path / "revoked.pdf",
            key_source=Pkcs12KeySource(pki.p12_path("signer-revoked")),
        ),
        FixedSecret(KEY_PASSWORD),
    )
    before = sha256(signed.output_path)
    with pytest.raises(CertificateRevokedError):
        extend_pdf(
            ExtendRequest(
                input_path=signed.output_path,
                output_path=tmp_path / "o.pdf",
                level=Level.B_LTA,
                tsa_urls=(pki.tsa_url(),),
                trust_roots=(pki.cert_pem_path("root"),),
            )
        )
    assert not (tmp_path / "o.pdf").exists()
    assert sha256(signed.output_path) == before
