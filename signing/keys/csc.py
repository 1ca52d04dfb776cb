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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import requests
from asn1crypto import algos, x509
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCCredentialInfo,
    CSCServiceSessionInfo,
    CSCSigner,
    base64_digest,
)

from ..errors import (
    KeyError_,
    RemoteAuthenticationError,
    RemoteAuthorisationError,
    RemoteCredentialNotFoundError,
    RemoteServiceUnavailableError,
    RemoteSigningError,
    UserCancelled,
)
from ..secrets import SecretKind, SecretPrompt, SecretRequest
from .base import CertificateSummary
from .cert_info import summarise_certificate

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


@dataclass(frozen=True)
class CscSettings:
    """How to reach one CSC service."""

    #: base URL, the part before ``/csc/v1/...``
    service_url: str
    #: OAuth2 client id (client-credentials grant)
    client_id: str | None = None
    #: OAuth2 client secret; never shown in repr or logs
    client_secret: str | None = field(default=None, repr=False)
    #: an access token the user pasted (used instead of client credentials)
    access_token: str | None = field(default=None, repr=False)
    #: OAuth2 token endpoint; default ``service_url + "/oauth2/token"``
    token_url: str | None = None
    #: seconds to wait for each ordinary request
    timeout: float = 10.0
    #: seconds to wait for ``signatures/signHash``
    sign_timeout: float = 60.0
    #: the ``v1`` in ``/csc/v1/...``
    api_version: str = "v1"

    @property
    def base(self) -> str:
        return self.service_url.rstrip("/")

    def endpoint(self, name: str) -> str:
        return f"{self.base}/csc/{self.api_version}/{name}"


@dataclass(frozen=True)
class CscCredential:
    """A signing credential held by the service, with its certificate."""

    credential_id: str
    certificate: CertificateSummary
    #: DER of the signer's certificate, then the chain as the service sent it
    certificates_der: tuple[bytes, ...] = field(repr=False)
    #: signature algorithms by name (asn1crypto), e.g. ``sha256_rsa``
    algorithms: tuple[str, ...]
    key_bits: int | None
    #: "enabled" or "disabled"
    status: str
    #: "implicit", "explicit" or "oauth2code"
    auth_mode: str
    pin_required: bool
    otp_required: bool
    #: "online" OTPs are sent by the service (credentials/sendOTP) first
    otp_online: bool
    #: 2: every authorisation is bound to the hashes it signs
    scal: int
    #: how many signatures one authorisation may cover
    multisign: int
    description: str | None = None


def _presence(block: Any) -> bool:
    if not isinstance(block, dict):
        return False
    return str(block.get("presence", "false")).lower() == "true"


