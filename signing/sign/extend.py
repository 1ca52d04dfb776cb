"""Document timestamps and long-term extension of signed PDFs.

* :func:`timestamp_pdf` adds a PAdES document timestamp only.
* :func:`extend_pdf` brings a signed PDF to B-LT (validation data for every
  signature and timestamp in the DSS) or B-LTA (the same, then a document
  timestamp over it). On a document that already carries document
  timestamps, B-LTA renews the archive chain: the validation data of the last
  timestamp is added before the new one covers it.

Both write one incremental update through :class:`AtomicOutput`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from typing import Any

from signing.errors import (
    CertificateUntrustedError,
    DocumentError,
    LevelNotReachedError,
    SigningError,
    TimestampError,
)
from signing.model.reasons import signing as reasons
from signing.model.results import Reason
from signing.pdf.document import as_document_error, new_field_name, open_copy
from signing.secrets import NoSecret, SecretPrompt
from signing.sign.atomic_write import AtomicOutput
from signing.sign.doc_timestamp import add_document_timestamp
from signing.sign.level_gate import verify_level
from signing.sign.output_check import verify_signatures_intact, verify_update
from signing.sign.request import ExtendRequest, Level, SignedResult, TimestampRequest
from signing.sign.signer import (
    _run,
    load_trust_roots,
    make_validation_context,
    translate_validation_error,
)
from signing.sign.tsa import FailoverTimeStamper

__all__ = ["extend_pdf", "timestamp_pdf"]


def timestamp_pdf(request: TimestampRequest, prompt: SecretPrompt | None = None) -> SignedResult:
    """Add a document timestamp to ``request.input_path``.

    With ``trust_roots``, the TSA chain's validation data goes in the DSS too.
    """
    with as_document_error(request.input_path, "timestamp"):
        return _timestamp_pdf(request, prompt)


def _timestamp_pdf(request: TimestampRequest, prompt: SecretPrompt | None) -> SignedResult:
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    start = time.perf_counter()
    stamper = FailoverTimeStamper(request.tsa_urls, request.tsa_timeout)
    vc = None
    if request.trust_roots:
        vc = make_validation_context(load_trust_roots(request.trust_roots))
    with AtomicOutput(request.output_path, inputs=(request.input_path,)) as out:
        with contextlib.nullcontext(
            open_copy(request.input_path, out.stream, prompt or NoSecret())
        ) as doc:
            field_name = new_field_name(doc.reader, "Timestamp")
            try:
                _run(add_document_timestamp(doc.writer, stamper, field_name, vc), vc)
            except (PathValidationError, PathBuildingError) as exc:
                raise translate_validation_error(exc, "time-stamping server's") from exc
            input_size = doc.size
        out.begin_sync()
        verify_update(out.stream, appended_after=input_size, expected=1)
        size = out.commit()
    return SignedResult(
        output_path=request.output_path,
        size=size,
        field_name=field_name,
        level=Level.NONE,
        notices=_skipped(stamper),
        timings=(("total", time.perf_counter() - start),),
    )


def _skipped(stamper: FailoverTimeStamper | None) -> tuple[Reason, ...]:
    notice = stamper.skipped_notice() if stamper is not None else None
    return (notice,) if notice is not None else ()


def _embedded_roots(signatures: Sequence[Any]) -> list[Any]:
    roots: dict[bytes, Any] = {}
    for sig in signatures:
        for cert in sig.signed_data["certificates"] or ():
            c = cert.chosen
            if getattr(c, "self_signed", None) in ("maybe", "yes"):
                roots[c.sha256] = c
    return list(roots.values())


def _needing_data(reader: Any, level: Level) -> list[Any]:
    """The entries whose validation data goes in this update. Renewing an
    archive chain needs only the last document timestamp's: the earlier
    entries' data is already in the DSS, under that timestamp, and their
    certificates may have expired since (which is why the chain exists)."""
    timestamps = list(reader.embedded_timestamp_signatures)
    if level is Level.B_LTA and timestamps and "/DSS" in reader.root:
        return [timestamps[-1]]
    return list(reader.embedded_signatures)


async def _collect_paths(signatures: Sequence[Any], vc: Any) -> list[Any]:
    from pyhanko.sign.validation.dss import collect_validation_info

    paths: list[Any] = []
    for sig in signatures:
        paths.extend(await collect_validation_info(sig, vc))
    return paths


def _check_time_proof(reader: Any, signatures: Sequence[Any]) -> None:
    """B-LT adds validation data only: each signature must already have its
    time proof (a signature timestamp, or a document timestamp after it)."""
    from signing.certs.cms import signature_timestamp_tokens

    stamps = [t.signed_revision for t in reader.embedded_timestamp_signatures]
    for sig in signatures:
        if sig.sig_object_type == "/DocTimeStamp":
            continue
        if signature_timestamp_tokens(sig.signer_info):
            continue
        if any(rev > sig.signed_revision for rev in stamps):
            continue
        raise LevelNotReachedError(
            f"B-LT cannot be reached: {sig.field_name} has no timestamp, and B-LT only adds "
            "validation data to a timestamped (B-T) signature. Extend to B-LTA instead",
            cli_hint=" (--level B-LTA with --tsa), which adds a document timestamp; "
            "nothing was saved.",
            app_hint=", which adds a document timestamp; nothing was saved.",
            ja=f"B-LTにできません。{sig.field_name}にはタイムスタンプがなく、B-LTは"
            "タイムスタンプ付き（B-T）の署名に検証データを加えるだけです。",
            cli_hint_ja="代わりにB-LTAに延長してください（--level B-LTA と --tsa）。"
            "文書タイムスタンプが加わります。何も保存されていません。",
            app_hint_ja="代わりにB-LTAに延長してください。文書タイムスタンプが加わります。"
            "何も保存されていません。",
        )


def extend_pdf(request: ExtendRequest, prompt: SecretPrompt | None = None) -> SignedResult:
    """Extend every signature of ``request.input_path`` to ``request.level``."""
    with as_document_error(request.input_path, "extend"):
        return _extend_pdf(request, prompt)


def _extend_pdf(request: ExtendRequest, prompt: SecretPrompt | None) -> SignedResult:
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko_certvalidator.errors import PathError
    from pyhanko_certvalidator.errors import ValidationError as CertValidationError

    start = time.perf_counter()
    if request.level not in (Level.B_LT, Level.B_LTA):
        raise SigningError(
            "A document can be extended to B-LT or B-LTA only.",
            ja="文書を延長できるのはB-LTかB-LTAまでです。",
        )
    if request.level is Level.B_LTA and not request.tsa_urls:
        raise TimestampError(
            "B-LTA needs a time-stamping server",
            cli_hint="; give one with --tsa.",
            app_hint="; add one in Settings › Timestamps.",
            ja="B-LTAにはタイムスタンプサーバーが必要です。",
            cli_hint_ja="--tsaで指定してください。",
            app_hint_ja="設定 › タイムスタンプで追加してください。",
        )
    stamper = (
        FailoverTimeStamper(request.tsa_urls, request.tsa_timeout)
        if request.level is Level.B_LTA
        else None
    )
    notices: list[Reason] = []
    with AtomicOutput(request.output_path, inputs=(request.input_path,)) as out:
        with contextlib.nullcontext(
            open_copy(request.input_path, out.stream, prompt or NoSecret())
        ) as doc:
            reader = doc.reader
            signatures = list(reader.embedded_signatures)
            if not signatures:
                raise DocumentError(
                    f"{doc.path.name} has no signature to extend.",
                    ja=f"{doc.path.name}には延長する署名がありません。",
                )
            roots = load_trust_roots(request.trust_roots)
            if not roots:
                roots = _embedded_roots(signatures)
                if not roots:
                    raise CertificateUntrustedError(
                        "Give the trust anchor of the signatures",
                        cli_hint=" with --trust ROOT.pem.",
                        app_hint=" in Settings › Trust.",
                        ja="署名のトラストアンカーを指定してください",
                        cli_hint_ja="（--trust ROOT.pem）。",
                        app_hint_ja="（設定 › トラスト）。",
                    )
                notices.append(reasons.trust_anchor_embedded())
            if request.level is Level.B_LT:
                _check_time_proof(reader, signatures)
            vc = make_validation_context(roots)

            async def work() -> str | None:
                paths = await _collect_paths(_needing_data(reader, request.level), vc)
                DocumentSecurityStore.supply_dss_in_writer(
                    doc.writer, None, paths=paths, validation_context=vc, embed_roots=True
                )
                if stamper is None:
                    doc.writer.write_in_place()
                    return None
                name = new_field_name(reader, "Timestamp")
                await add_document_timestamp(doc.writer, stamper, name, vc)
                return name

            try:
                field_name = _run(work(), vc)
            except (CertValidationError, PathError) as exc:
                raise translate_validation_error(exc, "signer's or time-stamping server's") from exc
            credential = doc.credential()
            input_size = doc.size
        out.begin_sync()
        if field_name is not None:
            verify_update(out.stream, appended_after=input_size, expected=1)
        else:
            verify_signatures_intact(out.stream, len(signatures), credential)
        # the level is reported only once the file on disk shows it
        notices.extend(
            verify_level(out.stream, request.level, anchors=roots, credential=credential)
        )
        size = out.commit()
    return SignedResult(
        output_path=request.output_path,
        size=size,
        field_name=field_name or signatures[-1].field_name,
        level=request.level,
        notices=(*notices, *_skipped(stamper)),
        timings=(("total", time.perf_counter() - start),),
    )
