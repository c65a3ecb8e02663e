"""A loopback receiver for webhooks and cache purges: records each request and answers with scripted statuses."""

from __future__ import annotations

from dataclasses import dataclass

from .loopback import LoopbackServer, TrackedHandler


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict
    body: bytes
    method: str = "POST"


class _Handler(TrackedHandler):
    def do_POST(self):
        receiver = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with receiver._lock:
            receiver.received.append(Received(self.path, dict(self.headers), body, self.command))
            status, headers, answer = receiver.answers.pop(0) if receiver.answers else (200, {}, b"ok")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_PURGE = do_POST  # cache purges (Wagtail's frontend cache HTTP backend)


class WebhookReceiver(LoopbackServer):
    handler = _Handler
    thread_name = "fake-webhook"

    def __init__(self):
        super().__init__()
        self.received: list[Received] = []
        self.answers: list[tuple[int, dict, bytes]] = []  # (status, headers, body), used in order

    @property
    def url(self) -> str:
        return f"{super().url}/api/revalidate"
