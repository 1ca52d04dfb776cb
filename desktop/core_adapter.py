"""The desktop's side of the core's one door (:mod:`signing.api`): turns
what the screens collected (plain values, the settings) into the core's
requests and configurations, and the core's answers into what the widgets
show. Nothing here signs, validates or reads a list itself.

:mod:`signing.api` loads each name on first use, so the core (and pyHanko)
is imported by the worker thread that calls a function here, never by the
GUI thread before the first paint.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signing import api
from signing.errors import ShomeiError

if TYPE_CHECKING:
    from signing.api import (
        FileResult,
        PageFrame,
        SecretPrompt,
        SigningKeyOffer,
        TrustListState,
    )

log = logging.getLogger(__name__)

#: called from worker threads: (done, total, text)
ProgressFn = Callable[[int, int, str], None]


# --- plain requests the screens build ---------------------------------------


@dataclass(frozen=True)
class NetworkConfig:
    """Network settings the core needs (no Qt types, no stored passwords)."""

    proxy_mode: str = "system"  # "none" | "system" | "manual"
    proxy_url: str | None = None
    timeout_s: float = 15.0

    def fetch_settings(self) -> api.FetchSettings:
        """The trusted-list downloads' :class:`~signing.api.FetchSettings`:
        the manual proxy (else the environment, which :func:`apply_network`
        sets for "none" and "system") and the timeout, for connecting and
        between bytes (a whole download may take longer, never less)."""
        default = api.FetchSettings()
        return replace(
            default,
            proxy=self.proxy_url if self.proxy_mode == "manual" else None,
            connect_timeout=self.timeout_s,
            read_timeout=self.timeout_s,
            total_timeout=max(default.total_timeout, self.timeout_s),
        )


@dataclass(frozen=True)
class ValidationConfig:
    eu_trust: bool = True
    #: ``None``: every territory
    eu_territories: tuple[str, ...] | None = None
    jp_trust: bool = True
    #: the Japanese list's update URL (empty: the default, see JpTrust.update_url)
    jp_list_url: str = ""
    #: the EU list of trusted lists' URL (empty: the official one)
    lotl_url: str = ""
    #: fetch the national lists from this mirror (``BASE/{territory}/{file}``;
    #: empty: each member state's host, or ``$SHOMEI_TL_MIRROR``)
    tl_mirror: str = ""
    user_anchors: tuple[str, ...] = ()
    network: NetworkConfig = field(default_factory=NetworkConfig)
    online: bool = True
    #: validate as of this moment (Settings › Validation); None: now
    as_of: datetime | None = None


@dataclass(frozen=True)
class Placement:
    """Where the visible signature goes. ``box`` is in points on the page as
    the preview shows it (cropped and turned), origin at its bottom-left:
    (x1, y1, x2, y2); the core turns it into the file's user space. ``page``
    is 0-based."""

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
    token_spec: str | None = None  # pkcs11: spec of the chosen key
    cert_der: bytes | None = None  # its certificate, when known
    service_url: str | None = None  # remote (CSC) service
    credential: str | None = None  # its credential ID

    def spec(self) -> str:
        """The key spec the core parses (as on the command line)."""
        if self.kind == "pkcs12":
            return f"p12:{self.path}"
        if self.kind == "pkcs11":
            return self.token_spec or "pkcs11:"
        from urllib.parse import quote

        url = quote(self.service_url or "", safe=":/")
        return f"csc:url={url};credential={quote(self.credential or '', safe='')}"


@dataclass(frozen=True)
class AppearanceChoice:
    """The stamp's text and image, as plain values: the sign screen builds it
    on the GUI thread, where the core's AppearanceSpec (its module loads
    pyHanko) is not imported; :func:`sign` makes the spec in the worker."""

    template: str = "Signed by %(signer)s\n%(ts)s"
    image_path: str | None = None


@dataclass(frozen=True)
class SignJob:
    """Everything the sign screen collected, in plain values."""

    input_path: str
    output_path: str
    key: KeyChoice
    seal: bool = False
    level: str = "B-T"  # "B-B" | "B-T" | "B-LT" | "B-LTA"
    #: time-stamping servers, tried in this order (the core fails over)
    tsa_urls: tuple[str, ...] = ()
    reason: str | None = None
    location: str | None = None
    contact: str | None = None
    #: a certification signature's permission: "no-changes", "form-filling"
    #: or "annotations" (the core's CertifyLevel values); ``None``: an approval
    certify: str | None = None
    placement: Placement = field(default_factory=Placement)
    appearance: AppearanceChoice = field(default_factory=AppearanceChoice)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    #: anchors used to fetch validation data for B-LT / B-LTA
    trust_roots: tuple[str, ...] = ()

    @property
    def tsa_url(self) -> str | None:
        """The server asked first."""
        return self.tsa_urls[0] if self.tsa_urls else None


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
    field_name: str = ""
    signer: str | None = None
    organisation: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrustRow:
    """One line of the trust status table."""

    source: str  # "EU: BE", "JP", "user"
    enabled: bool
    anchors: int
    last_update: str | None
    next_update: str | None
    error: str | None
    #: "current", "stale" (past its next update) or "missing" (not downloaded)
    state: str = "current"
    #: whole days past its next update, when stale
    days_past_update: int = 0
    #: ``error`` in Japanese (None: as ``error``)
    error_ja: str | None = None

    def problem(self, lang: str) -> str | None:
        """The row's error in ``lang``."""
        return self.error_ja if lang == "ja" and self.error_ja else self.error


