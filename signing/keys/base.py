"""The key-source interface the signing pipeline depends on."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from signing.secrets import SecretPrompt

if TYPE_CHECKING:
    from pyhanko.sign.signers.pdf_cms import Signer


class KeySource(Protocol):
    """Something that can produce a pyHanko signer for one or more signatures.

    ``open`` returns a context manager: the key stays unlocked (token session,
    parsed private key) only inside it, so a batch can sign many documents
    with one PIN entry and nothing outlives the batch.
    """

    def describe(self) -> str:
        """Short human description, e.g. 'PKCS#12 file alice.p12'."""
        ...

    def open(self, prompt: SecretPrompt) -> AbstractContextManager[Signer]: ...
