"""RFC 3161 time-stamping over one or more TSAs, with failover.

Each server is tried in order; the first good answer wins. When every server
fails, :class:`~signing.errors.TimestampError` names each one and what went
wrong with it (unreachable, timed out, HTTP error, garbage, wrong nonce,
refused), so the user can tell a typo in a URL from an outage.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from asn1crypto import cms, core, tsp
from pyhanko.sign.timestamps.api import TimeStamper

from signing.errors import TimestampError, UserCancelled
from signing.model.reasons import causes
from signing.model.reasons import signing as reasons
from signing.model.results import Reason
from signing.net.bounded_http import HttpBounds, HttpFailure, fetch_ok, redact_url

DEFAULT_TIMEOUT = 10.0

log = logging.getLogger(__name__)


#: largest time-stamp response read (a token with its certificates is a few KiB)
MAX_RESPONSE_BYTES = 1024 * 1024


class TsaFailure(Exception):
    """One server's failure; collected into a :class:`TimestampError`."""

    def __init__(self, url: str, cause: str, cause_ja: str | None = None) -> None:
        url = redact_url(url)
        super().__init__(f"{url}: {cause}")
        self.url = url
        self.cause = cause
        #: the cause in Japanese (a phrase: "応答がありませんでした")
        self.cause_ja = cause_ja or cause


def _post(url: str, body: bytes, timeout: float) -> bytes:
    headers = {
        "Content-Type": "application/timestamp-query",
        "Accept": "application/timestamp-reply",
    }
    # ``timeout`` bounds the whole exchange: a server trickling its answer
    # fails here, and the next server is tried in time
    bounds = HttpBounds(
        connect_timeout=timeout,
        read_timeout=timeout,
        total_timeout=timeout,
        max_bytes=MAX_RESPONSE_BYTES,
    )
    try:
        return fetch_ok("POST", url, bounds=bounds, data=body, headers=headers)
    except HttpFailure as failure:
        raise TsaFailure(url, failure.cause, failure.cause_ja) from None


