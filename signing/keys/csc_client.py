"""Talking to a Cloud Signature Consortium (CSC API 1.0.4) service.

Settings, the OAuth2 access token (client credentials or a pasted token),
JSON POSTs with CSC errors turned into Shomei errors once, and the credential
listing with certificates. Signing itself is in :mod:`signing.keys.csc`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import requests
from asn1crypto import algos

from signing.certs.summary import CertificateSummary, summarise_certificate
from signing.errors import (
    RemoteAuthenticationError,
    RemoteAuthorisationError,
    RemoteCredentialNotFoundError,
    RemoteServiceUnavailableError,
    RemoteSigningError,
    ShomeiError,
)
from signing.net.bounded_http import HttpAnswer, HttpBounds, HttpFailure, fetch

__all__ = ["CscClient", "CscCredential", "CscSettings", "list_credentials"]

#: largest answer read from the service (a credential with its chain is a few KiB)
MAX_ANSWER_BYTES = 4 * 1024 * 1024


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

    def _what_ja(self) -> str:
        return f"署名サービス（{self.settings.base}）"

    def _request(self, url: str, *, timeout: float, **kwargs: Any) -> HttpAnswer:
        # ``timeout`` bounds the whole exchange, and answers are capped (see
        # signing.net.bounded_http). The error is raised after the handler, with
        # neither cause nor context: nothing may keep the request (PIN,
        # one-time password, bearer token).
        bounds = HttpBounds(
            connect_timeout=timeout,
            read_timeout=timeout,
            total_timeout=timeout,
            max_bytes=MAX_ANSWER_BYTES,
        )
        error: ShomeiError
        try:
            return fetch("POST", url, bounds=bounds, session=self._http, **kwargs)
        except HttpFailure as failure:
            if not failure.reached:
                error = RemoteServiceUnavailableError(
                    f"{self._what()} cannot be reached; check the address and the network.",
                    ja=f"{self._what_ja()}に接続できません。アドレスとネットワークを確認してください。",
                )
            elif failure.retryable:
                error = RemoteServiceUnavailableError(
                    f"{self._what()} {failure.cause}. Try again later.",
                    ja=f"{self._what_ja()}との通信に失敗しました（{failure.cause_ja}）。"
                    "しばらくしてからもう一度お試しください。",
                )
            else:
                error = RemoteSigningError(
                    f"{self._what()} {failure.cause}.",
                    ja=f"{self._what_ja()}との通信に失敗しました（{failure.cause_ja}）。",
                )
        raise error

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
        if resp.status in (400, 401, 403):
            raise RemoteAuthenticationError(
                f"{self._what()} refused the client id/secret (HTTP {resp.status}). "
                "Check them in the settings.",
                ja=f"{self._what_ja()}がクライアントIDまたはシークレットを拒否しました"
                f"（HTTP {resp.status}）。設定を確認してください。",
            )
        body = self._json(resp, url)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise RemoteAuthenticationError(
                f"{self._what()} sent no access token.",
                ja=f"{self._what_ja()}からアクセストークンが返されませんでした。",
            )
        self._token = token
        self._fetched = True
        return token

    def _json(self, resp: HttpAnswer, url: str) -> dict[str, Any]:
        if resp.status >= 400:
            raise RemoteSigningError(
                f"{self._what()} answered HTTP {resp.status} to {url}{_detail(resp)}.",
                ja=f"{self._what_ja()}が{url}にHTTP {resp.status}で応答しました"
                f"{_detail_ja(resp)}。",
            )
        try:
            body = json.loads(resp.content)
        except ValueError:
            raise RemoteSigningError(
                f"{self._what()} sent a reply that is not JSON.",
                ja=f"{self._what_ja()}の応答がJSONではありません。",
            ) from None
        if not isinstance(body, dict):
            raise RemoteSigningError(
                f"{self._what()} sent an unexpected reply.",
                ja=f"{self._what_ja()}から想定外の応答がありました。",
            )
        return body

    def _send(self, url: str, body: dict[str, Any], timeout: float | None) -> HttpAnswer:
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
        if resp.status == 401 and self._fetched:
            # A token from client credentials may expire during a long batch:
            # fetch a fresh one once before giving up.
            self._token = None
            resp = self._send(url, body, timeout)
        status = resp.status
        if status in (401, 403):
            raise RemoteAuthenticationError(
                f"{self._what()} refused our access (HTTP {status}){_detail(resp)}. "
                "The access token may have expired or the client is not allowed.",
                ja=f"{self._what_ja()}がアクセスを拒否しました（HTTP {status}）{_detail_ja(resp)}。"
                "アクセストークンの期限切れか、クライアントが許可されていない可能性があります。",
            )
        cred = body.get("credentialID")
        if cred is not None and (
            status == 404 or (status == 400 and endpoint == "credentials/info")
        ):
            raise RemoteCredentialNotFoundError(
                f"{self._what()} has no credential '{cred}'{_detail(resp)}.",
                ja=f"{self._what_ja()}にクレデンシャル「{cred}」がありません{_detail_ja(resp)}。",
            )
        if status == 400 and endpoint == "credentials/authorize":
            raise RemoteAuthorisationError(
                f"{self._what()} refused to authorise the signature{_detail(resp)}. "
                "Check the PIN or one-time password.",
                ja=f"{self._what_ja()}が署名を承認しませんでした{_detail_ja(resp)}。"
                "PINまたはワンタイムパスワードを確認してください。",
            )
        return self._json(resp, url)

    # --- API calls ------------------------------------------------------

    def credential_ids(self) -> list[str]:
        body = self.post("credentials/list", {"maxResults": 100})
        ids = body.get("credentialIDs")
        if not isinstance(ids, list):
            raise RemoteSigningError(
                f"{self._what()} sent no credential list.",
                ja=f"{self._what_ja()}からクレデンシャルの一覧が返されませんでした。",
            )
        return [str(i) for i in ids]

    def credential(self, credential_id: str) -> CscCredential:
        body = self.post(
            "credentials/info",
            {"credentialID": credential_id, "certificates": "chain", "certInfo": False},
        )
        return _credential(credential_id, body, self._what())


def _detail_ja(resp: HttpAnswer) -> str:
    """The service's own words (as :func:`_detail`), in Japanese brackets."""
    detail = _detail(resp)
    return f"（{detail.removeprefix(': ')}）" if detail else ""


def _detail(resp: HttpAnswer) -> str:
    try:
        body = json.loads(resp.content)
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
            f"{what} sent no readable certificate for credential '{credential_id}'.",
            ja=f"署名サービスからクレデンシャル「{credential_id}」の読み取れる証明書が"
            "返されませんでした。",
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
        raise RemoteSigningError(
            f"{what} sent a malformed credential description.",
            ja="署名サービスから返されたクレデンシャルの説明が不正です。",
        ) from exc
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
