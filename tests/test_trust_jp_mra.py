"""Mutual recognition (MRA) seen from Japan, with the one MRA implementation
(``signing.trust.mra``, used by the EU trust).

``tests/test_trust_eu_corpus.py`` already checks on the EU DSS pilot (a LOTL pointing
at a third-country list of territory ZZ) that the pilot LOTL verifies, that the ZZ
service is translated to CA/QC ``granted`` under ``QCForESig`` and that john-doe's
signature validates and is QESig at its best signature time. Here: the agreement's
dates (QESig at 2022-06-11, never before the agreement starts), and the guarantee that
nothing Japanese comes out EU-qualified while no EU-Japan agreement is listed in
``JP_AGREEMENTS``, whatever a LOTL says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.model.results import Indication, Qualification
from signing.trust import mra as mra_module
from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig, load_pem_certs
from signing.trust.jp_list import STATUS_RECOGNISED, SVC_TYPE_CA_PKC, LegalBasis, bundled_list_path
from signing.trust.mra import (
    JP_AGREEMENTS,
    MraEquivalence,
    eu_recognised,
    mra_agreements,
    translate,
)
from signing.trust.qualification import qualify_signature_entry
from signing.trust.tl_errors import TrustListError
from signing.trust.tl_services import CA_QC, ServiceRecord, parse_services
from tests.jp_trust_helpers import jp_test_services, make_list_signer, signed_list
from tests.pki import JP_ARCH, PKI

VALIDATION_DATE = dt.datetime(2022, 6, 11, tzinfo=dt.UTC)  # as in DSS ThirdCountryLOTLTest
MRA_START = dt.datetime(2020, 5, 16, 23, 59, 59, tzinfo=dt.UTC)  # in dss__mra-lotl.xml
EU_QUALIFIED = {
    Qualification.QESIG,
    Qualification.QESEAL,
    Qualification.ADESIG_QC,
    Qualification.ADESEAL_QC,
    Qualification.QTST,
}


class _Services:
    """The lookups the qualification code makes on an ``EuTrust``, over given
    service records (to file real records under another territory)."""

    def __init__(self, records: Iterable[ServiceRecord]) -> None:
        self.records = list(records)

    def service_count(self) -> int:
        return len(self.records)

    def records_with_subject(self, subject_key: str) -> list[ServiceRecord]:
        return [r for r in self.records if any(c.subject_key == subject_key for c in r.certs)]

    def list_state(self, territory: str) -> None:
        return None

    def is_stale_beyond_grace(self, territory: str, now: dt.datetime) -> bool:
        return False


def _qualify(signer: bytes, chain: list[bytes], at: dt.datetime, trust: Any) -> tuple[Any, list]:
    q, reasons, _entry = qualify_signature_entry(
        signer, chain, Indication.TOTAL_PASSED, at, cast(EuTrust, trust), now=at
    )
    return q, [r.code for r in reasons]


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "eu"


@pytest.fixture(scope="module")
def zz_equivalences(corpus: Path) -> tuple[MraEquivalence, ...]:
    agreements = mra_agreements((corpus / "tl" / "dss__mra-lotl.xml").read_text("utf-8"))
    ((url, eqs),) = agreements.items()
    assert url.endswith("mra_tl_zz.xml")
    return eqs


@pytest.fixture(scope="module")
def pilot(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> EuTrust:
    """The pilot LOTL and its ZZ list in a real EU trust, as DSS loads them."""
    trust = EuTrust.open(
        EuTrustConfig(
            cache_dir=tmp_path_factory.mktemp("jp-mra"),
            snapshot_dir=None,
            validation_time=VALIDATION_DATE,
        )
    )
    signer = load_pem_certs(
        (corpus / "certs" / "dss__ThirdCountryLOTLTest__cert0-ZZ-LOTL-signer.cer").read_bytes()
    )
    trust.import_list(LOTL_KEY, (corpus / "tl" / "dss__mra-lotl.xml").read_bytes(), signer)
    trust.import_list("XX", (corpus / "tl" / "dss__mra-zz-tl.xml").read_bytes())
    return trust


@pytest.fixture(scope="module")
def john_doe(corpus: Path) -> tuple[bytes, list[bytes]]:
    """The signer of john-doe-lta.pdf and its issuing CA (given to DSS as an extra cert)."""
    with (corpus / "pdf" / "dss__john-doe-lta.pdf").open("rb") as f:
        signer = bytes(PdfFileReader(f).embedded_signatures[0].signer_cert.dump())
    ca = load_pem_certs((corpus / "certs" / "dss__ThirdCountryLOTLTest__cert1.cer").read_bytes())
    return signer, list(ca)


@pytest.fixture(scope="module")
def zz_records(corpus: Path, zz_equivalences: tuple[MraEquivalence, ...]) -> list[ServiceRecord]:
    """The ZZ list's services, untranslated, filed under the pilot's territory."""
    records, problems = parse_services(
        (corpus / "tl" / "dss__mra-zz-tl.xml").read_text("utf-8"), "XX"
    )
    assert not problems
    return records


# --- the agreement's dates on the real pilot ----------------------------------------------


def test_john_doe_is_qesig_at_the_pilot_date_and_never_before_the_agreement(
    pilot: EuTrust, john_doe: tuple[bytes, list[bytes]]
) -> None:
    signer, chain = john_doe
    q, codes = _qualify(signer, chain, VALIDATION_DATE, pilot)
    assert q is Qualification.QESIG, codes
    assert codes[:2] == ["eu-qualification", "eu-mra"]
    before = MRA_START - dt.timedelta(days=1)
    q, codes = _qualify(signer, chain, before, pilot)
    assert q not in EU_QUALIFIED, codes
    assert "eu-mra" not in codes


def test_the_agreement_start_decides(
    zz_records: list[ServiceRecord],
    zz_equivalences: tuple[MraEquivalence, ...],
    john_doe: tuple[bytes, list[bytes]],
) -> None:
    """The same real list and signer under the pilot agreement moved in time: an
    agreement that starts after the certificate was issued does not make it qualified
    (the status at issuance counts too), one that starts just before does."""
    signer, chain = john_doe
    (eq,) = zz_equivalences
    issued = dt.datetime(2021, 8, 13, 9, 3, 9, tzinfo=dt.UTC)  # john-doe's notBefore

    def under(start: dt.datetime) -> tuple[Any, list]:
        records = translate(zz_records, (dataclasses.replace(eq, start=start),))
        (period,) = records[0].periods
        assert period.start == start  # the agreement, not the ZZ status, starts it
        return _qualify(signer, chain, VALIDATION_DATE, _Services(records))

    q, codes = under(issued - dt.timedelta(days=1))
    assert q is Qualification.QESIG, codes
    q, codes = under(issued + dt.timedelta(days=1))
    assert q not in EU_QUALIFIED and "eu-not-granted-at-issuance" in codes, codes
    q, codes = under(VALIDATION_DATE + dt.timedelta(days=1))
    assert q not in EU_QUALIFIED, codes
    # an agreement that is not (or no longer) enacted translates nothing
    assert translate(zz_records, (dataclasses.replace(eq, enacted=False),)) == []


# --- Japan --------------------------------------------------------------------------------


def test_no_eu_japan_agreement_is_listed() -> None:
    assert JP_AGREEMENTS == ()
    assert mra_module.JP_AGREEMENTS == ()


def test_a_translated_service_filed_under_japan_needs_a_listed_agreement(
    pilot: EuTrust,
    zz_equivalences: tuple[MraEquivalence, ...],
    john_doe: tuple[bytes, list[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pilot's translated service, QESig-making under territory XX, filed under JP
    as if a LOTL had carried an EU-Japan mapping: not EU-qualified until that agreement
    is listed in JP_AGREEMENTS."""
    signer, chain = john_doe
    as_japan = [dataclasses.replace(r, territory="JP") for r in pilot.all_records()]
    assert as_japan and all(p.mra == "QCForESig" for r in as_japan for p in r.periods)
    q, codes = _qualify(signer, chain, VALIDATION_DATE, _Services(as_japan))
    assert q not in EU_QUALIFIED, codes
    assert "eu-no-mra" in codes and "eu-mra" not in codes
    (period,) = as_japan[0].periods
    assert not eu_recognised("JP", period)
    assert not eu_recognised("jp", period)
    assert eu_recognised("XX", period)
    # listing the agreement (a deliberate code change) is what would admit it
    monkeypatch.setattr(mra_module, "JP_AGREEMENTS", zz_equivalences)
    q, codes = _qualify(signer, chain, VALIDATION_DATE, _Services(as_japan))
    assert q is Qualification.QESIG, codes
    # an untranslated Japanese period never counts, agreement or not
    assert not eu_recognised("JP", dataclasses.replace(period, mra=None))


