"""certomancer-csc-dummy served on 127.0.0.1 from the test PKI, with what the
dummy leaves out added around it: an OAuth2 client-credentials endpoint, a
bearer-token check, and PIN + OTP on one credential (the dummy authorises
anyone; a real service checks both)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams

from tests.pki import PKI

CLIENT_ID = "shomei-test"
CLIENT_SECRET = "client s3cret"
ACCESS_TOKEN = "token-from-client-credentials"
PASTED_TOKEN = "pasted-token"
PROTECTED = "shomei/signer-ec"  # needs PIN and OTP
PIN = "2468"
OTP = "135790"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class CscServer:
    url: str
    scal: int
    authorize_calls: list[dict[str, Any]] = field(default_factory=list)
    #: tokens handed out by /oauth2/token that are still valid
    tokens: set[str] = field(default_factory=lambda: {ACCESS_TOKEN})
    token_requests: int = 0
    _loop: Any = None
    _runner: Any = None
    _thread: Any = None

    def stop(self) -> None:
        fut = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
        fut.result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


def _error(status: int, error: str, description: str) -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=status)


def start_csc(pki: PKI, scal: int = 2) -> CscServer:
    csc = CSCWithCertomancer(
        pki.config, service_params=DummyServiceParams(hash_pinning_required=scal >= 2)
    )
    csc.register_routes()
    server = CscServer(url="", scal=scal)

    async def oauth_token(request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        form = await request.post()
        import base64

        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if form.get("grant_type") != "client_credentials" or auth != expected:
            return _error(401, "invalid_client", "unknown client")
        server.token_requests += 1
        token = f"{ACCESS_TOKEN}-{server.token_requests}"
        server.tokens.add(token)
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
        )

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/csc/"):
            return await handler(request)
        if request.headers.get("Authorization") not in {
            f"Bearer {t}" for t in (*server.tokens, PASTED_TOKEN)
        }:
            return _error(401, "invalid_token", "The access token is not valid")
        body = await request.json()
        protected = body.get("credentialID") == PROTECTED
        if request.path.endswith("/credentials/authorize"):
            server.authorize_calls.append(dict(body))
            if protected and (body.get("PIN") != PIN or body.get("OTP") != OTP):
                return _error(400, "invalid_request", "The PIN or OTP is invalid")
        resp = await handler(request)
        if protected and request.path.endswith("/credentials/info"):
            assert isinstance(resp, web.Response) and resp.body is not None
            info = json.loads(bytes(resp.body))  # type: ignore[arg-type]
            info["authMode"] = "explicit"
            info["PIN"] = {"presence": "true", "format": "N"}
            info["OTP"] = {"presence": "true", "type": "offline"}
            return web.json_response(info)
        return resp

    csc.app.middlewares.append(guard)
    csc.app.router.add_post("/oauth2/token", oauth_token)

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server.url = f"http://127.0.0.1:{port}"
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def serve() -> None:
        runner = web.AppRunner(csc.app, access_log=None)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        server._runner = runner
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(serve())
        loop.run_forever()
        loop.close()

    thread = threading.Thread(target=run, daemon=True, name=f"csc-{port}")
    thread.start()
    if not ready.wait(timeout=20):
        raise RuntimeError("CSC dummy server did not start")
    server._loop, server._thread = loop, thread
    return server
