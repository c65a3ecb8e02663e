"""A unit's website on loopback: serves an RSS 2.0 feed whose items the test sets, with an ETag
(answering 304 to a matching If-None-Match), or a scripted failure (500, garbage, a huge body, a redirect)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email.utils import format_datetime
from xml.sax.saxutils import escape

from .loopback import LoopbackServer, TrackedHandler


@dataclass
class FeedItem:
    title: str
    link: str
    guid: str = ""
    description: str = ""
    published: object = None  # an aware datetime, or None


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict = field(default_factory=dict)


class _Handler(TrackedHandler):
    def do_GET(self):
        fake = self.server.fake
        with fake._lock:
            fake.requests.append(Request(self.path, dict(self.headers)))
            mode = fake.modes.get(self.path.split("?")[0], "feed")
        if mode == "error":
            return self._answer(500, b"Internal Server Error", "text/plain")
        if mode == "garbage":
            return self._answer(200, b"\x00\x01 this is not XML <<<", "application/rss+xml")
        if mode == "sloppy":  # readable, but not well-formed XML (an HTML entity)
            return self._answer(200, fake.render().replace(b"</channel>", b"<x>&nbsp;</x></channel>"), "text/xml")
        if mode == "huge":
            return self._answer(200, b"<rss>" + b" " * fake.huge_bytes + b"</rss>", "application/rss+xml")
        if mode == "huge-unsized":  # no Content-Length: the body ends when the connection closes
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                self.wfile.write(b"<rss>" + b" " * fake.huge_bytes + b"</rss>")
            except OSError:
                pass  # the client stopped reading at its size limit
            return None
        if mode.startswith("redirect:"):
            self.send_response(301)
            self.send_header("Location", mode.removeprefix("redirect:"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        body = fake.render()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return self._answer(200, body, "application/rss+xml; charset=utf-8", {"ETag": etag})

    def _answer(self, status, body, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client stopped reading (e.g. at its size limit)


class UnitFeedServer(LoopbackServer):
    handler = _Handler
    thread_name = "fake-unit-feed"

    def __init__(self):
        super().__init__()
        self.items: list[FeedItem] = []
        self.requests: list[Request] = []
        self.modes: dict[str, str] = {}  # path → "feed" (default), "error", "garbage", "sloppy", "huge",
        # "huge-unsized", "redirect:<url>"
        self.huge_bytes = 6 * 1024 * 1024

    def feed_url(self, path: str = "/feed.xml") -> str:
        return f"{self.url}{path}"

    def render(self) -> bytes:
        entries = []
        for item in self.items:
            parts = [f"<title>{escape(item.title)}</title>", f"<link>{escape(item.link)}</link>"]
            if item.guid:
                parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
            if item.description:
                parts.append(f"<description>{escape(item.description)}</description>")
            if item.published:
                parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
            entries.append(f"<item>{''.join(parts)}</item>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Unit news</title><link>{self.url}/</link><description>Unit news</description>"
            f"{''.join(entries)}</channel></rss>"
        ).encode()
