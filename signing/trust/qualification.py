"""EU qualification of signatures, seals and timestamps (ETSI TS 119 615,
EU DSS "signature qualification" categories).

pyHanko's ``QualificationAssessor`` answers "is this certificate qualified
now" from services whose *current* status is granted. Shomei needs more, so
the decision is made here from the full service history kept by
:mod:`signing.trust.tl_services`:

* the status is taken **at the best signature time** (the timestamp) and at
  the certificate's issuance; both must be positive: ``granted`` from
  1 July 2016 (eIDAS), ``undersupervision`` / ``supervisionincessation`` /
  ``accredited`` before it (Directive 1999/93), so signatures made during a
  history period or before eIDAS are qualified where pyHanko cannot;
* a certificate declaring several QC types is resolved by the trusted list
  (``QCForESig``/``QCForESeal`` or the service's ``ForeSignatures``/``ForeSeals``)
  instead of raising ``NotImplementedError``;
* ``QCForLegalPerson`` marks a certificate issued to a legal person: it stays
  qualified (pyHanko makes it unqualified); in a service period from before
  eIDAS every qualified certificate counts as one for e-signatures (the
  Directive knew no seals, as in EU DSS), in a later period it is a seal;
* contradictions (two applicable services, or one service, that disagree)
  give INDETERMINATE with a reason instead of a log line;
* a timestamp is judged on its own rules (TSA/QTST service granted at the
  timestamp time, TSU certificate declaring itself qualified); it never
  inherits the signer's requirements.

Stale lists: a decision that rests on a list past its NextUpdate carries a
warning; past ``EuTrustConfig.stale_grace`` it becomes INDETERMINATE.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from signing.certs.qc import ESEAL as _ESEAL
from signing.certs.qc import ESIGN as _ESIGN
from signing.certs.qc import WEB as _WEB
from signing.model.reasons import qualification as R
from signing.model.results import (
    Indication,
    ListedService,
    Qualification,
    Reason,
    SignatureResult,
    TimestampInfo,
)
from signing.trust.eu import PRE_EIDAS_POSITIVE_STATUSES, EuTrust, utcnow
from signing.trust.mra import eu_recognised
from signing.trust.tl_services import (
    CA_QC,
    TSA_QTST,
    Criteria,
    ServicePeriod,
    ServiceRecord,
    criteria_oid,
    key_usage_bit,
    name_key,
)

log = logging.getLogger(__name__)

__all__ = [
    "EIDAS_START",
    "CertStatus",
    "apply_to_result",
    "listed_service",
    "qualify_certificate",
    "qualify_signature_entry",
    "qualify_timestamp",
    "qualify_timestamp_entry",
]

#: 1 July 2016 00:00 in Brussels
EIDAS_START = datetime(2016, 6, 30, 22, 0, tzinfo=UTC)
PRE_EIDAS_QCP = "0.4.0.1456.1.1"
PRE_EIDAS_QCP_PLUS = "0.4.0.1456.1.2"

_ASI_TYPES = {"ForeSignatures": _ESIGN, "ForeSeals": _ESEAL, "ForWebSiteAuthentication": _WEB}


@dataclass(frozen=True)
class _Cert:
    """What the decision needs from one certificate."""

    der: bytes
    subject: str
    issuer_key: str
    subject_key: str
    spki_sha256: str
    not_before: datetime
    qc_compliance: bool
    qc_sscd: bool
    qc_types: tuple[str, ...]
    qc_cc_legislation: bool
    key_usage: frozenset[str]
    policies: frozenset[str]
    dn_oids: frozenset[str]
    eku: frozenset[str]


def _load(der: bytes) -> _Cert:
    from asn1crypto import x509

    from signing.certs.key_usage import key_usages
    from signing.certs.qc import qc_facts

    cert = x509.Certificate.load(der)
    qc = qc_facts(cert)
    if not qc.readable:  # a malformed extension is "no statement", not a crash
        log.info("unreadable QC statements in a certificate")
    ku = key_usages(cert) or frozenset()
    try:
        pols = frozenset(
            p["policy_identifier"].dotted for p in (cert.certificate_policies_value or ())
        )
    except Exception:
        pols = frozenset()
    try:
        dn = frozenset(pair["type"].dotted for rdn in cert.subject.chosen for pair in rdn)
    except Exception:
        dn = frozenset()
    try:
        eku_v = cert.extended_key_usage_value
        eku = frozenset(e.dotted for e in eku_v) if eku_v else frozenset()
    except Exception:
        eku = frozenset()
    try:
        subject = cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:
        subject = "unknown"
    return _Cert(
        der=der,
        subject=str(subject),
        issuer_key=name_key(cert.issuer),
        subject_key=name_key(cert.subject),
        spki_sha256=hashlib.sha256(cert.public_key.dump()).hexdigest(),
        not_before=cert.not_valid_before,
        qc_compliance=qc.compliance,
        qc_sscd=qc.qscd,
        qc_types=qc.types,
        qc_cc_legislation=qc.foreign_legislation,
        key_usage=ku,
        policies=pols,
        dn_oids=dn,
        eku=eku,
    )


def _matches(c: Criteria, cert: _Cert) -> bool:
    results: list[bool] = []
    for must, must_not in c.key_usage:
        results.append(
            all(key_usage_bit(b) in cert.key_usage for b in must)
            and not any(key_usage_bit(b) in cert.key_usage for b in must_not)
        )
    results.extend({criteria_oid(p) for p in ps} <= cert.policies for ps in c.policy_sets)
    results.extend({criteria_oid(d) for d in ds} <= cert.dn_oids for ds in c.subject_dn)
    results.extend({criteria_oid(e) for e in es} <= cert.eku for es in c.eku)
    results.extend(_matches(s, cert) for s in c.sub)
    if c.assert_ == "all":
        return all(results)
    if c.assert_ == "none":
        return not any(results)
    return any(results)


def _issued_by(cert_der: bytes, issuer_der: bytes) -> bool:
    """Does the issuer's key verify the certificate's signature? Checked with
    the raw key so that old SHA-1 certificates (pre-eIDAS ID cards) still
    match their CA; whether SHA-1 is acceptable is the validation engine's
    call, not the trusted list's."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    try:
        cert = x509.load_der_x509_certificate(cert_der)
        pub = x509.load_der_x509_certificate(issuer_der).public_key()
        params: Any = cert.signature_algorithm_parameters
        if isinstance(pub, rsa.RSAPublicKey):
            algo = cert.signature_hash_algorithm
            if algo is None:
                return False
            pub.verify(cert.signature, cert.tbs_certificate_bytes, params, algo)
        elif isinstance(pub, ec.EllipticCurvePublicKey):
            pub.verify(cert.signature, cert.tbs_certificate_bytes, params)
        else:
            pub.verify(cert.signature, cert.tbs_certificate_bytes)  # type: ignore[call-arg,union-attr]
        return True
    except Exception:
        return False


