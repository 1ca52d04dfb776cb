"""What the certificate viewer reads of a certificate (signing.certs.details),
the DER a validation result carries, and the trusted-list entry the EU column
read, through the JSON report and back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from asn1crypto import x509

from signing.api import certificate_details, certificate_pem
from signing.certs.summary import certificate_info
from signing.errors import CertificateError
from signing.model.results import Indication, ListedService, Qualification
from signing.reports.json_report import (
    file_result_from_json,
    file_result_to_json,
    schema_document,
)
from signing.trust.eu import EuTrust, EuTrustConfig
from signing.trust.qualification import qualify_signature_entry, qualify_timestamp_entry
from tests.gui_helpers import file_result, signature
from tests.trust_eu_support import QTST, Service, build_tl, make_tlso, sign

SIGNED = datetime(2026, 6, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 2, tzinfo=UTC)


def test_signer_details(pki: Any) -> None:
    d = certificate_details(pki.cert_der("signer-rsa"))
    assert d.key_usage == ("digital_signature", "non_repudiation")
    assert d.extended_key_usage is None
    assert d.qc_compliance and d.qc_qscd and d.qc_types == ("esign",) and d.qc_readable
    assert not d.is_ca and not d.self_signed


def test_tsa_and_root_details(pki: Any) -> None:
    tsa = certificate_details(pki.cert_der("tsa"))
    assert tsa.extended_key_usage == ("time_stamping",)
    assert not tsa.qc_compliance and tsa.qc_types == ()
    root = certificate_details(pki.cert_der("root"))
    assert root.is_ca and root.self_signed


def test_policies_are_read_and_named_when_known(pki: Any) -> None:
    from signing.certs.details import POLICY_NAMES, CertificatePolicy
    from tests.pki import JP_ARCH, JPKI_SIGN_POLICY

    assert certificate_details(pki.cert_der("signer-rsa")).policies == ()
    jpki = certificate_details(pki.cert_der("jpki-signer", arch=JP_ARCH))
    assert jpki.policies == (CertificatePolicy(JPKI_SIGN_POLICY, None),)
    assert POLICY_NAMES["0.4.0.194112.1.2"] == "QCP-n-qscd"


def test_pem_is_the_der(pki: Any) -> None:
    der = pki.cert_der("signer-rsa")
    pem = certificate_pem(der)
    assert pem.startswith(b"-----BEGIN CERTIFICATE-----\n")
    assert all(len(line) <= 64 for line in pem.splitlines())
    from pyhanko.keys import load_cert_from_pemder

    path = Path(pki.cert_pem_path("signer-rsa")).with_name("again.pem")
    path.write_bytes(pem)
    assert load_cert_from_pemder(str(path)).dump() == der


@pytest.mark.parametrize("junk", [b"", b"\x30\x03\x02\x01\x01", b"not a certificate"])
def test_junk_is_a_certificate_error(junk: bytes) -> None:
    with pytest.raises(CertificateError) as info:
        certificate_details(junk)
    assert "cannot be read" in str(info.value)
    assert info.value.text("ja") == "この証明書を読み取れません。"


def test_certificate_info_carries_der_outside_equality(pki: Any) -> None:
    der = pki.cert_der("signer-rsa")
    info = certificate_info(x509.Certificate.load(der))
    assert info.der == der
    assert replace(info, der=b"") == info  # JSON does not carry it: equal after a round trip
    assert "der" not in repr(info)


def _trust(tmp_path: Path, services: list[Service]) -> EuTrust:
    tlso = make_tlso("BE TLSO for the certificate viewer")
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "cache", snapshot_dir=None))
    trust.import_list("BE", sign(build_tl("BE", 1, services), tlso), (tlso.der,), now=NOW)
    return trust


def test_the_listed_entry_is_the_deciding_service(pki: Any, tmp_path: Path) -> None:
    ca = pki.cert_der("interm")
    trust = _trust(
        tmp_path,
        [
            Service(
                "Shomei QC for signatures",
                ca,
                start=datetime(2025, 1, 1, tzinfo=UTC),
                qualifiers=["QCWithQSCD"],
                asi=["ForeSignatures"],
            ),
            Service("Shomei QTST", pki.cert_der("tsa"), type_uri=QTST),
        ],
    )
    chain = [ca, pki.cert_der("root")]
    q, _, entry = qualify_signature_entry(
        pki.cert_der("signer-rsa"), chain, Indication.TOTAL_PASSED, SIGNED, trust, now=NOW
    )
    assert q is Qualification.QESIG
    assert entry is not None
    assert (entry.territory, entry.service, entry.status) == (
        "BE",
        "Shomei QC for signatures",
        "granted",
    )
    _, _, tsa_entry = qualify_timestamp_entry(pki.cert_der("tsa"), [], SIGNED, trust, now=NOW)
    assert tsa_entry is not None and tsa_entry.service == "Shomei QTST"


def test_a_withdrawn_service_is_still_named(pki: Any, tmp_path: Path) -> None:
    ca = pki.cert_der("interm")
    trust = _trust(
        tmp_path,
        [
            Service(
                "Shomei QC withdrawn",
                ca,
                status="withdrawn",
                start=datetime(2026, 3, 1, tzinfo=UTC),
                history=[("granted", datetime(2025, 1, 1, tzinfo=UTC))],
                qualifiers=["QCWithQSCD"],
            )
        ],
    )
    q, _, entry = qualify_signature_entry(
        pki.cert_der("signer-rsa"), [ca], Indication.TOTAL_PASSED, SIGNED, trust, now=NOW
    )
    assert q is not Qualification.QESIG
    assert entry is not None and entry.status == "withdrawn"
    assert entry.service == "Shomei QC withdrawn"


def test_an_unlisted_chain_has_no_entry(pki: Any, tmp_path: Path) -> None:
    trust = _trust(tmp_path, [Service("Other", pki.cert_der("tsa"), type_uri=QTST)])
    q, _, entry = qualify_signature_entry(
        pki.cert_der("signer-rsa"), [], Indication.TOTAL_PASSED, SIGNED, trust, now=NOW
    )
    assert q is Qualification.NOT_EU_LISTED and entry is None


def test_the_entry_goes_through_the_json_report() -> None:
    entry = ListedService("BE", "Shomei TSP", "Shomei QC", "granted", SIGNED)
    sig = replace(signature(), eu_service=entry)
    ts = sig.signature_timestamp
    if ts is not None:
        sig = replace(sig, signature_timestamp=replace(ts, eu_service=entry))
    result = file_result("/docs/a.pdf", sig.verdict, sig)
    doc = json.loads(json.dumps(file_result_to_json(result)))
    jsonschema.validate(doc, schema_document())
    assert doc["signatures"][0]["eu_service"]["service"] == "Shomei QC"
    assert file_result_from_json(doc) == result
    # a report written before the field was added still reads
    del doc["signatures"][0]["eu_service"]
    assert file_result_from_json(doc).signatures[0].eu_service is None


def test_the_result_carries_the_entries(pki: Any, tmp_path: Path) -> None:
    """apply_to_result (the validation's EU step) sets the signature's entry
    and its timestamp's."""
    from signing.trust.qualification import apply_to_result

    ca = pki.cert_der("interm")
    trust = _trust(
        tmp_path,
        [
            Service("Shomei QC", ca, qualifiers=["QCWithQSCD"], asi=["ForeSignatures"]),
            Service("Shomei QTST", pki.cert_der("tsa"), type_uri=QTST),
        ],
    )
    sig = replace(signature(), best_time=SIGNED)
    out = apply_to_result(
        sig,
        pki.cert_der("signer-rsa"),
        [ca, pki.cert_der("root")],
        trust,
        tsa_der=pki.cert_der("tsa"),
        now=NOW,
    )
    assert out.eu_service is not None and out.eu_service.service == "Shomei QC"
    assert out.eu_service.at == SIGNED
    ts = out.signature_timestamp
    assert ts is not None and ts.eu_service is not None
    assert ts.eu_service.service == "Shomei QTST"