# --- validation -------------------------------------------------------------


def trust_config(config: ValidationConfig) -> api.TrustConfig:
    """The core's trust configuration for the app's settings: the EU lists
    (all territories when none is chosen), the Japanese list and the user's
    anchors, from the user's trusted-list cache. The core loads it once per
    process (and per worker of a batch) and fills the EU and Japanese columns."""
    return api.TrustConfig(
        eu_enabled=config.eu_trust,
        eu_territories=config.eu_territories,
        jp_enabled=config.jp_trust,
        user_anchor_files=tuple(Path(p) for p in config.user_anchors),
    )


def _validation_options(config: ValidationConfig, etsi_xml: bool = False) -> api.ValidationOptions:
    # the ETSI XML costs a quarter to a third of a validation: only the
    # export of a report that carries it asks for it (see export_reports)
    return api.ValidationOptions(
        validation_time=config.as_of,
        offline=not config.online,
        trust=trust_config(config),
        timeout_s=config.network.timeout_s,
        etsi_xml=etsi_xml,
    )


def validate_file(path: str, config: ValidationConfig) -> FileResult:
    return api.validate_pdf(Path(path), _validation_options(config))


def trust_lists(config: ValidationConfig) -> TrustListState | None:
    """The state of the trusted lists a validation with ``config`` uses (out
    of date, not downloaded), for the banner; None when unknown."""
    try:
        # (judged at the validation time, as the lists' use in the results is)
        return api.current_trust_lists(trust_config(config), config.as_of)
    except Exception:  # a note only: never fail a validation for it
        log.warning("trusted-list state unknown", exc_info=True)
        return None


@dataclass(frozen=True)
class TrustChipState:
    """What the trusted-lists chip says (see :func:`trust_chip`)."""

    #: "off" (no list in use), "offline" (the last update reached no server),
    #: "never" (only the lists shipped with the app), "stale" (a list is past
    #: its next update) or "current"
    state: str
    #: whole days since the last successful download ("current" only)
    age_days: int = 0


def trust_chip(config: ValidationConfig, now: datetime | None = None) -> TrustChipState:
    """The state of the trusted lists for the home and verdict screens' chip,
    from the cache (no network; call from a worker: it reads the lists)."""
    now = now or api.utcnow()
    rows: list[Any] = []
    if config.eu_trust:
        rows += list(api.EuTrust.open(eu_trust_config(config)).status(now))
    if config.jp_trust:
        try:
            rows.append(api.JpTrust.open(jp_trust_config(config)).status(now))
        except ShomeiError:  # no usable Japanese list: the EU rows decide
            log.warning("the Japanese list's state is unknown", exc_info=True)
    if not rows:
        return TrustChipState("off")
    lotl = next((r for r in rows if r.key == "LOTL"), None)
    # the last LOTL download reached no server (recorded in the list's state;
    # a later success clears it)
    if lotl is not None and lotl.last_error_code == api.TrustListUnreachableError.code:
        return TrustChipState("offline")
    downloads = [r.last_success for r in rows if r.last_success is not None]
    if not downloads:  # seeded from the snapshot shipped with the app only
        return TrustChipState("never")
    if api.trust_list_state(rows, now).stale:
        return TrustChipState("stale")
    last = max(d if d.tzinfo else d.replace(tzinfo=now.tzinfo) for d in downloads)
    return TrustChipState("current", max((now.date() - last.date()).days, 0))


def collect_pdfs(paths: Sequence[str]) -> list[str]:
    """PDF files named by ``paths`` and found (recursively) in the folders."""
    return [str(p) for p in api.collect_pdfs([Path(p) for p in paths])]


