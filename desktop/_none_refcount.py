"""Work around PySide6 6.12's ``None`` reference leak on CPython 3.11.

PySide6 6.12 returns ``None`` from void C++ methods without taking a
reference (harmless on CPython 3.12+, where ``None`` is immortal). On 3.11
every such call (``setText``, ``update``, ``processEvents``...) drops one
reference to ``None``; after some tens of thousands of calls CPython aborts
with "none_dealloc: deallocating None". We raise ``None``'s reference count
by a huge constant once, so it can never reach zero.
"""

from __future__ import annotations

import ctypes
import sys

_BOOST = 1 << 48


def keep_none_alive() -> None:
    if sys.version_info >= (3, 12) or getattr(keep_none_alive, "done", False):
        return
    # ob_refcnt is the first field of every object (Py_ssize_t) on CPython.
    refcnt = ctypes.c_ssize_t.from_address(id(None))
    refcnt.value += _BOOST
    keep_none_alive.done = True  # type: ignore[attr-defined]
