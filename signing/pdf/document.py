"""Open an input PDF for an incremental update, with errors a user can act on.

The input file is opened read-only and never written: pyHanko copies it into
the output and appends the new revision there.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from signing import thirdparty_internals as internals
from signing.errors import (
    DocumentError,
    EncryptedPdfError,
    FieldInUseError,
    FieldNotFoundError,
    NotAPdfError,
    ShomeiError,
    TruncatedPdfError,
    UserCancelled,
)
from signing.pdf import crypt as pdf_crypt
from signing.pdf import limits as pdf_limits
from signing.secrets import SecretKind, SecretPrompt, SecretRequest

MAX_PASSWORD_TRIES = 5
_HEAD = 1024
_TAIL = 2048


@dataclass
class OpenedPdf:
    """An input PDF ready to receive an incremental update."""

    path: Path
    stream: IO[bytes]
    writer: Any  # pyhanko IncrementalPdfFileWriter
    size: int

    @property
    def reader(self) -> Any:
        return self.writer.prev

    def credential(self) -> Any:
        """What unlocks an encrypted input again (to check the output); None
        for an unencrypted one."""
        handler = self.writer.security_handler
        return handler.extract_credential() if handler is not None else None


def _missing_entry(exc: BaseException) -> tuple[str, str] | None:
    """A KeyError's text is the bare key ("'/Size'"): what it means, EN and JA."""
    if isinstance(exc, KeyError) and exc.args and str(exc.args[0]).startswith("/"):
        key = exc.args[0]
        return f"its required entry {key} is missing", f"必須の項目{key}がありません"
    return None


def _damaged(path: Path, exc: Exception) -> DocumentError:
    en, ja = _missing_entry(exc) or (str(exc), str(exc))
    return DocumentError(
        f"{path.name} is damaged and cannot be read ({en}).",
        ja=f"{path.name}は壊れているため読み取れません（{ja}）。",
    )


def sniff(path: Path, stream: IO[bytes]) -> int:
    """Cheap structural checks before parsing; returns the file size."""
    size = os.fstat(stream.fileno()).st_size
    head = stream.read(_HEAD)
    if b"%PDF-" not in head:
        raise NotAPdfError(
            f"{path.name} is not a PDF document.", ja=f"{path.name}はPDF文書ではありません。"
        )
    stream.seek(max(0, size - _TAIL))
    tail = stream.read()
    stream.seek(0)
    eof = tail.rfind(b"%%EOF")
    # A file cut inside its last incremental update still holds the earlier
    # revision's %%EOF, followed by the start of the lost update.
    after = tail[eof + 5 :] if eof >= 0 else b""
    cut_update = any(k in after for k in (b" obj", b"xref", b"trailer", b"stream", b"endobj"))
    if eof < 0 and (padding := _padding_after_eof(stream, size)):
        raise DocumentError(
            f"{path.name} ends with {padding} bytes of padding (NUL or blank) after its "
            "%%EOF marker, which PDF readers look for in the last 1024 bytes; remove the "
            "padding or re-save the file, and sign that copy.",
            ja=f"{path.name}は%%EOFマーカーの後に{padding}バイトの埋め草（NULまたは空白）が"
            "続いています。PDFリーダーはこのマーカーを末尾1024バイトの中で探します。"
            "埋め草を取り除くか保存し直したコピーに署名してください。",
        )
    if eof < 0 or b"startxref" not in tail or cut_update:
        raise TruncatedPdfError(
            f"{path.name} is incomplete (truncated, e.g. by an interrupted download or copy).",
            ja=f"{path.name}は不完全です（ダウンロードやコピーの中断などで途中までしかありません）。",
        )
    return size


_PADDING = b"\x00\t\n\f\r "
_MAX_PADDING = 1 << 20  # looked through for a %%EOF; more is not a padded PDF