def validate_batch(
    paths: Sequence[str],
    config: ValidationConfig,
    cancel: threading.Event,
    progress: ProgressFn,
    on_result: Callable[[FileResult], None],
    workers: int = 2,
) -> list[FileResult]:
    """Validate many files in parallel; ``on_result`` gets each as it comes,
    ``cancel`` stops the batch (the results so far are returned)."""

    def _progress(done: int, total: int, result: FileResult) -> None:
        progress(done, total, result.path)

    results = []
    options = _validation_options(config)
    for result in api.validate_many(paths, options, workers, _progress, cancel):
        on_result(result)
        results.append(result)
    return results


def export_report(
    result: FileResult,
    fmt: str,
    destination: str,
    lang: str = "en",
    config: ValidationConfig | None = None,
) -> str:
    """Write the report for ``result`` as ``fmt``: "pdf" (readable), "xml"
    (ETSI TS 119 102-2) or "json"; atomically."""
    return export_reports([result], fmt, destination, lang, config)


#: the report formats that carry the ETSI XML (the JSON has it as a field)
_WITH_ETSI = ("xml", "json")


def export_reports(
    results: Sequence[FileResult],
    fmt: str,
    destination: str,
    lang: str = "en",
    config: ValidationConfig | None = None,
) -> str:
    """One report for several files (a batch), as :func:`export_report`: the
    readable report has a section per file, the JSON a list, the XML one
    ETSI report per file in Shomei's wrapper. The screens validate without
    the ETSI XML; a format that carries it validates the files again with it
    (``config``: the settings they were validated with)."""
    if not results:
        raise ShomeiError("There is nothing to save: no file has been validated.")
    out = Path(destination)
    if fmt in _WITH_ETSI:
        results = with_etsi_xml(results, config or ValidationConfig())
    if fmt == "pdf":
        return str(api.write_report(list(results), "ja" if lang == "ja" else "en", out))
    if fmt == "xml":
        return str(api.write_etsi_xml(list(results), out))
    import json

    data = json.dumps(api.results_to_json(list(results)), ensure_ascii=False, indent=2).encode()
    api.atomic_write(out, lambda stream: stream.write(data))
    return str(out)


def with_etsi_xml(results: Sequence[FileResult], config: ValidationConfig) -> list[FileResult]:
    """``results`` validated again with the ETSI XML, in the same order (a
    result that has it already is kept)."""
    todo = [r.path for r in results if r.etsi_report_xml is None]
    if not todo:
        return list(results)
    options = _validation_options(config, etsi_xml=True)
    if len(todo) == 1:
        again = {todo[0]: api.validate_pdf(Path(todo[0]), options)}
    else:
        again = {r.path: r for r in api.validate_many(todo, options, workers=2)}
    return [again.get(r.path, r) for r in results]


# --- signing ----------------------------------------------------------------


def list_signature_fields(path: str) -> list[SignatureField]:
    """Signature fields of ``path`` with their rectangles, pages counted from 0
    as the preview counts them."""
    out = []
    for f in api.list_signature_fields(Path(path)):
        x1, y1, x2, y2 = (float(v) for v in f.box)
        out.append(
            SignatureField(
                name=str(f.name),
                page=int(f.page) - 1,
                box=(x1, y1, x2, y2),
                signed=bool(f.signed),
            )
        )
    return out


def page_frames(path: str) -> list[PageFrame]:
    """How each page of ``path`` is shown (visible box, rotation), so that a
    box drawn on the preview becomes the right rectangle in the file."""
    return list(api.list_page_frames(Path(path)))


def _sign_request(job: SignJob) -> api.SignRequest:
    p = job.placement
    if p.existing_field:
        placement = api.FieldPlacement.existing(p.existing_field)
    elif p.box is not None:
        placement = api.FieldPlacement(page=p.page + 1, box=p.box, as_shown=True)
    else:
        placement = api.FieldPlacement.invisible()
    appearance = api.AppearanceSpec(
        template=job.appearance.template or None,
        image=Path(job.appearance.image_path) if job.appearance.image_path else None,
    )
    return api.SignRequest(
        input_path=Path(job.input_path),
        output_path=Path(job.output_path),
        key_source=api.key_source_from_spec(job.key.spec()),
        mode=api.SignMode.SEAL if job.seal else api.SignMode.SIGN,
        level=api.parse_level(job.level),
        tsa_urls=job.tsa_urls,
        tsa_timeout=job.network.timeout_s,
        trust_roots=tuple(Path(a) for a in job.trust_roots),
        placement=placement,
        reason=job.reason,
        location=job.location,
        contact=job.contact,
        certify=api.CertifyLevel(job.certify) if job.certify else None,
        appearance=appearance if placement.visible or p.existing_field else None,
    )