def test_japanese_lists_give_no_eu_services(
    corpus: Path, pilot: EuTrust, zz_equivalences: tuple[MraEquivalence, ...], pki: PKI
) -> None:
    # the ZZ mapping names ZZ service types: it picks up no Japanese service
    jp_records, problems = parse_services(bundled_list_path().read_text("utf-8"), "JP")
    assert jp_records and not problems
    assert translate(jp_records, zz_equivalences) == []
    # the real EU LOTL of the corpus has no MRA pointer at all
    assert mra_agreements((corpus / "tl" / "dss__lotl-seq248.xml").read_text("utf-8")) == {}
    # the Shomei JP list (origin JP_TRUST_LIST) is refused by the EU trust, even
    # with its own signer: its TSL type is not an EU one
    signer = make_list_signer()
    test_xml = signed_list(jp_test_services(pki), signer)
    with pytest.raises(TrustListError):
        pilot.import_list("JP", test_xml, (signer.cert_der,))
    assert {r.territory for r in pilot.all_records()} == {"XX"}
    # and a JPKI or accredited-CA signer reaches no EU qualification
    now = dt.datetime.now(dt.UTC)
    for label, ca in (("jpki-signer", "jpki-sign-ca"), ("acc-signer", "acc-ca")):
        chain = [pki.cert_der(ca, JP_ARCH)]
        q, codes = _qualify(pki.cert_der(label, JP_ARCH), chain, now, pilot)
        assert q not in EU_QUALIFIED, (label, codes)


