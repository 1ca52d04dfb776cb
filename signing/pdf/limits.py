"""Hard bounds on what reading one untrusted PDF may cost (issue 16).

pyHanko's parser trusts what a file declares: an xref stream that declares
10^9 entries gets 10^9 dictionary entries (no data is needed for them), a
number or a name is read one byte (or 16) at a time into a growing bytes
object, so one 10 MB token takes minutes. Here:

* the entries all cross-reference streams of a file declare together are
  checked against the file's size before pyHanko reads them
  (:data:`signing.pdf.budget.XREF_ENTRIES_FLOOR`, ``XREF_ENTRIES_PER_BYTE``), and a file
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
from collections.abc import Iterator

from signing import thirdparty_internals as internals
from signing.pdf.budget import (
    _LOCAL,
    CODES,
    MAX_HEX_STRING,
    MAX_LITERAL_STRING,
    MAX_REVISIONS,
    MAX_TOKEN,
    Budget,
    DeadlineReached,
    PdfLimitExceeded,
    budget,
    check_time,
    lift_deadline,
    xref_entry_cap,
)


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
