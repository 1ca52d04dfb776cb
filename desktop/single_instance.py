"""One Shomei window per user: a second launch hands its files to the first
over a QLocalSocket and exits."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket


def default_server_name() -> str:
    """One name per user: the user id where there is one (this runs before
    the first paint, and getpass and hashlib cost ~5 ms to import), else a
    hash of the user name."""
    if hasattr(os, "getuid"):
        return f"shomei-{os.getuid()}"
    import getpass
    import hashlib

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    return "shomei-" + hashlib.sha256(user.encode()).hexdigest()[:16]


def send_to_running(paths: Sequence[str], name: str, timeout_ms: int = 500) -> bool:
    """True when a running instance took ``paths`` (it then shows itself)."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write((json.dumps(list(paths)) + "\n").encode())
    ok = sock.waitForBytesWritten(timeout_ms)
    sock.disconnectFromServer()
    if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        sock.waitForDisconnected(timeout_ms)
    return ok


class InstanceServer(QObject):
    """Listens for later launches; emits the files they pass on."""

    files_received = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        # A crashed instance may have left its socket file behind.
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._finish(s))

    def _read(self, sock: QLocalSocket) -> None:
        self._buffers[sock] = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        if self._buffers[sock].endswith(b"\n"):
            self._finish(sock)

    def _finish(self, sock: QLocalSocket) -> None:
        data = self._buffers.pop(sock, None)
        if data is None:
            return
        data += bytes(sock.readAll().data())
        sock.deleteLater()
        try:
            paths = json.loads(data.decode() or "[]")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return
        if isinstance(paths, list):
            self.files_received.emit([str(p) for p in paths])
