"""Secrets never ride along in an error: a failed remote-signing request
keeps no trace of the request it sent (PIN, one-time password, bearer
token), and a time-stamping server's user name and password stay out of
messages and warnings."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from signing.errors import RemoteServiceUnavailableError, TimestampError
from signing.keys.csc_client import CscClient, CscSettings
from signing.net.bounded_http import redact_url
from signing.sign.tsa import FailoverTimeStamper


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nobody listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield port


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    while exc is not None:
        yield exc
        exc = exc.__cause__ or exc.__context__


def test_a_failed_remote_request_keeps_no_secret(closed_port: int) -> None:
    settings = CscSettings(
        service_url=f"http://127.0.0.1:{closed_port}", access_token="SECRET-BEARER"
    )
    client = CscClient(settings)
    with pytest.raises(RemoteServiceUnavailableError) as info:
        client._request(
            f"http://127.0.0.1:{closed_port}/csc/v1/credentials/authorize",
            timeout=2,
            json={"credentialID": "x", "PIN": "123456", "OTP": "999"},
            headers={"Authorization": "Bearer SECRET-BEARER"},
        )
    chain = list(_chain(info.value))
    assert chain == [info.value]  # no cause, no context: nothing holds the request
    assert "123456" not in str(info.value) and "SECRET" not in str(info.value)


def test_tsa_credentials_stay_out_of_messages(closed_port: int) -> None:
    assert (
        redact_url("https://user:pw@tsa.example:8443/tsr?x=1") == "https://tsa.example:8443/tsr?x=1"
    )
    assert redact_url("http://tsa.example/tsr") == "http://tsa.example/tsr"
    url = f"http://alice:s3cret@127.0.0.1:{closed_port}/tsr"
    with pytest.raises(TimestampError) as info:
        FailoverTimeStamper((url,), 2).timestamp_sync(bytes(32), "sha256")
    assert "s3cret" not in str(info.value) and "alice" not in str(info.value)
    assert f"127.0.0.1:{closed_port}" in str(info.value)


def test_trust_list_rows_never_hold_url_credentials() -> None:
    """A LOTL or mirror URL given with a user name and password: neither the
    cached state nor the status row keeps them, in the URL or the error texts."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from signing.trust.eu import TerritoryStatus
    from signing.trust.tl_store import ListState

    url = "https://alice:s3cret@tl.example/lotl.xml"
    state = ListState(
        key="LOTL", url=url, last_error=f"failed: {url}", last_error_ja=f"失敗：{url}"
    )
    # (a row for a list not fetched yet takes the URL it was given)
    row = TerritoryStatus.of("LOTL", ListState(key="LOTL"), datetime.now(UTC), url=url)
    row = replace(row, last_error=f"failed: {url}", last_error_ja=f"失敗：{url}")
    texts = (
        state.url,
        state.last_error,
        state.last_error_ja,
        row.url,
        row.last_error,
        row.last_error_ja,
    )
    for value in texts:
        assert value is not None and "tl.example" in value
        assert "alice" not in value and "s3cret" not in value