def _services_over(trust: EuTrust, cert: _Cert, chain: Sequence[_Cert]) -> list[ServiceRecord]:
    """The listed services closest to the certificate: the certificate itself
    when it is listed (a TSA's own certificate), else the services that issued
    it (listed as the next chain element, or as its unsent issuer), else those
    one level up, and so on. Only the closest level counts (TS 119 615: the
    issuing service decides): a granted root does not override its issuing
    CA listed as withdrawn."""
    listed = [
        rec
        for rec in trust.records_with_subject(cert.subject_key)
        if any(sc.spki_sha256 == cert.spki_sha256 for sc in rec.certs)
    ]
    if listed:
        return listed
    elements = [cert, *chain]
    for k, element in enumerate(elements):
        found: dict[int, ServiceRecord] = {}
        upper = elements[k + 1] if k + 1 < len(elements) else None
        if upper is not None:
            for rec in trust.records_with_subject(upper.subject_key):
                if any(sc.spki_sha256 == upper.spki_sha256 for sc in rec.certs):
                    found[id(rec)] = rec
        for rec in trust.records_with_subject(element.issuer_key):
            if id(rec) not in found and any(
                sc.subject_key == element.issuer_key and _issued_by(element.der, sc.der)
                for sc in rec.certs
            ):
                found[id(rec)] = rec
        if found:
            return list(found.values())
    return []


