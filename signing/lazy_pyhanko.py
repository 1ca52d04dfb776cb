"""Two of pyHanko's package inits, run on first use instead of on import
(issue #19: a one-file ``shomei validate``).

*What:* ``pyhanko/sign/__init__.py`` only re-exports :data:`SIGN_NAMES` from
``pyhanko.sign.signers``; since Python runs a package's ``__init__`` before
any of its submodules, ``import pyhanko.sign.validation`` also imports every
signer and the timestamp clients. And ``pyhanko.sign.validation.ades``
imports ``AIOHttpFetcherBackend`` (so aiohttp) at module level, for the
backend it makes when the caller's policy has none (Shomei's always has
one). :func:`install` puts a finder first in ``sys.meta_path`` that finds
both packages (:data:`DEFERRED`) with the finders after it (whatever they
are: the path finder, PyInstaller's frozen one) and wraps the loader they
return: the module is created and registered as usual, its ``__path__``
set, but its code runs only

* for ``pyhanko.sign``: when one of :data:`SIGN_NAMES` is asked for
  (``from pyhanko.sign import PdfSigner``), under a lock, once. Any other
  name raises ``AttributeError``, so that ``from pyhanko.sign import
  attributes`` inside pyHanko's signers falls back, as Python does, to
  importing the submodule: running the package code there would import the
  half-loaded signers back (the circular import of the first attempt);
* for the aiohttp backend package: when an ``AIOHttpFetcherBackend`` is
  made. Until then the name is a stand-in class whose construction runs the
  package code and returns the real backend (a real instance: pyHanko only
  makes one and closes it).

*Why:* those imports were 0.2 s of the 0.7 s a one-file validation takes,
for code a validation never runs.

*When it moves:* if ``pyhanko/sign/__init__.py`` defines more than
:data:`SIGN_NAMES`, or the aiohttp package's ``__all__`` changes
(``tests/test_lazy_pyhanko.py`` compares both with the installed
libraries), follow them; if ``pyhanko.sign`` stops importing the signers, or
``ades`` the aiohttp backend, drop that half.

Importing this module imports nothing beyond the standard library's
``_thread``: :mod:`signing`'s ``__init__`` installs it, so that every import
order of the core sees the same packages."""

from __future__ import annotations

import _thread
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

PACKAGE = "pyhanko.sign"
AIOHTTP_PACKAGE = "pyhanko_certvalidator.fetchers.aiohttp_fetchers"

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


#: the aiohttp backend package's ``__all__``
AIOHTTP_NAMES = frozenset({"AIOHttpFetcherBackend"})

#: package -> the names that run its code
DEFERRED = {PACKAGE: SIGN_NAMES, AIOHTTP_PACKAGE: AIOHTTP_NAMES}


class _DeferringFinder:
    """Finds the :data:`DEFERRED` packages with the finders after it in
    ``sys.meta_path`` and gives them a :class:`_DeferringLoader`."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: Any = None) -> Any:
        names = DEFERRED.get(name)
        if names is None:
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
            spec.loader = _DeferringLoader(loader, names)
            return spec
        return None


class _DeferringLoader:
    """Creates the module as the real loader does and runs its code on the
    first use of one of ``names``."""

    def __init__(self, real: Any, names: frozenset[str]) -> None:
        self.real = real
        self.names = names
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
            if name in self.names:
                self.run(module)
                if name in module.__dict__:
                    return module.__dict__[name]
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")

        module.__getattr__ = __getattr__  # type: ignore[method-assign]
        module.__dict__["__all__"] = sorted(self.names)  # ``import *`` asks for each
        if module.__name__ == AIOHTTP_PACKAGE:
            module.__dict__["AIOHttpFetcherBackend"] = _backend_stand_in(self, module)
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


def _backend_stand_in(loader: _DeferringLoader, module: ModuleType) -> type:
    from pyhanko_certvalidator.fetchers.api import FetcherBackend

    class AIOHttpFetcherBackend(FetcherBackend):  # type: ignore[misc]
        """Stands for pyhanko-certvalidator's aiohttp fetcher backend until
        one is made: making one runs the package code (imports aiohttp) and
        returns the real backend, made with the same arguments."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if cls is not AIOHttpFetcherBackend:
                raise TypeError("subclass the real AIOHttpFetcherBackend")
            loader.run(module)
            real = module.__dict__["AIOHttpFetcherBackend"]
            if real is AIOHttpFetcherBackend:  # asked for while its package loads
                raise ImportError(f"{module.__name__} is not loaded yet")
            return real(*args, **kwargs)

    AIOHttpFetcherBackend.__module__ = module.__name__
    return AIOHttpFetcherBackend


def install() -> bool:
    """Defer the :data:`DEFERRED` packages' code (once per process; returns
    whether ``pyhanko.sign`` is deferred: not if it was imported before)."""
    if not any(isinstance(f, _DeferringFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferringFinder())
    module = sys.modules.get(PACKAGE)
    return module is None or isinstance(getattr(module, "__loader__", None), _DeferringLoader)
