"""The services of a verified trusted list, with their whole status history,
as plain immutable data that round-trips through JSON (the warm-start index).

pyHanko's parser keeps only periods whose status is ``granted``; qualifying a
signature made under a pre-eIDAS status (``undersupervision``, ``accredited``),
or telling the user that a service was ``withdrawn`` at signing time, needs
every period, so the services are read here (with lxml, from the signed XML
only) into :class:`ServiceRecord` objects.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from signing.trust.tl_xml import parse_safely

SVC_TYPE_BASE = "http://uri.etsi.org/TrstSvc/Svctype/"
CA_QC = SVC_TYPE_BASE + "CA/QC"
TSA_QTST = SVC_TYPE_BASE + "TSA/QTST"
STATUS_BASE = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
SIE_BASE = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"

#: extensions we understand; an unknown one marked critical makes the period unusable
_KNOWN_EXTENSIONS = frozenset(
    {"Qualifications", "AdditionalServiceInformation", "ExpiredCertsRevocationInfo", "TakenOverBy"}
)


def _tail(uri: str, base: str) -> str:
    return uri[len(base) :] if uri.startswith(base) else uri


@dataclass(frozen=True)
class Criteria:
    """A TS 119 612 ``CriteriaList`` (5.5.9.2.1): how to pick certificates."""

    assert_: str  # "all" | "atLeastOne" | "none"
    #: each entry: (bits that must be set, bits that must be clear)
    key_usage: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    #: each entry: policy OIDs that must all be present
    policy_sets: tuple[tuple[str, ...], ...] = ()
    #: each entry: subject DN attribute OIDs that must all be present
    subject_dn: tuple[tuple[str, ...], ...] = ()
    #: each entry: extended key purposes that must all be present
    eku: tuple[tuple[str, ...], ...] = ()
    sub: tuple[Criteria, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.assert_,
            "ku": [[list(s), list(c)] for s, c in self.key_usage],
            "p": [list(x) for x in self.policy_sets],
            "dn": [list(x) for x in self.subject_dn],
            "eku": [list(x) for x in self.eku],
            "sub": [s.to_json() for s in self.sub],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Criteria:
        return cls(
            assert_=d["a"],
            key_usage=tuple((tuple(s), tuple(c)) for s, c in d["ku"]),
            policy_sets=tuple(tuple(x) for x in d["p"]),
            subject_dn=tuple(tuple(x) for x in d["dn"]),
            eku=tuple(tuple(x) for x in d["eku"]),
            sub=tuple(cls.from_json(s) for s in d["sub"]),
        )


@dataclass(frozen=True)
class QualificationRule:
    """Qualifiers (tails such as ``QCWithQSCD``) applying to the certificates
    that match ``criteria``."""

    qualifiers: tuple[str, ...]
    criteria: Criteria


@dataclass(frozen=True)
class ServicePeriod:
    """One status period of a service (the current one or a history entry)."""

    status: str  # tail, e.g. "granted", "withdrawn", "undersupervision"
    start: datetime
    end: datetime | None  # None: still current
    type_uri: str
    rules: tuple[QualificationRule, ...] = ()
    #: AdditionalServiceInformation URIs (tails), e.g. "ForeSignatures", "RootCA-QC"
    asi: tuple[str, ...] = ()
    #: set when the period carries a critical extension we do not understand
    unknown_critical: str | None = None
    #: legal identifier (e.g. "QCForESig") when translated from a third-country
    #: list under a mutual recognition agreement
    mra: str | None = None

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class ServiceCert:
    der: bytes
    #: normalised subject name and SHA-256 of the SubjectPublicKeyInfo, for matching
    subject_key: str
    spki_sha256: str


@dataclass(frozen=True)
class ServiceRecord:
    territory: str
    tsp_name: str
    name: str
    certs: tuple[ServiceCert, ...]
    #: newest first
    periods: tuple[ServicePeriod, ...] = field(default_factory=tuple)

    @property
    def type_uri(self) -> str:
        return self.periods[0].type_uri if self.periods else ""

    def period_at(self, moment: datetime) -> ServicePeriod | None:
        for p in self.periods:
            if p.covers(moment):
                return p
        return None


def name_key(name: Any) -> str:
    """A comparable key for an asn1crypto ``Name``: the SHA-256 of its DER.

    An issuer field is a byte copy of the issuing CA's subject in practice
    (RFC 5280 7.1 asks for it); normalising names through asn1crypto's
    ``hashable`` costs ~4 ms per certificate, too slow for ~2000 services."""
    return hashlib.sha256(name.dump()).hexdigest()


def service_cert(der: bytes) -> ServiceCert | None:
    from asn1crypto import x509

    try:
        cert = x509.Certificate.load(der)
        return ServiceCert(
            der=der,
            subject_key=name_key(cert.subject),
            spki_sha256=hashlib.sha256(cert.public_key.dump()).hexdigest(),
        )
    except Exception:
        return None


# --- parsing ---------------------------------------------------------------


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if _local(c) == name:
            return c
    return None


def _desc_text(el: etree._Element, name: str) -> list[str]:
    return [(c.text or "").strip() for c in el.iter() if _local(c) == name and c.text]


def parse_list_time(text: str) -> datetime:
    """An xsd:dateTime of a trusted list (``Z`` or an offset; UTC when it has none)."""
    dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _criteria(el: etree._Element) -> Criteria:
    ku: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    pols: list[tuple[str, ...]] = []
    dns: list[tuple[str, ...]] = []
    ekus: list[tuple[str, ...]] = []
    subs: list[Criteria] = []
    for c in el:
        name = _local(c)
        if name == "KeyUsage":
            bits = _children(c, "KeyUsageBit")
            set_ = tuple(b.get("name", "") for b in bits if (b.text or "").strip() == "true")
            clr = tuple(b.get("name", "") for b in bits if (b.text or "").strip() == "false")
            ku.append((set_, clr))
        elif name == "PolicySet":
            pols.append(tuple(_desc_text(c, "Identifier")))
        elif name == "CriteriaList":
            subs.append(_criteria(c))
        elif name == "otherCriteriaList":
            for o in c:
                if _local(o) == "CertSubjectDNAttribute":
                    dns.append(tuple(_desc_text(o, "Identifier")))
                elif _local(o) == "ExtendedKeyUsage":
                    ekus.append(tuple(_desc_text(o, "Identifier")))
    return Criteria(
        assert_=el.get("assert", "all"),
        key_usage=tuple(ku),
        policy_sets=tuple(pols),
        subject_dn=tuple(dns),
        eku=tuple(ekus),
        sub=tuple(subs),
    )


def _extensions(
    info: etree._Element,
) -> tuple[tuple[QualificationRule, ...], tuple[str, ...], str | None]:
    rules: list[QualificationRule] = []
    asi: list[str] = []
    unknown: str | None = None
    exts = _child(info, "ServiceInformationExtensions")
    if exts is None:
        return (), (), None
    for ext in _children(exts, "Extension"):
        critical = ext.get("Critical", "false").strip() in ("true", "1")
        for content in ext:
            name = _local(content)
            if not name:
                continue
            if name == "Qualifications":
                for qe in _children(content, "QualificationElement"):
                    quals = _child(qe, "Qualifiers")
                    crit = _child(qe, "CriteriaList")
                    if quals is None or crit is None:
                        continue
                    tails = tuple(
                        _tail(q.get("uri", ""), SIE_BASE) for q in _children(quals, "Qualifier")
                    )
                    rules.append(QualificationRule(qualifiers=tails, criteria=_criteria(crit)))
            elif name == "AdditionalServiceInformation":
                uri = _child(content, "URI")
                if uri is not None and uri.text:
                    asi.append(_tail(uri.text.strip(), SIE_BASE))
            elif name not in _KNOWN_EXTENSIONS and critical:
                unknown = unknown or name
    return tuple(rules), tuple(asi), unknown


def _period(info: etree._Element, end: datetime | None) -> ServicePeriod | None:
    status_el = _child(info, "ServiceStatus")
    start_el = _child(info, "StatusStartingTime")
    type_el = _child(info, "ServiceTypeIdentifier")
    if status_el is None or start_el is None or not start_el.text:
        return None
    rules, asi, unknown = _extensions(info)
    return ServicePeriod(
        status=_tail((status_el.text or "").strip(), STATUS_BASE),
        start=parse_list_time(start_el.text),
        end=end,
        type_uri=(type_el.text or "").strip() if type_el is not None else "",
        rules=rules,
        asi=asi,
        unknown_critical=unknown,
    )


def _intl_name(el: etree._Element | None) -> str:
    if el is None:
        return "unknown"
    names = _children(el, "Name")
    for n in names:
        if n.get("{http://www.w3.org/XML/1998/namespace}lang") == "en" and n.text:
            text: str = n.text.strip()
            return text
    first: str = (names[0].text or "").strip() if names else "unknown"
    return first


def parse_services(signed_xml: str, territory: str) -> tuple[list[ServiceRecord], list[str]]:
    """All services of a verified list with their periods, plus problems found
    (unknown critical extensions, unreadable certificates, bad dates)."""
    root = parse_safely(signed_xml.encode("utf-8"))
    records: list[ServiceRecord] = []
    problems: list[str] = []
    tspl = _child(root, "TrustServiceProviderList")
    if tspl is None:
        return records, problems
    for tsp in _children(tspl, "TrustServiceProvider"):
        tsp_info = _child(tsp, "TSPInformation")
        tsp_name = _intl_name(_child(tsp_info, "TSPName") if tsp_info is not None else None)
        services = _child(tsp, "TSPServices")
        if services is None:
            continue
        for svc in _children(services, "TSPService"):
            info = _child(svc, "ServiceInformation")
            if info is None:
                continue
            name = _intl_name(_child(info, "ServiceName"))
            try:
                current = _period(info, None)
            except ValueError as exc:
                problems.append(f"{territory}: service {name!r}: {exc}")
                continue
            if current is None:
                problems.append(f"{territory}: service {name!r} has no status or start time")
                continue
            periods = [current]
            history = _child(svc, "ServiceHistory")
            hist_items: list[etree._Element] = (
                _children(history, "ServiceHistoryInstance") if history is not None else []
            )
            dated: list[tuple[datetime, etree._Element]] = []
            for item in hist_items:
                st = _child(item, "StatusStartingTime")
                if st is not None and st.text:
                    try:
                        dated.append((parse_list_time(st.text), item))
                    except ValueError:
                        problems.append(f"{territory}: service {name!r}: bad history date")
            dated.sort(key=lambda t: t[0], reverse=True)
            end = current.start
            for start, item in dated:
                p = _period(item, end if end > start else None)
                if p is not None:
                    periods.append(p)
                    end = start
            sdi = _child(info, "ServiceDigitalIdentity")
            certs: list[ServiceCert] = []
            if sdi is not None:
                for b64 in _desc_text(sdi, "X509Certificate"):
                    try:
                        der = base64.b64decode("".join(b64.split()))
                    except ValueError:
                        continue
                    sc = service_cert(der)
                    if sc is None:
                        problems.append(f"{territory}: service {name!r}: unreadable certificate")
                    else:
                        certs.append(sc)
            for p in periods:
                if p.unknown_critical:
                    problems.append(
                        f"{territory}: service {name!r} carries an unknown critical extension "
                        f"({p.unknown_critical}); that status period is not used"
                    )
            records.append(
                ServiceRecord(
                    territory=territory,
                    tsp_name=tsp_name,
                    name=name,
                    certs=tuple(certs),
                    periods=tuple(periods),
                )
            )
    return records, problems


# --- JSON ------------------------------------------------------------------


def _dt(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def record_to_json(r: ServiceRecord) -> dict[str, Any]:
    return {
        "t": r.territory,
        "tsp": r.tsp_name,
        "n": r.name,
        "c": [
            [base64.b64encode(c.der).decode("ascii"), c.subject_key, c.spki_sha256] for c in r.certs
        ],
        "p": [
            {
                "s": p.status,
                "from": _dt(p.start),
                "to": _dt(p.end),
                "ty": p.type_uri,
                "r": [{"q": list(q.qualifiers), "c": q.criteria.to_json()} for q in p.rules],
                "asi": list(p.asi),
                "x": p.unknown_critical,
                "m": p.mra,
            }
            for p in r.periods
        ],
    }


def record_from_json(d: dict[str, Any]) -> ServiceRecord:
    return ServiceRecord(
        territory=d["t"],
        tsp_name=d["tsp"],
        name=d["n"],
        certs=tuple(
            ServiceCert(der=base64.b64decode(c[0]), subject_key=c[1], spki_sha256=c[2])
            for c in d["c"]
        ),
        periods=tuple(
            ServicePeriod(
                status=p["s"],
                start=datetime.fromisoformat(p["from"]),
                end=datetime.fromisoformat(p["to"]) if p["to"] else None,
                type_uri=p["ty"],
                rules=tuple(
                    QualificationRule(tuple(q["q"]), Criteria.from_json(q["c"])) for q in p["r"]
                ),
                asi=tuple(p["asi"]),
                unknown_critical=p["x"],
                mra=p.get("m"),
            )
            for p in d["p"]
        ),
    )


def records_to_json(records: Iterable[ServiceRecord]) -> list[dict[str, Any]]:
    return [record_to_json(r) for r in records]


#: TS 119 612 KeyUsageBit names (any case; RFC 5280 spells one cRLSign) to
#: asn1crypto's
_KEY_USAGE_BITS = {
    name.lower(): bit
    for name, bit in (
        ("digitalSignature", "digital_signature"),
        ("nonRepudiation", "non_repudiation"),
        ("contentCommitment", "non_repudiation"),
        ("keyEncipherment", "key_encipherment"),
        ("dataEncipherment", "data_encipherment"),
        ("keyAgreement", "key_agreement"),
        ("keyCertSign", "key_cert_sign"),
        ("crlSign", "crl_sign"),
        ("encipherOnly", "encipher_only"),
        ("decipherOnly", "decipher_only"),
    )
}


def key_usage_bit(name: str) -> str:
    return _KEY_USAGE_BITS.get(name.lower(), re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower())


def criteria_oid(identifier: str) -> str:
    """A list's object identifier as a certificate carries it: lists write
    ``urn:oid:1.2.3`` (Qualifier="OIDAsURN") as often as ``1.2.3``."""
    value = identifier.strip()
    return value[8:] if value[:8].lower() == "urn:oid:" else value
