"""Slots, tokens, PINs and key/certificate pairs on PKCS#11 tokens.

The GUI lists tokens with :func:`list_tokens` and their keys with
:func:`list_keys`; the key source uses the same helpers to log in and to pick
the signing key. Every PKCS#11 exception is turned into a
:class:`~signing.errors.TokenError` subclass here, so nothing raw escapes.

Some cards (the JPKI My Number card among them) show the signing certificate
only after the PIN was given, so key listing logs in first when a prompt is
given and reads objects afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import core, x509
from pkcs11 import Attribute, KeyType, ObjectClass, TokenFlag

from ..errors import (
    AmbiguousKeyError,
    KeyCertificateMismatchError,
    PinError,
    PinLockedError,
    ShomeiError,
    TokenError,
    TokenKeyNotFoundError,
    TokenModuleError,
    TokenNotFoundError,
    TokenRemovedError,
    UserCancelled,
)
from ..secrets import PinState, SecretKind, SecretPrompt, SecretRequest
from .base import CertificateSummary
from .cert_info import summarise_certificate

__all__ = [
    "KeyInfo",
    "TokenInfo",
    "close_quietly",
    "find_token",
    "list_all_tokens",
    "list_keys",
    "list_tokens",
    "load_module",
    "login",
    "scan_keys",
    "select_key",
    "token_lock",
    "wrap_pkcs11_error",
]

_REMOVED = (
    pkcs11.exceptions.TokenNotPresent,
    pkcs11.exceptions.DeviceRemoved,
    pkcs11.exceptions.SessionClosed,
    pkcs11.exceptions.SessionHandleInvalid,
    pkcs11.exceptions.TokenNotRecognised,
    pkcs11.exceptions.SlotIDInvalid,
    pkcs11.exceptions.DeviceError,
    # handles die with the token: after a removal (or a reset) they are invalid
    pkcs11.exceptions.ObjectHandleInvalid,
    pkcs11.exceptions.KeyHandleInvalid,
)


def pin_state_from_flags(flags: int) -> tuple[PinState, int | None]:
    """The PIN state and, where the flags imply it, the number of tries left."""
    if flags & TokenFlag.USER_PIN_LOCKED:
        return PinState.LOCKED, 0
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return PinState.FINAL_TRY, 1
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return PinState.COUNT_LOW, None
    return PinState.OK, None


def pin_state_sentence(state: PinState) -> str:
    return {
        PinState.COUNT_LOW: " The token reports that few PIN tries are left.",
        PinState.FINAL_TRY: " Only one try is left: a wrong PIN now locks the token.",
        PinState.LOCKED: " The PIN is locked.",
    }.get(state, "")


@dataclass(frozen=True)
class TokenInfo:
    """A token (card, HSM partition) present in a slot."""

    module: Path
    slot_id: int
    label: str
    manufacturer: str
    model: str
    #: the token's serial number as it reports it (usually hex or digits)
    serial: str
    pin_state: PinState
    #: tries left when the flags tell (1 on final try, 0 when locked)
    tries_left: int | None
    #: a PIN pad or biometric reader: the PIN is entered there, not asked by us
    protected_auth_path: bool
    login_required: bool
    pin_initialized: bool

    def describe(self) -> str:
        return f"token '{self.label}' (serial {self.serial}, {self.manufacturer})"


@dataclass(frozen=True)
class KeyInfo:
    """A certificate on a token and, when found, its private key."""

    token: TokenInfo
    certificate: CertificateSummary | None
    cert_der: bytes | None
    cert_label: str | None
    cert_id_hex: str | None
    #: None when no private key matching the certificate was seen (yet)
    key_id_hex: str | None
    key_label: str | None
    key_type: str | None  # "rsa", "ec", ...
    key_bits: int | None
    #: CKA_ALWAYS_AUTHENTICATE: every signature needs its own PIN entry
    always_authenticate: bool = False
    #: the certificate's CKA_ID names a private key whose public key differs
    mismatched_key_id_hex: str | None = None

    @property
    def has_private_key(self) -> bool:
        return self.key_id_hex is not None

    @property
    def non_repudiation(self) -> bool:
        return self.certificate is not None and "non_repudiation" in self.certificate.key_usage

    @property
    def digital_signature(self) -> bool:
        return self.certificate is not None and "digital_signature" in self.certificate.key_usage

    def describe(self) -> str:
        who = self.certificate.subject if self.certificate else (self.key_label or "?")
        fp = self.certificate.sha256_hex[:16] if self.certificate else "-"
        kid = self.key_id_hex or self.cert_id_hex or "-"
        return f"{who} [key-id {kid}, cert {fp}…] on {self.token.describe()}"

    def spec(self) -> str:
        """A ``pkcs11:`` key spec that selects exactly this key."""
        from urllib.parse import quote

        parts = [f"module={quote(str(self.token.module), safe='/')}"]
        parts.append(f"serial={quote(self.token.serial, safe='')}")
        if self.certificate is not None:
            parts.append(f"cert={self.certificate.sha256_hex}")
        elif self.key_id_hex:
            parts.append(f"key-id={self.key_id_hex}")
        return "pkcs11:" + ";".join(parts)


# --- locks: one job at a time per token ------------------------------------

_LOCKS: dict[tuple[str, str], threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def token_lock(token: TokenInfo) -> threading.RLock:
    """The lock serialising all work on one token (module + serial)."""
    key = (str(token.module.resolve()), token.serial or token.label)
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = threading.RLock()
        return lock


# --- errors ----------------------------------------------------------------


def wrap_pkcs11_error(exc: BaseException, what: str) -> ShomeiError:
    """A user-facing error for a PKCS#11 exception raised while using ``what``."""
    if isinstance(exc, ShomeiError):
        return exc
    name = type(exc).__name__
    if isinstance(exc, pkcs11.exceptions.PinLocked):
        return PinLockedError(
            f"The PIN of {what} is locked; unblock it with the PUK.", tries_left=0
        )
    if isinstance(exc, pkcs11.exceptions.PinIncorrect | pkcs11.exceptions.PinLenRange):
        return PinError(f"Wrong PIN for {what}.")
    if isinstance(exc, pkcs11.exceptions.PinExpired):
        return PinError(f"The PIN of {what} has expired; change it with the card's tool first.")
    if isinstance(exc, pkcs11.exceptions.UserNotLoggedIn):
        return PinError(f"{what} needs a PIN for this operation.")
    if isinstance(exc, _REMOVED):
        return TokenRemovedError(
            f"{what} was removed or stopped answering ({name}). "
            "Insert it again and retry; nothing was written."
        )
    if isinstance(exc, pkcs11.exceptions.FunctionCancelled):
        return UserCancelled(f"The operation on {what} was cancelled.")
    if isinstance(exc, pkcs11.exceptions.MechanismInvalid):
        return TokenError(f"{what} does not support the signature mechanism asked for ({name}).")
    return TokenError(f"{what} reported an error: {name} {exc}".strip())


