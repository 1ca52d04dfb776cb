"""The signed version of a document: the bytes one signature (or document
timestamp) covers, from the file's start to the end of its /ByteRange, which
is the revision the signer saw. The viewer renders them as a document of
their own ("View signed version") and compares them with the current file.

The file is only read; the byte range must pass the same structural checks
as in validation (:func:`signing.validation.hostile.check_signature_dictionary`)
before any byte of it is handed out, so a forged range never selects bytes
the signature does not cover.
"""

from __future__ import annotations

import time
from pathlib import Path

from signing.errors import DocumentError
from signing.pdf import limits as pdf_limits

#: the largest signed revision handed out (it is rendered from memory)
MAX_REVISION_BYTES = 512 * 1024**2
#: how long reading the file's structure may take
DEADLINE_S = 20.0


def signed_revision(
    path: Path | str, field_name: str, max_bytes: int = MAX_REVISION_BYTES
) -> bytes:
    """The bytes the signature in field ``field_name`` of ``path`` covers:
    the file up to the end of its /ByteRange (the signature value inside it
    included, as it was written). Raises :class:`DocumentError` when the
    field is not a signed field of the file or its byte range is unsound."""
    from pyhanko.sign.fields import enumerate_sig_fields

    from signing.validation.hostile import Unreadable, check_signature_dictionary, open_reader

    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        fh = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise DocumentError(
            f"{name} cannot be read: {exc.strerror or exc}.",
            ja=f"{name}を読み込めません：{exc.strerror or exc}。",
        ) from exc
    with fh, pdf_limits.bounded(time.monotonic() + DEADLINE_S):
        try:
            reader, _lenient = open_reader(fh, size)
            found = [
                sig_ref.get_object()
                for fq_name, sig_ref, _field in enumerate_sig_fields(reader, filled_status=True)
                if str(fq_name) == field_name
            ]
        except Unreadable as exc:
            raise DocumentError(
                f"{name} cannot be read as a PDF: {exc.problem.detail}",
                ja=f"{name}を PDF として読み込めません：{exc.problem.detail}",
            ) from exc
        except Exception as exc:  # a hostile structure: no signed version to show
            raise _unsound(name, field_name) from exc
        if not found:
            raise DocumentError(
                f"{name} has no signed field named {field_name!r}.",
                ja=f"{name}には署名済みのフィールド「{field_name}」がありません。",
            )
        sig_obj = found[0]
        try:
            problem = check_signature_dictionary(sig_obj, fh, size)
        except Exception as exc:
            raise _unsound(name, field_name) from exc
        if problem is not None:
            raise _unsound(name, field_name, problem.detail)
        _start1, _len1, start2, len2 = (int(x) for x in sig_obj.raw_get("/ByteRange"))
        end = start2 + len2
        if end > max_bytes:
            raise DocumentError(
                f"The signed version in {name} is {end // 1024**2} MiB: too large to show "
                f"(at most {max_bytes // 1024**2} MiB).",
                ja=f"{name}の署名された版は {end // 1024**2} MiB あり、表示できる大きさ"
                f"（{max_bytes // 1024**2} MiB まで）を超えています。",
            )
        fh.seek(0)
        data = fh.read(end)
    if len(data) != end:  # (the file shrank meanwhile)
        raise _unsound(name, field_name)
    return data


def _unsound(name: str, field_name: str, detail: str = "") -> DocumentError:
    more = f" ({detail})" if detail else ""
    return DocumentError(
        f"The signature {field_name!r} in {name} does not say soundly which bytes it "
        f"covers{more}: there is no signed version to show.",
        ja=f"{name}の署名「{field_name}」は対象のバイト範囲が正しくないため、"
        f"署名された版を表示できません{more}。",
    )
