"""pyHanko's ``pyhanko.sign`` package code, run on first use of one of its
own names instead of on import (issue #19: a one-file ``shomei validate``).

*What:* ``pyhanko/sign/__init__.py`` only re-exports :data:`SIGN_NAMES` from
``pyhanko.sign.signers``; since Python runs a package's ``__init__`` before
any of its submodules, ``import pyhanko.sign.validation`` also imports every
signer, the timestamp clients and aiohttp. :func:`install` puts a finder
first in ``sys.meta_path`` that finds ``pyhanko.sign`` with the finders after
it (whatever they are: the path finder, PyInstaller's frozen one) and wraps
the loader it returns: the module is created and registered as usual, its
``__path__`` set, but its code runs only when one of :data:`SIGN_NAMES` is
asked for (``from pyhanko.sign import PdfSigner``), under a lock, once. Any
other name raises ``AttributeError``, so that ``from pyhanko.sign import
attributes`` inside pyHanko's signers falls back, as Python does, to
importing the submodule: running the package code there would import the
half-loaded signers back (the circular import of the first attempt).

*Why:* those signing modules were 0.1 s of the 0.7 s a one-file validation
takes, for code a validation never runs.

*When it moves:* if ``pyhanko/sign/__init__.py`` defines more than
:data:`SIGN_NAMES` (``tests/test_lazy_pyhanko.py`` compares them with the
installed pyHanko), add the names; if it stops importing the signers, drop
this module.

Importing this module imports nothing beyond the standard library's
``_thread``: :mod:`signing`'s ``__init__`` installs it, so that every import
order of the core sees the same ``pyhanko.sign``."""

from __future__ import annotations

import _thread
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

PACKAGE = "pyhanko.sign"

#: the names ``pyhanko/sign/__init__.py`` defines (its ``__all__``)
SIGN_NAMES = frozenset(
    {
        "DEFAULT_MD",
        "DEFAULT_SIGNING_STAMP_STYLE",
        "ExternalSigner",
        "PdfSignatureMetadata",
        "PdfSigner",
        "PdfTimeStamper",
        "Signer",
        "SimpleSigner",
        "async_sign_pdf",
        "load_certs_from_pemder",
        "sign_pdf",
    }
)


class _DeferringFinder:
    """Finds :data:`PACKAGE` with the finders after it in ``sys.meta_path``
    and gives it a :class:`_DeferringLoader`."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: Any = None) -> Any:
        if name != PACKAGE:
            return None
        for finder in sys.meta_path:
            if finder is self or isinstance(finder, _DeferringFinder):
                continue
            find_spec = getattr(finder, "find_spec", None)
            if find_spec is None:
                continue
            spec = find_spec(name, path, target)
            if spec is None:
                continue
            loader = spec.loader
            if loader is None or not hasattr(loader, "exec_module"):
                return spec  # not a loader we know how to defer: load as usual
            spec.loader = _DeferringLoader(loader)
            return spec
        return None


class _DeferringLoader:
    """Creates the module as the real loader does and runs its code on the
    first use of one of :data:`SIGN_NAMES`."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.lock = _thread.RLock()
        self.ran = False

    def __getattr__(self, name: str) -> Any:
        # get_code, get_source, get_resource_reader...: the real loader's
        return getattr(self.real, name)

    def create_module(self, spec: Any) -> Any:
        create = getattr(self.real, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: ModuleType) -> None:
        def __getattr__(name: str) -> Any:
            if name in SIGN_NAMES:
                self.run(module)
                if name in module.__dict__:
                    return module.__dict__[name]
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")

        module.__getattr__ = __getattr__  # type: ignore[method-assign]
        module.__dict__["__all__"] = sorted(SIGN_NAMES)  # ``import *`` asks for each
        # (``__path__``, ``__spec__`` and ``__file__`` are the import
        # system's, set from the real finder's spec before this runs)

    def run(self, module: ModuleType) -> None:
        """The package's own code, once (a name asked for while it runs
        raises ``AttributeError``, as in any half-loaded module)."""
        with self.lock:
            if self.ran:
                return
            self.ran = True
            hook = module.__dict__.pop("__getattr__", None)
            try:
                self.real.exec_module(module)
            except BaseException:
                self.ran = False  # the next use tries again and fails alike
                if hook is not None:
                    module.__getattr__ = hook  # type: ignore[method-assign]
                raise


def install() -> bool:
    """Defer ``pyhanko.sign``'s code (once per process; returns whether it is
    deferred: not if ``pyhanko.sign`` was imported before)."""
    if any(isinstance(f, _DeferringFinder) for f in sys.meta_path):
        return True
    if PACKAGE in sys.modules:
        return False
    sys.meta_path.insert(0, _DeferringFinder())
    return True