def _padding_after_eof(stream: IO[bytes], size: int) -> int:
    """How many NUL or blank bytes follow the last %%EOF, when the file ends
    with more of them than the readers' window holds (some tools pad files
    to a block size); 0 when the file does not end so."""
    start = max(0, size - _MAX_PADDING)
    stream.seek(start)
    data = stream.read()
    stream.seek(0)
    end = len(data.rstrip(_PADDING))
    if not data[:end].endswith(b"%%EOF") or b"startxref" not in data[max(0, end - _TAIL) : end]:
        return 0
    return len(data) - end


def _open_binary(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise DocumentError(
            f"The file {path} does not exist.", ja=f"ファイル{path}が見つかりません。"
        ) from None
    except IsADirectoryError:
        raise DocumentError(
            f"{path} is a folder, not a PDF document.",
            ja=f"{path}はフォルダーです。PDF文書ではありません。",
        ) from None
    except OSError as exc:
        raise DocumentError(
            f"Cannot read {path}: {exc.strerror or exc}.",
            ja=f"{path}を読み取れません：{exc.strerror or exc}。",
        ) from None


def sniff_file(path: Path) -> None:
    """Raise the document error for ``path`` that can be seen without parsing."""
    with _open_binary(path) as stream:
        sniff(path, stream)


def _authenticate(path: Path, writer: Any, prompt: SecretPrompt) -> None:
    _unlock(path, writer, prompt)
    internals.keep_direct_encrypt_dictionary(writer)


def _opens(path: Path, writer: Any, password: str) -> bool:
    """Whether ``password`` opens the file (as its user or its owner)."""
    from pyhanko.pdf_utils.crypt import AuthStatus
    from pyhanko.pdf_utils.misc import PdfError

    try:
        return bool(writer.encrypt(password).status != AuthStatus.FAILED)
    except PdfError as exc:
        # the password was right, but (AES-256) the permissions the key
        # decrypts from /Perms differ from /P: ISO 32000-2 (algorithm 2.A)
        # makes that an altered file, and pyHanko refuses it
        if "permission" in str(exc):
            raise EncryptedPdfError(
                f"{path.name} cannot be opened: the permissions in its encryption dictionary "
                "(/P) differ from their encrypted copy (/Perms), a sign that they were altered.",
                ja=f"{path.name}を開けません。暗号化辞書の権限（/P）が暗号化された写し（/Perms）と"
                "一致しません。改ざんされた可能性があります。",
            ) from None
        raise EncryptedPdfError(
            f"{path.name} cannot be opened: its encryption dictionary is unusable ({exc}).",
            ja=f"{path.name}を開けません。暗号化辞書を使用できません（{exc}）。",
        ) from None


def _unlock(path: Path, writer: Any, prompt: SecretPrompt) -> None:
    from pyhanko.pdf_utils.crypt import StandardSecurityHandler

    reader = writer.prev
    if not isinstance(reader.security_handler, StandardSecurityHandler):
        raise EncryptedPdfError(
            f"{path.name} is encrypted for specific recipients (certificate encryption); "
            "it cannot be signed here.",
            ja=f"{path.name}は特定の受信者向けに暗号化されています（証明書による暗号化）。"
            "ここでは署名できません。",
        )
    # Files with only an owner password open with an empty user password.
    if _opens(path, writer, ""):
        return
    tries = 0
    while True:
        try:
            password = prompt.ask(
                SecretRequest(kind=SecretKind.PDF_PASSWORD, target=path.name, retry=tries > 0)
            )
        except UserCancelled:
            if tries:
                raise EncryptedPdfError(
                    f"The password for {path.name} is wrong.",
                    ja=f"{path.name}のパスワードが違います。",
                ) from None
            raise EncryptedPdfError(
                f"{path.name} is password-protected and no password was given.",
                ja=f"{path.name}はパスワードで保護されていますが、パスワードが入力されていません。",
            ) from None
        tries += 1
        ok = _opens(path, writer, password)
        del password
        if ok:
            return
        if tries >= MAX_PASSWORD_TRIES:
            raise EncryptedPdfError(
                f"The password for {path.name} is wrong ({tries} attempts).",
                ja=f"{path.name}のパスワードが違います（{tries}回試行）。",
            )


def open_pdf(path: Path, prompt: SecretPrompt, *, authenticate: bool = True) -> OpenedPdf:
    """Open ``path`` for an incremental update (caller closes ``stream``)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    pdf_limits.install()
    pdf_crypt.install()  # (revision 5 AES-256 files)
    stream = _open_binary(path)
    try:
        size = sniff(path, stream)
        try:
            writer = IncrementalPdfFileWriter(stream, strict=False)
        except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise _damaged(path, exc) from None
        if authenticate and writer.prev.encrypted:
            _authenticate(path, writer, prompt)
        return OpenedPdf(path=path, stream=stream, writer=writer, size=size)
    except BaseException:
        stream.close()
        raise


def copy_stream(src: IO[bytes], dst: IO[bytes], size: int) -> None:
    """Copy ``size`` bytes from the start of ``src`` to ``dst`` in the kernel
    when it can (a reflink on file systems that have them), else in 1 MiB
    chunks."""
    src.seek(0)
    dst.seek(0)
    dst.flush()
    copied = 0
    try:
        while copied < size:
            n = os.copy_file_range(src.fileno(), dst.fileno(), size - copied, copied, copied)
            if n == 0:
                break
            copied += n
    except (AttributeError, OSError):
        copied = 0
    if copied != size:
        src.seek(0)
        dst.seek(0)
        dst.truncate()
        while chunk := src.read(1 << 20):
            dst.write(chunk)
        dst.flush()
    dst.seek(0)


def open_copy(path: Path, target: IO[bytes], prompt: SecretPrompt) -> OpenedPdf:
    """Copy the input at ``path`` into ``target`` (a read-write file) and open
    that copy for an update written in place: the input itself is only read,
    once, and pyHanko never holds the document in memory."""
    from pyhanko.pdf_utils.misc import PdfError

    from signing.pdf.metadata import MetadataKeepingWriter

    pdf_limits.install()
    pdf_crypt.install()  # (revision 5 AES-256 files)
    with _open_binary(path) as src:
        size = sniff(path, src)
        copy_stream(src, target, size)
    try:
        # (the Info and XMP metadata stay in step: PDF/A in, PDF/A out)
        writer = MetadataKeepingWriter(target, strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise _damaged(path, exc) from None
    if writer.prev.encrypted:
        _authenticate(path, writer, prompt)
    return OpenedPdf(path=path, stream=target, writer=writer, size=size)


@contextlib.contextmanager
def opened_pdf(
    path: Path, prompt: SecretPrompt, *, authenticate: bool = True
) -> Iterator[OpenedPdf]:
    doc = open_pdf(path, prompt, authenticate=authenticate)
    try:
        yield doc
    finally:
        doc.stream.close()


def signature_fields(reader: Any) -> dict[str, bool]:
    """Field name -> already signed, for every signature field."""
    from pyhanko.sign.fields import enumerate_sig_fields

    return {
        str(name): value is not None
        for name, value, _ref in enumerate_sig_fields(reader, filled_status=None)
    }


def check_existing_field(path: Path, reader: Any, name: str) -> None:
    fields = signature_fields(reader)
    if name not in fields:
        known = ", ".join(sorted(fields)) or "none"
        raise FieldNotFoundError(
            f"{path.name} has no signature field named {name!r} (fields: {known}).",
            ja=f"{path.name}には「{name}」という署名フィールドがありません"
            f"（フィールド: {'、'.join(sorted(fields)) or 'なし'}）。",
        )
    if fields[name]:
        raise FieldInUseError(
            f"The signature field {name!r} in {path.name} is already signed.",
            ja=f"{path.name}の署名フィールド「{name}」はすでに署名されています。",
        )


def new_field_name(reader: Any, prefix: str = "Signature") -> str:
    """A field name not used yet in the document."""
    existing = set(signature_fields(reader))
    n = 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


@dataclass(frozen=True)
class SignatureFieldInfo:
    """A signature field as the GUI shows it."""

    name: str
    #: 1-based page of the field's widget (0 when it has no page)
    page: int
    #: (x1, y1, x2, y2) in PDF points from the page's lower-left corner;
    #: all zero for an invisible field
    box: tuple[float, float, float, float]
    signed: bool


def _page_numbers(reader: Any) -> dict[int, int]:
    """Object number of each page -> its 1-based number."""
    from signing.pdf.pages import iter_pages

    return {idnum: n for n, (idnum, _page) in enumerate(iter_pages(reader), start=1)}


def field_widget(field: Any) -> Any:
    """The widget of a signature field (the field itself, or its first kid)."""
    if "/Rect" not in field and "/Kids" in field:
        return field["/Kids"][0].get_object()
    return field


def list_signature_fields(
    path: Path, prompt: SecretPrompt | None = None
) -> list[SignatureFieldInfo]:
    """Every signature field of ``path``, signed or not, with its place."""
    from signing.secrets import NoSecret

    with opened_pdf(path, prompt or NoSecret()) as doc:
        return field_places(doc.reader)


def field_places(reader: Any) -> list[SignatureFieldInfo]:
    """Every signature field of an open document, with its page and box."""
    from pyhanko.sign.fields import enumerate_sig_fields

    pages = _page_numbers(reader)
    out = []
    for name, value, ref in enumerate_sig_fields(reader, filled_status=None):
        widget = field_widget(ref.get_object())
        rect = widget.get("/Rect")
        box = (0.0, 0.0, 0.0, 0.0)
        if rect is not None:
            x1, y1, x2, y2 = (float(v) for v in rect)
            box = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        page_ref = widget.raw_get("/P") if "/P" in widget else None
        page = pages.get(getattr(page_ref, "idnum", -1), 0)
        out.append(SignatureFieldInfo(name=str(name), page=page, box=box, signed=value is not None))
    return out


#: what pyHanko and the standard library raise on a damaged or unusual PDF
#: (or odd values from it) while a document is signed or extended
_LIBRARY_ERRORS: tuple[type[BaseException], ...] = (
    KeyError,
    TypeError,
    ValueError,
    IndexError,
    AssertionError,
    UnicodeError,
    OverflowError,
)


@contextlib.contextmanager
def as_document_error(path: Path, doing: str = "sign") -> Iterator[None]:
    """Library errors from a damaged or unusual PDF become the user's error
    (:class:`DocumentError`, naming the file); the core's own pass through."""
    from pyhanko.pdf_utils.misc import PdfError

    caught: tuple[type[BaseException], ...] = (PdfError, *_LIBRARY_ERRORS)
    try:
        yield
    except ShomeiError:
        raise
    except zlib.error as exc:
        raise DocumentError(
            f"{path.name} has a damaged compressed (Flate) stream that Shomei must read to "
            f"{doing} it ({exc}); repair the file (e.g. re-save or print it to PDF) and try again.",
            ja=f"{path.name}には壊れた圧縮（Flate）ストリームがあり、処理できません（{exc}）。"
            "ファイルを修復してから（保存し直す、PDFに印刷するなど）もう一度お試しください。",
        ) from exc
    except caught as exc:
        # (an exception's name says nothing to a user: the log keeps it, chained)
        missing = _missing_entry(exc)
        detail = f" ({missing[0]})" if missing else f" ({exc})" if str(exc) else ""
        raise DocumentError(
            f"{path.name} is damaged or uses a structure Shomei cannot {doing}{detail}.",
            # (the library's words, an exception's name among them, stay out of it)
            ja=f"{path.name}は壊れているか、Shomeiが処理できない構造です。",
        ) from exc
