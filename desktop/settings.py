"""One typed, versioned settings class over QSettings.

Screens read and write :class:`AppSettings` (a frozen dataclass); only
:class:`SettingsStore` touches QSettings. Passwords are never stored: a proxy
password is asked for when needed and dropped after use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from desktop.core_adapter import NetworkConfig, ValidationConfig

#: 2 added ``tsa_test`` (a version 1 file reads as "never tested");
#: 3 added ``lotl_url`` and ``tl_mirror`` (older files read as "the official
#: hosts", the default; no value changes meaning);
#: 4 added ``tsa_failover`` (older files: none, the chosen server only, as before);
#: 5 added ``recent_files`` (older files: none yet)
SETTINGS_VERSION = 5

LANGUAGES = ("system", "en", "ja")
LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
PROXY_MODES = ("none", "system", "manual")
#: the last TSA test in Settings: never run, a server answered, it failed
TSA_TEST_RESULTS = ("", "ok", "failed")

#: EU/EEA territories of the List of Trusted Lists
EU_TERRITORIES = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)


@dataclass(frozen=True)
class TsaServer:
    name: str
    url: str
    preset: bool = False


TSA_PRESETS = (
    TsaServer("DigiCert", "http://timestamp.digicert.com", preset=True),
    TsaServer("Sectigo", "http://timestamp.sectigo.com", preset=True),
    TsaServer("GlobalSign", "http://timestamp.globalsign.com/tsa/r6advanced1", preset=True),
    TsaServer("FreeTSA", "https://freetsa.org/tsr", preset=True),
)


@dataclass(frozen=True)
class AppearancePreset:
    name: str
    template: str = "Signed by %(signer)s\n%(ts)s"
    image_path: str = ""


DEFAULT_PRESETS = (
    AppearancePreset("Standard"),
    AppearancePreset("Japanese", "署名者: %(signer)s\n日時: %(ts)s"),
)


@dataclass(frozen=True)
class AppSettings:
    """Everything the user can change, with its default."""

    #: "system", "en" or "ja"
    language: str = "system"
    #: PAdES level preselected on the sign screen
    default_level: str = "B-T"
    #: custom servers come after the presets
    tsa_servers: tuple[TsaServer, ...] = TSA_PRESETS
    default_tsa: str = TSA_PRESETS[0].url
    #: servers asked in turn, in this order, when the one chosen for a
    #: signature does not answer (as ``shomei sign --tsa A --tsa B``)
    tsa_failover: tuple[str, ...] = ()
    #: the last "Test" of a server in Settings (see TSA_TEST_RESULTS): after a
    #: failure the sign screen starts at B-B, which needs no server
    tsa_test: str = ""
    #: EU trusted lists
    eu_trust: bool = True
    eu_territories: tuple[str, ...] = EU_TERRITORIES
    #: the Japanese trust list
    jp_trust: bool = True
    #: where "Refresh now" downloads the Japanese list (an organisation's mirror);
    #: empty: $SHOMEI_JP_LIST_URL, else where the list in use says it is published
    jp_list_url: str = ""
    #: the EU list of trusted lists (empty: the official one, as ``--lotl-url``)
    lotl_url: str = ""
    #: an organisation's mirror of the EU national lists, ``BASE`` or a
    #: template with ``{territory}`` and ``{file}`` (``BASE/{territory}/{file}``);
    #: empty: each member state's host (or ``$SHOMEI_TL_MIRROR``)
    tl_mirror: str = ""
    #: certificate files the user trusts in addition
    user_anchors: tuple[str, ...] = ()
    proxy_mode: str = "system"
    proxy_host: str = ""
    proxy_port: int = 8080
    #: the user name only; the password is asked for when needed
    proxy_user: str = ""
    timeout_s: int = 15
    pkcs11_modules: tuple[str, ...] = ()
    appearance_presets: tuple[AppearancePreset, ...] = DEFAULT_PRESETS
    #: last PKCS#12 file used (a path, not a secret)
    last_key_file: str = ""
    #: File › Recent: files opened, validated or signed, the latest first
    recent_files: tuple[str, ...] = ()
    #: Settings › Validation's "validate as of": a moment in UTC (ISO 8601),
    #: or "" for now. For the session only (never saved, see SESSION_ONLY): a
    #: restart validates at the current time again, so a past time never
    #: lingers unnoticed
    validation_time: str = ""

    def validation_as_of(self) -> datetime | None:
        """The chosen validation time, or None for now (a damaged value: now)."""
        if not self.validation_time:
            return None
        try:
            moment = datetime.fromisoformat(self.validation_time.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    def sign_level(self) -> tuple[str, bool]:
        """The level the sign screen starts at, and whether it is B-B because
        no time-stamping server answered the last test."""
        if self.tsa_test == "failed" and self.default_level != "B-B":
            return "B-B", True
        return self.default_level, False

    def tsa_urls(self, first: str | None) -> tuple[str, ...]:
        """The servers a signature asks, in turn: ``first`` (the one chosen),
        then the failover servers; none without ``first`` (no timestamp)."""
        if not first:
            return ()
        return (first, *(u for u in self.tsa_failover if u != first))

    def network(self) -> NetworkConfig:
        from desktop.core_adapter import NetworkConfig

        url = None
        if self.proxy_mode == "manual" and self.proxy_host:
            user = f"{self.proxy_user}@" if self.proxy_user else ""
            url = f"http://{user}{self.proxy_host}:{self.proxy_port}"
        return NetworkConfig(proxy_mode=self.proxy_mode, proxy_url=url, timeout_s=self.timeout_s)

    def validation(self) -> ValidationConfig:
        from desktop.core_adapter import ValidationConfig

        return ValidationConfig(
            eu_trust=self.eu_trust,
            # every territory ticked: every cached list (third countries under a
            # mutual recognition agreement included)
            eu_territories=(
                None if set(EU_TERRITORIES) <= set(self.eu_territories) else self.eu_territories
            ),
            jp_trust=self.jp_trust,
            jp_list_url=self.jp_list_url.strip(),
            lotl_url=self.lotl_url.strip(),
            tl_mirror=self.tl_mirror.strip(),
            user_anchors=self.user_anchors,
            network=self.network(),
            as_of=self.validation_as_of(),
        )


#: how many files File › Recent keeps
RECENT_LIMIT = 10


def with_recent(recent: tuple[str, ...], path: str) -> tuple[str, ...]:
    """``recent`` with ``path`` first, each file once, at most RECENT_LIMIT."""
    return tuple(dict.fromkeys([path, *recent]))[:RECENT_LIMIT]


_NESTED = {"tsa_servers": TsaServer, "appearance_presets": AppearancePreset}

#: settings that last one session: never written, never read back
SESSION_ONLY = frozenset({"validation_time"})


class SettingsStore:
    """Reads and writes :class:`AppSettings` in a QSettings file.

    ``path`` names an INI file (tests, portable installs); without it the
    user's platform settings location is used.
    """

    def __init__(self, path: str | None = None) -> None:
        if path:
            self._qs = QSettings(path, QSettings.Format.IniFormat)
        else:
            self._qs = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Shomei", "Shomei"
            )

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def load(self) -> AppSettings:
        defaults = AppSettings()
        # Version 1 lacks tsa_test (its default, never tested, applies);
        # versions 1-2 lack lotl_url and tl_mirror (the official hosts); a
        # newer file is read for the keys we know.
        self.version_read = _int(self._qs.value("version"), 0)
        values: dict[str, Any] = {}
        for f in fields(AppSettings):
            if f.name in SESSION_ONLY:
                continue
            raw = self._qs.value(f.name)
            if raw is None:
                continue
            default = getattr(defaults, f.name)
            try:
                values[f.name] = _decode(f.name, raw, default)
            except (ValueError, TypeError, KeyError):
                continue  # a damaged value falls back to its default
        settings = replace(defaults, **values)
        return _sanitise(settings)

    def save(self, settings: AppSettings) -> None:
        self._qs.setValue("version", SETTINGS_VERSION)
        for f in fields(AppSettings):
            if f.name in SESSION_ONLY:
                continue
            value = getattr(settings, f.name)
            if isinstance(value, tuple):
                value = json.dumps(
                    [asdict(v) if hasattr(v, "__dataclass_fields__") else v for v in value],
                    ensure_ascii=False,
                )
            elif isinstance(value, bool):
                value = "true" if value else "false"
            self._qs.setValue(f.name, value)
        self._qs.sync()


def _decode(name: str, raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        return str(raw).lower() in ("true", "1", "yes")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, tuple):
        items = json.loads(str(raw))
        nested = _NESTED.get(name)
        if nested is not None:
            return tuple(nested(**item) for item in items)
        return tuple(str(i) for i in items)
    return str(raw)


def _int(raw: Any, default: int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def _sanitise(s: AppSettings) -> AppSettings:
    d = AppSettings()
    return replace(
        s,
        language=s.language if s.language in LANGUAGES else d.language,
        default_level=s.default_level if s.default_level in LEVELS else d.default_level,
        proxy_mode=s.proxy_mode if s.proxy_mode in PROXY_MODES else d.proxy_mode,
        tsa_test=s.tsa_test if s.tsa_test in TSA_TEST_RESULTS else d.tsa_test,
        recent_files=tuple(dict.fromkeys(p for p in s.recent_files if p))[:RECENT_LIMIT],
        timeout_s=min(max(s.timeout_s, 1), 300),
        # only listed servers, each once (a hand-edited file may say otherwise)
        tsa_failover=tuple(
            dict.fromkeys(u for u in s.tsa_failover if u in {t.url for t in s.tsa_servers})
        ),
    )
