"""Where PKCS#11 modules (smart-card and token middleware) usually live.

Users should not have to know that OpenSC installs
``/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so``: :func:`find_modules` looks in
the well-known places for this OS and adds any custom paths from settings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["WELL_KNOWN_MODULES", "find_modules", "well_known_modules"]

_LINUX_LIBDIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/usr/local/lib",
)


def _linux(*names: str) -> tuple[str, ...]:
    """Each name under each usual library folder (and its pkcs11/ subfolder)."""
    out: list[str] = []
    for name in names:
        for libdir in _LINUX_LIBDIRS:
            out.append(f"{libdir}/{name}")
            out.append(f"{libdir}/pkcs11/{name}")
    return tuple(out)


#: (what it is, candidate paths) per OS family. Estonian and most other EU eID
#: cards work through OpenSC. OpenSC's one-PIN variant and p11-kit's proxy are
#: left out on purpose: they show the same cards (and the system CA store) a
#: second time; add them as custom paths if wanted.
WELL_KNOWN_MODULES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "linux": (
        ("OpenSC", _linux("opensc-pkcs11.so")),
        ("SoftHSM2", ("/usr/lib/softhsm/libsofthsm2.so", *_linux("libsofthsm2.so"))),
        ("Belgian eID", _linux("libbeidpkcs11.so.0", "libbeidpkcs11.so")),
        ("SafeNet eToken", _linux("libeTPkcs11.so", "libIDPrimePKCS11.so")),
        ("Yubico YubiKey", _linux("libykcs11.so", "libykcs11.so.2")),
        ("Gemalto/Thales IDPrime", _linux("libgclib.so")),
    ),
    "darwin": (
        ("OpenSC", ("/Library/OpenSC/lib/opensc-pkcs11.so", "/opt/homebrew/lib/opensc-pkcs11.so")),
        ("SoftHSM2", ("/opt/homebrew/lib/softhsm/libsofthsm2.so",)),
        (
            "Belgian eID",
            ("/Library/Belgium Identity Card PKCS11.bundle/Contents/MacOS/libbeidpkcs11.dylib",),
        ),
        ("SafeNet eToken", ("/usr/local/lib/libeTPkcs11.dylib",)),
        ("Yubico YubiKey", ("/usr/local/lib/libykcs11.dylib", "/opt/homebrew/lib/libykcs11.dylib")),
    ),
    "win32": (
        ("OpenSC", (r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll",)),
        ("SoftHSM2", (r"C:\SoftHSM2\lib\softhsm2-x64.dll",)),
        ("Belgian eID", (r"C:\Windows\System32\beidpkcs11.dll",)),
        ("SafeNet eToken", (r"C:\Windows\System32\eTPKCS11.dll",)),
        ("Yubico YubiKey", (r"C:\Program Files\Yubico\Yubico PIV Tool\bin\libykcs11.dll",)),
    ),
}


def _os_family() -> str:
    if sys.platform.startswith("linux"):
        return "linux"
    if sys.platform == "darwin":
        return "darwin"
    if sys.platform.startswith("win"):
        return "win32"
    return "linux"


def well_known_modules(os_family: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """The candidate list for an OS family (``linux``, ``darwin``, ``win32``)."""
    return list(WELL_KNOWN_MODULES.get(os_family or _os_family(), ()))


def find_modules(extra_paths: Sequence[str] = ()) -> list[Path]:
    """Existing PKCS#11 modules: custom paths first, then well-known ones.

    Paths are resolved so one library reached through two symlinks is listed
    once. Nothing is loaded here; loading happens in :func:`list_tokens`.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(raw: str) -> None:
        path = Path(os.path.expanduser(raw))
        if not path.is_file():
            return
        real = path.resolve()
        if real in seen:
            return
        seen.add(real)
        found.append(path)

    for raw in extra_paths:
        add(raw)
    for _name, candidates in well_known_modules():
        for raw in candidates:
            add(raw)
    return found
