"""Which trust a validation uses: one plain, picklable object.

:class:`TrustConfig` travels inside
:class:`~signing.validation.options.ValidationOptions` (to every worker of a
process pool); :func:`signing.trust.environment.environment_for` turns it into
the loaded trust material, once per process. Nothing here imports the trust
machinery, so building a configuration costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TrustConfig:
    """The trust layers of a validation: the EU trusted lists, Shomei's
    Japanese list and the user's own anchors, each kept apart (an anchor is
    tagged with where it came from; the EU and Japanese columns never merge)."""

    eu_enabled: bool = True
    """Use the EU trusted lists: their CA and TSA certificates as anchors, and
    the eIDAS qualification of every signature, seal and timestamp."""

    eu_territories: tuple[str, ...] | None = None
    """Only the lists of these territories (ISO codes as in the LOTL, e.g.
    ``"BE"``); ``None``: every cached list."""

    eu_cache_dir: Path | None = None
    """The trusted-list cache (as ``shomei trust --cache-dir``); ``None``: the
    user's cache (``$SHOMEI_CACHE_DIR/trust`` or the platform's)."""

    jp_enabled: bool = True
    """Use Shomei's Japanese list: its anchors and intermediates, and the
    Japanese status of every signature and timestamp."""

    jp_cache_dir: Path | None = None
    """Cache of the Japanese list (its own ``jp`` subfolder); ``None``: the
    same default as the EU lists."""

    jp_signers: tuple[bytes, ...] | None = None
    """Pinned signers (DER) of a downloaded Japanese list; ``None``: the app's."""

    seed_bundled: bool = True
    """Seed an empty or older cache from the lists shipped with the app (the
    EU snapshot, the Japanese list)."""

    user_anchor_files: tuple[Path, ...] = ()
    """PEM or DER files the user trusts in addition (settings or ``--trust``)."""

    @classmethod
    def user_only(cls, *files: Path) -> TrustConfig:
        """Only the user's anchors: both columns say "not assessed"."""
        return cls(eu_enabled=False, jp_enabled=False, user_anchor_files=tuple(files))


__all__ = ["TrustConfig"]
