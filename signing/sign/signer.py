"""Sign or seal a PDF at PAdES B-B, B-T, B-LT or B-LTA.

One flow for every level: open the input read-only, prepare a signer session
(key, certificate checks, time-stamper, validation context), let pyHanko write
the incremental update into a read-write temporary file next to the output,
check what was written, then rename it into place. Library errors are turned
into :mod:`signing.errors` classes here, at the core's boundary.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signing.certs.summary import (
    CertificatePurpose,
    CertificateSummary,
    common_name,
    summarise_certificate,
)
from signing.errors import (
    CertificateError,
    CertificateExpiredError,
    CertificateRevokedError,
    CertificateUntrustedError,
    OutputError,
    RevocationFetchError,
    ShomeiError,
    SigningError,
    TimestampError,
    TrustListError,
    UserCancelled,
)
from signing.model.reasons import causes
from signing.model.reasons import signing as reasons
from signing.model.reasons.causes import Cause
from signing.pdf.document import as_document_error, new_field_name, open_copy, sniff_file
from signing.secrets import SecretPrompt
from signing.sign.atomic_write import AtomicOutput, check_output_path, file_identity
from signing.sign.doc_timestamp import IO_CHUNK, TIMESTAMP_ROOM, add_document_timestamp
from signing.sign.group_commit import GroupCommit
from signing.sign.level_gate import verify_level
from signing.sign.output_check import InputDigest, verify_update
from signing.sign.placement import check_text_size, field_for, page_rotation
from signing.sign.request import CertifyLevel, Level, SignedResult, SignMode, SignRequest
from signing.sign.tsa import FailoverTimeStamper

if TYPE_CHECKING:
    from signing.model.results import Reason
    from signing.net.revocation_fetch import RevocationFetchBounds

__all__ = ["CancelCheck", "ConfirmHook", "presign_warnings", "sign_batch", "sign_pdf"]

#: ``confirm(warnings) -> bool``: asked once the key is open and its
#: certificate known, before any signature; False cancels.
ConfirmHook = Callable[[tuple["Reason", ...]], bool]
#: ``cancel() -> bool``: polled between the signing stages; True cancels.
CancelCheck = Callable[[], bool]

#: room for the CMS structure around certificates and the signature value
_CMS_OVERHEAD = 3072
#: documents at least this large are synced and hashed in the background
BACKGROUND_FROM = 4 << 20


class _Clock:
    """Collects (phase, seconds) pairs for SignedResult.timings."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.marks.append((name, now - self._t))
        self._t = now


def load_trust_roots(paths: Sequence[Path]) -> list[Any]:
    """asn1crypto certificates from PEM/DER files."""
    from pyhanko.keys import load_certs_from_pemder

    roots: list[Any] = []
    for p in paths:
        try:
            roots.extend(load_certs_from_pemder([str(p)]))  # type: ignore[no-untyped-call]
        except (OSError, ValueError) as exc:
            cause = causes.file_problem(exc)
            raise TrustListError(
                f"Cannot read the trust anchor file {p}: {exc}.",
                ja=f"トラストアンカーのファイル{p}を読み取れません（{cause.ja}）。",
                technical=str(exc),
            ) from None
    return roots


def make_validation_context(
    trust_roots: Sequence[Any],
    other_certs: Sequence[Any] = (),
    *,
    revocation_bounds: RevocationFetchBounds | None = None,
) -> Any:
    from pyhanko_certvalidator import ValidationContext

    from signing.net.revocation_fetch import BoundedFetcherBackend

    return ValidationContext(
        trust_roots=list(trust_roots),
        other_certs=list(other_certs),
        allow_fetching=True,
        # every OCSP/CRL request bounded in time and size
        fetcher_backend=BoundedFetcherBackend(revocation_bounds),
        revocation_mode="hard-fail",
    )


_WHO_JA = {
    "signing": "署名者",
    "signer's": "署名者",
    "time-stamping server's": "タイムスタンプサーバー",
    "signer's or time-stamping server's": "署名者またはタイムスタンプサーバー",
}


