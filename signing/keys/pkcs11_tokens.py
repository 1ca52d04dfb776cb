"""PKCS#11 modules, slots, tokens, PIN state and login.

The GUI lists tokens with :func:`list_tokens` (keys: see
:mod:`signing.keys.pkcs11_keys`); the key source uses the same helpers to log
in. Every PKCS#11 exception is turned into a
:class:`~signing.errors.TokenError` subclass here, so nothing raw escapes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from pkcs11 import TokenFlag

from signing.errors import (
    PinError,
    PinLockedError,
    ShomeiError,
    TokenError,
    TokenModuleError,
    TokenNotFoundError,
    TokenRemovedError,
    UserCancelled,
)
from signing.secrets import PinState, SecretKind, SecretPrompt, SecretRequest

__all__ = [
    "TokenInfo",
    "close_quietly",
    "find_token",
    "list_all_tokens",
    "list_tokens",
    "load_module",
    "login",
    "open_session",
    "refresh_token_info",
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


#: what the token says about the PIN's tries, appended to a wrong-PIN message
_PIN_STATE_SENTENCES: dict[PinState, tuple[str, str]] = {
    PinState.COUNT_LOW: (
        " The token reports that few PIN tries are left.",
        "PINの残り試行回数が少なくなっています。",
    ),
    PinState.FINAL_TRY: (
        " Only one try is left: a wrong PIN now locks the token.",
        "残り1回です。次に誤ったPINを入力するとロックされます。",
    ),
    PinState.LOCKED: (" The PIN is locked.", "PINはロックされています。"),
}


def pin_state_sentence(state: PinState) -> str:
    return _PIN_STATE_SENTENCES.get(state, ("", ""))[0]


def pin_state_sentence_ja(state: PinState) -> str:
    return _PIN_STATE_SENTENCES.get(state, ("", ""))[1]


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

    def spec(self) -> str:
        """A ``pkcs11:`` spec naming this token only: the signing key is then
        chosen by purpose after the PIN, for cards whose signature
        certificate cannot be read before it (the My Number card)."""
        from urllib.parse import quote

        module = quote(str(self.module), safe="/")
        return f"pkcs11:module={module};serial={quote(self.serial, safe='')}"


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
            f"The PIN of {what} is locked; unblock it with the PUK.",
            tries_left=0,
            ja=f"{what}のPINはロックされています。PUKでロックを解除してください。",
        )
    if isinstance(exc, pkcs11.exceptions.PinIncorrect | pkcs11.exceptions.PinLenRange):
        return PinError(f"Wrong PIN for {what}.", ja=f"{what}のPINが違います。")
    if isinstance(exc, pkcs11.exceptions.PinExpired):
        return PinError(
            f"The PIN of {what} has expired; change it with the card's tool first.",
            ja=f"{what}のPINは有効期限が切れています。先にカードのツールでPINを変更してください。",
        )
    if isinstance(exc, pkcs11.exceptions.UserNotLoggedIn):
        return PinError(
            f"{what} needs a PIN for this operation.",
            ja=f"この操作には{what}のPINが必要です。",
        )
    if isinstance(exc, _REMOVED):
        return TokenRemovedError(
            f"{what} was removed or stopped answering ({name}). "
            "Insert it again and retry; nothing was written.",
            ja=f"{what}が取り外されたか応答しなくなりました（{name}）。"
            "挿入し直してもう一度お試しください。何も書き込まれていません。",
        )
    if isinstance(exc, pkcs11.exceptions.FunctionCancelled):
        return UserCancelled(
            f"The operation on {what} was cancelled.", ja=f"{what}での操作は中止されました。"
        )
    if isinstance(exc, pkcs11.exceptions.MechanismInvalid):
        return TokenError(
            f"{what} does not support the signature mechanism asked for ({name}).",
            ja=f"{what}は求められた署名方式に対応していません（{name}）。",
        )
    return TokenError(
        f"{what} reported an error: {name} {exc}".strip(),
        ja=f"{what}がエラーを返しました：{name} {exc}".strip(),
    )


# --- modules and tokens ----------------------------------------------------


def load_module(module: Path) -> Any:
    """Load (once per process) a PKCS#11 module; TokenModuleError if it fails."""
    path = Path(module)
    if not path.is_file():
        raise TokenModuleError(
            f"The PKCS#11 module {path} does not exist. Install the card's middleware "
            "(e.g. OpenSC) or give the module's path in the settings.",
            ja=f"PKCS#11モジュール{path}が見つかりません。カードのミドルウェア（OpenSCなど）を"
            "インストールするか、設定でモジュールのパスを指定してください。",
        )
    try:
        return pkcs11.lib(str(path))
    except (pkcs11.exceptions.PKCS11Error, OSError, RuntimeError) as exc:
        raise TokenModuleError(
            f"The PKCS#11 module {path} could not be loaded" + (f": {exc}" if str(exc) else "."),
            ja=f"PKCS#11モジュール{path}を読み込めませんでした。",
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
    names = [i.describe() for _t, i in _tokens(module)]
    present = ", ".join(names) or "none"
    present_ja = "、".join(names) or "なし"
    if not tokens:
        wanted = f"matching '{ref}' " if ref is not None else ""
        wanted_ja = f"「{ref}」" if ref is not None else ""
        raise TokenNotFoundError(
            f"No token {wanted}is present in {module}. Tokens present: {present}.",
            ja=f"{module}にトークン{wanted_ja}がありません。存在するトークン: {present_ja}。",
        )
    raise TokenNotFoundError(
        f"Several tokens are present in {module} ({present}); say which one by label or serial.",
        ja=f"{module}には複数のトークンがあります（{present_ja}）。ラベルかシリアル番号で"
        "どれかを指定してください。",
    )


def refresh_token_info(token: Any, info: TokenInfo) -> TokenInfo:
    try:
        fresh = token.slot.get_token()
    except pkcs11.exceptions.PKCS11Error as exc:
        raise wrap_pkcs11_error(exc, info.describe()) from exc
    return _token_info(info.module, token.slot, fresh)


def _wrong_pin(info: TokenInfo) -> PinError:
    msg = f"Wrong PIN for {info.describe()}." + pin_state_sentence(info.pin_state)
    ja = f"{info.describe()}のPINが違います。" + pin_state_sentence_ja(info.pin_state)
    if info.pin_state is PinState.LOCKED:
        return PinLockedError(
            msg + " Unblock it with the PUK.",
            tries_left=0,
            ja=ja + "PUKでロックを解除してください。",
        )
    return PinError(msg, tries_left=info.tries_left, ja=ja)


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
            ja=f"{info.describe()}のPINはロックされています。"
            "カード発行元のツールなどでPUKを使ってロックを解除し、もう一度お試しください。",
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
            # Another session of this process is logged in, and the login is
            # shared: opening here would accept any PIN. Refuse instead.
            raise TokenError(
                f"{info.describe()} is already signed in for another signature in "
                "Shomei; wait for it to finish (or restart Shomei) and try again.",
                ja=f"{info.describe()}はShomeiの別の署名で使用中です。終わるまで待つか"
                "（またはShomeiを再起動して）もう一度お試しください。",
            ) from None
        except pkcs11.exceptions.PKCS11Error as exc:
            raise wrap_pkcs11_error(exc, info.describe()) from exc
        finally:
            del pin


def close_quietly(session: Any) -> None:
    """Close a session; if the token is gone the session went with it."""
    with suppress(pkcs11.exceptions.PKCS11Error):
        session.close()


@contextmanager
def open_session(module: Path, token_info: TokenInfo, prompt: SecretPrompt | None) -> Iterator[Any]:
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
