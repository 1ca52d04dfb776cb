"""The EU lists in memory: the parsed services of every cached list (kept as
their JSON index until a lookup needs one), the LOTL's pointers and MRA
equivalences, and the answers read from them (services by subject,
anchors, revocation services).

An :class:`EuIndex` is built whole from the cache
(:class:`signing.trust.eu_cache.EuCache`) and then only read; a reload
replaces it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.trust.mra import MraEquivalence, mra_agreements
from signing.trust.tl_services import ServiceRecord, record_from_json
from signing.trust.tl_store import ListState
from signing.trust.tl_verify import TlPointer, VerifiedList, lotl_pointers

#: statuses under which a service is usable (TS 119 612 / TS 119 615):
#: "granted" since eIDAS (1 July 2016); before it, the Directive 1999/93 statuses
POSITIVE_STATUSES = frozenset({"granted"})
PRE_EIDAS_POSITIVE_STATUSES = frozenset(
    {"undersupervision", "supervisionincessation", "accredited"}
)
#: also accepted for *trust anchors* (not for qualification)
NATIONAL_STATUSES = frozenset({"recognisedatnationallevel", "setbynationallaw"})


class EuIndex:
    """In-memory lookup over the parsed services of every cached list."""

    def __init__(self) -> None:
        self.states: dict[str, ListState] = {}
        self.pointers: tuple[TlPointer, ...] = ()
        #: MRA equivalences by pointer territory (third-country lists)
        self.mra: dict[str, tuple[MraEquivalence, ...]] = {}
        self.raw: dict[str, list[dict[str, Any]]] = {}
        self.problems: dict[str, list[str]] = {}
        self.by_subject: dict[str, list[tuple[str, int]]] = {}
        self._records: dict[tuple[str, int], ServiceRecord] = {}

    def add(self, key: str, index: dict[str, Any]) -> None:
        records = index.get("records", [])
        self.raw[key] = records
        self.problems[key] = list(index.get("problems", []))
        for i, rec in enumerate(records):
            for cert in rec["c"]:
                self.by_subject.setdefault(cert[1], []).append((key, i))

    def record(self, ref: tuple[str, int]) -> ServiceRecord:
        rec = self._records.get(ref)
        if rec is None:
            rec = record_from_json(self.raw[ref[0]][ref[1]])
            self._records[ref] = rec
        return rec

    def records_with_subject(self, subject_key: str) -> list[ServiceRecord]:
        return [self.record(ref) for ref in dict.fromkeys(self.by_subject.get(subject_key, []))]

    def all_records(self) -> Iterator[ServiceRecord]:
        for key, recs in self.raw.items():
            for i in range(len(recs)):
                yield self.record((key, i))

    def service_count(self) -> int:
        return sum(len(r) for r in self.raw.values())

    def anchors(self) -> tuple[TrustAnchor, ...]:
        """Every CA and TSA certificate of a service that has ever had a
        usable status, tagged ``eu-tl:<territory>`` (deduplicated)."""
        return self._certificates_of(_is_anchor_service)

    def responders(self) -> tuple[TrustAnchor, ...]:
        """Every certificate of a revocation service that has ever had a
        usable status (see :meth:`signing.trust.eu.EuTrust.responders`)."""
        return self._certificates_of(_is_revocation_service)

    def _certificates_of(self, wanted: Callable[[str], bool]) -> tuple[TrustAnchor, ...]:
        seen: set[bytes] = set()
        out: list[TrustAnchor] = []
        usable = POSITIVE_STATUSES | PRE_EIDAS_POSITIVE_STATUSES | NATIONAL_STATUSES
        for recs in self.raw.values():
            for rec in recs:
                periods = rec["p"]
                if not periods:
                    continue
                if not wanted(periods[0]["ty"]):
                    continue
                if not any(p["s"] in usable for p in periods):
                    continue
                for c in rec["c"]:
                    der = base64.b64decode(c[0])
                    if der in seen:
                        continue
                    seen.add(der)
                    out.append(TrustAnchor(der, AnchorOrigin.EU_TRUSTED_LIST, rec["t"]))
        return tuple(out)


def _is_anchor_service(service_type: str) -> bool:
    return (
        "/Svctype/CA/" in service_type
        or "/Svctype/TSA" in service_type
        or "NationalRootCA" in service_type
    )


def _is_revocation_service(service_type: str) -> bool:
    return "/Svctype/Certstatus/OCSP" in service_type or "/Svctype/Certstatus/CRL" in service_type


def pointers_json(verified: VerifiedList) -> dict[str, Any]:
    """What the LOTL's index keeps besides its services: the pointers to the
    national lists, with their signers and MRA equivalences."""
    agreements = mra_agreements(verified.signed_xml)
    return {
        "pointers": [
            {
                "territory": p.territory,
                "url": p.url,
                "certs": [base64.b64encode(c).decode("ascii") for c in p.signer_certs],
                "lotl": p.is_lotl,
                "mra": [eq.to_json() for eq in agreements.get(p.url, ())],
            }
            for p in lotl_pointers(verified)
        ]
    }


def pointers_from_json(index: dict[str, Any]) -> tuple[TlPointer, ...]:
    """The pointers :func:`pointers_json` kept."""
    return tuple(
        TlPointer(
            territory=p["territory"],
            url=p["url"],
            signer_certs=tuple(base64.b64decode(c) for c in p["certs"]),
            is_lotl=p["lotl"],
        )
        for p in index.get("pointers", [])
    )