def _load_listed(
    trust: EuTrust, der: bytes, chain_ders: Sequence[bytes]
) -> tuple[_Cert, list[ServiceRecord]]:
    """The certificate, and the services over it or its chain (:func:`_services_over`)."""
    cert = _load(der)
    return cert, _services_over(trust, cert, [_load(d) for d in chain_ders])


def _positive(status: str, moment: datetime) -> bool:
    if status == "granted":
        return True
    return moment < EIDAS_START and status in PRE_EIDAS_POSITIVE_STATUSES


@dataclass(frozen=True)
class CertStatus:
    """The qualified status of a certificate at one moment under one service."""

    qualified: bool
    #: "esign", "eseal", "web", or None when it cannot be told
    qc_type: str | None
    qscd: bool
    service: ServiceRecord
    period: ServicePeriod


def _status_under(
    cert: _Cert, period: ServicePeriod, service: ServiceRecord, moment: datetime
) -> tuple[CertStatus | None, str | None, str | None]:
    """Apply the period's qualifiers to the certificate: (status, None, None),
    or (None, contradiction, None) when the list contradicts itself, or
    (None, None, type) when the service's scope excludes the certificate's type."""
    quals: set[str] = set()
    for rule in period.rules:
        if _matches(rule.criteria, cert):
            quals.update(rule.qualifiers)
    qualified = cert.qc_compliance
    pre_eidas_qcp = bool({PRE_EIDAS_QCP_PLUS, PRE_EIDAS_QCP} & cert.policies)
    if moment < EIDAS_START and pre_eidas_qcp:
        qualified = True
    if "NotQualified" in quals and "QCStatement" in quals:
        return None, "NotQualified and QCStatement", None
    if cert.qc_cc_legislation and period.mra is None:
        # qualified under another country's law (EN 319 412-5): not an EU QC
        qualified = False
    if "NotQualified" in quals:
        qualified = False
    elif "QCStatement" in quals:
        qualified = True
    # type: the list's word first, then the certificate's
    listed = {
        t
        for q, t in (("QCForESig", _ESIGN), ("QCForESeal", _ESEAL), ("QCForWSA", _WEB))
        if q in quals
    }
    if len(listed) > 1:
        return None, "several QCFor* qualifiers", None
    asi_types = {_ASI_TYPES[a] for a in period.asi if a in _ASI_TYPES}
    qc_type: str | None
    if period.start < EIDAS_START:
        # Directive 1999/93 knew only e-signatures: a service period from
        # before eIDAS makes every qualified certificate one for signatures
        # (as EU DSS does), whatever QCForLegalPerson or the content says
        qc_type = _ESIGN
    elif listed:
        qc_type = next(iter(listed))
    elif len(cert.qc_types) == 1:
        qc_type = cert.qc_types[0]
    elif len(cert.qc_types) > 1:
        common = set(cert.qc_types) & asi_types
        qc_type = next(iter(common)) if len(common) == 1 else None
    elif "QCForLegalPerson" in quals:
        qc_type = _ESEAL
    else:
        qc_type = _ESIGN  # EN 319 412-5: no QcType means a certificate for e-signatures
    # the service's declared scope (ForeSignatures...) must admit the type
    if asi_types and qc_type is not None and qc_type not in asi_types:
        return None, None, qc_type
    with_q = quals & {"QCWithQSCD", "QCWithSSCD", "QCQSCDManagedOnBehalf"}
    no_q = quals & {"QCNoQSCD", "QCNoSSCD"}
    if with_q and no_q:
        return None, "QSCD and no-QSCD qualifiers", None
    if no_q or not qualified:
        qscd = False
    elif with_q:
        qscd = True
    else:
        qscd = cert.qc_sscd or (moment < EIDAS_START and PRE_EIDAS_QCP_PLUS in cert.policies)
    return CertStatus(qualified, qc_type, qscd, service, period), None, None


