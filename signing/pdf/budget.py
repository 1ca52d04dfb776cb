"""The bounds of reading one untrusted PDF and the budget that tracks them
(what :mod:`signing.pdf.limits` puts in pyHanko's parser; the bounded
readers of :mod:`signing.pdf.limits_xref` and :mod:`signing.pdf.limits_tokens`
check against these)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from pyhanko.pdf_utils.misc import PdfReadError

#: cross-reference entries allowed whatever the file's size
XREF_ENTRIES_FLOOR = 1 << 18
#: ... and per byte of the file beyond that (an entry costs ~200 bytes of
#: memory; a real object costs more than 4 bytes of file, even compressed)
XREF_ENTRIES_PER_BYTE = 0.25
#: most revisions (cross-reference sections) read: the difference analysis
#: compares each with the one before (about a millisecond each), and no real
#: workflow comes near this many incremental updates
MAX_REVISIONS = 1000
#: longest number, name or operator read (the PDF spec's own limit for names
#: is 127 bytes; nothing legitimate comes near this)
MAX_TOKEN = 64 * 1024
#: longest literal ``(...)`` string read (JavaScript may be long; not this)
MAX_LITERAL_STRING = 16 * 1024 * 1024
#: longest hex string read (a signature's /Contents is a few KiB to a few
#: hundred KiB of hex)
MAX_HEX_STRING = 32 * 1024 * 1024

#: the reason codes of the bounds here (each INDETERMINATE: the file may be
#: genuine, it is only too costly to read)
CODES = frozenset({"xref-too-large", "too-many-revisions", "token-too-long", "string-too-large"})


class PdfLimitExceeded(PdfReadError):  # type: ignore[misc]
    """A bound of this module tripped: ``code`` names which (a stable reason
    code), ``detail`` gives the figures."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class DeadlineReached(BaseException):
    """The :class:`Budget`'s deadline passed (not an ``Exception``: pyHanko's
    broad handlers must not turn it into a parse result)."""


@dataclass
class Budget:
    """What one file may still spend; one per :func:`bounded` block."""

    #: ``time.monotonic()`` after which work stops (None: no deadline)
    deadline: float | None = None
    #: the bounds that tripped, in order (code, detail)
    tripped: list[tuple[str, str]] = field(default_factory=list)

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlineReached()

    def exceeded(self, code: str, detail: str) -> PdfLimitExceeded:
        if self is not _FREE:
            self.tripped.append((code, detail))
        return PdfLimitExceeded(code, detail)


_LOCAL = threading.local()
#: used outside any bounded block: no deadline, trips kept nowhere
_FREE = Budget()


def budget() -> Budget:
    """The current block's budget (a shared one without deadline outside)."""
    current: Budget | None = getattr(_LOCAL, "budget", None)
    return current if current is not None else _FREE


def lift_deadline() -> None:
    """No deadline for the rest of the current block (once it has been
    acted on: what is left is bounded work, such as writing reports)."""
    budget().deadline = None


def check_time() -> None:
    """Raise :class:`DeadlineReached` if the current block's time is up."""
    budget().check_time()


def xref_entry_cap(file_size: int) -> int:
    """How many cross-reference entries a file of this size may declare."""
    return max(XREF_ENTRIES_FLOOR, int(file_size * XREF_ENTRIES_PER_BYTE))