class _TimeStampResp(core.Sequence):  # type: ignore[misc]
    """RFC 3161 TimeStampResp; asn1crypto's makes the token mandatory, so a
    refusal (which has none) would not parse."""

    _fields = [  # noqa: RUF012 (asn1crypto's declaration style)
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def check_response(url: str, raw: bytes, nonce: int | None, imprint: bytes) -> cms.ContentInfo:
    """Parse a TimeStampResp and return its token, or raise TsaFailure."""
    try:
        resp = _TimeStampResp.load(raw)
        status = resp["status"]["status"].native
    except (ValueError, TypeError, KeyError):
        raise TsaFailure(
            url,
            "answered something that is not a time-stamp response",
            "タイムスタンプ応答ではないものを返しました",
        ) from None
    if status not in ("granted", "granted_with_mods"):
        texts = resp["status"]["status_string"].native or []
        fails = sorted(resp["status"]["fail_info"].native or [])
        refusal = causes.tsa_refusal(status, fails)
        # (the server's own statusString, free text, is for the log only)
        if texts:
            log.info("time-stamping server %s refused: %s", redact_url(url), "; ".join(texts))
        raise TsaFailure(url, refusal.en, refusal.ja)
    try:
        token: cms.ContentInfo = resp["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        got_nonce = info["nonce"].native
        got_imprint = info["message_imprint"]["hashed_message"].native
    except (ValueError, TypeError, KeyError, AttributeError):
        raise TsaFailure(
            url,
            "answered with a damaged time-stamp token",
            "壊れたタイムスタンプトークンを返しました",
        ) from None
    if nonce is not None and got_nonce != nonce:
        raise TsaFailure(
            url,
            "answered with the wrong nonce (a replayed or foreign answer)",
            "誤ったノンスで応答しました（再送または別の要求への応答）",
        )
    if got_imprint != imprint:
        raise TsaFailure(
            url,
            "time-stamped a different hash than the one sent",
            "送ったものとは別のハッシュ値にタイムスタンプを付けました",
        )
    if not _token_signature_holds(token):
        raise TsaFailure(
            url,
            "answered with a time-stamp token whose signature does not verify",
            "署名を検証できないタイムスタンプトークンを返しました",
        )
    return token


def _token_signature_holds(token: cms.ContentInfo) -> bool:
    """The token's own signature over its TSTInfo (not the TSA's trust,
    which B-LT checks against the trust anchors)."""
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    from signing.errors import SigningError
    from signing.sign.output_check import signer_certificate

    try:
        signed_data = token["content"]
        signer_info = signed_data["signer_infos"][0]
        eci = signed_data["encap_content_info"]
        md = signer_info["digest_algorithm"]["algorithm"].native
        digest = hashlib.new(md, bytes(eci["content"].contents)).digest()
        cert = signer_certificate(signed_data, signer_info)
        intact, valid = validate_sig_integrity(signer_info, cert, "tst_info", digest)
    except (SigningError, ValueError, TypeError, KeyError, IndexError):
        # pyHanko's validation errors are ValueErrors too
        return False
    return bool(intact and valid)


class FailoverTimeStamper(TimeStamper):  # type: ignore[misc]
    """A pyHanko :class:`TimeStamper` over several URLs, tried in order."""

    def __init__(self, urls: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> None:
        if not urls:
            raise TimestampError(
                "No time-stamping server (TSA) was given.",
                ja="タイムスタンプサーバー（TSA）が指定されていません。",
            )
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]
        self.urls = tuple(urls)
        self.timeout = timeout
        #: the URL that answered last
        self.used_url: str | None = None
        #: failures of servers skipped over before one answered
        self.skipped: list[str] = []
        #: the same in Japanese
        self.skipped_ja: list[str] = []
        #: polled before a server is asked; True raises UserCancelled
        self.cancel: Callable[[], bool] | None = None

    def timestamp_sync(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        if self.cancel is not None and self.cancel():
            raise UserCancelled()
        nonce, req = self.request_cms(message_digest, md_algorithm)  # type: ignore[no-untyped-call]
        body = req.dump()
        failures: list[TsaFailure] = []
        for url in self.urls:
            try:
                token = check_response(url, _post(url, body, self.timeout), nonce, message_digest)
            except TsaFailure as failure:
                failures.append(failure)
                continue
            self.used_url = url
            self.skipped.extend(str(f) for f in failures)
            self.skipped_ja.extend(f"{f.url}：{f.cause_ja}" for f in failures)
            return token
        if len(failures) == 1:
            f = failures[0]
            raise TimestampError(
                f"The time-stamping server {f.url} {f.cause}.",
                ja=f"タイムスタンプサーバー{f.url}でエラーが発生しました（{f.cause_ja}）。",
            )
        raise TimestampError(
            "No time-stamping server answered: "
            + "; ".join(f"{f.url} {f.cause}" for f in failures),
            ja="どのタイムスタンプサーバーからも応答がありませんでした（"
            + "／".join(f"{f.url}：{f.cause_ja}" for f in failures)
            + "）。",
        )

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> Any:
        return await asyncio.to_thread(self.timestamp_sync, message_digest, md_algorithm)

    def skipped_notice(self) -> Reason | None:
        """The warning that servers were skipped before one answered; None when none was."""
        if not self.skipped:
            return None
        return reasons.tsa_skipped(self.skipped, self.skipped_ja)


def timestamp_digest(
    urls: Sequence[str], data: bytes, *, timeout: float = DEFAULT_TIMEOUT
) -> cms.ContentInfo:
    """Time-stamp the SHA-256 of ``data`` (helper for checks and tools)."""
    return FailoverTimeStamper(urls, timeout).timestamp_sync(
        hashlib.sha256(data).digest(), "sha256"
    )
