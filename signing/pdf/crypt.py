"""Encrypted PDFs of revision 5 (AES-256 as Acrobat 9 wrote it), opened as
readers open them.

pyHanko knows the standard security handler's revisions 2 to 4 and 6. It
reads ``/R 5`` as "a later revision" and checks the password with revision
6's hash, so no password opens such a file, not even an empty one: it was
"password-protected and no password was given". Revision 5 (Adobe
Supplement to ISO 32000, extension level 3, algorithm 3.2a) differs from
revision 6 in that hash only (one SHA-256 where 6 iterates); the file key
(decrypted from /UE or /OE), the crypt filters (AESV3) and the objects are
the same, so once the key is known pyHanko reads and updates the file as
it does revision 6. ISO 32000-2 deprecates revision 5: nothing here writes
it.

The same handler reads a ``/V 4`` dictionary without ``/Length`` as 128-bit
(what its crypt filters define), as other readers do.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from signing import thirdparty_internals as internals

__all__ = ["install", "unlock_r5"]


def _sha256(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def _aes_cbc_no_iv(key: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def unlock_r5(
    password: bytes, odata: bytes, udata: bytes, oe: bytes, ue: bytes
) -> tuple[str | None, bytes | None]:
    """``("owner" | "user", file key)`` when ``password`` (UTF-8, already
    normalised) opens a revision 5 file; ``(None, None)`` otherwise."""
    o, u = odata[:48], udata[:48]
    if len(o) < 48 or len(u) < 48 or len(oe) < 32 or len(ue) < 32:
        return None, None
    if _sha256(password, o[32:40], u) == o[:32]:
        return "owner", _aes_cbc_no_iv(_sha256(password, o[40:48], u), oe[:32])
    if _sha256(password, u[32:40]) == u[:32]:
        return "user", _aes_cbc_no_iv(_sha256(password, u[40:48]), ue[:32])
    return None, None


class _Handler(internals.StandardHandlerWithRevisionHook):  # type: ignore[misc, name-defined]
    """pyHanko's standard handler, revision 5 unlocked with its own hash."""

    def unlock_revision_hook(
        self, revision: Any, password: bytes
    ) -> tuple[str | None, bytes | None]:
        return unlock_r5(password, self.odata, self.udata, self.oeseed or b"", self.ueseed or b"")

    @classmethod
    def gather_encryption_metadata(cls, encrypt_dict: Any) -> dict[str, Any]:
        meta: dict[str, Any] = super().gather_encryption_metadata(encrypt_dict)
        # ISO 32000-1 (table 20) gives /Length, default 40, for /V 2 and 3
        # only; with /V 4 the crypt filters (AESV2, 128 bits) define the key,
        # and qpdf, poppler and pdf.js open a /V 4 file without /Length so.
        # pyHanko took 40 bits: the empty user password "failed".
        if encrypt_dict.get("/V") == 4 and "/Length" not in encrypt_dict:
            meta["legacy_keylen"] = 16
        return meta


_lock = threading.Lock()


def install() -> None:
    """Make :class:`_Handler` pyHanko's handler for ``/Filter /Standard``
    (idempotent)."""
    with _lock:
        internals.register_standard_handler(_Handler)