#: the qualifier conflicts of :func:`_status_under`, in Japanese
_CONFLICT_JA = {
    "NotQualified and QCStatement": "NotQualifiedとQCStatementの両方",
    "several QCFor* qualifiers": "複数のQCFor*修飾子",
}


@dataclass(frozen=True)
class _Decision:
    status: CertStatus | None
    reasons: tuple[Reason, ...]
    contradiction: str | None = None
    contradiction_ja: str | None = None


def _decide(
    cert: _Cert, services: Sequence[ServiceRecord], moment: datetime, service_type: str
) -> _Decision:
    statuses: list[CertStatus] = []
    reasons: list[Reason] = []
    conflicts: list[tuple[str, str]] = []  # (English, Japanese)
    for rec in services:
        period = rec.period_at(moment)
        if period is None or period.type_uri != service_type:
            continue
        if not eu_recognised(rec.territory, period):
            # a Japanese list without a listed EU-Japan agreement (mra.JP_AGREEMENTS)
            reasons.append(R.no_agreement(rec.name, rec.territory))
            continue
        if period.unknown_critical:
            reasons.append(
                R.unknown_critical_extension(rec.name, rec.territory, period.unknown_critical)
            )
            continue
        if not _positive(period.status, moment):
            reasons.append(R.status_not_granted(rec.name, rec.territory, period.status, moment))
            continue
        st, conflict, out_of_scope = _status_under(cert, period, rec, moment)
        if out_of_scope:
            reasons.append(R.type_out_of_scope(rec.name, rec.territory, out_of_scope))
        elif conflict:
            conflicts.append(
                (f"{rec.name}: {conflict}", f"{rec.name}：{_CONFLICT_JA.get(conflict, conflict)}")
            )
        elif st is not None:
            statuses.append(st)
    if conflicts:
        return _Decision(
            None,
            tuple(reasons),
            "; ".join(en for en, _ in conflicts),
            "／".join(ja for _, ja in conflicts),
        )
    uniq = {(s.qualified, s.qc_type, s.qscd) for s in statuses}
    if len(uniq) > 1:
        names = sorted({s.service.name for s in statuses})
        return _Decision(
            None,
            tuple(reasons),
            f"services {', '.join(names)} disagree",
            f"サービス{'、'.join(names)}の内容が食い違っています",
        )
    return _Decision(statuses[0] if statuses else None, tuple(reasons))


def qualify_certificate(
    cert_der: bytes, chain_ders: Sequence[bytes], at: datetime, trust: EuTrust
) -> CertStatus | None:
    """The qualified status of a signing certificate at ``at`` (``None``: no
    granted CA/QC service covers it). Raises nothing for odd certificates."""
    cert, services = _load_listed(trust, cert_der, chain_ders)
    return _decide(cert, services, _aware(at), CA_QC).status


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _freshness(trust: EuTrust, territory: str, now: datetime) -> tuple[bool, Reason | None]:
    """(beyond grace, reason) for the list of ``territory``."""
    state = trust.list_state(territory)
    if state is None or state.next_update is None or now <= state.next_update:
        return False, None
    beyond = trust.is_stale_beyond_grace(territory, now)
    return beyond, R.list_stale(territory, state.next_update, beyond_grace=beyond)


def _declared_type(cert: _Cert) -> str | None:
    """The certificate's own type: its single QcType, else e-signatures for a
    certificate that claims to be qualified without a QcType (EN 319 412-5,
    and every pre-eIDAS one), else unknown."""
    types = [t for t in cert.qc_types if t in (_ESIGN, _ESEAL)]
    if len(cert.qc_types) == 1:
        return types[0] if types else None
    if not cert.qc_types and (
        cert.qc_compliance or {PRE_EIDAS_QCP, PRE_EIDAS_QCP_PLUS} & cert.policies
    ):
        return _ESIGN
    return None


