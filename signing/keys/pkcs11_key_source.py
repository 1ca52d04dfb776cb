"""A key on a PKCS#11 token (smart card, USB token, HSM) as a KeySource.

``open(prompt)`` finds the token, logs in once (a PIN from the prompt, or the
reader's PIN pad), picks the key by its certificate and purpose, and yields a
pyHanko signer that keeps the one session open for the whole batch. Work on
one token is serialised by a per-token lock held for as long as the context
is open. Keys with CKA_ALWAYS_AUTHENTICATE ask for the signature PIN again for
every signature (context-specific login), as the JPKI card's signature key does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pkcs11
from asn1crypto import x509
from pkcs11 import Mechanism
from pyhanko.sign.pkcs11 import PKCS11Signer

from signing.errors import PinError, PinLockedError, TokenError, TokenNotFoundError, UserCancelled
from signing.keys.pkcs11_keys import KeyInfo, scan_keys, select_key
from signing.keys.pkcs11_modules import find_modules
from signing.keys.pkcs11_tokens import (
    TokenInfo,
    close_quietly,
    find_token,
    list_tokens,
    login,
    pin_state_sentence,
    pin_state_sentence_ja,
    refresh_token_info,
    token_lock,
    wrap_pkcs11_error,
)
from signing.secrets import PinState, SecretKind, SecretPrompt, SecretRequest

if TYPE_CHECKING:
    from pyhanko.sign.signers.pdf_cms import Signer

__all__ = ["Pkcs11KeySource"]


class _TokenSigner(PKCS11Signer):  # type: ignore[misc]
    """PKCS11Signer that asks for the signature PIN per signature and turns
    PKCS#11 exceptions into Shomei errors."""

    def __init__(
        self,
        session: Any,
        token: Any,
        info: TokenInfo,
        key: KeyInfo,
        chain: list[x509.Certificate],
        prompt: SecretPrompt,
        *,
        prefer_pss: bool,
        use_raw_mechanism: bool,
    ) -> None:
        assert key.cert_der is not None and key.key_id_hex is not None
        super().__init__(
            session,
            signing_cert=x509.Certificate.load(key.cert_der),
            ca_chain=chain,
            key_id=bytes.fromhex(key.key_id_hex),
            prefer_pss=prefer_pss,
            other_certs_to_pull=(),
            use_raw_mechanism=use_raw_mechanism,
        )
        self._token = token
        self._info = info
        self._key = key
        self._prompt = prompt
        self._signature_pin: str | None = None

    def sign_kwargs(self, data_to_sign: bytes) -> dict[str, Any]:
        kwargs = dict(super().sign_kwargs(data_to_sign))
        if self._signature_pin is not None:
            kwargs["pin"] = self._signature_pin
        return kwargs

    def _ask_signature_pin(self, retry: bool) -> None:
        request = SecretRequest(
            kind=SecretKind.SIGNATURE_PIN,
            target=f"the signature key of {self._key.describe()}",
            retry=retry,
            pin_state=self._info.pin_state,
            tries_left=self._info.tries_left,
        )
        try:
            self._signature_pin = self._prompt.ask(request)
        except UserCancelled:
            if not retry:
                raise
            msg = f"Wrong signature PIN for {self._info.describe()}." + pin_state_sentence(
                self._info.pin_state
            )
            ja = f"{self._info.describe()}の署名用PINが違います。" + pin_state_sentence_ja(
                self._info.pin_state
            )
            raise PinError(msg, tries_left=self._info.tries_left, ja=ja) from None

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            result: bytes = await super().async_sign_raw(data, digest_algorithm, dry_run=True)
            return result
        context_login = self._key.always_authenticate and not self._info.protected_auth_path
        retry = False
        while True:
            if context_login:
                self._ask_signature_pin(retry)
            try:
                signature: bytes = await super().async_sign_raw(data, digest_algorithm)
                return signature
            except (pkcs11.exceptions.PinIncorrect, pkcs11.exceptions.PinLenRange):
                if not context_login:
                    raise TokenError(
                        f"{self._info.describe()} refused the PIN.",
                        ja=f"{self._info.describe()}がPINを受け付けませんでした。",
                    ) from None
                self._info = refresh_token_info(self._token, self._info)
                if self._info.pin_state is PinState.LOCKED:
                    raise PinLockedError(
                        f"Wrong signature PIN: the PIN of {self._info.describe()} is now "
                        "locked. Unblock it with the PUK.",
                        tries_left=0,
                        ja=f"署名用PINが違います。{self._info.describe()}のPINはロックされました。"
                        "PUKでロックを解除してください。",
                    ) from None
                retry = True
            except pkcs11.exceptions.UserNotLoggedIn as exc:
                if self._key.always_authenticate:
                    raise TokenError(
                        f"The key on {self._info.describe()} needs a PIN for each signature, "
                        "entered on the reader's PIN pad; this middleware did not ask for it.",
                        ja=f"{self._info.describe()}の鍵は署名のたびにリーダーのPINパッドでの"
                        "PIN入力が必要ですが、このミドルウェアはPINを求めませんでした。",
                    ) from exc
                raise wrap_pkcs11_error(exc, self._info.describe()) from exc
            except pkcs11.exceptions.PKCS11Error as exc:
                raise wrap_pkcs11_error(exc, self._info.describe()) from exc
            finally:
                self._signature_pin = None


