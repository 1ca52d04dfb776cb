"""Third-country trusted lists recognised under a mutual recognition agreement
(MRA), as announced in the LOTL (``MutualRecognitionAgreementInformation`` of a
pointer, EU pilot format).

A pointer with an MRA carries, per legal identifier (e.g. ``QCForESig``), which
service type of the third country is equivalent to which EU service type (and
``ForeSignatures``/``ForeSeals`` scope), which of its statuses count as
``granted`` or ``withdrawn``, whether the equivalence is enacted and since
when. :func:`translate` rewrites the services of such a list into EU terms, so
the ordinary qualification rules apply; each translated period is marked with
its legal identifier (``ServicePeriod.mra``), which also lets a certificate
declare its own legislation (QcCClegislation) as the agreement foresees.

A pointed-party type may be narrowed by ``AdditionalServiceInformation`` URIs
(``MraEquivalence.pointed_asi``): only the services carrying all of them are
translated. The Japanese list is built for that: each service names its legal
basis (``http://shomei.example/TrstSvc/JP/LegalBasis/<code>``) there, so a future
EU-Japan mapping could name, say, accredited certification businesses only.

Japan: there is no EU-Japan agreement, so :data:`JP_AGREEMENTS` is empty. The
qualification code (:mod:`signing.trust.qualification`) asks
:func:`eu_recognised` about every service period it uses: a period of a
Japanese list (territory ``JP``) counts only when it was translated under an
equivalence listed in :data:`JP_AGREEMENTS`, even if some LOTL carried one. The
Shomei-compiled Japanese list itself (origin ``JP_TRUST_LIST``) cannot enter
the EU trust at all: its TSL type is not an EU one, so the EU code refuses it.
The check uses the territory under which the EU trust files a list (the LOTL
pointer's); a LOTL that filed a Japanese list under another territory would
escape it (the LOTL is verified, so that would be the EU's own statement).

Not done: the agreement's certificate-content equivalences (which third-country
QC statements stand for QcCompliance, QcSSCD, QcType) are not evaluated; the
certificate's own EU QC statements are read as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from signing.trust.tl_services import (
    SIE_BASE,
    STATUS_BASE,
    Criteria,
    QualificationRule,
    ServicePeriod,
    ServiceRecord,
    _tail,
    parse_list_time,
)
from signing.trust.tl_xml import parse_safely

ENACTED = "http://ec.europa.eu/tools/lotl/mra/enacted"
JP_TERRITORY = "JP"


@dataclass(frozen=True)
class MraEquivalence:
    legal_id: str
    pointed_type: str
    pointing_type: str
    pointing_asi: tuple[str, ...]
    #: (third-country status URI, EU status tail)
    statuses: tuple[tuple[str, str], ...]
    enacted: bool
    start: datetime | None
    #: AdditionalServiceInformation (tails) a pointed service must all carry
    pointed_asi: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "legal": self.legal_id,
            "pointed": self.pointed_type,
            "pointing": self.pointing_type,
            "asi": list(self.pointing_asi),
            "statuses": [list(x) for x in self.statuses],
            "enacted": self.enacted,
            "start": self.start.isoformat() if self.start else None,
            "pasi": list(self.pointed_asi),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> MraEquivalence:
        return cls(
            legal_id=d["legal"],
            pointed_type=d["pointed"],
            pointing_type=d["pointing"],
            pointing_asi=tuple(d["asi"]),
            statuses=tuple((a, b) for a, b in d["statuses"]),
            enacted=d["enacted"],
            start=datetime.fromisoformat(d["start"]) if d["start"] else None,
            pointed_asi=tuple(d.get("pasi", ())),
        )


def _local(el: Any) -> str:
    from lxml import etree  # type: ignore[import-untyped]

    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _find_all(el: Any, name: str) -> list[Any]:
    return [c for c in el.iter() if _local(c) == name]


def _first_text(el: Any, name: str) -> str | None:
    for c in _find_all(el, name):
        if c.text and c.text.strip():
            return str(c.text.strip())
    return None


def _status_pairs(block: Any, kind: str, pointing_default: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for eq in _find_all(block, kind):
        pointing = [
            _tail(t, STATUS_BASE)
            for side in _find_all(eq, "TrustServiceTSLStatusListPointingParty")
            for t in (s.text.strip() for s in _find_all(side, "ServiceStatus") if s.text)
        ]
        target = pointing[0] if pointing else pointing_default
        for side in _find_all(eq, "TrustServiceTSLStatusListPointedParty"):
            for s in _find_all(side, "ServiceStatus"):
                if s.text and s.text.strip():
                    pairs.append((s.text.strip(), target))
    return pairs


def mra_agreements(lotl_signed_xml: str) -> dict[str, tuple[MraEquivalence, ...]]:
    """The MRA equivalences of a verified LOTL, by pointed list URL."""
    root = parse_safely(lotl_signed_xml.encode("utf-8"))
    out: dict[str, tuple[MraEquivalence, ...]] = {}
    for ptr in _find_all(root, "OtherTSLPointer"):
        url = _first_text(ptr, "TSLLocation")
        infos = _find_all(ptr, "TrustServiceEquivalenceInformation")
        if not url or not infos:
            continue
        eqs: list[MraEquivalence] = []
        for info in infos:
            legal = _first_text(info, "TrustServiceLegalIdentifier")
            pointing = _find_all(info, "TrustServiceTSLTypeListPointingParty")
            pointed = _find_all(info, "TrustServiceTSLTypeListPointedParty")
            if not legal or not pointing or not pointed:
                continue
            p_type = _first_text(pointing[0], "ServiceTypeIdentifier") or ""
            asi = tuple(
                _tail(u.text.strip(), SIE_BASE)
                for a in _find_all(pointing[0], "AdditionalServiceInformation")
                for u in _find_all(a, "URI")
                if u.text
            )
            statuses = _status_pairs(
                info, "TrustServiceTSLStatusValidEquivalence", "granted"
            ) + _status_pairs(info, "TrustServiceTSLStatusInvalidEquivalence", "withdrawn")
            start = _first_text(info, "TrustServiceEquivalenceStatusStartingTime")
            for t in _find_all(pointed[0], "ServiceTypeIdentifier"):
                if not t.text:
                    continue
                eqs.append(
                    MraEquivalence(
                        legal_id=legal,
                        pointed_type=t.text.strip(),
                        pointing_type=p_type,
                        pointing_asi=asi,
                        statuses=tuple(statuses),
                        enacted=_first_text(info, "TrustServiceEquivalenceStatus") == ENACTED,
                        start=parse_list_time(start) if start else None,
                        pointed_asi=tuple(
                            _tail(u.text.strip(), SIE_BASE)
                            for u in _find_all(t.getparent(), "URI")
                            if u.text
                        ),
                    )
                )
        out[url] = tuple(eqs)
    return out


def translate(
    records: list[ServiceRecord], equivalences: tuple[MraEquivalence, ...]
) -> list[ServiceRecord]:
    """The services of a third-country list in EU terms; periods without an
    enacted equivalence are dropped."""
    out: list[ServiceRecord] = []
    for rec in records:
        periods = []
        for p in rec.periods:
            eq = next(
                (
                    e
                    for e in equivalences
                    if e.enacted
                    and e.pointed_type == p.type_uri
                    and set(e.pointed_asi) <= set(p.asi)
                ),
                None,
            )
            if eq is None:
                continue
            start = max(p.start, eq.start) if eq.start else p.start
            if p.end is not None and start >= p.end:
                continue
            status_uri = p.status if "://" in p.status else STATUS_BASE + p.status
            status = dict(eq.statuses).get(status_uri, "unrecognised")
            periods.append(
                replace(
                    p,
                    start=start,
                    type_uri=eq.pointing_type,
                    status=status,
                    asi=tuple(dict.fromkeys((*eq.pointing_asi, *p.asi))),
                    rules=(*p.rules, QualificationRule((eq.legal_id,), Criteria("all"))),
                    mra=eq.legal_id,
                )
            )
        if periods:
            out.append(replace(rec, periods=tuple(periods)))
    return out


#: The EU-Japan equivalences Shomei applies to a Japanese list, as
#: :func:`mra_agreements` reads them from a LOTL. Empty: no EU-Japan mutual
#: recognition agreement exists. Listing one here is a deliberate code change,
#: made only once the EU has enacted an agreement.
JP_AGREEMENTS: tuple[MraEquivalence, ...] = ()


def eu_recognised(
    territory: str, period: ServicePeriod, jp_agreements: Sequence[MraEquivalence] | None = None
) -> bool:
    """May this service period count towards an EU qualification? Always for
    a list not filed under Japan; for Japan (``JP``) only when the period was
    translated under an enacted equivalence of ``jp_agreements`` (by default
    :data:`JP_AGREEMENTS`, read at call time) with the same legal identifier
    and EU service type."""
    if territory.upper() != JP_TERRITORY:
        return True
    listed = JP_AGREEMENTS if jp_agreements is None else jp_agreements
    return period.mra is not None and any(
        eq.enacted and eq.legal_id == period.mra and eq.pointing_type == period.type_uri
        for eq in listed
    )
