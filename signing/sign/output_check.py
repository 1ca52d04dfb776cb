"""Check a freshly written output before reporting success: each signature
(or document timestamp) the update added is intact, each covers its revision
whole, and the last one covers the whole file, so nothing was cut or appended
on the way to disk.

The check reads the file back from disk but does not go through pyHanko's
object parser for the signatures: that parser reads the reserved
``/Contents`` hex string token by token, which cost more than signing itself.
The byte ranges are read from the bytes the update appended, where pyHanko
writes each signature dictionary as a plain (never compressed) object.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from signing.errors import SigningError

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_CHUNK = 1 << 20


class _FileView:
    """Slices of an open file, read with ``pread`` (no mmap: mapped pages of a
    100 MiB output would count against the process's resident memory)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def __getitem__(self, item: slice) -> bytes:
        start, stop = int(item.start), int(item.stop)
        parts = []
        while start < stop:
            chunk = os.pread(self._fd, min(stop - start, _CHUNK), start)
            if not chunk:
                break
            parts.append(chunk)
            start += len(chunk)
        return b"".join(parts)


@dataclass(frozen=True)
class _Found:
    byte_range: tuple[int, int, int, int]
    cms: Any  # asn1crypto cms.ContentInfo


class InputDigest:
    """The hash of the input's bytes, computed in a background thread while
    pyHanko signs its copy. The check then hashes only what the update
    appended, continuing from this state: the output verifies only if it is
    exactly the input followed by the update, which is the point."""

    def __init__(self, path: Path, size: int, algorithm: str = "sha256") -> None:
        self.size = size
        self.algorithm = algorithm
        self._hash: Any = None
        self._thread = threading.Thread(
            target=self._run, args=(path,), name="input-digest", daemon=True
        )
        self._thread.start()

    def _run(self, path: Path) -> None:
        h = hashlib.new(self.algorithm)
        try:
            with path.open("rb") as f:
                left = self.size
                while left > 0:
                    chunk = f.read(min(left, _CHUNK))
                    if not chunk:
                        return
                    h.update(chunk)
                    left -= len(chunk)
        except OSError:
            return
        self._hash = h

    def state(self, algorithm: str) -> Any:
        """A copy of the hash state, or None when it cannot serve."""
        self._thread.join()
        if algorithm != self.algorithm or self._hash is None:
            return None
        return self._hash.copy()


def _digest(
    view: Any,
    byte_range: tuple[int, int, int, int],
    algorithm: str,
    prefix: InputDigest | None = None,
) -> bytes:
    start1, len1, start2, len2 = byte_range
    h = None
    if prefix is not None and start1 == 0 and len1 >= prefix.size:
        h = prefix.state(algorithm)
        if h is not None:
            start1, len1 = prefix.size, len1 - prefix.size
    if h is None:
        h = hashlib.new(algorithm)
    for start, length in ((start1, len1), (start2, len2)):
        for pos in range(start, start + length, _CHUNK):
            h.update(view[pos : min(pos + _CHUNK, start + length)])
    digest: bytes = h.digest()
    return digest


def _find_signatures(view: _FileView, size: int, after: int) -> list[_Found]:
    from asn1crypto import cms

    found = []
    for m in _BYTE_RANGE.finditer(view[after:size]):
        br = (int(m[1]), int(m[2]), int(m[3]), int(m[4]))
        start1, len1, start2, len2 = br
        if start1 != 0 or start2 <= len1 or start2 + len2 > size:
            raise SigningError(
                "A signature just written has a malformed byte range.",
                ja="書き込んだ署名のバイト範囲が不正です。",
            )
        if view[len1 : len1 + 1] != b"<" or view[start2 - 1 : start2] != b">":
            raise SigningError(
                "A signature just written does not sit where its range says.",
                ja="書き込んだ署名がバイト範囲の示す位置にありません。",
            )
        # The reserved space is zero-padded after the DER; strict=False lets
        # asn1crypto stop at the end of the structure.
        hex_text = bytes(view[len1 + 1 : start2 - 1])
        try:
            info = cms.ContentInfo.load(bytes.fromhex(hex_text.decode("ascii")), strict=False)
            info["content"]["signer_infos"][0]
        except (ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise SigningError(
                "A signature just written cannot be read back.",
                ja="書き込んだ署名を読み戻せません。",
            ) from None
        found.append(_Found(br, info))
    return found


def signer_certificate(
    signed_data: Any, signer_info: Any, known: dict[bytes, Any] | None = None
) -> Any:
    """The certificate a CMS SignerInfo names, from the SignedData's own."""
    known = known or {}
    sid = signer_info["sid"]
    for choice in signed_data["certificates"] or ():
        # The caller's own object for the same certificate, when it has one:
        # it keeps asn1crypto's prepared names from one check to the next.
        cert = known.get(choice.chosen.dump(), choice.chosen)
        if sid.name == "issuer_and_serial_number":
            issuer = sid.chosen["issuer"]
            # Compare the encodings first: asn1crypto's Name equality runs
            # LDAP string preparation, which costs a millisecond per call.
            if cert.serial_number == sid.chosen["serial_number"].native and (
                cert.issuer.dump() == issuer.dump() or cert.issuer == issuer
            ):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise SigningError(
        "A signature just written lacks its signer's certificate.",
        ja="書き込んだ署名に署名者の証明書が含まれていません。",
    )


def _intact(
    view: Any,
    found: _Found,
    prefix: InputDigest | None = None,
    known: dict[bytes, Any] | None = None,
) -> bool:
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    signed_data = found.cms["content"]
    signer_info = signed_data["signer_infos"][0]
    eci = signed_data["encap_content_info"]
    content_type = eci["content_type"].native
    if content_type == "tst_info":
        # A document timestamp: the token signs the TSTInfo, whose message
        # imprint is the document's hash.
        imprint = eci["content"].parsed["message_imprint"]
        md = imprint["hash_algorithm"]["algorithm"].native
        if imprint["hashed_message"].native != _digest(view, found.byte_range, md, prefix):
            return False
        md_cms = signer_info["digest_algorithm"]["algorithm"].native
        digest = hashlib.new(md_cms, bytes(eci["content"].contents)).digest()
    else:
        md = signer_info["digest_algorithm"]["algorithm"].native
        digest = _digest(view, found.byte_range, md, prefix)
    intact, valid = validate_sig_integrity(
        signer_info,
        signer_certificate(signed_data, signer_info, known),
        expected_content_type=content_type,
        actual_digest=digest,
    )
    return bool(intact and valid)


def _covers_revision(view: Any, found: _Found) -> bool:
    _, _, start2, len2 = found.byte_range
    tail = bytes(view[max(0, start2 + len2 - 32) : start2 + len2])
    return tail.rstrip().endswith(b"%%EOF")


def verify_update(
    stream: IO[bytes],
    *,
    appended_after: int,
    expected: int,
    prefix: InputDigest | None = None,
    known_certs: Sequence[Any] = (),
) -> None:
    """Check the signatures appended after byte ``appended_after`` of the
    file open (read-write) on ``stream``: exactly ``expected`` of them, each
    intact and covering its revision, the last one covering the whole file.
    Raise :class:`SigningError` otherwise."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    stream.flush()
    stream.seek(0)
    try:
        # The file must still open as a PDF (cross-reference sections intact).
        PdfFileReader(stream, strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise SigningError(
            f"The written file does not read back as a PDF ({exc}).",
            ja="書き込んだファイルをPDFとして読み戻せません。",
        ) from None
    size = stream.seek(0, 2)
    view = _FileView(stream.fileno())
    found = _find_signatures(view, size, appended_after)
    if len(found) != expected:
        raise SigningError(
            f"The written file holds {len(found)} new signature(s), not {expected}; "
            "nothing was saved.",
            ja=f"書き込んだファイルの新しい署名は{len(found)}個で、{expected}個ではありません。"
            "何も保存されていません。",
        )
    known = {c.dump(): c for c in known_certs}
    for item in found:
        if not _intact(view, item, prefix, known):
            raise SigningError(
                "A signature just written does not verify; nothing was saved.",
                ja="書き込んだ署名を検証できません。何も保存されていません。",
            )
        if not _covers_revision(view, item):
            raise SigningError(
                "A signature just written does not cover its revision.",
                ja="書き込んだ署名がその版全体を対象にしていません。",
            )
    _, _, start2, len2 = found[-1].byte_range
    if start2 + len2 != size:
        raise SigningError(
            "The written file has data after its last signature; nothing was saved.",
            ja="書き込んだファイルの最後の署名の後にデータがあります。何も保存されていません。",
        )
    stream.seek(0)


def _intact_embedded(sig: Any) -> bool:
    """pyHanko's view of an embedded signature: digest and signature hold."""
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    eci = sig.signed_data["encap_content_info"]
    content_type = eci["content_type"].native
    if content_type == "tst_info":
        imprint = eci["content"].parsed["message_imprint"]["hashed_message"].native
        if imprint != sig.compute_digest():
            return False
        digest = hashlib.new(sig.md_algorithm, bytes(eci["content"].contents)).digest()
    else:
        digest = sig.compute_digest()
    intact, valid = validate_sig_integrity(
        sig.signer_info, sig.signer_cert, expected_content_type=content_type, actual_digest=digest
    )
    return bool(intact and valid)


def verify_signatures_intact(stream: IO[bytes], expected: int, credential: Any = None) -> None:
    """After an update that adds no signature (a DSS revision): every one of
    the ``expected`` earlier signatures is still there and intact."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    stream.flush()
    stream.seek(0)
    reader = PdfFileReader(stream, strict=False)
    if reader.encrypted and credential is not None:
        reader.security_handler.authenticate(credential)
    sigs = reader.embedded_signatures
    if len(sigs) != expected or not all(_intact_embedded(s) for s in sigs):
        raise SigningError(
            "The written file's signatures do not verify; nothing was saved.",
            ja="書き込んだファイルの署名を検証できません。何も保存されていません。",
        )
    stream.seek(0)
