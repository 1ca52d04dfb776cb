"""Remote signing through the Cloud Signature Consortium API 1.0.4.

The key stays with a (qualified) trust service provider; we send hashes and
receive signatures. pyHanko's :class:`CSCSigner` builds the CMS; this module
adds what it leaves out: settings, an OAuth2 access token (client credentials
or a pasted token), listing credentials with their certificates, the SAD
authorisation with PIN/OTP through the :class:`~signing.secrets.SecretPrompt`,
timeouts, and errors a user can act on. HTTP goes through ``requests`` on the
calling thread (or a worker thread inside pyHanko's event loop), so a signer
never holds a connection bound to one event loop.

Key spec (``--key csc:...``): ``;``-separated ``name=value`` pairs, values
percent-encoded::

    csc:url=https://csc.example.eu/csc-api;credential=8f0e...;client-id=shomei
    csc:url=http://127.0.0.1:8080;credential=shomei/signer-rsa;timeout=5

============== ===============================================================
``url``        base URL of the service (the part before ``/csc/v1/...``)
``credential`` the credential ID to sign with
``client-id``  OAuth2 client id; the secret comes from ``SHOMEI_CSC_CLIENT_SECRET``
``token-url``  OAuth2 token endpoint (default ``URL/oauth2/token``)
``timeout``    seconds per HTTP request (default 10)
``pss``        ``yes`` to prefer RSA-PSS
============== ===============================================================

A pasted access token is read from ``SHOMEI_CSC_ACCESS_TOKEN``; secrets never
appear in the spec. PIN and OTP are asked through the prompt when the
credential says it needs them (``SecretKind.PIN`` / ``SecretKind.OTP``).
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import unquote

from asn1crypto import x509
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCCredentialInfo,
    CSCServiceSessionInfo,
    CSCSigner,
    base64_digest,
)

from signing.errors import KeyError_, RemoteAuthorisationError, RemoteSigningError, UserCancelled
from signing.keys.csc_client import CscClient, CscCredential, CscSettings, list_credentials
from signing.keys.spec import parse_attributes
from signing.secrets import SecretKind, SecretPrompt, SecretRequest

if TYPE_CHECKING:
    from pyhanko.sign.signers.pdf_cms import Signer

__all__ = [
    "CscClient",
    "CscCredential",
    "CscKeySource",
    "CscSettings",
    "from_spec",
    "list_credentials",
]

ENV_ACCESS_TOKEN = "SHOMEI_CSC_ACCESS_TOKEN"
ENV_CLIENT_SECRET = "SHOMEI_CSC_CLIENT_SECRET"


# --- signing ----------------------------------------------------------------


class _PromptAuthorisation(CSCAuthorizationManager):  # type: ignore[misc]
    """SAD from ``credentials/authorize`` with PIN/OTP asked through the prompt.

    With SCAL 1 one authorisation covers up to ``multisign`` signatures of the
    batch; with SCAL 2 each is bound to its hash and needs its own.
    """

    def __init__(
        self,
        session_info: CSCServiceSessionInfo,
        cred_info: CSCCredentialInfo,
        client: CscClient,
        credential: CscCredential,
        prompt: SecretPrompt,
    ) -> None:
        super().__init__(session_info, cred_info)
        self._client = client
        self._credential = credential
        self._prompt = prompt
        self._sad: str | None = None
        self._remaining = 0

    def _ask(self, kind: SecretKind, retry: bool) -> str | None:
        needed = {
            SecretKind.PIN: self._credential.pin_required,
            SecretKind.OTP: self._credential.otp_required,
        }[kind]
        if not needed:
            return None
        target = (
            f"credential {self._credential.credential_id} ({self._credential.certificate.subject})"
        )
        return self._prompt.ask(SecretRequest(kind=kind, target=target, retry=retry))

    def _authorise(self, hash_b64s: list[str] | None, count: int) -> CSCAuthorizationInfo:
        retry = False
        last_error: RemoteAuthorisationError | None = None
        while True:
            if self._credential.otp_required and self._credential.otp_online:
                self._client.post(
                    "credentials/sendOTP", {"credentialID": self._credential.credential_id}
                )
            try:
                pin = self._ask(SecretKind.PIN, retry)
                otp = self._ask(SecretKind.OTP, retry)
            except UserCancelled:
                if last_error is not None:
                    raise last_error from None
                raise
            request = self.format_csc_auth_request(
                num_signatures=count, pin=pin, otp=otp, hash_b64s=hash_b64s
            )
            del pin, otp
            try:
                body = self._client.post("credentials/authorize", request)
            except RemoteAuthorisationError as exc:
                if not (self._credential.pin_required or self._credential.otp_required):
                    raise
                last_error = exc
                retry = True
                continue
            finally:
                request.clear()
            sad = body.get("SAD")
            if not isinstance(sad, str) or not sad:
                raise RemoteSigningError(
                    "The signing service sent no activation data (SAD).",
                    ja="署名サービスから署名活性化データ（SAD）が返されませんでした。",
                )
            return CSCAuthorizationInfo(sad=sad)

    async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
        if self._credential.scal >= 2:
            return await asyncio.to_thread(self._authorise, hash_b64s, len(hash_b64s))
        if self._sad is None or self._remaining < len(hash_b64s):
            count = max(self._credential.multisign, len(hash_b64s))
            info = await asyncio.to_thread(self._authorise, None, count)
            self._sad, self._remaining = info.sad, count
        self._remaining -= len(hash_b64s)
        return CSCAuthorizationInfo(sad=self._sad)

    def forget(self) -> None:
        self._sad, self._remaining = None, 0


class _CscSigner(CSCSigner):  # type: ignore[misc]
    """CSCSigner whose signHash call goes through :class:`CscClient`."""

    def __init__(self, client: CscClient, auth: _PromptAuthorisation, *, prefer_pss: bool) -> None:
        super().__init__(
            session=None,  # type: ignore[arg-type]  # unused: requests go through the client
            auth_manager=auth,
            sign_timeout=int(client.settings.sign_timeout),
            prefer_pss=prefer_pss,
            batch_size=1,
        )
        self._client = client

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(self.est_raw_signature_size)
        tbs = base64_digest(data, digest_algorithm)
        request = await self.format_csc_signing_req([tbs], digest_algorithm)
        body = await asyncio.to_thread(
            self._client.post,
            "signatures/signHash",
            request,
            timeout=self._client.settings.sign_timeout,
        )
        sigs = body.get("signatures")
        if not isinstance(sigs, list) or len(sigs) != 1:
            raise RemoteSigningError(
                "The signing service did not send back one signature.",
                ja="署名サービスから署名が1つ返されませんでした。",
            )
        try:
            return base64.b64decode(sigs[0], validate=True)
        except (ValueError, TypeError) as exc:
            raise RemoteSigningError(
                "The signing service sent an unreadable signature.",
                ja="署名サービスから返された署名を読み取れません。",
            ) from exc


class CscKeySource:
    """A credential of a remote CSC signing service as a KeySource."""

    def __init__(
        self, settings: CscSettings, credential_id: str, *, prefer_pss: bool = False
    ) -> None:
        self.settings = settings
        self.credential_id = credential_id
        self.prefer_pss = prefer_pss

    def describe(self) -> str:
        return f"remote credential {self.credential_id} at {self.settings.base}"

    @contextmanager
    def open(self, prompt: SecretPrompt) -> Iterator[Signer]:
        client = CscClient(self.settings)
        try:
            credential = client.credential(self.credential_id)
            if credential.status != "enabled":
                raise RemoteSigningError(
                    f"The credential {self.credential_id} is {credential.status} at the service.",
                    ja=f"クレデンシャル{self.credential_id}はサービス側で使用できない状態です"
                    f"（{credential.status}）。",
                )
            if credential.auth_mode == "oauth2code":
                raise RemoteSigningError(
                    f"The credential {self.credential_id} needs authorisation in a browser "
                    "(OAuth2 code flow), which Shomei does not support yet.",
                    ja=f"クレデンシャル{self.credential_id}はブラウザーでの承認（OAuth2コード"
                    "フロー）が必要ですが、Shomeiはまだ対応していません。",
                )
            certs = [x509.Certificate.load(der) for der in credential.certificates_der]
            cred_info = CSCCredentialInfo(
                signing_cert=certs[0],
                chain=certs[1:],
                supported_mechanisms=frozenset(credential.algorithms),
                max_batch_size=credential.multisign,
                hash_pinning_required=credential.scal >= 2,
                response_data={},
            )
            session_info = CSCServiceSessionInfo(
                service_url=self.settings.base,
                credential_id=self.credential_id,
                api_ver=self.settings.api_version,
            )
            auth = _PromptAuthorisation(session_info, cred_info, client, credential, prompt)
            try:
                yield _CscSigner(client, auth, prefer_pss=self.prefer_pss)
            finally:
                auth.forget()
        finally:
            client.close()


# --- spec -------------------------------------------------------------------

_KNOWN = {"url", "credential", "client-id", "token-url", "timeout", "pss"}


def from_spec(rest: str) -> CscKeySource:
    """A key source from the text after ``csc:`` (see the module docstring)."""
    raw = parse_attributes(rest, "csc", "CSC", _KNOWN, repeats=True)
    attrs = {name: unquote(value) for name, value in raw.items()}
    if "url" not in attrs or "credential" not in attrs:
        raise KeyError_(
            "CSC key spec needs url=... and credential=...",
            ja="CSCの鍵の指定にはurl=…とcredential=…が必要です。",
        )
    if not attrs["url"].startswith(("http://", "https://")):
        raise KeyError_(
            "CSC key spec: url must start with https:// (or http:// for testing).",
            ja="CSCの鍵の指定：urlはhttps://（テスト用にはhttp://）で始めてください。",
        )
    try:
        timeout = float(attrs.get("timeout", "10"))
    except ValueError:
        raise KeyError_(
            "CSC key spec: timeout must be a number of seconds.",
            ja="CSCの鍵の指定：timeoutには秒数を指定してください。",
        ) from None
    settings = CscSettings(
        service_url=attrs["url"],
        client_id=attrs.get("client-id"),
        client_secret=os.environ.get(ENV_CLIENT_SECRET),
        access_token=os.environ.get(ENV_ACCESS_TOKEN),
        token_url=attrs.get("token-url"),
        timeout=timeout,
    )
    return CscKeySource(
        settings,
        attrs["credential"],
        prefer_pss=attrs.get("pss", "no").lower() in ("yes", "true", "1"),
    )
