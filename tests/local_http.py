"""A throwaway HTTP server on 127.0.0.1 for the tests that download: the
server thread and the 200 answer that the list and test-data servers share."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from typing import TypeVar


class LocalServer:
    """Serves ``handler`` on a free port of 127.0.0.1 from a daemon thread
    until :meth:`stop`."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


Served = TypeVar("Served", bound=LocalServer)


def served(server: Served) -> Iterator[Served]:
    """``server`` for a fixture to ``yield from``: stopped once the test is done."""
    try:
        yield server
    finally:
        server.stop()


def send_body(
    handler: http.server.BaseHTTPRequestHandler, body: bytes, content_type: str | None = None
) -> None:
    """Answer 200 with ``body`` (and its length)."""
    handler.send_response(200)
    if content_type is not None:
        handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def closed_url(path: str = "") -> str:
    """A URL on 127.0.0.1 where nothing listens (a port just given back)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}{path}"