def _category(qualified: bool, qc_type: str | None, qscd: bool) -> Qualification:
    if qc_type == _ESIGN:
        if qualified:
            return Qualification.QESIG if qscd else Qualification.ADESIG_QC
        return Qualification.ADESIG
    if qc_type == _ESEAL:
        if qualified:
            return Qualification.QESEAL if qscd else Qualification.ADESEAL_QC
        return Qualification.ADESEAL
    return Qualification.NOT_QUALIFIED


#: what an authentication certificate's signature can be at best: never
#: qualified, whatever its certificate's qualified status
_AUTH_CATEGORY = {
    Qualification.QESIG: Qualification.ADESIG,
    Qualification.ADESIG_QC: Qualification.ADESIG,
    Qualification.QESEAL: Qualification.ADESEAL,
    Qualification.ADESEAL_QC: Qualification.ADESEAL,
}


def _made_for_authentication(signer_der: bytes) -> bool:
    from asn1crypto import x509

    from signing.certs.key_usage import is_authentication_certificate

    try:
        return is_authentication_certificate(x509.Certificate.load(signer_der))
    except ValueError:
        return False


def qualify_signature_entry(
    signer_der: bytes,
    chain_ders: Sequence[bytes],
    indication: Indication,
    at: datetime,
    trust: EuTrust | None,
    *,
    now: datetime | None = None,
) -> tuple[Qualification, tuple[Reason, ...], ListedService | None]:
    """The EU qualification of a signature or seal, and the trusted-list
    entry it was read from (:func:`listed_service`).

    :param signer_der: the signing certificate (DER).
    :param chain_ders: its validated chain towards the anchor (DER, any order).
    :param indication: the AdES indication of the signature's validation.
    :param at: the best signature time (the signature timestamp's time, else
        the validation time).
    :param now: the validation time, for the freshness of the lists.
    """
    now = _aware(now or utcnow())
    at = _aware(at)
    if trust is None or trust.service_count() == 0:
        return Qualification.NOT_ASSESSED, (R.trust_not_loaded(),), None
    cert, services = _load_listed(trust, signer_der, chain_ders)
    reasons: list[Reason] = []
    signed = _decide(cert, services, at, CA_QC)
    entry = listed_service(services, signed.status, at, CA_QC)
    reasons.extend(signed.reasons)
    if signed.contradiction:
        reasons.append(R.contradiction(signed.contradiction, signed.contradiction_ja))
        return Qualification.INDETERMINATE, tuple(reasons), entry
    status = signed.status
    if status is not None:
        issued = _decide(cert, services, _aware(cert.not_before), CA_QC)
        if issued.contradiction:
            reasons.append(R.contradiction(issued.contradiction, issued.contradiction_ja))
            return Qualification.INDETERMINATE, tuple(reasons), entry
        if issued.status is None or not issued.status.qualified:
            reasons.append(
                R.not_granted_at_issuance(
                    status.service.name, status.service.territory, cert.not_before
                )
            )
            status = CertStatus(False, status.qc_type, False, status.service, status.period)
    if status is None and not services:
        # as EU DSS's "N/A": the certificate is not related to any EU trusted list,
        # so the EU column has no category to give (whatever the AdES result)
        return Qualification.NOT_EU_LISTED, (*reasons, R.not_listed(cert.subject)), entry
    if status is None:
        qc_type = _declared_type(cert)
        category = _category(False, qc_type, False)
        if indication is Indication.TOTAL_FAILED:
            return Qualification.NOT_QUALIFIED, (*reasons, R.ades_failed()), entry
        if indication is Indication.INDETERMINATE:
            return (
                Qualification.INDETERMINATE,
                (*reasons, R.ades_indeterminate(category.value)),
                entry,
            )
        return category, tuple(reasons), entry
    if status.qc_type is None:
        reasons.append(R.type_ambiguous(cert.subject))
        return Qualification.INDETERMINATE, tuple(reasons), entry
    if status.qc_type == _WEB:
        reasons.append(R.web_certificate(cert.subject))
    elif not status.qualified and cert.qc_cc_legislation and status.period.mra is None:
        reasons.append(R.foreign_legislation(cert.subject))
    elif not status.qualified and not cert.qc_compliance:
        reasons.append(R.no_qc_statement(cert.subject))
    elif status.qualified and not status.qscd:
        reasons.append(R.not_on_qscd(cert.subject))
    category = _category(status.qualified, status.qc_type, status.qscd)
    if _made_for_authentication(signer_der):
        # not a certificate for signatures: whatever the list says, no QES/QESeal
        category = _AUTH_CATEGORY.get(category, category)
        reasons.append(R.authentication_certificate(cert.subject))
    beyond, stale_reason = _freshness(trust, status.service.territory, now)
    if stale_reason is not None:
        reasons.append(stale_reason)
    if indication is Indication.TOTAL_FAILED:
        return Qualification.NOT_QUALIFIED, (*reasons, R.ades_failed()), entry
    if indication is Indication.INDETERMINATE:
        return Qualification.INDETERMINATE, (*reasons, R.ades_indeterminate(category.value)), entry
    if beyond:
        return Qualification.INDETERMINATE, tuple(reasons), entry
    if status.period.mra:
        reasons.insert(0, R.mutual_recognition(status.period.mra, status.service.territory))
    reasons.insert(0, R.result(category.value, status.service.name, status.service.territory))
    return category, tuple(reasons), entry


