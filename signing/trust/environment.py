"""The trust environment of a validation, built from a :class:`TrustConfig`
once per process (and so once per worker of a pool).

It gives the validation engine three things:

* trust anchors, each tagged with its origin (EU trusted list and territory,
  Japanese list and service, user file: :mod:`signing.trust.anchors`);
* extra certificates for chain building (the Japanese list's intermediates);
* the post-processing of every signature and document timestamp once the
  engine has validated it: :meth:`TrustEnvironment.annotate` fills the EU
  column (``eu_qualification``/``eu_reasons``, the signature timestamp's
  QTST/TST) and the Japanese column (``jp_status``), never one from the other.

A layer that is turned off or cannot be loaded does not fail the validation:
its column says "not assessed" with the reason. Stale EU lists follow
``EU_TRUST.md`` (a warning, then INDETERMINATE past the grace period); nothing
Japanese is ever EU-qualified (``mra.eu_recognised``).

    env = environment_for(TrustConfig())       # cached per process
    env.anchors, env.intermediates             # for the engine's trust manager
    env.annotate(result, certs, now=...)       # inside the per-file pipeline
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from signing.model.reasons import causes
from signing.model.reasons import qualification as R
from signing.model.results import (
    EntryKind,
    JapaneseStatus,
    Qualification,
    Reason,
    SignatureResult,
    TrustPath,
)
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.trust.config import TrustConfig

if TYPE_CHECKING:
    from signing.trust.eu import EuTrust
    from signing.trust.jp_list import JpTrustList
    from signing.trust.jp_trust import JpTrustConfig

log = logging.getLogger(__name__)

__all__ = [
    "EntryCertificates",
    "TrustConfig",
    "TrustEnvironment",
    "environment_for",
    "forget_environments",
    "load_environment",
]


@dataclass(frozen=True)
class EntryCertificates:
    """The certificates of one validated signature or document timestamp, as the
    engine found them (DER)."""

    #: the signer's certificate (the TSA's for a document timestamp)
    signer_der: bytes
    #: the validated path towards the anchor, without the signer; empty when
    #: no trusted path was found
    path_ders: tuple[bytes, ...] = ()
    #: the signature timestamp's TSA certificate, and its validated path
    tsa_der: bytes | None = None
    tsa_path_ders: tuple[bytes, ...] = ()
    #: every certificate the file carries for it (CMS certificates, DSS)
    pool_ders: tuple[bytes, ...] = ()
    #: a document timestamp over validation data was added after it (ISO 14533-3)
    archived: bool = False


@dataclass(frozen=True)
class TrustEnvironment:
    """The loaded trust layers of one :class:`TrustConfig`."""

    config: TrustConfig
    anchors: tuple[TrustAnchor, ...]
    #: DER certificates that help build chains (never trusted by themselves)
    intermediates: tuple[bytes, ...]
    eu: EuTrust | None
    jp: JpTrustList | None
    #: why the EU column is not assessed (turned off, not loadable), else None
    eu_unavailable: Reason | None
    #: why the Japanese column is not assessed, else None
    jp_unavailable: JapaneseStatus | None
    #: problems met while loading (a user file that cannot be read...)
    problems: tuple[str, ...]
    #: seconds spent loading (for benchmarks)
    load_seconds: float = 0.0
    #: revocation services of the EU lists (OCSP responders, CRL issuers): their
    #: answers are trusted, but they never anchor a chain
    responders: tuple[TrustAnchor, ...] = ()

    def annotate(
        self, result: SignatureResult, certs: EntryCertificates | None, *, now: datetime
    ) -> SignatureResult:
        """``result`` with its EU and Japanese columns filled. ``certs`` is
        ``None`` for an entry the engine could not read: both columns then stay
        "not assessed". ``now`` is the validation time (the lists' freshness)."""
        if certs is None:
            return result
        result = self._eu_column(result, certs, now)
        if self.eu is not None:
            result = replace(result, eu_path=self._eu_path(certs))
        return self._jp_column(result, certs, now)

    def _eu_path(self, certs: EntryCertificates) -> TrustPath | None:
        """The certificates the EU column looked up in the EU lists: the validated
        path (signer first), else the path the file's own certificates make."""
        from signing.trust.trust_path import trust_path

        try:
            with _quiet_certificates():
                return trust_path(
                    certs.signer_der,
                    # path_ders run from the anchor down
                    tuple(reversed(certs.path_ders)),
                    certs.pool_ders,
                    anchors=self._eu_anchor_tags,
                )
        except Exception as exc:  # an odd certificate: the column says no path
            log.info("EU path failed: %s", exc)
            return None

    @functools.cached_property
    def _eu_anchor_tags(self) -> dict[bytes, str]:
        return {a.cert_der: a.tag for a in self.anchors if a.origin is AnchorOrigin.EU_TRUSTED_LIST}

    # --- the EU column ------------------------------------------------------
    def _eu_column(
        self, sig: SignatureResult, certs: EntryCertificates, now: datetime
    ) -> SignatureResult:
        from signing.trust.qualification import apply_to_result, apply_to_timestamp_result

        if self.eu is None:
            why = self.eu_unavailable or R.trust_disabled()
            return replace(sig, eu_qualification=Qualification.NOT_ASSESSED, eu_reasons=(why,))
        try:
            if sig.kind is EntryKind.DOCUMENT_TIMESTAMP:
                return apply_to_timestamp_result(
                    sig, certs.signer_der, certs.path_ders, self.eu, now=now
                )
            ts = sig.signature_timestamp
            usable_ts = ts is not None and ts.intact and certs.tsa_der is not None
            out = apply_to_result(
                sig,
                certs.signer_der,
                certs.path_ders,
                self.eu,
                tsa_der=certs.tsa_der if usable_ts else None,
                tsa_chain_ders=certs.tsa_path_ders,
                now=now,
            )
            if ts is not None and not ts.intact:
                out = replace(out, signature_timestamp=replace(ts, qualification=_NOT_QUAL))
            return out
        except Exception as exc:  # an odd certificate must not cost the validation
            log.info("EU qualification failed for %s: %s", sig.field_name, exc)
            return replace(
                sig,
                eu_qualification=Qualification.INDETERMINATE,
                eu_reasons=(R.trust_unavailable(str(exc)),),
            )

    # --- the Japanese column ------------------------------------------------
    def _jp_column(
        self, sig: SignatureResult, certs: EntryCertificates, now: datetime
    ) -> SignatureResult:
        from signing.trust.jp_validation import japanese_column

        if self.jp is None:
            return replace(sig, jp_status=self.jp_unavailable or _jp_off())
        try:
            with _quiet_certificates():
                return japanese_column(
                    sig,
                    self.jp,
                    signer_der=certs.signer_der,
                    cert_pool=[*certs.path_ders, *certs.pool_ders],
                    archived=certs.archived,
                    at=sig.best_time or sig.claimed_time or now,
                )
        except Exception as exc:  # as above: a column, not a crash
            log.info("Japanese status failed for %s: %s", sig.field_name, exc)
            return replace(sig, jp_status=_jp_cert_error(str(exc)))


_NOT_QUAL = Qualification.NOT_QUALIFIED


# --- loading ------------------------------------------------------------------


def load_environment(config: TrustConfig) -> TrustEnvironment:
    """Load the layers ``config`` asks for (no network: the caches, seeded from
    the bundled lists). Never raises for a missing or broken list."""
    started = time.perf_counter()
    anchors: list[TrustAnchor] = []
    responders: list[TrustAnchor] = []
    intermediates: list[bytes] = []
    problems: list[str] = []
    eu: EuTrust | None = None
    eu_unavailable: Reason | None = None
    if config.eu_enabled:
        eu, eu_unavailable = _open_eu(config)
        if eu is not None:
            wanted = {t.upper() for t in config.eu_territories or ()}
            anchors.extend(
                a
                for a in eu.anchors()
                if config.eu_territories is None or a.source.upper() in wanted
            )
            responders.extend(
                a
                for a in eu.responders()
                if config.eu_territories is None or a.source.upper() in wanted
            )
    else:
        eu_unavailable = R.trust_disabled()
    jp: JpTrustList | None = None
    jp_unavailable: JapaneseStatus | None = None
    if config.jp_enabled:
        jp, jp_unavailable = _open_jp(config)
        if jp is not None:
            anchors.extend(jp.anchors())
            intermediates.extend(jp.intermediates())
    else:
        jp_unavailable = _jp_off()
    for path in config.user_anchor_files:
        try:
            anchors.extend(_user_anchors(path))
        except (OSError, ValueError) as exc:
            problems.append(f"trust file {path}: {exc}")
    return TrustEnvironment(
        config=config,
        anchors=tuple(anchors),
        intermediates=tuple(intermediates),
        eu=eu,
        jp=jp,
        eu_unavailable=eu_unavailable,
        jp_unavailable=jp_unavailable,
        problems=tuple(problems),
        load_seconds=time.perf_counter() - started,
        responders=tuple(responders),
    )


def _open_eu(config: TrustConfig) -> tuple[EuTrust | None, Reason | None]:
    from signing.trust.eu import EuTrust, EuTrustConfig

    eu_config = EuTrustConfig()
    if config.eu_cache_dir is not None:
        eu_config = dataclasses.replace(eu_config, cache_dir=config.eu_cache_dir)
    if not config.seed_bundled:
        eu_config = dataclasses.replace(eu_config, snapshot_dir=None)
    if config.eu_territories is not None:
        eu_config = dataclasses.replace(
            eu_config, territories=frozenset(t.upper() for t in config.eu_territories)
        )
    try:
        eu = EuTrust.open(eu_config)
    except Exception as exc:  # a broken cache: the column says why, the validation goes on
        log.warning("the EU trusted lists could not be loaded: %s", exc)
        return None, R.trust_unavailable(str(exc))
    return eu, None


def jp_config_for(config: TrustConfig) -> JpTrustConfig:
    """The Japanese list's settings a validation with ``config`` uses (its
    signers, its cache folder, the bundled list or not)."""
    from signing.trust.jp_trust import JpTrustConfig

    jp_config = JpTrustConfig(signers=config.jp_signers)
    cache = config.jp_cache_dir or config.eu_cache_dir
    if cache is not None:
        jp_config = dataclasses.replace(jp_config, cache_dir=cache)
    if not config.seed_bundled:
        jp_config = dataclasses.replace(jp_config, bundled_list=None)
    return jp_config


def _open_jp(config: TrustConfig) -> tuple[JpTrustList | None, JapaneseStatus | None]:
    from signing.trust.jp_trust import JpTrust

    try:
        with _quiet_certificates():
            return JpTrust.open(jp_config_for(config)).current(), None
    except Exception as exc:  # as for the EU lists
        log.warning("the Japanese trust list could not be loaded: %s", exc)
        return None, _jp_not_assessed(str(exc))


def _user_anchors(path: Path) -> list[TrustAnchor]:
    from pyhanko.keys import load_certs_from_pemder_data

    certs = list(load_certs_from_pemder_data(path.read_bytes()))
    if not certs:
        raise ValueError("no certificate found")
    return [TrustAnchor(bytes(c.dump()), AnchorOrigin.USER, path.name) for c in certs]


@contextlib.contextmanager
def _quiet_certificates() -> Iterator[None]:
    """Real anchors of the Japanese list have negative serial numbers: reading
    them is fine, and cryptography's deprecation warning would only clutter the
    command line's output."""
    from cryptography.utils import CryptographyDeprecationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        yield


_LOCK = threading.Lock()
_ENVIRONMENTS: dict[TrustConfig, TrustEnvironment] = {}


def environment_for(config: TrustConfig) -> TrustEnvironment:
    """The environment of ``config``, loaded on first use in this process."""
    with _LOCK:
        env = _ENVIRONMENTS.get(config)
        if env is None:
            env = load_environment(config)
            if len(_ENVIRONMENTS) > 4:
                _ENVIRONMENTS.clear()
            _ENVIRONMENTS[config] = env
        return env


def forget_environments() -> None:
    """Drop the loaded environments (after a trusted-list update: the next
    validation loads the new lists)."""
    with _LOCK:
        _ENVIRONMENTS.clear()


# --- "not assessed" and error reasons -------------------------------------------


def _jp_off() -> JapaneseStatus:
    return JapaneseStatus(
        "not-assessed",
        "Not assessed (the Japanese trust list is turned off)",
        "評価していません（日本のトラストリストは無効）",
    )


def _jp_cert_error(detail: str) -> JapaneseStatus:
    # (the parser's own words, ``detail``, went to the log)
    cause = causes.certificate_parse()
    return JapaneseStatus(
        "not-assessed",
        f"Not assessed (the certificates cannot be read: {cause.en})",
        f"評価していません（証明書を読み取れません：{cause.ja}）",
    )


def _jp_not_assessed(detail: str) -> JapaneseStatus:
    return JapaneseStatus(
        "not-assessed",
        f"Not assessed (no usable Japanese trust list: {detail})",
        f"評価していません（日本のトラストリストを利用できません：{detail}）",
    )


def pool_of(*groups: Sequence[bytes]) -> tuple[bytes, ...]:
    """The certificates of ``groups``, deduplicated, in order."""
    return tuple(dict.fromkeys(der for group in groups for der in group))
