"""The test PKI's services answer as a real TSA / OCSP responder / CRL server would."""

from __future__ import annotations

from typing import Any

import requests
from asn1crypto import crl, ocsp, tsp, x509
from asn1crypto.algos import DigestAlgorithm

from tests.pki import PKI


def test_certificates_carry_qc_statements(pki: PKI) -> None:
    cert = x509.Certificate.load(pki.cert_der("seal-rsa"))
    exts = {e["extn_id"].native: e for e in cert["tbs_certificate"]["extensions"]}
    qcs = exts["qc_statements"]["extn_value"].parsed.native
    ids = [s["statement_id"] for s in qcs]
    assert ids == ["qc_compliance", "qc_sscd", "qc_type"]
    assert qcs[2]["statement_info"] == ["qct_eseal"]
    subject = cert.subject.native
    assert subject["organization_identifier"] == "VATBE-0123456789"


def test_tsa_answers_over_http(pki: PKI) -> None:
    req = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": DigestAlgorithm({"algorithm": "sha256"}),
                "hashed_message": b"\x00" * 32,
            },
            "nonce": 12345,
            "cert_req": True,
        }
    )
    resp = requests.post(
        pki.tsa_url(),
        data=req.dump(),
        headers={"Content-Type": "application/timestamp-query"},
        timeout=10,
    )
    assert resp.status_code == 200
    parsed = tsp.TimeStampResp.load(resp.content)
    assert parsed["status"]["status"].native == "granted"


def test_crl_lists_revoked_signer(pki: PKI) -> None:
    resp = requests.get(pki.crl_url("interm"), timeout=10)
    assert resp.status_code == 200
    crl_obj = crl.CertificateList.load(resp.content)
    revoked = {
        r["user_certificate"].native for r in crl_obj["tbs_cert_list"]["revoked_certificates"]
    }
    serial = x509.Certificate.load(pki.cert_der("signer-revoked")).serial_number
    assert serial in revoked


def test_ocsp_reports_revoked(pki: PKI) -> None:
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ocsp as cocsp

    cert = cx509.load_der_x509_certificate(pki.cert_der("signer-revoked"))
    issuer = cx509.load_der_x509_certificate(pki.cert_der("interm"))
    req = cocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256()).build()
    resp = requests.post(
        pki.ocsp_url(),
        data=req.public_bytes(serialization_der()),
        headers={"Content-Type": "application/ocsp-request"},
        timeout=10,
    )
    parsed = ocsp.OCSPResponse.load(resp.content)
    assert parsed["response_status"].native == "successful"
    single = parsed.basic_ocsp_response["tbs_response_data"]["responses"][0]
    assert single["cert_status"].name == "revoked"


def serialization_der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def test_pkcs12_has_key_and_chain(pki: PKI) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    from tests.pki import KEY_PASSWORD

    data = pki.p12_path("signer-ec").read_bytes()
    key, cert, extra = pkcs12.load_key_and_certificates(data, KEY_PASSWORD.encode())
    assert key is not None and cert is not None
    names = [c.subject.rfc4514_string() for c in extra]
    assert any("Qualified CA" in n for n in names)
    assert any("Root CA" in n for n in names)
