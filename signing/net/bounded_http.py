"""Every HTTP exchange Shomei makes, bounded in time and in size.

``requests``' ``timeout`` bounds each wait for the next bytes, not the whole
exchange: a server that sends one byte every two seconds never trips a 10 s
read timeout and can hold a caller for minutes, and an answer of any size is
read into memory. :func:`fetch` runs the exchange on a worker thread and
gives up at one deadline for the whole of it (connection, headers, body); the
body is streamed and refused as soon as it passes the size cap, before the
rest is read. The time-stamping client, the OCSP/CRL/certificate fetchers
used while validating and signing, and the trusted-list downloads all go
through here.

:func:`redact_url` is the one place that strips the user name and password a
URL may carry before it is printed or stored.
"""

from __future__ import annotations

import queue
import re
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

#: bytes read per step of a streamed body
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class HttpBounds:
    """How long and how large one HTTP exchange may be."""

    #: seconds to open the connection
    connect_timeout: float = 5.0
    #: longest wait for the next bytes (the whole exchange is bounded below)
    read_timeout: float = 10.0
    #: seconds for the whole exchange, from connecting to the last byte
    total_timeout: float = 10.0
    #: largest body accepted, in bytes (after content decoding)
    max_bytes: int = 1024 * 1024


@dataclass(frozen=True)
class HttpAnswer:
    """A complete answer, read within its bounds."""

    status: int
    reason: str
    headers: Mapping[str, str]
    content: bytes


class HttpFailure(Exception):
    """One exchange failed; ``cause`` completes a sentence about the server
    ("did not finish answering within 10 s"). Callers wrap it in their own
    :class:`~signing.errors.ShomeiError`; ``url`` carries no credentials."""

    def __init__(
        self,
        url: str,
        cause: str,
        *,
        status: int = 0,
        retryable: bool = True,
        reached: bool = True,
        cause_ja: str | None = None,
    ) -> None:
        self.url = redact_url(url)
        super().__init__(f"{self.url} {cause}")
        self.cause = cause
        #: the same in Japanese, for the callers' ``ja=`` (a phrase, not a sentence)
        self.cause_ja = cause_ja or cause
        #: the HTTP status when the server answered with one, else 0
        self.status = status
        #: False when asking again cannot help (too large, 4xx)
        self.retryable = retryable
        #: False when no connection was made at all (no network, no such
        #: host, refused): the machine may be offline
        self.reached = reached


