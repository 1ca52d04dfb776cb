"""Document timestamps and extension of signed PDFs to B-LT / B-LTA,
including renewal of the archive timestamp chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.errors import CertificateRevokedError, DocumentError
from signing.secrets import FixedSecret
from signing.sign.extend import extend_pdf, timestamp_pdf
from signing.sign.request import Level
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import assert_mutool_ok, assert_pdfsig_ok, make_nss_db, pdfsig, sha256
from tests.sign_helpers import extend_request, pki_request, timestamp_request


@pytest.fixture(scope="module")
def nss(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_nss_db(tmp_path_factory.mktemp("nss"), pki.cert_pem_path("root"))


@pytest.fixture(scope="module")
def signed_bb(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bb")
    src = make_pdf(d / "in.pdf")
    req = pki_request(
        pki, src, d / "bb.pdf", "signer-ec", level=Level.B_T, tsa_urls=(pki.tsa_url(),)
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
    result = timestamp_pdf(timestamp_request(pki, src, tmp_path / "ts.pdf"))
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
    result = extend_pdf(extend_request(pki, signed_bb, tmp_path / "lt.pdf", Level.B_LT))
    certs, ocsps, crls = _dss_counts(result.output_path)
    assert certs >= 3 and ocsps >= 1 and crls >= 1
    (entry,) = pdfsig(result.output_path, nss)
    assert entry.valid and entry.trusted  # a DSS revision follows: not "total"
    assert_mutool_ok(result.output_path, last_covers_all=False)


def test_extend_to_b_lta_then_renew(pki: PKI, nss: str, signed_bb: Path, tmp_path: Path) -> None:
    tsa = (pki.tsa_url(),)
    lta = extend_pdf(
        extend_request(pki, signed_bb, tmp_path / "lta.pdf", Level.B_LTA, tsa_urls=tsa)
    )
    assert_pdfsig_ok(lta.output_path, nss)
    renewed = extend_pdf(
        extend_request(pki, lta.output_path, tmp_path / "lta2.pdf", Level.B_LTA, tsa_urls=tsa)
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
        extend_pdf(extend_request(pki, src, tmp_path / "o.pdf", Level.B_LT))
    assert not (tmp_path / "o.pdf").exists()


def test_extend_revoked_signature(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    req = pki_request(pki, src, tmp_path / "revoked.pdf", "signer-revoked")
    signed = sign_pdf(req, FixedSecret(KEY_PASSWORD))
    before = sha256(signed.output_path)
    with pytest.raises(CertificateRevokedError):
        extend_pdf(
            extend_request(
                pki, signed.output_path, tmp_path / "o.pdf", Level.B_LTA, tsa_urls=(pki.tsa_url(),)
            )
        )
    assert not (tmp_path / "o.pdf").exists()
    assert sha256(signed.output_path) == before