def qualify_timestamp_entry(
    tsa_der: bytes,
    chain_ders: Sequence[bytes],
    at: datetime,
    trust: EuTrust | None,
    *,
    now: datetime | None = None,
) -> tuple[Qualification, tuple[Reason, ...], ListedService | None]:
    """QTST when the time-stamping unit belongs to a TSA/QTST service granted at
    ``at`` (the timestamp's time) and its certificate declares itself
    qualified; TST otherwise."""
    now = _aware(now or utcnow())
    at = _aware(at)
    if trust is None or trust.service_count() == 0:
        return Qualification.NOT_ASSESSED, (R.trust_not_loaded(),), None
    cert, services = _load_listed(trust, tsa_der, chain_ders)
    decision = _decide(cert, services, at, TSA_QTST)
    entry = listed_service(services, decision.status, at, TSA_QTST)
    reasons = list(decision.reasons)
    if decision.contradiction:
        reasons.append(R.contradiction(decision.contradiction, decision.contradiction_ja))
        return Qualification.INDETERMINATE, tuple(reasons), entry
    st = decision.status
    if st is None and not services:
        # no EU list names it: no EU status to give, not even "a timestamp" (TST)
        return Qualification.NOT_EU_LISTED, (*reasons, R.tsa_not_eu_listed(cert.subject)), entry
    if st is None:
        reasons.append(R.tsa_not_listed(cert.subject))
        return Qualification.TST, tuple(reasons), entry
    if not st.qualified:
        reasons.append(R.tsa_without_qc(cert.subject, st.service.name, st.service.territory))
        return Qualification.TST, tuple(reasons), entry
    beyond, stale_reason = _freshness(trust, st.service.territory, now)
    if stale_reason is not None:
        reasons.append(stale_reason)
    if beyond:
        return Qualification.INDETERMINATE, tuple(reasons), entry
    reasons.insert(0, R.result("QTST", st.service.name, st.service.territory))
    return Qualification.QTST, tuple(reasons), entry


def qualify_timestamp(
    tsa_der: bytes,
    chain_ders: Sequence[bytes],
    at: datetime,
    trust: EuTrust | None,
    *,
    now: datetime | None = None,
) -> tuple[Qualification, tuple[Reason, ...]]:
    """:func:`qualify_timestamp_entry` without the list entry."""
    q, reasons, _ = qualify_timestamp_entry(tsa_der, chain_ders, at, trust, now=now)
    return q, reasons