def test_a_future_agreement_could_name_jp_services_by_legal_basis(
    pki: PKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A HYPOTHETICAL mapping (built here, never shipped) of Japanese accredited
    certification businesses to EU CA/QC for e-signatures: the legal-basis URI of the
    JP list narrows it to those services, it starts at its enactment date, and even
    listed it does not qualify a certificate without EU QC statements."""
    hypothetical = MraEquivalence(
        legal_id="QCForESig",
        pointed_type=SVC_TYPE_CA_PKC,
        pointing_type=CA_QC,
        pointing_asi=("ForeSignatures",),
        statuses=((STATUS_RECOGNISED, "granted"),),
        enacted=True,
        start=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        pointed_asi=(LegalBasis.ACCREDITED_CA.uri,),
    )
    assert MraEquivalence.from_json(hypothetical.to_json()) == hypothetical  # cached index
    xml = signed_list(jp_test_services(pki), make_list_signer())
    records, _ = parse_services(xml.decode("utf-8"), "JP")
    assert len([r for r in records if r.type_uri == SVC_TYPE_CA_PKC]) > 1
    (rec,) = translate(records, (hypothetical,))
    assert rec.name == "Test accredited CA"
    (period,) = rec.periods
    assert (period.type_uri, period.status, period.mra) == (CA_QC, "granted", "QCForESig")
    assert period.start == hypothetical.start
    assert not eu_recognised("JP", period)
    assert eu_recognised("JP", period, (hypothetical,))

    signer = pki.cert_der("acc-signer", JP_ARCH)
    chain = [pki.cert_der("acc-ca", JP_ARCH)]
    later = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    q, codes = _qualify(signer, chain, later, _Services([rec]))
    assert q not in EU_QUALIFIED and "eu-no-mra" in codes, codes
    monkeypatch.setattr(mra_module, "JP_AGREEMENTS", (hypothetical,))
    q, codes = _qualify(signer, chain, later, _Services([rec]))
    assert q not in EU_QUALIFIED and "eu-no-mra" not in codes, codes