class CscClient:
    """The HTTP side: access token, JSON POSTs, and errors mapped once."""

    def __init__(self, settings: CscSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self._http = session or requests.Session()
        self._token: str | None = settings.access_token
        #: the token came from client credentials (so a new one can be fetched)
        self._fetched = False

    def close(self) -> None:
        self._http.close()
        self._token = None

    def _what(self) -> str:
        return f"the signing service at {self.settings.base}"

    def _request(self, url: str, *, timeout: float, **kwargs: Any) -> requests.Response:
        try:
            return self._http.post(url, timeout=timeout, **kwargs)
        except requests.Timeout as exc:
            raise RemoteServiceUnavailableError(
                f"{self._what()} did not answer within {timeout:g} s. Try again later."
            ) from exc
        except requests.ConnectionError as exc:
            raise RemoteServiceUnavailableError(
                f"{self._what()} cannot be reached; check the address and the network."
            ) from exc
        except requests.RequestException as exc:
            raise RemoteSigningError(f"Request to {self._what()} failed: {exc}") from exc

    def access_token(self) -> str | None:
        """The bearer token: pasted, or fetched once with client credentials."""
        if self._token is not None or self.settings.client_id is None:
            return self._token
        url = self.settings.token_url or f"{self.settings.base}/oauth2/token"
        resp = self._request(
            url,
            timeout=self.settings.timeout,
            data={"grant_type": "client_credentials"},
            auth=(self.settings.client_id, self.settings.client_secret or ""),
        )
        if resp.status_code in (400, 401, 403):
            raise RemoteAuthenticationError(
                f"{self._what()} refused the client id/secret (HTTP {resp.status_code}). "
                "Check them in the settings."
            )
        body = self._json(resp, url)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise RemoteAuthenticationError(f"{self._what()} sent no access token.")
        self._token = token
        self._fetched = True
        return token

    def _json(self, resp: requests.Response, url: str) -> dict[str, Any]:
        if resp.status_code >= 400:
            raise RemoteSigningError(
                f"{self._what()} answered HTTP {resp.status_code} to {url}{_detail(resp)}."
            )
        try:
            body = resp.json()
        except ValueError:
            raise RemoteSigningError(f"{self._what()} sent a reply that is not JSON.") from None
        if not isinstance(body, dict):
            raise RemoteSigningError(f"{self._what()} sent an unexpected reply.")
        return body

    def _send(self, url: str, body: dict[str, Any], timeout: float | None) -> requests.Response:
        token = self.access_token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self._request(
            url, timeout=timeout or self.settings.timeout, json=body, headers=headers
        )

    def post(
        self, endpoint: str, body: dict[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        """POST to ``/csc/v1/<endpoint>``; CSC errors become Shomei errors."""
        url = self.settings.endpoint(endpoint)
        resp = self._send(url, body, timeout)
        if resp.status_code == 401 and self._fetched:
            # A token from client credentials may expire during a long batch:
            # fetch a fresh one once before giving up.
            self._token = None
            resp = self._send(url, body, timeout)
        status = resp.status_code
        if status in (401, 403):
            raise RemoteAuthenticationError(
                f"{self._what()} refused our access (HTTP {status}){_detail(resp)}. "
                "The access token may have expired or the client is not allowed."
            )
        cred = body.get("credentialID")
        if cred is not None and (
            status == 404 or (status == 400 and endpoint == "credentials/info")
        ):
            raise RemoteCredentialNotFoundError(
                f"{self._what()} has no credential '{cred}'{_detail(resp)}."
            )
        if status == 400 and endpoint == "credentials/authorize":
            raise RemoteAuthorisationError(
                f"{self._what()} refused to authorise the signature{_detail(resp)}. "
                "Check the PIN or one-time password."
            )
        return self._json(resp, url)

    # --- API calls ------------------------------------------------------

    def credential_ids(self) -> list[str]:
        body = self.post("credentials/list", {"maxResults": 100})
        ids = body.get("credentialIDs")
        if not isinstance(ids, list):
            raise RemoteSigningError(f"{self._what()} sent no credential list.")
        return [str(i) for i in ids]

    def credential(self, credential_id: str) -> CscCredential:
        body = self.post(
            "credentials/info",
            {"credentialID": credential_id, "certificates": "chain", "certInfo": False},
        )
        return _credential(credential_id, body, self._what())


def _detail(resp: requests.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        desc = body.get("error_description") or body.get("error")
        if desc:
            return f": {desc}"
    return ""


def _credential(credential_id: str, body: dict[str, Any], what: str) -> CscCredential:
    try:
        certs = tuple(base64.b64decode(c) for c in body["cert"]["certificates"])
        summary = summarise_certificate(certs[0])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise RemoteSigningError(
            f"{what} sent no readable certificate for credential '{credential_id}'."
        ) from exc
    key = body.get("key") or {}
    names = []
    for oid in key.get("algo") or ():
        try:
            names.append(str(algos.SignedDigestAlgorithmId(oid).native))
        except ValueError:
            continue  # an algorithm we do not know cannot be used anyway
    otp = body.get("OTP")
    try:
        scal = int(body.get("SCAL", 1))
        multisign = int(body.get("multisign", 1))
        bits = int(key["len"]) if "len" in key else None
    except (TypeError, ValueError) as exc:
        raise RemoteSigningError(f"{what} sent a malformed credential description.") from exc
    return CscCredential(
        credential_id=credential_id,
        certificate=summary,
        certificates_der=certs,
        algorithms=tuple(names),
        key_bits=bits,
        status=str(key.get("status", "enabled")),
        auth_mode=str(body.get("authMode", "implicit")),
        pin_required=_presence(body.get("PIN")),
        otp_required=_presence(otp),
        otp_online=isinstance(otp, dict) and otp.get("type") == "online",
        scal=scal,
        multisign=max(1, multisign),
        description=body.get("description"),
    )


def list_credentials(settings: CscSettings) -> list[CscCredential]:
    """Every credential the service offers us, with its certificate."""
    client = CscClient(settings)
    try:
        return [client.credential(cid) for cid in client.credential_ids()]
    finally:
        client.close()


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
                raise RemoteSigningError("The signing service sent no activation data (SAD).")
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
            raise RemoteSigningError("The signing service did not send back one signature.")
        try:
            return base64.b64decode(sigs[0], validate=True)
        except (ValueError, TypeError) as exc:
            raise RemoteSigningError("The signing service sent an unreadable signature.") from exc


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
                    f"The credential {self.credential_id} is {credential.status} at the service."
                )
            if credential.auth_mode == "oauth2code":
                raise RemoteSigningError(
                    f"The credential {self.credential_id} needs authorisation in a browser "
                    "(OAuth2 code flow), which Shomei does not support yet."
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
    rest = rest.strip().removeprefix("csc:")
    attrs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(";"))):
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep or not value:
            raise KeyError_(f"CSC key spec: '{part}' is not name=value.")
        if name not in _KNOWN:
            raise KeyError_(
                f"CSC key spec: unknown attribute '{name}' (known: {', '.join(sorted(_KNOWN))})."
            )
        attrs[name] = unquote(value)
    if "url" not in attrs or "credential" not in attrs:
        raise KeyError_("CSC key spec needs url=... and credential=...")
    if not attrs["url"].startswith(("http://", "https://")):
        raise KeyError_("CSC key spec: url must start with https:// (or http:// for testing).")
    try:
        timeout = float(attrs.get("timeout", "10"))
    except ValueError:
        raise KeyError_("CSC key spec: timeout must be a number of seconds.") from None
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
