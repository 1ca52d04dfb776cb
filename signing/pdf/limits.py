"""Hard bounds on what reading one untrusted PDF may cost (issue 16).

pyHanko's parser trusts what a file declares: an xref stream that declares
10^9 entries gets 10^9 dictionary entries (no data is needed for them), a
number or a name is read one byte (or 16) at a time into a growing bytes
object, so one 10 MB token takes minutes. Here:

* the entries all cross-reference streams of a file declare together are
  checked against the file's size before pyHanko reads them
  (:data:`XREF_ENTRIES_FLOOR`, :data:`XREF_ENTRIES_PER_BYTE`), and a file
  has at most :data:`MAX_REVISIONS` revisions;
* pyHanko's lookups that made the difference analysis quadratic in the
  number of revisions are made linear, with the same answers
  (:mod:`signing.pdf.limits_xref`);
* numbers, names and operators are read chunk-wise and capped at
  :data:`MAX_TOKEN` bytes, literal strings likewise (at
  :data:`MAX_LITERAL_STRING`), hex strings at :data:`MAX_HEX_STRING`
  (:mod:`signing.pdf.limits_tokens`, :mod:`signing.validation.fast_hex`);
* while a :func:`bounded` block runs (the validation of one file), the same
  hooks check its deadline, so the time limit holds inside one signature too.

A bound that trips raises :class:`PdfLimitExceeded` (a pyHanko ``PdfReadError``,
so callers that turn damaged files into messages handle it) and records it on
the current :class:`Budget`, so a caller learns the precise cause even when
pyHanko catches the error and carries on. A deadline raises
:class:`DeadlineReached`, which is not an ``Exception``: nothing in pyHanko
can swallow it.

The pyHanko internals used (``XRefBuilder``'s section readers, the
private state of ``XRefCache`` and ``TrailerDictionary``, the names the
reader and the object parser look up at call time) are wrapped in
:mod:`signing.thirdparty_internals` (``XRefBuilderHooks``,
``xref_sections``, ``trailer_revisions``, ``install_xref_classes``,
``install_token_readers``...). :func:`install` replaces them once per
process, only while the originals are in place.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from pyhanko.pdf_utils.misc import PdfReadError

from signing import thirdparty_internals as internals

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


@contextlib.contextmanager
def bounded(deadline: float | None) -> Iterator[Budget]:
    """Run a block (on this thread) under a fresh :class:`Budget`."""
    install()
    outer = getattr(_LOCAL, "budget", None)
    block = Budget(deadline=deadline)
    _LOCAL.budget = block
    try:
        yield block
    finally:
        _LOCAL.budget = outer


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


# --- installation ------------------------------------------------------------

_lock = threading.Lock()


def install() -> None:
    """Put the bounded readers in pyHanko's parser (idempotent; only while
    pyHanko's originals are in place)."""
    from signing.pdf import limits_tokens as tokens
    from signing.pdf import limits_xref as xref

    with _lock:
        internals.install_xref_classes(xref.BoundedXRefBuilder, xref.IndexedXRefCache)
        internals.install_token_readers(
            tokens.read_until_regex, tokens.read_until_delimiter, tokens.read_string_from_stream
        )


__all__ = [
    "CODES",
    "MAX_HEX_STRING",
    "MAX_LITERAL_STRING",
    "MAX_REVISIONS",
    "MAX_TOKEN",
    "Budget",
    "DeadlineReached",
    "PdfLimitExceeded",
    "bounded",
    "budget",
    "check_time",
    "install",
    "lift_deadline",
    "xref_entry_cap",
]