# --- modules and tokens ----------------------------------------------------


def load_module(module: Path) -> Any:
    """Load (once per process) a PKCS#11 module; TokenModuleError if it fails."""
    path = Path(module)
    if not path.is_file():
        raise TokenModuleError(
            f"The PKCS#11 module {path} does not exist. Install the card's middleware "
            "(e.g. OpenSC) or give the module's path in the settings."
        )
    try:
        return pkcs11.lib(str(path))
    except (pkcs11.exceptions.PKCS11Error, OSError, RuntimeError) as exc:
        raise TokenModuleError(
            f"The PKCS#11 module {path} could not be loaded: {type(exc).__name__} {exc}".strip()
        ) from exc


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.rstrip(b"\0 ").decode("utf-8", "replace").strip()
    return str(value).strip()


def _token_info(module: Path, slot: Any, token: Any) -> TokenInfo:
    flags = int(token.flags)
    state, tries = pin_state_from_flags(flags)
    return TokenInfo(
        module=Path(module),
        slot_id=int(slot.slot_id),
        label=_text(token.label),
        manufacturer=_text(token.manufacturer_id),
        model=_text(token.model),
        serial=_text(token.serial),
        pin_state=state,
        tries_left=tries,
        protected_auth_path=bool(flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH),
        login_required=bool(flags & TokenFlag.LOGIN_REQUIRED),
        pin_initialized=bool(flags & TokenFlag.USER_PIN_INITIALIZED),
    )