def _who_ja(who: str) -> str:
    return _WHO_JA.get(who, who)


def _path_cause(exc: BaseException) -> Cause | None:
    """The catalogue's cause for a pyhanko-certvalidator failure, from its
    class and the facts it carries; None when ``exc`` is none of them."""
    from pyhanko_certvalidator.errors import (
        CertificateFetchError,
        ExpiredError,
        InsufficientPOEError,
        InsufficientRevinfoError,
        InvalidCertificateError,
        NotYetValidError,
        PathBuildingError,
        PathValidationError,
        RevokedError,
        StaleRevinfoError,
    )

    ee = getattr(exc, "is_ee_cert", True)
    if isinstance(exc, RevokedError):
        reason = getattr(exc.reason, "native", None)
        kind = "revoked" if ee else "revoked-ca"
        return causes.certificate_path(kind, when=exc.revocation_dt, reason=reason)
    if isinstance(exc, ExpiredError):
        return causes.certificate_path("expired" if ee else "expired-ca", when=exc.expired_dt)
    if isinstance(exc, NotYetValidError):
        return causes.certificate_path("not-yet-valid", when=exc.valid_from)
    # the rest carry no facts: their class names the cause (subclasses first)
    plain = (
        (StaleRevinfoError, "revocation-stale"),
        (InsufficientRevinfoError, "revocation-missing"),
        (InsufficientPOEError, "no-proof-of-existence"),
        (CertificateFetchError, "issuer-fetch"),
        (PathBuildingError, "no-issuer"),
        (InvalidCertificateError, "unusable"),
        (PathValidationError, "path-invalid"),
    )
    for kind_of, kind in plain:
        if isinstance(exc, kind_of):
            return causes.certificate_path(kind)
    return None


def translate_validation_error(exc: BaseException, who: str) -> ShomeiError:
    """Turn a certificate validation failure into the error a user can act on.

    The library's explanation is mapped to a catalogue cause in both
    languages (:mod:`signing.model.reasons.causes`); its own English is kept
    as the error's ``technical`` detail only."""
    from pyhanko_certvalidator.errors import (
        ExpiredError,
        InsufficientRevinfoError,
        InvalidCertificateError,
        PathBuildingError,
        RevokedError,
    )

    cause: BaseException | None = exc
    while cause is not None:
        found = _path_cause(cause)
        raw = str(cause) or type(cause).__name__
        if isinstance(cause, RevokedError):
            assert found is not None
            return CertificateRevokedError(
                f"The {who} certificate has been revoked: {found.en}.",
                ja=f"{_who_ja(who)}の証明書は失効しています：{found.ja}。",
                technical=raw,
            )
        if isinstance(cause, ExpiredError):
            assert found is not None
            return CertificateExpiredError(
                f"The {who} certificate has expired: {found.en}.",
                ja=f"{_who_ja(who)}の証明書は有効期限が切れています：{found.ja}。",
                technical=raw,
            )
        if isinstance(cause, InsufficientRevinfoError):
            assert found is not None
            return RevocationFetchError(
                f"The revocation status of the {who} certificate could not be obtained: "
                f"{found.en}.",
                ja=f"{_who_ja(who)}の証明書の失効状態を取得できませんでした：{found.ja}。",
                technical=raw,
            )
        if isinstance(cause, InvalidCertificateError):
            # (raised for the signer's or the TSA's certificate alike)
            return CertificateError(
                "A certificate cannot be used for this signature: its key usage does not allow "
                "it, or it is self-signed. A self-signed certificate (a signer's or a "
                "time-stamping server's) must be given as a trust anchor",
                cli_hint=" with --trust; a signing certificate must allow non-repudiation.",
                app_hint=" in Settings › Trust; a signing certificate must allow non-repudiation.",
                ja="この署名には使えない証明書があります（鍵用途が許可していないか、自己署名です）。"
                "自己署名の証明書（署名者またはタイムスタンプサーバーのもの）は"
                "トラストアンカーとして指定する必要があります",
                cli_hint_ja="（--trust）。署名用の証明書は否認防止（nonRepudiation）を許可している必要があります。",
                app_hint_ja="（設定 › トラスト）。署名用の証明書は否認防止（nonRepudiation）を"
                "許可している必要があります。",
                technical=raw,
            )
        if isinstance(cause, PathBuildingError):
            assert found is not None
            return CertificateUntrustedError(
                f"The {who} certificate does not chain up to a trusted root ({found.en}); "
                "add its root",
                cli_hint=" with --trust.",
                app_hint=" in Settings › Trust.",
                ja=f"{_who_ja(who)}の証明書は信頼されたルートにつながっていません（{found.ja}）。",
                cli_hint_ja="--trustでルート証明書を追加してください。",
                app_hint_ja="設定 › トラストでルート証明書を追加してください。",
                technical=raw,
            )
        if found is not None:  # another path failure: told by its cause
            return CertificateUntrustedError(
                f"The {who} certificate could not be validated: {found.en}.",
                ja=f"{_who_ja(who)}の証明書を検証できませんでした：{found.ja}。",
                technical=raw,
            )
        cause = cause.__cause__ or cause.__context__
    generic = causes.certificate_path("unknown")
    return CertificateUntrustedError(
        f"The {who} certificate could not be validated: {generic.en}.",
        ja=f"{_who_ja(who)}の証明書を検証できませんでした：{generic.ja}。",
        technical=str(exc) or type(exc).__name__,
    )