class Pkcs11KeySource:
    """A signing key on a PKCS#11 token.

    :param module: path to the PKCS#11 module; ``None`` searches the
        well-known modules (and ``extra_module_paths``) for the token.
    :param token: the token's label or serial; ``None`` when only one token is
        present.
    :param key_id: CKA_ID of the key (or of its certificate).
    :param cert_sha256: SHA-256 fingerprint (hex) of the signing certificate.
    :param label: CKA_LABEL of the key or certificate.
    :param prefer_pss: sign with RSA-PSS instead of PKCS#1 v1.5 (RSA keys).

    Without a selector the key whose certificate has nonRepudiation is used;
    :class:`~signing.errors.AmbiguousKeyError` lists candidates when several fit.
    """

    def __init__(
        self,
        module: Path | str | None,
        token: str | None = None,
        *,
        key_id: bytes | None = None,
        cert_sha256: str | None = None,
        label: str | None = None,
        prefer_pss: bool = False,
        extra_module_paths: Sequence[str] = (),
    ) -> None:
        self.module = Path(module) if module is not None else None
        self.token = token
        self.key_id = key_id
        self.cert_sha256 = cert_sha256.lower().replace(":", "") if cert_sha256 else None
        self.label = label
        self.prefer_pss = prefer_pss
        self.extra_module_paths = tuple(extra_module_paths)

    def describe(self) -> str:
        where = f"token '{self.token}'" if self.token else "the token"
        module = self.module.name if self.module else "a PKCS#11 module"
        return f"PKCS#11 key on {where} ({module})"

    def _locate(self) -> tuple[Any, TokenInfo]:
        if self.module is not None:
            return find_token(self.module, self.token)
        modules = find_modules(self.extra_module_paths)
        several: TokenError | None = None
        for module in modules:
            try:
                return find_token(module, self.token)
            except TokenNotFoundError as exc:
                if len(list_tokens(module)) > 1 and self.token is None:
                    several = exc
            except TokenError:
                continue  # a module that cannot load does not hide the others
        if several is not None:
            raise several
        searched = ", ".join(str(m) for m in modules) or "no module found"
        raise TokenNotFoundError(
            f"No token{' ' + repr(self.token) if self.token else ''} was found "
            f"(modules searched: {searched}). Insert the card or check the reader.",
            ja=f"トークン{repr(self.token) if self.token else ''}が見つかりません"
            f"（検索したモジュール: {'、'.join(str(m) for m in modules) or 'なし'}）。"
            "カードを挿入するか、リーダーを確認してください。",
        )

    def _mechanism_choice(self, token: Any, key: KeyInfo) -> bool:
        """Whether to hash here and use the raw mechanism (token lacks hash-and-sign)."""
        try:
            mechs = set(token.slot.get_mechanisms())
        except pkcs11.exceptions.PKCS11Error:
            return False
        if key.key_type == "ec":
            return Mechanism.ECDSA_SHA256 not in mechs and Mechanism.ECDSA in mechs
        if key.key_type == "rsa" and not self.prefer_pss:
            return Mechanism.SHA256_RSA_PKCS not in mechs and Mechanism.RSA_PKCS in mechs
        return False

    @contextmanager
    def open(self, prompt: SecretPrompt) -> Iterator[Signer]:
        token, info = self._locate()
        with token_lock(info):
            if info.login_required or info.protected_auth_path:
                session = login(token, info, prompt)
            else:  # the token lets anyone use its keys (rare, but allowed)
                try:
                    session = token.open()
                except pkcs11.exceptions.PKCS11Error as exc:
                    raise wrap_pkcs11_error(exc, info.describe()) from exc
            try:
                keys = scan_keys(session, info)
                key = select_key(
                    keys,
                    key_id=self.key_id,
                    cert_sha256=self.cert_sha256,
                    label=self.label,
                    what=info.describe(),
                )
                # CA certificates stored beside the key help build the chain.
                others = [
                    x509.Certificate.load(k.cert_der) for k in keys if k.cert_der and k != key
                ]
                chain = [c for c in others if c.ca]
                signer = _TokenSigner(
                    session,
                    token,
                    info,
                    key,
                    chain,
                    prompt,
                    prefer_pss=self.prefer_pss,
                    use_raw_mechanism=self._mechanism_choice(token, key),
                )
                yield signer
            except pkcs11.exceptions.PKCS11Error as exc:
                raise wrap_pkcs11_error(exc, info.describe()) from exc
            finally:
                close_quietly(session)