def _tokens(module: Path) -> list[tuple[Any, TokenInfo]]:
    lib = load_module(module)
    out: list[tuple[Any, TokenInfo]] = []
    try:
        slots = lib.get_slots(token_present=True)
    except pkcs11.exceptions.PKCS11Error as exc:
        raise wrap_pkcs11_error(exc, f"the PKCS#11 module {module}") from exc
    for slot in slots:
        try:
            token = slot.get_token()
        except pkcs11.exceptions.PKCS11Error:
            continue  # removed between the two calls, or unreadable: not listed
        if not int(token.flags) & TokenFlag.TOKEN_INITIALIZED:
            continue  # an empty SoftHSM slot or a blank card
        out.append((token, _token_info(module, slot, token)))
    return out


def list_tokens(module: Path) -> list[TokenInfo]:
    """Every initialised token present in the module's slots."""
    return [info for _token, info in _tokens(module)]


def list_all_tokens(
    modules: Sequence[Path],
) -> tuple[list[TokenInfo], list[ShomeiError]]:
    """Tokens of every module, and the errors of modules that failed.

    One broken middleware must not hide the cards of the others: its error
    is returned beside the tokens found, for the GUI to show as a warning.
    """
    tokens: list[TokenInfo] = []
    errors: list[ShomeiError] = []
    for module in modules:
        try:
            tokens.extend(list_tokens(module))
        except ShomeiError as exc:
            errors.append(exc)
    return tokens, errors


def find_token(module: Path, ref: str | None = None) -> tuple[Any, TokenInfo]:
    """The token whose label or serial is ``ref`` (or the only token)."""
    tokens = _tokens(module)
    if ref is not None:
        tokens = [(t, i) for t, i in tokens if ref in (i.label, i.serial)]
    if len(tokens) == 1:
        return tokens[0]
    present = ", ".join(i.describe() for _t, i in _tokens(module)) or "none"
    if not tokens:
        wanted = f"matching '{ref}' " if ref is not None else ""
        raise TokenNotFoundError(
            f"No token {wanted}is present in {module}. Tokens present: {present}."
        )
    raise TokenNotFoundError(
        f"Several tokens are present in {module} ({present}); say which one by label or serial."
    )


def refresh_token_info(token: Any, info: TokenInfo) -> TokenInfo:
    try:
        fresh = token.slot.get_token()
    except pkcs11.exceptions.PKCS11Error as exc:
        raise wrap_pkcs11_error(exc, info.describe()) from exc
    return _token_info(info.module, token.slot, fresh)


def _wrong_pin(info: TokenInfo) -> PinError:
    msg = f"Wrong PIN for {info.describe()}." + pin_state_sentence(info.pin_state)
    if info.pin_state is PinState.LOCKED:
        return PinLockedError(msg + " Unblock it with the PUK.", tries_left=0)
    return PinError(msg, tries_left=info.tries_left)


def login(token: Any, info: TokenInfo, prompt: SecretPrompt) -> Any:
    """Open a session and log the user in; the PIN is dropped right after use.

    A PIN pad logs in without a PIN from us. A wrong PIN is asked again
    (``retry=True``, with the token's PIN state) until the prompt gives up,
    which raises :class:`PinError` with what the token says about tries left.
    """
    info = refresh_token_info(token, info)
    if info.pin_state is PinState.LOCKED:
        raise PinLockedError(
            f"The PIN of {info.describe()} is locked. Unblock it with the PUK "
            "(e.g. with the card issuer's tool) and try again.",
            tries_left=0,
        )
    if info.protected_auth_path:
        try:
            return token.open(user_pin=pkcs11.PROTECTED_AUTH)
        except pkcs11.exceptions.PKCS11Error as exc:
            raise wrap_pkcs11_error(exc, info.describe()) from exc
    retry = False
    while True:
        request = SecretRequest(
            kind=SecretKind.PIN,
            target=info.describe(),
            retry=retry,
            pin_state=info.pin_state,
            tries_left=info.tries_left,
        )
        try:
            pin = prompt.ask(request)
        except UserCancelled:
            if retry:
                raise _wrong_pin(info) from None
            raise
        try:
            return token.open(user_pin=pin)
        except (pkcs11.exceptions.PinIncorrect, pkcs11.exceptions.PinLenRange):
            info = refresh_token_info(token, info)
            if info.pin_state is PinState.LOCKED:
                raise _wrong_pin(info) from None
            retry = True
        except pkcs11.exceptions.UserAlreadyLoggedIn:
            # Another session of this process is logged in: the login is shared.
            return token.open()
        except pkcs11.exceptions.PKCS11Error as exc:
            raise wrap_pkcs11_error(exc, info.describe()) from exc
        finally:
            del pin


