"""Mutual recognition agreements (MRA) the way ETSI TS 119 612 v2.2+ and the EU LOTL
express them: a LOTL pointer to a third-country list carries
``MutualRecognitionAgreementInformation`` that maps the third country's service types,
statuses and qualifiers to EU ones, from an enactment date on.

This is how an EU-Japan agreement would reach Shomei: the EU LOTL would point at a
Japanese list with such a mapping (our list's services carry a legal-basis URI in
``AdditionalServiceInformation`` precisely so that a mapping can name them). Until
then, :data:`JP_AGREEMENTS` is empty and agreements are only read from a LOTL whose
signature was verified by the EU trust code; nothing Japanese is EU-qualified.

Simplification: certificate-content equivalences (``CertificateContentReferences``)
are not evaluated; the signer certificate's own QC statements and the mapped
qualifiers decide, as in TS 119 615 for EU services.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from signing.trust.jp_list import NS_TSL, safe_parse
from signing.trust.jp_status import signed_by as _issued_by
from signing.validation.model import Qualification

NS_MRA = "http://ec.europa.eu/tools/lotl/mra/schema/v2#"
NS_SIE = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
NS_XADES = "http://uri.etsi.org/01903/v1.3.2#"
_NS = {"t": NS_TSL, "mra": NS_MRA, "sie": NS_SIE, "x": NS_XADES}

EU_CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
EU_GRANTED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted"
_SVCINFOEXT = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"
QC_WITH_QSCD = _SVCINFOEXT + "QCWithQSCD"
QC_NO_QSCD = _SVCINFOEXT + "QCNoQSCD"
QC_FOR_ESIG = _SVCINFOEXT + "QCForESig"
QC_FOR_ESEAL = _SVCINFOEXT + "QCForESeal"
QC_STATEMENT = _SVCINFOEXT + "QcStatement"
FOR_ESIGNATURES = _SVCINFOEXT + "ForeSignatures"
FOR_ESEALS = _SVCINFOEXT + "ForeSeals"


@dataclass(frozen=True)
class ServiceTypeRef:
    """A service type, optionally narrowed by AdditionalServiceInformation URIs."""

    type_uri: str
    additional_info: tuple[str, ...] = ()

    def matches(self, type_uri: str, additional_info: Sequence[str]) -> bool:
        return type_uri == self.type_uri and set(self.additional_info) <= set(additional_info)


@dataclass(frozen=True)
class MraEquivalence:
    """One ``TrustServiceEquivalenceInformation``: pointing party = EU, pointed = third
    country."""

    legal_identifier: str  # e.g. "QCForESig"
    eu_types: tuple[ServiceTypeRef, ...]
    third_country_types: tuple[ServiceTypeRef, ...]
    status_uri: str
    starting_time: datetime
    #: (third-country status, EU status) pairs for valid and invalid statuses
    valid_statuses: tuple[tuple[str, str], ...]
    invalid_statuses: tuple[tuple[str, str], ...] = ()
    #: (third-country qualifier, EU qualifier) pairs
    qualifiers: tuple[tuple[str, str], ...] = ()

    @property
    def enacted(self) -> bool:
        return self.status_uri.rstrip("/").endswith("/enacted")

    def in_force(self, at: datetime) -> bool:
        return self.enacted and self.starting_time <= at


@dataclass(frozen=True)
class MraAgreement:
    """What a LOTL pointer says about one third-country list."""

    tsl_location: str
    tsl_type: str
    pointer_certs: tuple[bytes, ...]
    equivalences: tuple[MraEquivalence, ...]


@dataclass(frozen=True)
class EuEquivalentService:
    """A third-country service seen through an agreement at a given time."""

    service_name: str
    certificates: tuple[bytes, ...]
    legal_identifier: str
    eu_service_type: ServiceTypeRef
    eu_status: str
    #: (EU qualifiers, policy OIDs that must all be present) per qualification element
    qualifications: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


_DER = Encoding.DER
_SPKI = PublicFormat.SubjectPublicKeyInfo

#: agreements Shomei applies to the Japanese list. Empty: no EU-Japan MRA exists.
JP_AGREEMENTS: tuple[MraAgreement, ...] = ()


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))


def _type_refs(el: Any) -> tuple[ServiceTypeRef, ...]:
    out = []
    for t in el.findall("mra:TrustServiceTSLType", _NS):
        type_uri = (t.findtext("t:ServiceTypeIdentifier", "", _NS) or "").strip()
        infos = tuple(
            (u.text or "").strip() for u in t.findall("t:AdditionalServiceInformation/t:URI", _NS)
        )
        out.append(ServiceTypeRef(type_uri, infos))
    return tuple(out)


def _status_pairs(el: Any, tag: str) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for eq in el.findall(f"mra:TrustServiceTSLStatusEquivalenceList/mra:{tag}", _NS):
        eu = [
            (s.text or "").strip()
            for s in eq.findall("mra:TrustServiceTSLStatusListPointingParty/t:ServiceStatus", _NS)
        ]
        tc = [
            (s.text or "").strip()
            for s in eq.findall("mra:TrustServiceTSLStatusListPointedParty/t:ServiceStatus", _NS)
        ]
        pairs.extend((t, e) for t in tc for e in eu)
    return tuple(pairs)


def _parse_equivalence(el: Any) -> MraEquivalence:
    types = el.find("mra:TrustServiceTSLTypeEquivalenceList", _NS)
    qualifiers = tuple(
        (
            q.find("mra:QualifierPointedParty", _NS).get("uri", ""),
            q.find("mra:QualifierPointingParty", _NS).get("uri", ""),
        )
        for q in el.iter(f"{{{NS_MRA}}}QualifierEquivalence")
        if q.find("mra:QualifierPointedParty", _NS) is not None
        and q.find("mra:QualifierPointingParty", _NS) is not None
    )
    return MraEquivalence(
        legal_identifier=(el.findtext("mra:TrustServiceLegalIdentifier", "", _NS) or "").strip(),
        eu_types=_type_refs(types.find("mra:TrustServiceTSLTypeListPointingParty", _NS)),
        third_country_types=_type_refs(types.find("mra:TrustServiceTSLTypeListPointedParty", _NS)),
        status_uri=(el.findtext("mra:TrustServiceEquivalenceStatus", "", _NS) or "").strip(),
        starting_time=_dt(el.findtext("mra:TrustServiceEquivalenceStatusStartingTime", "", _NS)),
        valid_statuses=_status_pairs(el, "TrustServiceTSLStatusValidEquivalence"),
        invalid_statuses=_status_pairs(el, "TrustServiceTSLStatusInvalidEquivalence"),
        qualifiers=qualifiers,
    )


def mra_agreements_from_lotl(lotl_xml: bytes) -> tuple[MraAgreement, ...]:
    """Every MRA pointer of a LOTL (whose signature the caller has verified)."""
    root = safe_parse(lotl_xml)
    out = []
    for ptr in root.findall("t:SchemeInformation/t:PointersToOtherTSL/t:OtherTSLPointer", _NS):
        infos = ptr.findall(
            "t:AdditionalInformation/t:OtherInformation/mra:MutualRecognitionAgreementInformation",
            _NS,
        )
        if not infos:
            continue
        certs = tuple(
            base64.b64decode("".join((c.text or "").split()))
            for c in ptr.findall(
                "t:ServiceDigitalIdentities/t:ServiceDigitalIdentity/t:DigitalId/t:X509Certificate",
                _NS,
            )
        )
        tsl_type = ""
        for oi in ptr.findall("t:AdditionalInformation/t:OtherInformation/t:TSLType", _NS):
            tsl_type = (oi.text or "").strip()
        out.append(
            MraAgreement(
                tsl_location=(ptr.findtext("t:TSLLocation", "", _NS) or "").strip(),
                tsl_type=tsl_type,
                pointer_certs=certs,
                equivalences=tuple(
                    _parse_equivalence(e)
                    for info in infos
                    for e in info.findall("mra:TrustServiceEquivalenceInformation", _NS)
                ),
            )
        )
    return tuple(out)


def _service_qualifications(
    info: Any, qualifier_map: dict[str, str]
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    out = []
    for qe in info.iter(f"{{{NS_SIE}}}QualificationElement"):
        quals = tuple(
            qualifier_map.get(q.get("uri", ""), "")
            for q in qe.findall("sie:Qualifiers/sie:Qualifier", _NS)
        )
        policies = tuple(
            (i.text or "").strip().removeprefix("urn:oid:")
            for i in qe.findall(
                "sie:CriteriaList/sie:PolicySet/sie:PolicyIdentifier/x:Identifier", _NS
            )
        )
        out.append((tuple(q for q in quals if q), policies))
    return tuple(out)


def eu_equivalents(
    tl_xml: bytes, agreements: Sequence[MraAgreement], *, at: datetime
) -> tuple[EuEquivalentService, ...]:
    """The services of a third-country list (signature verified by the caller) that an
    agreement in force at ``at`` maps to an EU service type and status."""
    equivalences = [e for a in agreements for e in a.equivalences if e.in_force(at)]
    if not equivalences:
        return ()
    root = safe_parse(tl_xml)
    out = []
    for svc in root.iter(f"{{{NS_TSL}}}TSPService"):
        info = svc.find("t:ServiceInformation", _NS)
        if info is None:
            continue
        type_uri = (info.findtext("t:ServiceTypeIdentifier", "", _NS) or "").strip()
        status = (info.findtext("t:ServiceStatus", "", _NS) or "").strip()
        start = info.findtext("t:StatusStartingTime", "", _NS)
        if start and _dt(start) > at:
            continue
        additional = [
            (u.text or "").strip()
            for u in info.findall(
                "t:ServiceInformationExtensions/t:Extension/t:AdditionalServiceInformation/t:URI",
                _NS,
            )
        ]
        for eq in equivalences:
            if not any(ref.matches(type_uri, additional) for ref in eq.third_country_types):
                continue
            eu_status = dict(eq.valid_statuses).get(status)
            if eu_status is None or not eq.eu_types:
                continue
            certs = tuple(
                base64.b64decode("".join((c.text or "").split()))
                for c in info.findall("t:ServiceDigitalIdentity/t:DigitalId/t:X509Certificate", _NS)
            )
            out.append(
                EuEquivalentService(
                    service_name=(info.findtext("t:ServiceName/t:Name", "", _NS) or "").strip(),
                    certificates=certs,
                    legal_identifier=eq.legal_identifier,
                    eu_service_type=eq.eu_types[0],
                    eu_status=eu_status,
                    qualifications=_service_qualifications(info, dict(eq.qualifiers)),
                )
            )
    return tuple(out)


def _qc_statement_ids(cert_der: bytes) -> set[str]:
    import pyhanko.sign.ades.qualified_asn1  # noqa: F401  (registers QcStatements)
    from asn1crypto import x509 as asn1_x509

    cert = asn1_x509.Certificate.load(cert_der)
    for ext in cert["tbs_certificate"]["extensions"]:
        if ext["extn_id"].native == "qc_statements":
            return {str(s["statement_id"].native) for s in ext["extn_value"].parsed}
    return set()


def _path(signer: x509.Certificate, pool: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    path = [signer]
    while len(path) < 12:
        current = path[-1]
        issuer = next(
            (c for c in pool if c.subject == current.issuer and _issued_by(current, c)), None
        )
        if issuer is None or issuer in path:
            break
        path.append(issuer)
    return path


def mra_qualification(
    signer_der: bytes, chain_ders: Sequence[bytes], equivalents: Sequence[EuEquivalentService]
) -> Qualification:
    """The EU qualification a signer certificate reaches through MRA equivalents
    (``NOT_QUALIFIED`` when its chain meets no equivalent service). ``chain_ders``: the
    other certificates known for the signature; issuers are chosen by signature."""
    signer = x509.load_der_x509_certificate(signer_der)
    try:
        policies_ext = signer.extensions.get_extension_for_class(x509.CertificatePolicies)
        policies = {p.policy_identifier.dotted_string for p in policies_ext.value}
    except x509.ExtensionNotFound:
        policies = set()
    service_certs = {der: eq for eq in equivalents for der in eq.certificates}
    pool = [x509.load_der_x509_certificate(d) for d in (*chain_ders, *service_certs)]
    path = _path(signer, pool)
    path_keys = {c.public_key().public_bytes(_DER, _SPKI) for c in path[1:]}
    for der, eq in service_certs.items():
        key = x509.load_der_x509_certificate(der).public_key().public_bytes(_DER, _SPKI)
        if key not in path_keys:
            continue
        if eq.eu_status != EU_GRANTED or eq.eu_service_type.type_uri != EU_CA_QC:
            continue
        qualifiers: set[str] = set()
        for quals, required in eq.qualifications:
            if set(required) <= policies:
                qualifiers.update(quals)
        statements = _qc_statement_ids(signer_der)
        qc = "qc_compliance" in statements or QC_STATEMENT in qualifiers
        qscd = QC_WITH_QSCD in qualifiers or (
            "qc_sscd" in statements and QC_NO_QSCD not in qualifiers
        )
        esig = (
            eq.legal_identifier == "QCForESig"
            or QC_FOR_ESIG in qualifiers
            or FOR_ESIGNATURES in eq.eu_service_type.additional_info
        )
        if not qc:
            return Qualification.NOT_QUALIFIED
        if esig:
            return Qualification.QESIG if qscd else Qualification.ADESIG_QC
        return Qualification.QESEAL if qscd else Qualification.ADESEAL_QC
    return Qualification.NOT_QUALIFIED
