"""How the core asks for passwords and PINs without knowing who answers.

The CLI answers from a prompt, a file or the environment; the GUI from a
dialog; tests from a fixed value. Answers are used immediately and dropped:
nothing here stores or logs them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

from signing.errors import NoSecretError


class SecretKind(enum.Enum):
    KEY_PASSWORD = "key-password"  # PKCS#12 file password
    PIN = "pin"  # token user PIN
    SIGNATURE_PIN = "signature-pin"  # context-specific login, once per signature
    PDF_PASSWORD = "pdf-password"  # to open an encrypted PDF
    OTP = "otp"  # remote signing one-time password
    PROXY_PASSWORD = "proxy-password"


#: the secrets' names in Japanese (for errors; the English is the value)
_KIND_JA = {
    "key-password": "鍵ファイルのパスワード",
    "pin": "PIN",
    "signature-pin": "署名用PIN",
    "pdf-password": "PDFのパスワード",
    "otp": "ワンタイムパスワード",
    "proxy-password": "プロキシのパスワード",
}


class PinState(enum.Enum):
    """What a token says about its PIN, shown beside the prompt."""

    OK = "ok"
    COUNT_LOW = "count-low"
    FINAL_TRY = "final-try"
    LOCKED = "locked"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SecretRequest:
    kind: SecretKind
    #: what the secret unlocks, e.g. the file name or the token label
    target: str
    #: set when an earlier answer was refused
    retry: bool = False
    pin_state: PinState = PinState.UNKNOWN
    #: tries left, when the token tells
    tries_left: int | None = None
    min_length: int | None = None
    max_length: int | None = None


class SecretPrompt(Protocol):
    def ask(self, request: SecretRequest) -> str:
        """Return the secret, or raise :class:`UserCancelled`."""
        ...


class FixedSecret:
    """Answers every request with one value (scripts: env var or file)."""

    def __init__(self, value: str) -> None:
        self._value = value

    def ask(self, request: SecretRequest) -> str:
        if request.retry:
            # A fixed answer that was refused once will be refused again.
            raise NoSecretError(
                "The password given was refused.", ja="指定されたパスワードは拒否されました。"
            )
        return self._value


class NoSecret:
    """For non-interactive runs where no secret may be asked."""

    def ask(self, request: SecretRequest) -> str:
        raise NoSecretError(
            f"A {request.kind.value} is needed for {request.target}, "
            "but no way to ask for it was given.",
            ja=f"{request.target}には{_KIND_JA.get(request.kind.value, request.kind.value)}が"
            "必要ですが、入力を求める手段がありません。",
        )
