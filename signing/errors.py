"""One exception hierarchy for everything the core can tell a user.

Every message is written for the person in front of the screen: it says what
went wrong and, where possible, what to do about it. Library exceptions are
wrapped at the core's boundary; callers match on the class, never on text.
"""

from __future__ import annotations


class ShomeiError(Exception):
    """Root of every error the core raises on purpose."""

    #: stable machine-readable code, used by ``--json`` and the GUI
    code = "error"

    def __init__(
        self,
        message: str,
        *,
        ja: str | None = None,
        cli_hint: str = "",
        cli_hint_ja: str = "",
        app_hint: str = "",
        app_hint_ja: str = "",
        technical: str | None = None,
    ) -> None:
        # The "where to fix it" part differs by front end (a CLI flag, a
        # settings page), so it is kept apart from the sentence itself. Hints
        # are appended verbatim: each carries its own leading space or "; ".
        full = message + cli_hint
        super().__init__(full)
        #: what the CLI prints (English): the sentence and the CLI hint
        self.message = full
        self._en = message
        self._ja = ja
        self._hints = {
            ("cli", "en"): cli_hint,
            ("cli", "ja"): cli_hint_ja,
            ("app", "en"): app_hint,
            ("app", "ja"): app_hint_ja,
        }
        #: a library's own words on the failure (English): never part of the
        #: sentence in either language; shown by ``--verbose``, the log and the
        #: app's collapsed details
        self.technical = technical

    def __str__(self) -> str:
        return self.message

    def text(self, lang: str = "en", front: str = "cli") -> str:
        """The message for ``front`` ("cli" or "app") in ``lang`` ("en" or
        "ja"); English when no Japanese text was given."""
        if lang == "ja" and self._ja is not None:
            return self._ja + self._hints[(front, "ja")]
        return self._en + self._hints[(front, "en")]


class UserCancelled(ShomeiError):
    """The user cancelled a prompt or a running job."""

    code = "cancelled"

    def __init__(self, message: str = "Cancelled.", *, ja: str | None = None) -> None:
        if ja is None and message == "Cancelled.":
            ja = "中止しました。"
        super().__init__(message, ja=ja)


class NoSecretError(UserCancelled):
    """A password, PIN or one-time password was needed and none could be
    used: no terminal to ask on, or a scripted answer was refused. Not a
    cancel by the user (the CLI exits 1, not 130), but callers that turn a
    cancelled prompt into their own error still do."""

    code = "no-secret"


# --- input documents -------------------------------------------------------


class DocumentError(ShomeiError):
    """The input document cannot be used."""

    code = "document"


class NotAPdfError(DocumentError):
    code = "not-a-pdf"


class TruncatedPdfError(DocumentError):
    code = "truncated-pdf"


class EncryptedPdfError(DocumentError):
    """Encrypted and no (or a wrong) password was given."""

    code = "encrypted-pdf"


class FieldNotFoundError(DocumentError):
    code = "field-not-found"


class FieldInUseError(DocumentError):
    code = "field-in-use"


# --- keys and certificates -------------------------------------------------


class KeyError_(ShomeiError):
    """A key could not be opened or used (named with a trailing underscore so
    it never shadows the built-in KeyError)."""

    code = "key"


class WrongPasswordError(KeyError_):
    code = "wrong-password"


class KeyFileError(KeyError_):
    code = "key-file"


class TokenError(KeyError_):
    """PKCS#11 module, slot or token trouble."""

    code = "token"


class PinError(TokenError):
    """A PIN was refused. ``tries_left`` is set when the token tells."""

    code = "pin"

    def __init__(
        self, message: str, *, tries_left: int | None = None, ja: str | None = None
    ) -> None:
        super().__init__(message, ja=ja)
        self.tries_left = tries_left


class PinLockedError(PinError):
    code = "pin-locked"


class TokenModuleError(TokenError):
    """The PKCS#11 module (middleware library) cannot be loaded or used."""

    code = "token-module"


class TokenNotFoundError(TokenError):
    """No token (card) is present, or none matches what was asked for."""

    code = "token-not-found"


class TokenRemovedError(TokenError):
    """The token was removed or stopped answering while in use."""

    code = "token-removed"


class TokenKeyNotFoundError(TokenError):
    """The token holds no usable signing key with a matching certificate."""

    code = "token-key-not-found"


class KeyCertificateMismatchError(TokenError):
    """The private key on the token does not belong to the chosen certificate."""

    code = "key-certificate-mismatch"


class AmbiguousKeyError(TokenError):
    """Several keys on the token fit; the user must pick one.

    ``candidates`` holds one :class:`signing.keys.pkcs11_tokens.KeyInfo`
    (or similar description) per key that fits.
    """

    code = "ambiguous-key"

    def __init__(
        self, message: str, candidates: tuple[object, ...] = (), *, ja: str | None = None
    ) -> None:
        super().__init__(message, ja=ja)
        self.candidates = candidates


class RemoteSigningError(KeyError_):
    code = "remote-signing"


class RemoteServiceUnavailableError(RemoteSigningError):
    """The remote signing service cannot be reached or did not answer in time."""

    code = "remote-unavailable"


class RemoteAuthenticationError(RemoteSigningError):
    """The service refused our access token or client credentials (HTTP 401/403)."""

    code = "remote-authentication"


class RemoteCredentialNotFoundError(RemoteSigningError):
    """The service has no signing credential with the given identifier."""

    code = "remote-credential-not-found"


class RemoteAuthorisationError(RemoteSigningError):
    """The service refused to authorise the signature (wrong PIN or OTP)."""

    code = "remote-authorisation"


class CertificateError(ShomeiError):
    """The signer's certificate cannot be used for this signature."""

    code = "certificate"


class CertificateExpiredError(CertificateError):
    code = "certificate-expired"


class CertificateRevokedError(CertificateError):
    code = "certificate-revoked"


class CertificateUntrustedError(CertificateError):
    code = "certificate-untrusted"


# --- network services ------------------------------------------------------


class ServiceError(ShomeiError):
    """A remote service (TSA, OCSP, CRL, trusted list) failed."""

    code = "service"


class TimestampError(ServiceError):
    code = "timestamp"


class RevocationFetchError(ServiceError):
    code = "revocation-fetch"


# --- output and local state ------------------------------------------------


class OutputError(ShomeiError):
    """The result cannot be written where the user asked."""

    code = "output"


class SigningError(ShomeiError):
    """Signing failed for a reason not covered above."""

    code = "signing"


class LevelNotReachedError(SigningError):
    """The output, read back, is not at the PAdES level that was asked for
    (no timestamp, no revocation data for a certificate); nothing was saved."""

    code = "level-not-reached"


class AppearanceError(SigningError):
    """The visible signature's appearance cannot be built: a template with an
    unknown placeholder, an unreadable image, a missing font."""

    code = "appearance"


class ValidationError(ShomeiError):
    """The validation machinery itself failed (not: the signature is bad;
    a bad signature is a verdict, not an exception)."""

    code = "validation"


class TrustListError(ShomeiError):
    code = "trust-list"


class SettingsError(ShomeiError):
    code = "settings"