def listed_service(
    services: Sequence[ServiceRecord], decided: CertStatus | None, at: datetime, service_type: str
) -> ListedService | None:
    """The trusted-list entry a reader is shown for a certificate: the service
    the decision rested on; without one (a withdrawn service, another type),
    the closest listed service of the right type at ``at``, else the closest
    listed one, with its status then; ``None`` when no EU list names it."""
    period: ServicePeriod | None
    if decided is not None:
        rec, period = decided.service, decided.period
    elif services:
        typed = [
            r for r in services if (p := r.period_at(at)) is not None and p.type_uri == service_type
        ]
        rec = typed[0] if typed else services[0]
        period = rec.period_at(at)
    else:
        return None
    return ListedService(
        territory=rec.territory,
        provider=rec.tsp_name,
        service=rec.name,
        status=period.status if period is not None else None,
        at=at,
    )


def describe(status: CertStatus | None) -> dict[str, Any]:
    """A plain summary of a certificate status (for ``--json`` and tests)."""
    if status is None:
        return {"qualified": False, "service": None}
    return {
        "qualified": status.qualified,
        "type": status.qc_type,
        "qscd": status.qscd,
        "service": status.service.name,
        "territory": status.service.territory,
        "status": status.period.status,
    }


def apply_to_result(
    result: SignatureResult,
    signer_der: bytes,
    chain_ders: Sequence[bytes],
    trust: EuTrust | None,
    *,
    tsa_der: bytes | None = None,
    tsa_chain_ders: Sequence[bytes] = (),
    now: datetime | None = None,
) -> SignatureResult:
    """``result`` with its EU qualification filled in (for the validation
    engine): the signature's at ``result.best_time`` (else the claimed time,
    else now) and, when ``tsa_der`` is given, its signature timestamp's."""
    from dataclasses import replace

    at = result.best_time or result.claimed_time or now or utcnow()
    qualification, reasons, entry = qualify_signature_entry(
        signer_der, chain_ders, result.indication, at, trust, now=now
    )
    ts = result.signature_timestamp
    if ts is not None and tsa_der is not None:
        ts_q, _, ts_entry = qualify_timestamp_entry(
            tsa_der, tsa_chain_ders, ts.time, trust, now=now
        )
        ts = replace(ts, qualification=ts_q, eu_service=ts_entry)
    return _with_eu_column(result, qualification, reasons, entry, ts)


def apply_to_timestamp_result(
    result: SignatureResult,
    tsa_der: bytes,
    chain_ders: Sequence[bytes],
    trust: EuTrust | None,
    *,
    now: datetime,
) -> SignatureResult:
    """``result``, a document timestamp, with its EU qualification filled in
    (for the validation engine): its TSA's at the token's time (else now); a
    timestamp that failed is not qualified, whatever its TSA."""
    from dataclasses import replace

    token = result.signature_timestamp
    at = token.time if token is not None and token.time else now
    q, reasons, entry = qualify_timestamp_entry(tsa_der, chain_ders, at, trust, now=now)
    if result.indication is Indication.TOTAL_FAILED:
        # (a TSA no EU list names keeps "not on an EU trusted list")
        if q is not Qualification.NOT_EU_LISTED:
            q = Qualification.NOT_QUALIFIED
        reasons = (*reasons, R.timestamp_failed())
    if token is not None:
        token = replace(token, qualification=q, eu_service=entry)
    return _with_eu_column(result, q, reasons, entry, token)


def _with_eu_column(
    result: SignatureResult,
    qualification: Qualification,
    reasons: tuple[Reason, ...],
    entry: ListedService | None,
    timestamp: TimestampInfo | None,
) -> SignatureResult:
    """``result`` with its EU column (and its signature timestamp's) set."""
    from dataclasses import replace

    return replace(
        result,
        eu_qualification=qualification,
        eu_reasons=reasons,
        eu_service=entry,
        signature_timestamp=timestamp,
    )