#: called from the worker with the pre-signing warnings' texts; False cancels
ConfirmFn = Callable[[list[str]], bool]


def sign(
    job: SignJob,
    prompt: SecretPrompt,
    cancel: threading.Event,
    confirm: ConfirmFn | None = None,
    lang: str = "en",
    confirmed: Sequence[str] = (),
) -> SignOutcome:
    """Sign or seal as described by ``job``; asks secrets through ``prompt``.
    ``cancel`` is honoured between the core's stages (before and after the key
    is opened, before the signature, the time-stamp and the rename; a
    signature in progress on a card is not interrupted). ``confirm`` gets the
    pre-signing warnings (the JPKI privacy warning, a sign-vs-seal mismatch)
    in ``lang`` once the key is open and its certificate known, before any
    signature; warnings whose codes are in ``confirmed`` (already shown and
    accepted before the key was opened) are not asked again."""
    request = _sign_request(job)
    if cancel.is_set():
        raise api.UserCancelled()
    hook = None
    if confirm is not None:
        ask = confirm

        def hook(reasons: tuple[Any, ...]) -> bool:
            new = [r for r in reasons if r.code not in confirmed]
            return not new or ask([r.ja if lang == "ja" else r.en for r in new])

    result = api.sign_pdf(request, prompt, confirm=hook, cancel=cancel.is_set)
    signer = result.signer
    return SignOutcome(
        output_path=str(result.output_path),
        field_name=result.field_name,
        signer=signer.subject if signer else None,
        organisation=signer.organisation if signer else None,
        # the core's notices in the interface language (as the CLI with --lang)
        warnings=tuple(n.ja if lang == "ja" else n.en for n in result.notices),
    )


def presign_warnings(key: KeyChoice, seal: bool = False, lang: str = "en") -> list[str]:
    """What to tell the user before signing with ``key`` (the core's
    :func:`~signing.api.presign_warnings`: the JPKI privacy warning, a
    sign-vs-seal mismatch), in ``lang``; empty when the certificate is unknown."""
    if not key.cert_der:
        return []
    mode = api.SignMode.SEAL if seal else api.SignMode.SIGN
    return [r.ja if lang == "ja" else r.en for r in api.presign_warnings(key.cert_der, mode)]


def jpki_privacy_warning(key: KeyChoice, lang: str = "en") -> str | None:
    """The JPKI (My Number card) privacy warning for the chosen token key, or
    None: the ``jpki-privacy`` one of the core's pre-signing warnings."""
    if key.kind != "pkcs11" or not key.cert_der:
        return None
    for reason in api.presign_warnings(key.cert_der, api.SignMode.SIGN):
        if reason.code == "jpki-privacy":
            return reason.ja if lang == "ja" else reason.en
    return None


def find_pkcs11_modules(extra: Sequence[str] = ()) -> list[str]:
    return [str(p) for p in api.find_modules(tuple(extra))]


def list_tokens(modules: Sequence[str]) -> list[SigningKeyOffer]:
    """Every certificate with a private key on every token of ``modules``
    (no PIN asked: public objects only)."""
    return api.list_signing_keys([Path(m) for m in modules])


# --- settings helpers -------------------------------------------------------

_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
_SYSTEM_PROXY = {k: os.environ.get(k) for k in (*_PROXY_VARS, "NO_PROXY", "no_proxy")}


def apply_network(network: NetworkConfig) -> None:
    """Route the core's HTTP (requests honours these variables) through the
    chosen proxy: "system" keeps the environment Shomei started with, "none"
    bypasses any proxy, "manual" uses ``proxy_url`` (no password in it: a
    password is never stored)."""
    for key, value in _SYSTEM_PROXY.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if network.proxy_mode == "none":
        for key in _PROXY_VARS:
            os.environ.pop(key, None)
        os.environ["NO_PROXY"] = os.environ["no_proxy"] = "*"
    elif network.proxy_mode == "manual" and network.proxy_url:
        for key in _PROXY_VARS:
            os.environ[key] = network.proxy_url
        os.environ["NO_PROXY"] = os.environ["no_proxy"] = "localhost,127.0.0.1,::1"


def test_tsa(url: str, network: NetworkConfig) -> str:
    """Ask ``url`` for a timestamp; returns a short description of the answer."""
    api.timestamp_digest([url], b"Shomei TSA test", timeout=network.timeout_s)
    return f"{url}: OK"