def check_validity_period(summary: CertificateSummary, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    if now > summary.not_after:
        raise CertificateExpiredError(
            f"The signing certificate ({summary.subject}) expired on "
            f"{summary.not_after:%Y-%m-%d}; it can no longer sign.",
            ja=f"署名用の証明書（{summary.subject}）は{summary.not_after:%Y-%m-%d}に"
            "有効期限が切れています。この証明書ではもう署名できません。",
        )
    if now < summary.not_before:
        raise CertificateError(
            f"The signing certificate ({summary.subject}) is valid only from "
            f"{summary.not_before:%Y-%m-%d}.",
            ja=f"署名用の証明書（{summary.subject}）は{summary.not_before:%Y-%m-%d}から有効です。",
        )


def mode_reasons(mode: SignMode, summary: CertificateSummary) -> tuple[Reason, ...]:
    """A warning when the certificate's purpose does not fit signing vs sealing."""
    if mode is SignMode.SIGN and summary.purpose is CertificatePurpose.SEAL:
        return (reasons.seal_certificate_used_to_sign(),)
    if mode is SignMode.SEAL and summary.purpose is CertificatePurpose.SIGN:
        return (reasons.signing_certificate_used_to_seal(),)
    return ()


def presign_warnings(cert_der: bytes, mode: SignMode) -> tuple[Reason, ...]:
    """What to tell the user about this certificate *before* asking for the PIN
    and signing: a sign-vs-seal mismatch, and for a JPKI (My Number card)
    signature certificate that it discloses name, address, date of birth and sex
    to every recipient. Each warning has a stable ``code`` and English and
    Japanese text; the same warnings end up in :attr:`SignedResult.notices`."""
    from signing.trust.jp_status import jpki_privacy_warning

    reasons = list(mode_reasons(mode, summarise_certificate(cert_der)))
    jpki = jpki_privacy_warning(cert_der)
    if jpki is not None:
        reasons.append(jpki)
    return tuple(reasons)


@dataclass
class SignerSession:
    """A key opened once, with everything that does not depend on the document."""

    signer: Any  # pyhanko Signer
    summary: CertificateSummary
    cert_name: str
    _vcs: dict[tuple[Path, ...], Any] = field(default_factory=dict)
    _anchors: dict[tuple[Path, ...], list[Any]] = field(default_factory=dict)
    _styles: dict[Any, Any] = field(default_factory=dict)
    _presign: dict[SignMode, tuple[Reason, ...]] = field(default_factory=dict)

    @classmethod
    def start(cls, signer: Any) -> SignerSession:
        cert = signer.signing_cert
        if cert is None:
            raise SigningError(
                "The key source gave no signing certificate.",
                ja="鍵から署名用の証明書が得られませんでした。",
            )
        summary = summarise_certificate(cert)
        return cls(signer=signer, summary=summary, cert_name=common_name(cert))

    def presign_warnings(self, mode: SignMode) -> tuple[Reason, ...]:
        """:func:`presign_warnings` for this key's certificate (computed once per mode)."""
        if mode not in self._presign:
            self._presign[mode] = presign_warnings(self.signer.signing_cert.dump(), mode)
        return self._presign[mode]

    def validation_context(self, trust_paths: tuple[Path, ...]) -> tuple[Any, list[Reason]]:
        """One validation context per trust setting, reused across a batch so
        OCSP answers and CRLs are fetched once."""

        notes: list[Reason] = []
        if trust_paths not in self._vcs:
            roots = load_trust_roots(trust_paths)
            others = self.chain_certs()
            if not roots:
                roots = [c for c in others if c.self_signed == "maybe" or c.self_signed == "yes"]
                if not roots:
                    raise CertificateUntrustedError(
                        "B-LT and B-LTA need a trust anchor to validate the certificate chain",
                        cli_hint="; give one with --trust ROOT.pem.",
                        app_hint="; add one in Settings › Trust.",
                        ja="B-LTとB-LTAでは証明書チェーンの検証にトラストアンカーが必要です。",
                        cli_hint_ja="--trust ROOT.pemで指定してください。",
                        app_hint_ja="設定 › トラストで追加してください。",
                    )
            self._vcs[trust_paths] = make_validation_context(roots, others)
            self._anchors[trust_paths] = roots
        if not trust_paths:
            notes.append(reasons.trust_anchor_from_key())
        return self._vcs[trust_paths], notes

    def anchors(self, trust_paths: tuple[Path, ...]) -> list[Any]:
        """The trust anchors of :meth:`validation_context` (empty before it)."""
        return self._anchors.get(trust_paths, [])

    def chain_certs(self) -> list[Any]:
        """The certificates the signer embeds besides its own (any key source)."""
        registry = getattr(self.signer, "cert_registry", None) or ()
        own = self.signer.signing_cert.dump()
        return [c for c in registry if c.dump() != own]

    def bytes_reserved(self, level: Level) -> int:
        """Room for the signature container, so pyHanko need not make a
        dry-run signature to measure it (a second signing per document)."""
        signer = self.signer
        certs = [signer.signing_cert, *self.chain_certs()]
        size = sum(len(c.dump()) for c in certs) + _CMS_OVERHEAD
        estimate = getattr(signer, "estimated_signature_size", None)
        size += estimate() if callable(estimate) else 1024
        if level is not Level.B_B:
            size += TIMESTAMP_ROOM
        return 2 * size  # hex-encoded in the file

    def stamp_style(self, request: SignRequest) -> tuple[Any, dict[str, str]]:
        """The visible appearance (style cached per spec) and its text values."""
        from signing.appearance import stamp as appearance

        seal = request.mode is SignMode.SEAL
        spec = request.appearance or appearance.AppearanceSpec()
        key = (spec, seal)
        if key not in self._styles:
            self._styles[key] = appearance.stamp_style(spec, seal=seal)
        params = appearance.text_params(
            spec,
            seal=seal,
            reason=request.reason,
            location=request.location,
            organisation=self.summary.organisation,
            signer=self.cert_name,
        )
        return self._styles[key], params


def _docmdp(level: CertifyLevel) -> Any:
    from pyhanko.sign.fields import MDPPerm

    return {
        CertifyLevel.NO_CHANGES: MDPPerm.NO_CHANGES,
        CertifyLevel.FORM_FILLING: MDPPerm.FILL_FORMS,
        CertifyLevel.ANNOTATIONS: MDPPerm.ANNOTATE,
    }[level]


async def _archive_timestamp(
    stream: Any, stamper: FailoverTimeStamper, vc: Any, credential: Any
) -> None:
    """B-LTA: a document timestamp over the signed revision and its
    validation data, written by the writer that keeps the Info and XMP
    metadata in step (pyHanko's own LTA step uses a plain writer)."""
    from signing.pdf.metadata import MetadataKeepingWriter

    writer = MetadataKeepingWriter(stream, strict=False)
    if writer.security_handler is not None and credential is not None:
        writer.security_handler.authenticate(credential)
    await add_document_timestamp(writer, stamper, new_field_name(writer.prev, "Timestamp"), vc)


def _run(coro: Any, vc: Any) -> Any:
    """Run one pyHanko coroutine; the validation context's HTTP sessions
    belong to this event loop, so release them before it ends."""

    async def run() -> Any:
        try:
            return await coro
        finally:
            if vc is not None:
                await vc.aclose()

    return asyncio.run(run())


def check_cancel(cancel: CancelCheck | None) -> None:
    """Raise :class:`UserCancelled` when ``cancel()`` has turned true."""
    if cancel is not None and cancel():
        raise UserCancelled()


def confirm_warnings(session: SignerSession, mode: SignMode, confirm: ConfirmHook | None) -> None:
    """Ask ``confirm`` about this key's pre-signing warnings (when there are
    any); a refusal raises :class:`UserCancelled`."""
    if confirm is None:
        return
    reasons = session.presign_warnings(mode)
    if reasons and not confirm(reasons):
        raise UserCancelled()


def sign_with_session(
    request: SignRequest,
    session: SignerSession,
    prompt: SecretPrompt,
    cancel: CancelCheck | None = None,
    group: tuple[GroupCommit, int] | None = None,
) -> SignedResult:
    """Sign one document with an already opened key. ``cancel`` is checked
    before the document is opened, before the signature, before the
    time-stamping server is asked and before the output is renamed into place;
    when it turns true :class:`UserCancelled` is raised and no output is left.
    A damaged or unusual document gives :class:`DocumentError`, naming it.

    ``group``: (a batch's group, this document's key) hands the checked output
    to the group instead of renaming it into place; the result is then the
    one to report once the group has committed it (:mod:`group_commit`)."""
    with as_document_error(request.input_path):
        return _sign_with_session(request, session, prompt, cancel, group)


def _sign_with_session(
    request: SignRequest,
    session: SignerSession,
    prompt: SecretPrompt,
    cancel: CancelCheck | None,
    group: tuple[GroupCommit, int] | None = None,
) -> SignedResult:
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko.sign.signers.pdf_signer import (
        DSSContentSettings,
        PdfSignatureMetadata,
        PdfSigner,
        SigDSSPlacementPreference,
        TimestampDSSContentSettings,
    )
    from pyhanko_certvalidator.errors import (
        PathBuildingError,
        PathError,
        PathValidationError,
    )
    from pyhanko_certvalidator.errors import ValidationError as CertValidationError

    clock = _Clock()
    level = request.effective_level
    if level is Level.NONE:
        raise SigningError(
            "Choose a PAdES level: B-B, B-T, B-LT or B-LTA.",
            ja="PAdESのレベル（B-B、B-T、B-LT、B-LTA）を選んでください。",
        )
    if level is not Level.B_B and not request.tsa_urls:
        raise TimestampError(
            f"{level.value} needs a time-stamping server",
            cli_hint="; give one with --tsa.",
            app_hint="; add one in Settings › Timestamps.",
            ja=f"{level.value}にはタイムスタンプサーバーが必要です。",
            cli_hint_ja="--tsaで指定してください。",
            app_hint_ja="設定 › タイムスタンプで追加してください。",
        )
    check_validity_period(session.summary)
    warnings = list(session.presign_warnings(request.mode))

    vc = None
    if level in (Level.B_LT, Level.B_LTA):
        vc, notes = session.validation_context(tuple(request.trust_roots))
        warnings.extend(notes)
    timestamper = (
        FailoverTimeStamper(request.tsa_urls, request.tsa_timeout)
        if level is not Level.B_B
        else None
    )
    if timestamper is not None:
        timestamper.cancel = cancel
    check_cancel(cancel)
    sweep = group is None or group[0].first_visit(request.output_path.parent)
    with AtomicOutput(request.output_path, inputs=(request.input_path,), sweep=sweep) as out:
        # The update is appended in place to a copy of the input in the
        # temporary output: one read of the input, nothing held in memory.
        with contextlib.nullcontext(open_copy(request.input_path, out.stream, prompt)) as doc:
            clock.lap("open")
            # For large documents, the disk and the hashing of the input work
            # in the background while pyHanko signs; for small ones the threads
            # would cost more than they save.
            prefix = None
            if doc.size >= BACKGROUND_FROM:
                out.begin_sync()
                prefix = InputDigest(request.input_path, doc.size)
            field_name, field_spec = field_for(request, doc.reader, doc.path.name)
            dss = DSSContentSettings(
                include_vri=False,
                placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE,
                next_ts_settings=TimestampDSSContentSettings(
                    include_vri=False, update_before_ts=True
                ),
            )
            meta = PdfSignatureMetadata(
                field_name=field_name,
                reason=request.reason,
                location=request.location,
                contact_info=request.contact,
                name=session.cert_name,
                subfilter=SigSeedSubFilter.PADES,
                certify=request.certify is not None,
                docmdp_permissions=_docmdp(request.certify or CertifyLevel.FORM_FILLING),
                embed_validation_info=vc is not None,
                # (B-LTA's document timestamp is added below, by our own writer)
                use_pades_lta=False,
                validation_context=vc,
                dss_settings=dss,
            )
            style, text_params = (None, None)
            if field_spec is None or field_spec.box is not None:
                style, text_params = session.stamp_style(request)
                rotation = page_rotation(doc.reader, request, field_spec)
                if rotation:
                    style = dataclasses.replace(style, rotation=rotation)
                if field_spec is not None:
                    params = {**text_params, "signer": session.cert_name}
                    check_text_size(style, field_spec, params, doc.reader, warnings)
            pdf_signer = PdfSigner(
                meta,
                session.signer,
                timestamper=timestamper,
                stamp_style=style,
                new_field_spec=field_spec,
            )
            check_cancel(cancel)  # the last stop before the key signs
            coro = pdf_signer.async_sign_pdf(
                doc.writer,
                existing_fields_only=field_spec is None,
                bytes_reserved=session.bytes_reserved(level),
                appearance_text_params=text_params,
                in_place=True,
                chunk_size=IO_CHUNK,
            )
            credential = doc.credential()

            async def sign_then_archive() -> None:
                await coro
                if level is Level.B_LTA:
                    assert timestamper is not None
                    await _archive_timestamp(out.stream, timestamper, vc, credential)

            try:
                _run(sign_then_archive(), vc)
            except ShomeiError:
                raise
            except (PathValidationError, PathBuildingError) as exc:
                raise translate_validation_error(exc, "time-stamping server's") from exc
            except (CertValidationError, PathError) as exc:
                raise translate_validation_error(exc, "signing") from exc
            except PyHankoSigningError as exc:
                cause = exc.__cause__
                if isinstance(cause, CertValidationError | PathError):
                    raise translate_validation_error(cause, "signing") from exc
                # (pyHanko's words: the English keeps them, the Japanese
                # says what happened, the technical detail has them all)
                raise SigningError(
                    f"Signing failed: {exc}", ja="署名に失敗しました。", technical=str(exc)
                ) from exc
            clock.lap("sign")
            input_size = doc.size
        verify_update(
            out.stream,
            appended_after=input_size,
            expected=2 if level is Level.B_LTA else 1,
            prefix=prefix,
            known_certs=(session.signer.signing_cert,),
        )
        if level is not Level.B_B:
            # the level is reported only once the file on disk shows it
            warnings.extend(
                verify_level(
                    out.stream,
                    level,
                    fields=(field_name,),
                    anchors=session.anchors(tuple(request.trust_roots)),
                    credential=credential,
                )
            )
        clock.lap("verify")
        check_cancel(cancel)
        size = out.commit() if group is None else group[0].stage(group[1], out)
        clock.lap("commit")
    skipped = timestamper.skipped_notice() if timestamper is not None else None
    if skipped is not None:
        warnings.append(skipped)
    return SignedResult(
        output_path=request.output_path,
        size=size,
        field_name=field_name,
        level=level,
        notices=tuple(warnings),
        signer=session.summary,
        timings=tuple(clock.marks),
    )


@contextlib.contextmanager
def open_session(key_source: Any, prompt: SecretPrompt) -> Iterator[SignerSession]:
    with key_source.open(prompt) as signer:
        yield SignerSession.start(signer)


def sign_pdf(
    request: SignRequest,
    prompt: SecretPrompt,
    *,
    confirm: ConfirmHook | None = None,
    cancel: CancelCheck | None = None,
) -> SignedResult:
    """Sign (or seal) ``request.input_path`` into ``request.output_path``.

    ``confirm`` receives the pre-signing warnings (:func:`presign_warnings`,
    e.g. the JPKI privacy warning) once the key is open and its certificate
    known (a My Number card shows it only after the PIN), before any
    signature is made; it is not called when there are none. ``cancel`` is
    polled between the stages (see :func:`sign_with_session`). A refusal or a
    cancel raises :class:`UserCancelled`.

    Raises a :class:`~signing.errors.ShomeiError` subclass on failure; then no
    output file exists and the input is untouched.
    """
    (outcome,) = _sign_each([request], prompt, confirm, cancel, None, keep_going=False)
    assert isinstance(outcome, SignedResult)  # (keep_going=False raises the errors)
    return outcome


def precheck(request: SignRequest) -> None:
    """Cheap checks of the input and the output before a password is asked."""
    check_output_path(request.output_path, (request.input_path,))
    sniff_file(request.input_path)


BatchOutcome = SignedResult | ShomeiError


def _output_conflicts(requests: Sequence[SignRequest]) -> list[BatchOutcome | None]:
    """An :class:`OutputError` for each request whose output is another
    request's input (signing it first would change that input), or an
    output an earlier request already writes; None for the others. (The
    first such other request decides which, as a pairwise walk would.)"""
    inputs: dict[tuple[object, ...], list[int]] = {}
    first_output: dict[tuple[object, ...], int] = {}
    out_keys = []
    for j, req in enumerate(requests):
        inputs.setdefault(file_identity(req.input_path), []).append(j)
        key = file_identity(req.output_path)
        out_keys.append(key)
        first_output.setdefault(key, j)
    out: list[BatchOutcome | None] = [None] * len(requests)
    for i, req in enumerate(requests):
        key = out_keys[i]
        j_in = next((j for j in inputs.get(key, ()) if j != i), None)
        j_out = first_output[key] if first_output[key] < i else None
        if j_in is not None and (j_out is None or j_in <= j_out):
            out[i] = OutputError(
                f"{req.output_path.name} is also a document of this batch; "
                "give the signed copy another name.",
                ja=f"{req.output_path.name}はこの一括処理の対象文書でもあります。"
                "署名したファイルには別の名前を付けてください。",
            )
        elif j_out is not None:
            out[i] = OutputError(
                f"{req.output_path.name} is already the output of another document of this batch.",
                ja=f"{req.output_path.name}はすでにこの一括処理の別の文書の出力先です。",
            )
    return out


def sign_batch(
    requests: Sequence[SignRequest],
    prompt: SecretPrompt,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelCheck | None = None,
    confirm: ConfirmHook | None = None,
) -> list[BatchOutcome]:
    """Sign many documents, opening each distinct key source once.

    Returns one outcome per request, in order: the result, or the error that
    document met (one bad document does not stop the batch). A key that cannot
    be opened fails every request that uses it. When ``cancel()`` turns true
    the remaining requests get :class:`UserCancelled` (the document being
    signed then too: ``cancel`` is also checked between its stages).
    ``confirm`` is asked once per key (as in :func:`sign_pdf`); a refusal
    gives every request of that key :class:`UserCancelled`.

    The outputs are made durable and put in place a group at a time
    (:mod:`signing.sign.group_commit`): ``progress`` counts a document once
    it is signed and checked, and such a document is saved even if
    ``cancel()`` turns true after it; each output still appears under its
    name only whole, and a failure or a cancel leaves no temporary file.
    """
    return _sign_each(requests, prompt, confirm, cancel, progress, keep_going=True)


def _settle(outcomes: list[BatchOutcome | None], settled: list[tuple[int, BatchOutcome]]) -> None:
    for i, outcome in settled:
        outcomes[i] = outcome


def _sign_each(
    requests: Sequence[SignRequest],
    prompt: SecretPrompt,
    confirm: ConfirmHook | None,
    cancel: CancelCheck | None,
    progress: Callable[[int, int], None] | None,
    *,
    keep_going: bool,
) -> list[BatchOutcome]:
    """The one signing walk behind :func:`sign_pdf` and :func:`sign_batch`:
    refuse outputs that collide, check each document before any password is
    asked (:func:`precheck`), open each distinct key source once, ask
    ``confirm`` once per key, then sign each document with that session.
    ``keep_going``: an error is that document's outcome and the walk goes on
    (a batch); otherwise it is raised as it is (one document)."""
    outcomes: list[BatchOutcome | None] = list(_output_conflicts(requests))
    done = 0
    for i, req in enumerate(requests):
        if outcomes[i] is None:
            try:
                precheck(req)
            except ShomeiError as exc:
                if not keep_going:
                    raise
                outcomes[i] = exc
                done += 1
                if progress is not None:
                    progress(done, len(requests))
    groups: dict[int, list[int]] = {}
    for i, req in enumerate(requests):
        if outcomes[i] is None:
            groups.setdefault(id(req.key_source), []).append(i)

    def stopped() -> bool:
        """``cancel()`` has turned true (raised at once for one document)."""
        if cancel is None or not cancel():
            return False
        if not keep_going:
            raise UserCancelled()
        return True

    # A batch's outputs are made durable and renamed a group at a time; a
    # document counts as done (progress) once signed and checked, and its
    # output is committed even if the batch is cancelled after it.
    group = GroupCommit() if keep_going else None
    try:
        cancelled = False
        for indices in groups.values():
            if cancelled or stopped():
                break
            try:
                with open_session(requests[indices[0]].key_source, prompt) as session:
                    if stopped():  # (while the password or PIN was asked)
                        cancelled = True
                        continue
                    confirm_warnings(session, requests[indices[0]].mode, confirm)
                    for i in indices:
                        if stopped():
                            cancelled = True
                            break
                        try:
                            outcomes[i] = result = sign_with_session(
                                requests[i],
                                session,
                                prompt,
                                cancel,
                                None if group is None else (group, i),
                            )
                            if group is not None:
                                group.resolve(i, result)
                        except UserCancelled as exc:
                            if not keep_going:
                                raise
                            outcomes[i] = exc
                            cancelled = True
                            break
                        except ShomeiError as exc:
                            if not keep_going:
                                raise
                            outcomes[i] = exc
                        except Exception as exc:  # one document's surprise must not end the batch
                            if not keep_going:
                                raise
                            name = requests[i].input_path.name
                            error = SigningError(
                                f"Signing {name} failed: {exc}",
                                ja=f"{name}の署名に失敗しました。",
                                technical=f"{type(exc).__name__}: {exc}",
                            )
                            error.__cause__ = exc
                            outcomes[i] = error
                        done += 1
                        if progress is not None:
                            progress(done, len(requests))
                        if group is not None and group.due:
                            _settle(outcomes, group.flush())
            except ShomeiError as exc:
                if not keep_going:
                    raise
                for i in indices:
                    if outcomes[i] is None:
                        outcomes[i] = exc
        if group is not None:
            _settle(outcomes, group.flush())
    except BaseException:
        if group is not None:
            group.discard()  # (no temporary file outlives the batch)
        raise
    return [o if o is not None else UserCancelled() for o in outcomes]
