"""The state of the trusted lists in the cache, for ``shomei trust`` and the
app's Settings › Trust: every EU list (the LOTL first, then each territory)
and Shomei's Japanese list, each with its source, sequence, dates, counts,
freshness and last error. Built in this one place (no network) so the two
front ends cannot read the cache differently.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from signing.errors import ShomeiError
from signing.trust.eu import EuTrust, EuTrustConfig, TerritoryStatus, utcnow
from signing.trust.jp_trust import JpTrust, JpTrustConfig

__all__ = ["Freshness", "ListStatus", "TrustStatus", "trust_status"]


class Freshness(enum.Enum):
    """How current one list is."""

    #: loaded and not past its next update (or closed: no next update)
    CURRENT = "current"
    #: past its next update: a newer list should exist
    STALE = "stale"
    #: never stored (not downloaded, nothing bundled)
    MISSING = "missing"


@dataclass(frozen=True)
class ListStatus:
    """One list's row."""

    #: the cache's row (key "LOTL", a territory code or "JP"; URL, sequence,
    #: issue and next-update dates, last success and last error, source)
    row: TerritoryStatus
    #: trust anchors it gives: the services of an EU list, the certificates
    #: of the Japanese list in use
    anchors: int
    freshness: Freshness
    #: whole days past its next update (``STALE`` only)
    days_past_update: int = 0

    @property
    def key(self) -> str:
        return self.row.key

    @classmethod
    def of(cls, row: TerritoryStatus, now: datetime, anchors: int) -> ListStatus:
        """The freshness of ``row`` at ``now``: missing without a stored list,
        stale past its next update (a list without one is closed, never
        stale)."""
        if row.sequence is None:
            return cls(row, anchors, Freshness.MISSING)
        nxt = row.next_update
        if nxt is not None and nxt.tzinfo is None:
            nxt = nxt.replace(tzinfo=UTC)
        if nxt is not None and now > nxt:
            return cls(row, anchors, Freshness.STALE, max((now - nxt).days, 0))
        return cls(row, anchors, Freshness.CURRENT)


@dataclass(frozen=True)
class TrustStatus:
    """What :func:`trust_status` found."""

    #: the EU lists, the LOTL first (empty when the EU side was not asked)
    eu: tuple[ListStatus, ...]
    #: the Japanese list; None when it was not asked or could not be opened
    jp: ListStatus | None
    #: why the Japanese list could not be opened (``jp`` is None) or gives
    #: no usable anchors (``jp`` is set, ``jp.anchors`` is 0)
    jp_error: ShomeiError | None
    #: when the freshness was judged
    checked_at: datetime

    @property
    def rows(self) -> tuple[TerritoryStatus, ...]:
        """The EU rows, then the Japanese one."""
        jp = (self.jp.row,) if self.jp is not None else ()
        return (*(s.row for s in self.eu), *jp)

    def to_json(self) -> dict[str, Any]:
        """``lists`` (EU) and ``jp`` (the Japanese row or None), as
        ``shomei trust status --json`` prints them."""
        return {
            "lists": [s.row.to_json() for s in self.eu],
            "jp": self.jp.row.to_json() if self.jp is not None else None,
        }


def trust_status(
    eu: EuTrust | EuTrustConfig | None,
    jp: JpTrust | JpTrustConfig | None,
    now: datetime | None = None,
) -> TrustStatus:
    """The status of the EU lists and the Japanese list, from the cache (no
    network; the lists are opened from a configuration, or an already opened
    one is read, e.g. right after an update). Pass ``None`` to leave a side
    out.

    An EU cache that cannot be opened raises (:class:`~signing.errors.ShomeiError`);
    a Japanese list that cannot be opened or read is reported in
    :attr:`TrustStatus.jp_error`, so the EU rows still show.
    """
    now = now or utcnow()
    eu_rows: tuple[ListStatus, ...] = ()
    if eu is not None:
        trust = eu if isinstance(eu, EuTrust) else EuTrust.open(eu)
        eu_rows = tuple(ListStatus.of(st, now, st.service_count) for st in trust.status(now))
    jp_row: ListStatus | None = None
    jp_error: ShomeiError | None = None
    if jp is not None:
        try:
            jp_trust = jp if isinstance(jp, JpTrust) else JpTrust.open(jp)
            row = jp_trust.status(now)
        except ShomeiError as exc:
            jp_error = exc
        else:
            try:
                anchors = len(jp_trust.current().anchors())
            except ShomeiError as exc:  # the row still says what is cached
                anchors, jp_error = 0, exc
            jp_row = ListStatus.of(row, now, anchors)
    return TrustStatus(eu=eu_rows, jp=jp_row, jp_error=jp_error, checked_at=now)