# --- objects ---------------------------------------------------------------


def _attr(obj: Any, attr: Attribute, default: Any = None) -> Any:
    try:
        return obj[attr]
    except (pkcs11.exceptions.PKCS11Error, KeyError, ValueError):
        return default


def _ec_point(raw: bytes) -> bytes:
    """CKA_EC_POINT is a DER OCTET STRING by the standard; some tokens give it bare."""
    try:
        inner = core.OctetString.load(raw).native
        if isinstance(inner, bytes) and inner[:1] == b"\x04":
            return inner
    except ValueError:
        pass
    return raw


def _cert_public_id(cert: x509.Certificate) -> tuple[str, Any] | None:
    pub = cert.public_key
    algo = pub.algorithm
    if algo in ("rsa", "rsassa_pss"):
        return ("rsa", pub["public_key"].parsed["modulus"].native)
    if algo == "ec":
        return ("ec", bytes(pub["public_key"].native))
    return None


@dataclass
class _Key:
    id: bytes
    label: str | None
    key_type: str | None
    public_id: tuple[str, Any] | None
    always_auth: bool
    bits: int | None


def _key_type_name(value: Any) -> str | None:
    if value == KeyType.RSA:
        return "rsa"
    if value == KeyType.EC:
        return "ec"
    if value is None:
        return None
    return str(getattr(value, "name", value)).lower()


def _read_keys(session: Any) -> list[_Key]:
    pub_points: dict[bytes, tuple[str, Any]] = {}
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.PUBLIC_KEY}):
        kid = bytes(_attr(obj, Attribute.ID, b"") or b"")
        point = _attr(obj, Attribute.EC_POINT)
        modulus = _attr(obj, Attribute.MODULUS)
        if point:
            pub_points[kid] = ("ec", _ec_point(bytes(point)))
        elif modulus:
            pub_points[kid] = ("rsa", int.from_bytes(bytes(modulus), "big"))
    keys: list[_Key] = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}):
        if _attr(obj, Attribute.SIGN, True) is False:
            continue
        kid = bytes(_attr(obj, Attribute.ID, b"") or b"")
        ktype = _key_type_name(_attr(obj, Attribute.KEY_TYPE))
        public_id: tuple[str, Any] | None = None
        bits: int | None = None
        modulus = _attr(obj, Attribute.MODULUS)
        if ktype == "rsa" and modulus:
            n = int.from_bytes(bytes(modulus), "big")
            public_id, bits = ("rsa", n), n.bit_length()
        elif kid in pub_points:
            public_id = pub_points[kid]
        keys.append(
            _Key(
                id=kid,
                label=_attr(obj, Attribute.LABEL),
                key_type=ktype,
                public_id=public_id,
                always_auth=bool(_attr(obj, Attribute.ALWAYS_AUTHENTICATE, False)),
                bits=bits,
            )
        )
    return keys


def scan_keys(session: Any, info: TokenInfo) -> list[KeyInfo]:
    """Certificates on the token, each with its private key when one matches.

    A key matches a certificate by its public key (RSA modulus, or the EC point
    of the public-key object with the key's CKA_ID); when the public key cannot
    be read, by CKA_ID alone. A certificate whose CKA_ID names a key with a
    different public key is reported as mismatched, not paired.
    """
    try:
        keys = _read_keys(session)
        certs = [
            (
                bytes(obj[Attribute.VALUE]),
                _attr(obj, Attribute.LABEL),
                bytes(_attr(obj, Attribute.ID, b"") or b""),
            )
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
        ]
    except pkcs11.exceptions.PKCS11Error as exc:
        raise wrap_pkcs11_error(exc, info.describe()) from exc

    out: list[KeyInfo] = []
    paired: set[bytes] = set()
    for der, label, cid in certs:
        try:
            cert = x509.Certificate.load(der)
            summary = summarise_certificate(cert)
            cert_pub = _cert_public_id(cert)
        except (ValueError, TypeError):
            continue  # not an X.509 certificate we can read
        match: _Key | None = None
        mismatched: _Key | None = None
        for key in keys:
            if key.public_id is not None and cert_pub is not None:
                if key.public_id == cert_pub:
                    match = key
                    break
                if cid and key.id == cid:
                    mismatched = key
            elif cid and key.id == cid:
                match = key
                break
        bits = match.bits if match else None
        if match is not None and bits is None and cert_pub is not None:
            bits = cert.public_key.bit_size
        if match is not None:
            paired.add(match.id)
        out.append(
            KeyInfo(
                token=info,
                certificate=summary,
                cert_der=der,
                cert_label=label,
                cert_id_hex=cid.hex() if cid else None,
                key_id_hex=match.id.hex() if match else None,
                key_label=match.label if match else None,
                key_type=match.key_type if match else None,
                key_bits=bits,
                always_authenticate=match.always_auth if match else False,
                mismatched_key_id_hex=mismatched.id.hex() if mismatched and not match else None,
            )
        )
    return out


