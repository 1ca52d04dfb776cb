"""The one door from the desktop app into the core (:mod:`signing`).

Every call the GUI makes into the core goes through a function here, so the
rest of ``desktop/`` depends only on this module's plain signatures. The core
is imported lazily, inside each function: these run on worker threads, and
importing pyHanko on the GUI thread would delay the first paint by half a
second.

Where a core function has not landed yet, the call raises a
:class:`~signing.errors.ShomeiError` saying so; the screen shows it. Nothing
here invents a result.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signing.errors import ShomeiError
from signing.secrets import SecretPrompt
from signing.validation.model import FileResult

#: called from worker threads: (done, total, text)
ProgressFn = Callable[[int, int, str], None]


class CoreNotAvailable(ShomeiError):
    """Raised by this adapter when the core function it needs is missing."""

    code = "not-available"


def _core(module: str, name: str) -> Any:
    """Return ``module.name`` from the core, or raise CoreNotAvailable."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            raise CoreNotAvailable(
                f"{module}.{name} is not available yet in this build of Shomei."
            ) from exc
        raise
    try:
        return getattr(mod, name)
    except AttributeError:
        raise CoreNotAvailable(
            f"{module}.{name} is not available yet in this build of Shomei."
        ) from None


def available(module: str, name: str) -> bool:
    """True when the core provides ``module.name`` (imports the module)."""
    try:
        _core(module, name)
    except CoreNotAvailable:
        return False
    return True


def validation_available() -> bool:
    return available("signing.validation.engine", "validate_pdf")


def signing_available() -> bool:
    return available("signing.sign_request", "sign_pdf") or available("signing", "sign_pdf")


# --- plain requests the screens build ---------------------------------------


@dataclass(frozen=True)
class NetworkConfig:
    """Network settings the core needs (no Qt types, no stored passwords)."""

    proxy_mode: str = "system"  # "none" | "system" | "manual"
    proxy_url: str | None = None
    timeout_s: float = 15.0


@dataclass(frozen=True)
class ValidationConfig:
    eu_trust: bool = True
    eu_territories: tuple[str, ...] = ()
    jp_trust: bool = True
    user_anchors: tuple[str, ...] = ()
    network: NetworkConfig = field(default_factory=NetworkConfig)
    online: bool = True


@dataclass(frozen=True)
class Placement:
    """Where the visible signature goes. ``box`` is in PDF points, origin at
    the bottom-left of the page: (x1, y1, x2, y2). ``page`` is 0-based."""

    page: int = 0
    box: tuple[float, float, float, float] | None = None
    existing_field: str | None = None

    @property
    def invisible(self) -> bool:
        return self.box is None and self.existing_field is None


@dataclass(frozen=True)
class KeyChoice:
    """The key the user picked, as a spec the core understands."""

    kind: str  # "pkcs12" | "pkcs11" | "remote"
    path: str | None = None  # PKCS#12 file
    module: str | None = None  # PKCS#11 module path
    token_label: str | None = None
    key_label: str | None = None
    cert_sha256: str | None = None
    service_url: str | None = None  # remote (CSC) service

    def spec(self) -> str:
        """The textual key spec used by the CLI (``pkcs12:FILE``...)."""
        if self.kind == "pkcs12":
            return f"pkcs12:{self.path}"
        if self.kind == "pkcs11":
            parts = [f"pkcs11:{self.module}"]
            if self.token_label:
                parts.append(f"token={self.token_label}")
            if self.key_label:
                parts.append(f"key={self.key_label}")
            return ";".join(parts)
        return f"csc:{self.service_url}"


@dataclass(frozen=True)
class AppearanceChoice:
    template: str = "Signed by %(signer)s\n%(ts)s"
    image_path: str | None = None
    font_path: str | None = None


@dataclass(frozen=True)
class SignJob:
    """Everything the sign screen collected, in plain values."""

    input_path: str
    output_path: str
    key: KeyChoice
    seal: bool = False
    level: str = "B-T"  # "B-B" | "B-T" | "B-LT" | "B-LTA"
    tsa_url: str | None = None
    reason: str | None = None
    location: str | None = None
    placement: Placement = field(default_factory=Placement)
    appearance: AppearanceChoice = field(default_factory=AppearanceChoice)
    network: NetworkConfig = field(default_factory=NetworkConfig)


@dataclass(frozen=True)
class SignatureField:
    """A signature field already in the document."""

    name: str
    page: int  # 0-based
    box: tuple[float, float, float, float]  # PDF points, bottom-left origin
    signed: bool


@dataclass(frozen=True)
class SignOutcome:
    output_path: str
    validation: FileResult | None


@dataclass(frozen=True)
class TrustRow:
    """One line of the trust status table."""

    source: str  # "EU: BE", "JP", "user"
    enabled: bool
    anchors: int
    last_update: str | None
    next_update: str | None
    error: str | None


@dataclass(frozen=True)
class TokenInfo:
    module: str
    label: str
    keys: tuple[str, ...] = ()


# --- validation -------------------------------------------------------------


def _validation_options(config: ValidationConfig) -> Any:
    options_cls = _core("signing.validation.engine", "ValidationOptions")
    wanted = {
        "eu_trust": config.eu_trust,
        "eu_territories": config.eu_territories,
        "jp_trust": config.jp_trust,
        "user_anchors": tuple(Path(p) for p in config.user_anchors),
        "online": config.online,
        "timeout": config.network.timeout_s,
    }
    return _construct(options_cls, wanted)


def _construct(cls: Any, wanted: dict[str, Any]) -> Any:
    """Build a core dataclass from the fields it actually declares."""
    names = getattr(cls, "__dataclass_fields__", None)
    if names is None:
        return cls()
    return cls(**{k: v for k, v in wanted.items() if k in names})


