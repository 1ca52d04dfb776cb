"""The verified EU services as pyHanko objects, for code that wants pyHanko's
own machinery: ``TSPTrustManager`` as a trust source during validation, or
``QualificationAssessor`` (used by the tests to cross-check
:mod:`signing.trust.qualification` where pyHanko's rules are complete).

Only periods with a positive status become service definitions, each with its
validity window, exactly like pyHanko's own parser produces them; the data
comes from lists whose signatures were checked before they entered the cache.
"""

from __future__ import annotations

from typing import Any

from signing.trust.eu import PRE_EIDAS_POSITIVE_STATUSES, EuTrust
from signing.trust.tl_services import CA_QC, TSA_QTST, Criteria, criteria_oid, key_usage_bit

_ASI_TO_QC = {
    "ForeSignatures": "qct_esign",
    "ForeSeals": "qct_eseal",
    "ForWebSiteAuthentication": "qct_web",
}


def _criteria(c: Criteria) -> Any:
    from pyhanko.sign.validation.qualified import tsp
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    items: list[Any] = []
    for must, must_not in c.key_usage:
        items.append(
            tsp.KeyUsageCriterion(
                KeyUsageConstraints(
                    key_usage=frozenset(key_usage_bit(b) for b in must),
                    key_usage_forbidden=frozenset(key_usage_bit(b) for b in must_not),
                    match_all_key_usages=True,
                )
            )
        )
    items.extend(
        tsp.PolicySetCriterion(frozenset(criteria_oid(x) for x in p)) for p in c.policy_sets
    )
    items.extend(
        tsp.CertSubjectDNCriterion(frozenset(criteria_oid(x) for x in d)) for d in c.subject_dn
    )
    items.extend(
        tsp.KeyUsageCriterion(
            KeyUsageConstraints(extd_key_usage=frozenset(criteria_oid(x) for x in e))
        )
        for e in c.eku
    )
    items.extend(_criteria(s) for s in c.sub)
    return tsp.CriteriaList(tsp.CriteriaCombination(c.assert_), frozenset(items))


def to_tsp_registry(trust: EuTrust) -> Any:
    """A pyHanko ``TSPRegistry`` with the CA/QC and TSA/QTST service periods
    whose status is positive (granted; before eIDAS also the Directive
    statuses, which pyHanko's parser drops)."""
    from asn1crypto import x509
    from pyhanko.sign.validation.qualified import tsp

    qualifiers = {q.value: q for q in tsp.Qualifier}
    registry = tsp.TSPRegistry()
    for rec in trust.all_records():
        certs = tuple(x509.Certificate.load(c.der) for c in rec.certs)
        for p in rec.periods:
            if p.type_uri not in (CA_QC, TSA_QTST) or p.unknown_critical:
                continue
            if p.status != "granted" and p.status not in PRE_EIDAS_POSITIVE_STATUSES:
                continue
            base = tsp.BaseServiceInformation(
                service_type=p.type_uri,
                service_name=rec.name,
                valid_from=p.start,
                valid_until=p.end,
                provider_certs=certs,
                additional_info_certificate_type=frozenset(
                    tsp.QcCertType(_ASI_TO_QC[a]) for a in p.asi if a in _ASI_TO_QC
                ),
                other_additional_info=frozenset(),
            )
            quals = frozenset(
                tsp.Qualification(
                    qualifiers=frozenset(qualifiers[q] for q in rule.qualifiers if q in qualifiers),
                    criteria_list=_criteria(rule.criteria),
                )
                for rule in p.rules
            )
            if p.type_uri == CA_QC:
                registry.register_ca(
                    tsp.CAServiceInformation(base, quals, expired_certs_revocation_info=None)
                )
            else:
                registry.register_tst(tsp.QTSTServiceInformation(base, quals))
    return registry


def trust_manager(trust: EuTrust) -> Any:
    """pyHanko's ``TSPTrustManager`` over :func:`to_tsp_registry`."""
    from pyhanko.sign.validation.qualified.tsp import TSPTrustManager

    return TSPTrustManager(to_tsp_registry(trust))