def close_quietly(session: Any) -> None:
    """Close a session; if the token is gone the session went with it."""
    with suppress(pkcs11.exceptions.PKCS11Error):
        session.close()


@contextmanager
def _session(module: Path, token_info: TokenInfo, prompt: SecretPrompt | None) -> Iterator[Any]:
    token, info = find_token(module, token_info.serial or token_info.label)
    if prompt is None:
        try:
            session = token.open()
        except pkcs11.exceptions.PKCS11Error as exc:
            raise wrap_pkcs11_error(exc, info.describe()) from exc
    else:
        session = login(token, info, prompt)
    try:
        yield session
    finally:
        close_quietly(session)


def list_keys(module: Path, token: TokenInfo, prompt: SecretPrompt | None = None) -> list[KeyInfo]:
    """Certificates and keys on ``token``.

    Without a prompt only public objects are read: many tokens keep private
    keys (and some, like the JPKI card, even the signing certificate) behind
    the PIN, so those keys show ``has_private_key == False``. With a prompt the
    user logs in first, then everything is read.
    """
    with token_lock(token), _session(module, token, prompt) as session:
        return scan_keys(session, token)


def select_key(
    keys: list[KeyInfo],
    *,
    key_id: bytes | None = None,
    cert_sha256: str | None = None,
    label: str | None = None,
    what: str = "the token",
) -> KeyInfo:
    """Pick the signing key: by the caller's selector, else by purpose.

    Without a selector, certificates with nonRepudiation win (the signing key of
    an eID card, not its authentication key); among several that fit,
    :class:`AmbiguousKeyError` lists them so the user can choose.
    """
    chosen = keys
    selected = key_id is not None or cert_sha256 is not None or label is not None
    if key_id is not None:
        kid = key_id.hex()
        chosen = [
            k for k in chosen if kid in (k.key_id_hex, k.cert_id_hex, k.mismatched_key_id_hex)
        ]
    if cert_sha256 is not None:
        want = cert_sha256.lower().replace(":", "")
        chosen = [k for k in chosen if k.certificate and k.certificate.sha256_hex == want]
    if label is not None:
        chosen = [k for k in chosen if label in (k.key_label, k.cert_label)]
    usable = [k for k in chosen if k.has_private_key and k.certificate is not None]
    if selected and not usable:
        bad = [k for k in chosen if k.mismatched_key_id_hex]
        if bad:
            raise KeyCertificateMismatchError(
                f"The private key {bad[0].mismatched_key_id_hex} on {what} does not belong to "
                f"the certificate of {bad[0].certificate.subject if bad[0].certificate else '?'} "
                "stored with the same ID. The token's objects are inconsistent; "
                "ask the issuer or re-import the certificate."
            )
        raise TokenKeyNotFoundError(
            f"No signing key with a matching certificate fits the selection on {what}. "
            f"Keys found: {_listing(keys)}."
        )
    if not selected:
        pool = [k for k in usable if k.non_repudiation] or [
            k for k in usable if k.digital_signature
        ]
    else:
        pool = usable
    if not pool:
        raise TokenKeyNotFoundError(
            f"{what} holds no private key with a matching signing certificate. "
            f"Objects found: {_listing(keys)}."
        )
    if len(pool) > 1:
        raise AmbiguousKeyError(
            f"Several signing keys fit on {what}; choose one: "
            + "; ".join(f"{k.describe()} (key spec: {k.spec()})" for k in pool),
            candidates=tuple(pool),
        )
    return pool[0]


def _listing(keys: list[KeyInfo]) -> str:
    return "; ".join(k.describe() for k in keys) or "none"
