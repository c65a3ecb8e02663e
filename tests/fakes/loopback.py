"""What every loopback fake shares: a threaded HTTP server on 127.0.0.1 (a free port) and a quiet,
keep-alive handler whose connections are tracked so that ``stop()`` never waits on idle clients.

A fake subclasses ``LoopbackServer`` (setting ``handler`` and ``thread_name``) and its handler
subclasses ``TrackedHandler``; the handler reaches the fake as ``self.server.fake``.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class TrackedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real clients expect

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes: without this, Nagle's algorithm and the client's
        # delayed ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake._lock:
            self.server.fake._connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass  # the client went away (e.g. a worker killed mid-request)

    def log_message(self, format: str, *args) -> None:
        """Quiet: the fakes record requests themselves."""

    def form_params(self) -> dict:
        """The body's fields, sent as a form or as a JSON object (values as strings, as Graph reads them)."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not body:
            return {}
        if self.headers.get("Content-Type", "").startswith("application/json"):
            try:
                payload = json.loads(body)
            except ValueError:
                return {}
            return {str(key): str(value) for key, value in payload.items()} if isinstance(payload, dict) else {}
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


class LoopbackServer:
    handler: type[TrackedHandler]
    thread_name = "fake-server"

    def __init__(self):
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        server.daemon_threads = True
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self

    def before_stop(self) -> None:
        """Hook: e.g. open held requests so they answer before their connections close."""

    def stop(self) -> None:
        if self._server is None:
            return
        self.before_stop()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:  # idle keep-alive connections would keep handler threads alive
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=10)
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"