def trust_status(config: ValidationConfig) -> list[TrustRow]:
    """One row for the Japanese list (the one validations use: the cached copy,
    else the bundled one) and one per EU list (LOTL and territories), as the
    core's :func:`~signing.api.trust_status` reads them."""
    status = api.trust_status(eu_trust_config(config), jp_trust_config(config))
    rows: list[TrustRow] = []
    jp_error = status.jp_error
    # (the app's words for an error: a settings page, never a command-line flag)
    jp_en = jp_error.text("en", "app") if jp_error is not None else None
    jp_ja = jp_error.text("ja", "app") if jp_error is not None else None
    if status.jp is None:
        rows.append(TrustRow("JP", config.jp_trust, 0, None, None, jp_en, error_ja=jp_ja))
    else:
        row = status.jp.row
        error, error_ja = (row.last_error, row.last_error_ja) if row.last_error else (jp_en, jp_ja)
        rows.append(_trust_row("JP", config.jp_trust, status.jp, error, error_ja))
    rows += [
        _trust_row("EU: " + ls.key, config.eu_trust, ls, ls.row.last_error, ls.row.last_error_ja)
        for ls in status.eu
    ]
    return rows


def _trust_row(
    source: str,
    enabled: bool,
    ls: api.ListStatus,
    error: str | None,
    error_ja: str | None = None,
) -> TrustRow:
    return TrustRow(
        source=source,
        enabled=enabled,
        anchors=ls.anchors,
        last_update=_opt_str(ls.row.last_success or ls.row.issued),
        next_update=_opt_str(ls.row.next_update),
        error=error,
        error_ja=error_ja,
        state=ls.freshness.value,
        days_past_update=ls.days_past_update,
    )


def eu_trust_config(config: ValidationConfig) -> api.EuTrustConfig:
    """The core's :class:`~signing.api.EuTrustConfig` for the app's settings
    (territories, LOTL URL, the national lists' mirror, proxy and timeout)."""
    territories = trust_config(config).eu_territories
    eu = api.EuTrustConfig(
        territories=frozenset(territories) if territories is not None else None,
        fetch=config.network.fetch_settings(),
    )
    changes: dict[str, Any] = {}
    if config.lotl_url.strip():
        changes["lotl_url"] = config.lotl_url.strip()
    if config.tl_mirror.strip():  # (else the core's default: $SHOMEI_TL_MIRROR)
        changes["tl_mirror"] = config.tl_mirror.strip()
    return replace(eu, **changes) if changes else eu


def jp_trust_config(config: ValidationConfig) -> api.JpTrustConfig:
    """The core's :class:`~signing.api.JpTrustConfig` for the app's settings
    (the update URL, proxy and timeout)."""
    return api.JpTrustConfig(
        update_url=config.jp_list_url or None, fetch=config.network.fetch_settings()
    )


def refresh_trust(config: ValidationConfig, cancel: threading.Event) -> list[TrustRow]:
    """Download the lists in use. ``cancel`` is honoured between the EU and
    the Japanese update (a download under way finishes, within the timeout);
    what was stored before it stays in use."""

    def stop_if_cancelled() -> None:
        if cancel.is_set():
            api.forget_environments()  # (lists already stored are read next time)
            raise api.UserCancelled()

    stop_if_cancelled()
    eu = api.EuTrust.open(eu_trust_config(config))
    eu.update(territories=config.eu_territories)
    stop_if_cancelled()
    if config.jp_trust:
        jp = api.JpTrust.open(jp_trust_config(config))
        url = jp.update_url()
        if url:  # a failure stays in the list's status row, as for the EU lists
            jp.update(url)
    api.forget_environments()  # the next validation loads the new lists
    return trust_status(config)


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M"))
    return str(value)


# --- the verdict screen's viewer (#18) ----------------------------------------


def signed_revision(path: str, field_name: str) -> bytes:
    """The bytes the signature in ``field_name`` covers (its signed version)."""
    return api.signed_revision(Path(path), field_name)


def shown_copy(data: bytes) -> bytes:
    """``data`` as the viewer shows it: with the visible signatures' stamps
    drawn (QtPdf draws no form widgets), or as it is when there are none or
    the document cannot be read safely."""
    return api.with_signature_stamps(data) or data


def shown_file(path: str) -> bytes | None:
    """The file at ``path`` as the viewer shows it (see :func:`shown_copy`),
    or None when showing it from the disk is as good (no stamps to add, too
    large to copy, unreadable)."""
    try:
        if os.stat(path).st_size > SHOWN_MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            data = fh.read(SHOWN_MAX_BYTES + 1)
    except OSError:
        return None
    return api.with_signature_stamps(data)


#: the largest file copied into memory to show its signatures' stamps
SHOWN_MAX_BYTES = 256 * 1024**2