def redact_url(url: str) -> str:
    """``url`` without the user name and password it may carry (they go to
    the server, never into messages, logs, reports or caches)."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.username is None and parts.password is None:
            return url
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        # (an unparsable port or host: drop anything before the last '@')
        return _CREDENTIALS.sub(r"\1", url)
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{port}" if port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


#: ``scheme://user:password@`` anywhere in a text
_CREDENTIALS = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]*@")


def redact_urls_in(text: str) -> str:
    """``text`` with the credentials of every URL in it removed (for texts
    made elsewhere, e.g. a library's exception message)."""
    return _CREDENTIALS.sub(r"\1", text)


def _too_large(url: str, limit: int) -> HttpFailure:
    return HttpFailure(
        url,
        f"sent more than {_size(limit)}; refused",
        retryable=False,
        cause_ja=f"応答が{_size(limit)}を超えたため拒否しました",
    )


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MiB"
    if n >= 1024:
        return f"{n / 1024:g} KiB"
    return f"{n} bytes"


#: the cause given when a server's name does not resolve (no network, or no such host)
UNKNOWN_HOST = "unknown host"


#: the short causes of :func:`_short`, in Japanese
_SHORT_JA = {
    "connection refused": "接続を拒否されました",
    "unknown host": "ホスト名が見つかりません",
}


def _short(exc: BaseException) -> str:
    text = redact_urls_in(str(exc))
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "getaddrinfo" in text:
        return UNKNOWN_HOST
    return text[:120]


def _exchange(
    method: str,
    url: str,
    bounds: HttpBounds,
    session: requests.Session | None,
    data: Any,
    headers: Mapping[str, str] | None,
    options: Mapping[str, Any],
    gave_up: threading.Event,
) -> HttpAnswer:
    """The exchange itself (on the worker thread)."""
    # (deferred: the URL helpers above are imported at start-up)
    import requests
    import urllib3

    own = session is None
    sess = requests.Session() if session is None else session
    # each wait is at most the whole budget, so an abandoned worker ends soon
    read_timeout = min(bounds.read_timeout, bounds.total_timeout)
    connect_timeout = min(bounds.connect_timeout, bounds.total_timeout)
    # The failure is raised after the handler, with neither cause nor
    # context: a requests exception keeps the request it failed on (a
    # password in a URL, a bearer token, a PIN in the body).
    failure: HttpFailure
    try:
        with sess.request(
            method,
            url,
            data=data,
            headers=dict(headers or {}),
            timeout=(connect_timeout, read_timeout),
            stream=True,
            **options,
        ) as resp:
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > bounds.max_bytes:
                raise _too_large(url, bounds.max_bytes)
            chunks: list[bytes] = []
            size = 0
            # (read1: whatever has arrived, so that giving up is noticed
            # while a server trickles a byte now and then)
            while chunk := resp.raw.read1(_CHUNK, decode_content=True):
                if gave_up.is_set():
                    raise HttpFailure(url, "was abandoned", cause_ja="待つのをやめました")
                size += len(chunk)
                if size > bounds.max_bytes:
                    raise _too_large(url, bounds.max_bytes)
                chunks.append(chunk)
            return HttpAnswer(
                status=resp.status_code,
                reason=resp.reason or "",
                # (requests' mapping: header names in any case)
                headers=resp.headers,
                content=b"".join(chunks),
            )
    except HttpFailure as exc:
        failure = exc
    except requests.exceptions.ConnectTimeout:
        failure = HttpFailure(
            url,
            f"cannot be reached within {connect_timeout:g} s",
            reached=False,
            cause_ja=f"{connect_timeout:g}秒以内に接続できませんでした",
        )
    except requests.exceptions.Timeout:
        failure = HttpFailure(
            url,
            f"did not answer within {read_timeout:g} s",
            cause_ja=f"{read_timeout:g}秒以内に応答がありませんでした",
        )
    except requests.exceptions.ConnectionError as exc:
        short = _short(exc)
        # (a name that does not resolve will not resolve a second later:
        # retrying only makes an offline machine wait)
        failure = HttpFailure(
            url,
            f"cannot be reached ({short})",
            retryable=short != UNKNOWN_HOST,
            reached=False,
            cause_ja=f"接続できませんでした（{_SHORT_JA.get(short, short)}）",
        )
    except requests.exceptions.RequestException as exc:
        failure = HttpFailure(
            url,
            f"request failed ({_short(exc)})",
            cause_ja=f"要求に失敗しました（{_short(exc)}）",
        )
    except urllib3.exceptions.ReadTimeoutError:  # (while streaming the body)
        failure = HttpFailure(
            url,
            f"did not answer within {read_timeout:g} s",
            cause_ja=f"{read_timeout:g}秒以内に応答がありませんでした",
        )
    except urllib3.exceptions.ProtocolError:  # (connection lost mid-body)
        failure = HttpFailure(url, "broke off its answer", cause_ja="応答が途中で切れました")
    except Exception:  # anything else urllib3 or http.client raise
        # (an exception's class name says nothing to a user)
        failure = HttpFailure(url, "request failed", cause_ja="要求に失敗しました")
    finally:
        if own:
            sess.close()
    raise failure


def fetch(
    method: str,
    url: str,
    *,
    bounds: HttpBounds,
    session: requests.Session | None = None,
    data: Any = None,
    headers: Mapping[str, str] | None = None,
    **options: Any,
) -> HttpAnswer:
    """One HTTP exchange within ``bounds``; any HTTP status is returned.
    ``data`` and ``options`` (``json``, ``auth``...) go to ``requests``.

    :raises HttpFailure: not reachable, past the deadline, too large, or
        broken off. The message holds the URL without credentials; the
        error carries no cause, context or traceback holding the request.
    """
    answers: queue.Queue[tuple[HttpAnswer | None, HttpFailure | None]] = queue.Queue(1)
    gave_up = threading.Event()

    def work() -> None:
        try:
            answer = _exchange(method, url, bounds, session, data, headers, options, gave_up)
        except HttpFailure as exc:  # handed to the caller's thread
            answers.put((None, exc))
        else:
            answers.put((answer, None))

    # a daemon, never holding the process open. A worker left behind stops
    # at the server's next body bytes or its read timeout; one stuck in the
    # headers of a server trickling them ends with http.client's header
    # limits (64 KiB a line, 100 lines) or the read timeout
    threading.Thread(target=work, name="shomei-http", daemon=True).start()
    try:
        answer, error = answers.get(timeout=bounds.total_timeout)
    except queue.Empty:
        gave_up.set()
        answer, error = None, None
    if error is not None:
        # a fresh error: the worker's carries the worker's frames
        raise HttpFailure(
            url,
            error.cause,
            status=error.status,
            retryable=error.retryable,
            reached=error.reached,
            cause_ja=error.cause_ja,
        )
    if answer is None:
        raise HttpFailure(
            url,
            f"did not finish answering within {bounds.total_timeout:g} s",
            cause_ja=f"{bounds.total_timeout:g}秒以内に応答が終わりませんでした",
        )
    return answer


def fetch_ok(
    method: str,
    url: str,
    *,
    bounds: HttpBounds,
    session: requests.Session | None = None,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """The body of a ``200`` answer (see :func:`fetch`); any other status is
    an :class:`HttpFailure` with ``status`` set."""
    answer = fetch(method, url, bounds=bounds, session=session, data=data, headers=headers)
    if answer.status != 200:
        raise HttpFailure(
            url,
            f"answered HTTP {answer.status} {answer.reason}".rstrip(),
            cause_ja=f"HTTP {answer.status} {answer.reason}".rstrip() + "を返しました",
            status=answer.status,
            retryable=not 400 <= answer.status < 500,
        )
    return answer.content


__all__ = [
    "HttpAnswer",
    "HttpBounds",
    "HttpFailure",
    "fetch",
    "fetch_ok",
    "redact_url",
    "redact_urls_in",
]
