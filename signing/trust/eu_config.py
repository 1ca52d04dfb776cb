"""Settings of the EU trust layer and where its material lives: the cache
folder, the bundled snapshot and its pinned LOTL signers, the mirror of the
national lists.

Used by :mod:`signing.trust.eu` and its collaborators; the names are
re-exported there (``signing.trust.eu.EuTrustConfig`` is the public one).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signing.resources import resources_dir as core_resources_dir
from signing.trust.tl_fetch import FetchSettings
from signing.trust.tl_verify import TlPointer

EU_LOTL_URL = "https://ec.europa.eu/tools/lotl/eu-lotl.xml"
LOTL_KEY = "LOTL"
SCHEME = "eu"


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_cache_dir() -> Path:
    env = os.environ.get("SHOMEI_CACHE_DIR")
    if env:
        return Path(env) / "trust"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "Shomei" / "trust"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Shomei" / "trust"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "shomei" / "trust"


def resources_dir() -> Path:
    """``$SHOMEI_RESOURCES`` (as for the desktop app), else the core's
    :func:`signing.resources.resources_dir`."""
    env = os.environ.get("SHOMEI_RESOURCES")
    if env:
        return Path(env)
    return core_resources_dir()


def bundled_snapshot_dir() -> Path:
    return resources_dir() / "trust" / "eu"


def load_pem_certs(data: bytes) -> tuple[bytes, ...]:
    """DER certificates from PEM (or one DER) data."""
    from pyhanko.keys import load_certs_from_pemder_data

    return tuple(bytes(c.dump()) for c in load_certs_from_pemder_data(data))


def bundled_lotl_signers() -> tuple[bytes, ...]:
    """The LOTL signer certificates of the Official Journal notice in force
    (C/2026/1944), shipped in the snapshot folder; pyHanko's copy if absent."""
    path = bundled_snapshot_dir() / "lotl-signers.pem"
    if path.is_file():
        return load_pem_certs(path.read_bytes())
    from pyhanko.sign.validation.qualified import eutl_parse

    return tuple(bytes(c.dump()) for c in eutl_parse.latest_known_lotl_tlso_certs())


@dataclass(frozen=True)
class EuTrustConfig:
    cache_dir: Path = field(default_factory=default_cache_dir)
    lotl_url: str = EU_LOTL_URL
    #: pinned LOTL signer certificates (DER); ``None``: the bundled OJ set
    lotl_signers: tuple[bytes, ...] | None = None
    #: folder with a bundled snapshot (LOTL.xml, XX.xml); ``None``: none
    snapshot_dir: Path | None = field(default_factory=bundled_snapshot_dir)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    #: only these territories (ISO codes as in the LOTL, e.g. "BE", "EL"); ``None``: all
    territories: frozenset[str] | None = None
    #: how long past NextUpdate a list may still decide a qualification
    stale_grace: timedelta = timedelta(days=14)
    #: refresh a list at least this often even if NextUpdate is far away
    max_age: timedelta = timedelta(days=1)
    #: wait this long before retrying a list whose last download failed
    retry_after: timedelta = timedelta(hours=1)
    #: time at which signer certificates must be valid (tests of archived
    #: lists); ``None``: now for downloads, the list's issue date for the snapshot
    validation_time: datetime | None = None
    #: download lists in parallel
    workers: int = 4
    #: fetch the national lists from this mirror instead of each member
    #: state's host (see :func:`mirrored_url`); ``None``: the LOTL's URLs.
    #: Default: ``$SHOMEI_TL_MIRROR`` (set once by an administrator, it serves
    #: the app and the command line alike)
    tl_mirror: str | None = field(
        default_factory=lambda: os.environ.get("SHOMEI_TL_MIRROR") or None
    )

    def wants(self, territory: str) -> bool:
        """Whether this configuration keeps ``territory``'s list."""
        return self.territories is None or territory.upper() in self.territories

    def list_url(self, pointer: TlPointer) -> str:
        """Where to download ``pointer``'s list: its own URL, or the mirror's
        copy when ``tl_mirror`` is set (see :func:`mirrored_url`)."""
        if self.tl_mirror:
            return mirrored_url(self.tl_mirror, pointer.territory, pointer.url)
        return pointer.url

    @property
    def pinned_lotl_signers(self) -> tuple[bytes, ...]:
        """The LOTL signers pinned: the configured ones, else the bundled set."""
        return self.lotl_signers or bundled_lotl_signers()


def mirrored_url(base: str, territory: str, url: str) -> str:
    """The mirror's URL of a national list. ``base`` may hold ``{territory}``
    and ``{file}`` (the last part of the list's own URL path); without
    either, ``BASE/{territory}/{file}`` (the layout of a mirror that keeps
    one folder per territory)."""
    from urllib.parse import urlsplit

    file = urlsplit(url).path.rsplit("/", 1)[-1] or f"{territory}.xml"
    template = (
        base
        if ("{territory}" in base or "{file}" in base)
        else base.rstrip("/") + "/{territory}/{file}"
    )
    return template.replace("{territory}", territory).replace("{file}", file)