def validate_file(path: str, config: ValidationConfig) -> FileResult:
    validate_pdf = _core("signing.validation.engine", "validate_pdf")
    result = validate_pdf(Path(path), _validation_options(config))
    if not isinstance(result, FileResult):
        raise ShomeiError("The validation engine returned an unexpected result.")
    return result


def collect_pdfs(paths: Sequence[str]) -> list[str]:
    """PDF files named by ``paths`` and found in the folders among them."""
    try:
        collect = _core("signing.validation.engine", "collect_pdfs")
    except CoreNotAvailable:
        collect = None
    if collect is not None:
        return [str(p) for p in collect([Path(p) for p in paths])]
    # Listing a folder is not a verdict: done here until the core has it.
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                found.extend(
                    os.path.join(root, f) for f in sorted(files) if f.lower().endswith(".pdf")
                )
        elif os.path.isfile(p):
            found.append(p)
    return found


def validate_batch(
    paths: Sequence[str],
    config: ValidationConfig,
    cancel: threading.Event,
    progress: ProgressFn,
    on_result: Callable[[FileResult], None],
    workers: int = 2,
) -> list[FileResult]:
    """Validate many files; ``on_result`` streams each result as it comes."""
    validate_many = _core("signing.validation.engine", "validate_many")

    def _progress(*args: Any) -> None:
        done = next((a for a in args if isinstance(a, int)), 0)
        for a in args:
            if isinstance(a, FileResult):
                on_result(a)
        progress(done, len(paths), "")

    results = validate_many(
        [Path(p) for p in paths], _validation_options(config), workers, _progress, cancel
    )
    return list(results)


def export_report(result: FileResult, fmt: str, destination: str) -> str:
    """Write the report for ``result`` as ``fmt`` ("pdf", "xml", "json")."""
    if fmt == "json":
        write = _core("signing.validation.report_json", "write_report")
    elif fmt == "xml":
        write = _core("signing.validation.report_etsi", "write_report")
    else:
        write = _core("signing.validation.report_readable", "write_pdf")
    write(result, Path(destination))
    return destination


# --- signing ----------------------------------------------------------------


def list_signature_fields(path: str) -> list[SignatureField]:
    """Signature fields of ``path``; empty until the core can list them."""
    try:
        lister = _core("signing.fields", "list_signature_fields")
    except CoreNotAvailable:
        return []
    out = []
    for f in lister(Path(path)):
        box = tuple(float(v) for v in f.box)
        out.append(
            SignatureField(
                name=str(f.name),
                page=int(f.page),
                box=(box[0], box[1], box[2], box[3]),
                signed=bool(getattr(f, "signed", False)),
            )
        )
    return out


def sign(job: SignJob, prompt: SecretPrompt, cancel: threading.Event) -> SignOutcome:
    """Sign or seal as described by ``job``; asks secrets through ``prompt``."""
    module = "signing.sign_request"
    sign_pdf = _core(module, "sign_pdf")
    request_cls = _core(module, "SignRequest")
    key_source = _core("signing.keys.spec", "key_source_from_spec")(job.key.spec())
    wanted: dict[str, Any] = {
        "input_path": Path(job.input_path),
        "output_path": Path(job.output_path),
        "key_source": key_source,
        "level": job.level,
        "tsa_url": job.tsa_url,
        "reason": job.reason,
        "location": job.location,
    }
    request = _construct(request_cls, wanted)
    if cancel.is_set():
        from signing.errors import UserCancelled

        raise UserCancelled()
    result = sign_pdf(request, prompt)
    out = str(getattr(result, "output_path", job.output_path))
    return SignOutcome(output_path=out, validation=None)


def jpki_privacy_warning(key: KeyChoice, prompt: SecretPrompt) -> str | None:
    """The JPKI privacy warning for this key, or None when not a My Number card."""
    if key.kind != "pkcs11":
        return None
    warn = _core("signing.keys.jpki", "jpki_privacy_warning")
    text = warn(key.spec())
    return str(text) if text else None


def find_pkcs11_modules() -> list[str]:
    return [str(p) for p in _core("signing.keys.pkcs11", "find_modules")()]


def list_tokens(modules: Sequence[str]) -> list[TokenInfo]:
    list_tokens_ = _core("signing.keys.pkcs11", "list_tokens")
    list_keys = _core("signing.keys.pkcs11", "list_keys")
    out = []
    for module in modules:
        for token in list_tokens_(module):
            label = str(getattr(token, "label", token))
            keys = tuple(str(getattr(k, "label", k)) for k in list_keys(module, label))
            out.append(TokenInfo(module=module, label=label, keys=keys))
    return out


# --- settings helpers -------------------------------------------------------


def test_tsa(url: str, network: NetworkConfig) -> str:
    """Ask ``url`` for a timestamp; returns a short description of the answer."""
    probe = _core("signing.timestamps", "probe_tsa")
    return str(probe(url, timeout=network.timeout_s))


def trust_status() -> list[TrustRow]:
    status = _core("signing.trust.status", "trust_status")
    rows = []
    for s in status():
        rows.append(
            TrustRow(
                source=str(getattr(s, "source", "")),
                enabled=bool(getattr(s, "enabled", True)),
                anchors=int(getattr(s, "anchors", 0)),
                last_update=_opt_str(getattr(s, "last_update", None)),
                next_update=_opt_str(getattr(s, "next_update", None)),
                error=_opt_str(getattr(s, "error", None)),
            )
        )
    return rows


def refresh_trust(config: ValidationConfig, cancel: threading.Event) -> list[TrustRow]:
    refresh = _core("signing.trust.status", "refresh")
    refresh(territories=config.eu_territories, timeout=config.network.timeout_s)
    return trust_status()


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
