"""A loopback fake of a Graph-API-like platform, with faults that tests can inject.

Wire format (a small subset of Facebook's Graph API):

- ``POST /{account}/feed`` (form or JSON: ``message``, ``link``) → ``{"id": "<account>_<n>"}``
- ``POST /{account}/photos`` (``url``, ``message``) → ``{"id": "<photo>", "post_id": "<account>_<n>"}``
- ``GET /{account}/feed?fields=id,message,link,permalink_url,created_time[&limit=n]`` →
  ``{"data": [...]}``, newest first
- ``POST /{post}`` with ``message`` → ``{"success": true}`` (edit)
- ``DELETE /{post}`` → ``{"success": true}``

Errors have Graph's shape: ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``.
The token comes as the ``access_token`` parameter or as ``Authorization: Bearer <token>``.

Usage::

    with FakePlatform(error_rate=0.3, seed=1) as platform:
        ...  # point a transport at platform.url
        assert set(platform.posts_per_link().values()) == {1}

Fault knobs are plain attributes and may be changed while the server runs.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import count
from urllib.parse import parse_qsl, urlsplit

from .loopback import LoopbackServer, TrackedHandler

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
POST_FIELDS = ("id", "message", "link", "permalink_url", "created_time", "attachments")
BAD_GATEWAY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass
class RecordedRequest:
    """One request as the platform saw it. Times are ``time.monotonic()`` of this process."""

    method: str
    path: str
    params: dict  # query and body fields, without the access token
    account_id: str  # the account the request concerns ("" when the path names none)
    received_at: float
    answered_at: float | None = None
    status: int | None = None
    retry_after: float | None = None  # the Retry-After sent with a 429
    token_in: str = ""  # where the token came: "header", "query", "body" or "" (none)


@dataclass
class StoredPost:
    id: str
    account_id: str
    message: str
    link: str
    created_at: float  # time.monotonic()
    deleted: bool = False
    image_url: str = ""
    created_time: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()))


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = JSON
    headers: dict = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: dict, headers: dict | None = None) -> Response:
        return cls(status, json.dumps(payload).encode(), JSON, headers or {})


class Hold:
    """Stops one ``POST /{account}/feed`` before its answer is sent: after its post is stored, or
    (``before_store``) before the post exists at all."""

    def __init__(self, account_id: str | None, max_wait: float, before_store: bool = False):
        self.account_id = account_id
        self.before_store = before_store
        self.max_wait = max_wait  # the gate opens by itself after this long, so no test hangs
        self.post: StoredPost | None = None  # the stored post (None while held before storing)
        self._held = threading.Event()
        self._released = threading.Event()

    def matches(self, account_id: str) -> bool:
        return self.account_id is None or self.account_id == account_id

    def wait_held(self, timeout: float) -> bool:
        """True once the request is held (after storing its post, unless ``before_store``)."""
        return self._held.wait(timeout)

    def release(self) -> None:
        self._released.set()

    def _block(self, post: StoredPost | None) -> None:
        self.post = post
        self._held.set()
        self._released.wait(self.max_wait)


class _Handler(TrackedHandler):
    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        body = self.form_params()
        params = {**query, **body}
        token = params.pop("access_token", "")
        token_in = "query" if "access_token" in query else "body" if token else ""
        authorization = self.headers.get("Authorization", "")
        if not token and authorization.lower().startswith("bearer "):
            token, token_in = authorization[7:].strip(), "header"
        response = self.server.fake.handle(method, url.path, params, token, token_in)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client went away while we held or slept


class FakePlatform(LoopbackServer):
    """The fake platform: an HTTP server on 127.0.0.1 (a free port) in a background thread."""

    handler = _Handler
    thread_name = "fake-platform"

    def __init__(
        self,
        *,
        latency: float = 0.0,
        error_rate: float = 0.0,
        error_style: str = "mixed",
        rate_limit_rate: float = 0.0,
        retry_after: float = 1.0,
        seed: int | None = 0,
    ):
        super().__init__()
        self.latency = latency  # seconds before every answer
        self.error_rate = error_rate  # probability of a 5xx
        self.error_style = error_style  # "html" (502 page), "graph" (500, code 2) or "mixed"
        self.rate_limit_rate = rate_limit_rate  # probability of a 429 (code 4) with Retry-After
        self.retry_after = retry_after  # seconds, sent in Retry-After
        self.reject_duplicates = False  # as Facebook does: code 506 for a message the account just posted
        self._rng = random.Random(seed)
        self._requests: list[RecordedRequest] = []
        self._posts: dict[str, StoredPost] = {}
        self._post_numbers = count(1)
        self._trace_numbers = count(1)
        self._revoked: set[str] = set()
        self._holds: list[Hold] = []  # waiting for their post
        self._every_hold: list[Hold] = []  # including those blocking a request now: stop() opens them
        self._lost_answers: list[str] = []
        self._scripted: list[Response] = []

    # --- lifecycle ---------------------------------------------------------------------

    def before_stop(self) -> None:
        with self._lock:
            holds = list(self._every_hold)
        for hold in holds:
            hold.release()
        self.wait_idle(timeout=5)  # let released requests answer before their connections close

    # --- controls ----------------------------------------------------------------------

    def revoke(self, token: str) -> None:
        """From now on, requests with this token answer 401 (code 190)."""
        with self._lock:
            self._revoked.add(token)

    def hold_next_post(
        self, account_id: str | None = None, *, before_store: bool = False, max_wait: float = 60.0
    ) -> Hold:
        """Hold the next post to ``account_id`` (any account when None) until released."""
        hold = Hold(account_id, max_wait, before_store)
        with self._lock:
            self._holds.append(hold)
            self._every_hold.append(hold)
        return hold

    def lose_next_answer(self, account_id: str | None = None) -> None:
        """Store the next post to ``account_id`` but answer 502 (a gateway that lost the answer)."""
        with self._lock:
            self._lost_answers.append(account_id or "")  # "": any account

    def respond_next(self, response: Response) -> None:
        """Answer the next request with this canned response (after recording it); queued in order."""
        with self._lock:
            self._scripted.append(response)

    # --- what happened -----------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [replace(request, params=dict(request.params)) for request in self._requests]

    def wait_idle(self, timeout: float) -> bool:
        """True once every request received so far has been answered (e.g. a released hold)."""
        deadline = time.monotonic() + timeout
        while any(request.answered_at is None for request in self.requests):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def posts(self, account_id: str | None = None, *, include_deleted: bool = False) -> list[StoredPost]:
        """Stored posts, oldest first."""
        with self._lock:
            posts = [replace(post) for post in self._posts.values()]
        return [
            post
            for post in posts
            if (account_id is None or post.account_id == account_id) and (include_deleted or not post.deleted)
        ]

    def posts_per_link(self, account_id: str | None = None) -> Counter:
        """How many live posts carry each link (``{link: 1, …}`` when nothing was posted twice)."""
        return Counter(post.link for post in self.posts(account_id))

    def early_requests(self, grace: float = 0.0) -> list[tuple[RecordedRequest, RecordedRequest]]:
        """(429, request) pairs: requests to an account that arrived sooner than the Retry-After of
        a 429 answered to that account. Requests arriving within ``grace`` seconds of the 429 are
        forgiven (they may have been on their way already)."""
        requests = self.requests
        limits = [r for r in requests if r.status == 429 and r.retry_after and r.answered_at is not None]
        return [
            (limit, request)
            for limit in limits
            for request in requests
            if request.account_id == limit.account_id
            and limit.answered_at + grace < request.received_at < limit.answered_at + limit.retry_after
        ]

    # --- serving -----------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, token: str, token_in: str = "") -> Response:
        """Answer one request (called by the HTTP handler threads)."""
        segments = [segment for segment in path.split("/") if segment]
        if segments and segments[0].startswith("v") and segments[0][1:2].isdigit():
            segments = segments[1:]  # a version prefix such as /v19.0/
        account_id = segments[0].rsplit("_", 1)[0] if len(segments) == 1 else (segments[0] if segments else "")
        record = RecordedRequest(method, "/" + "/".join(segments), dict(params), account_id, time.monotonic())
        record.token_in = token_in
        with self._lock:
            self._requests.append(record)
        if self.latency:
            time.sleep(self.latency)
        response = self._respond(method, segments, params, token, account_id)
        with self._lock:
            record.status, record.answered_at = response.status, time.monotonic()
            if response.status == 429:
                record.retry_after = float(response.headers.get("Retry-After", 0)) or None
        return response

    def _respond(self, method: str, segments: list[str], params: dict, token: str, account_id: str) -> Response:
        with self._lock:
            scripted = self._scripted.pop(0) if self._scripted else None
            revoked = not token or token in self._revoked
            limited = self._rng.random() < self.rate_limit_rate
            failed = self._rng.random() < self.error_rate
            html = self.error_style == "html" or (self.error_style == "mixed" and self._rng.random() < 0.5)
        if scripted is not None:
            return scripted
        if revoked:
            return self.error(401, "Error validating access token: the session has been invalidated.", 190, 460)
        if limited:
            retry_after = f"{self.retry_after:g}"
            return self.error(429, "(#4) Application request limit reached", 4, headers={"Retry-After": retry_after})
        if failed:
            if html:
                return Response(502, BAD_GATEWAY_PAGE, HTML)
            return self.error(500, "An unexpected error has occurred. Please retry your request later.", 2)
        return self._route(method, segments, params)

    def _route(self, method: str, segments: list[str], params: dict) -> Response:
        if len(segments) == 2 and segments[1] in ("feed", "photos") and method == "POST":
            return self._create(segments[0], params, photo=segments[1] == "photos")
        if len(segments) == 2 and segments[1] == "feed" and method == "GET":
            return self._feed(segments[0], params)
        if len(segments) == 1 and method in ("POST", "DELETE"):
            return self._change(method, segments[0], params)
        return self.error(400, f"Unsupported {method.lower()} request.", 100, 33, error_type="GraphMethodException")

    def _create(self, account_id: str, params: dict, *, photo: bool = False) -> Response:
        message, link, image_url = params.get("message", ""), params.get("link", ""), params.get("url", "")
        if photo and not image_url:
            return self.error(400, "(#100) Photo posts require a url or source", 100)
        if not message and not link and not photo:
            return self.error(400, "(#100) Missing message or attachment", 100)
        if self.reject_duplicates and any(post.message == message for post in self.posts(account_id)):
            return self.error(400, "Duplicate status message", 506, 1455006, error_type="OAuthException")
        hold = self._take(self._holds, lambda hold: hold.matches(account_id))
        if hold is not None and hold.before_store:
            hold._block(None)
        with self._lock:
            number = next(self._post_numbers)
            post = StoredPost(f"{account_id}_{number}", account_id, message, link, time.monotonic())
            post.image_url = image_url
            self._posts[post.id] = post
        if hold is not None and not hold.before_store:
            hold._block(replace(post))
        if self._take(self._lost_answers, lambda wanted: wanted in ("", account_id)) is not None:
            return Response(502, BAD_GATEWAY_PAGE, HTML)
        if photo:
            return Response.json(200, {"id": f"{number}", "post_id": post.id})
        return Response.json(200, {"id": post.id})

    def _take(self, items: list, matches):
        """Remove and return the first item that matches (None when none does)."""
        with self._lock:
            for index, item in enumerate(items):
                if matches(item):
                    return items.pop(index)
        return None

    def _feed(self, account_id: str, params: dict) -> Response:
        fields = [name.split("{")[0] for name in params.get("fields", "id,message").split(",") if name]
        try:
            limit = min(100, max(1, int(params.get("limit", "25"))))
        except ValueError:
            return self.error(400, "(#100) The parameter limit must be an integer", 100)
        posts = self.posts(account_id)[::-1][:limit]
        data = [{name: self._field(post, name) for name in fields if name in POST_FIELDS} for post in posts]
        return Response.json(200, {"data": data})

    @staticmethod
    def _field(post: StoredPost, name: str) -> str:
        if name == "permalink_url":
            return f"https://www.facebook.com/{post.id}"
        if name == "attachments":  # as Graph's attachments{unshimmed_url}: the link a link post shares
            return {"data": [{"unshimmed_url": post.link}]} if post.link else {"data": []}
        return getattr(post, name)

    def _change(self, method: str, post_id: str, params: dict) -> Response:
        if method == "POST" and "message" not in params:
            return self.error(400, "(#100) Missing message", 100)
        with self._lock:
            post = self._posts.get(post_id)
            exists = post is not None and not post.deleted
            if exists and method == "DELETE":
                post.deleted = True
            elif exists:
                post.message = params["message"]
        if not exists:
            message = f"Unsupported {method.lower()} request. Object with ID '{post_id}' does not exist."
            return self.error(400, message, 100, 33, error_type="GraphMethodException")
        return Response.json(200, {"success": True})

    def error(
        self,
        status: int,
        message: str,
        code: int,
        subcode: int | None = None,
        *,
        error_type: str = "OAuthException",
        headers: dict | None = None,
    ) -> Response:
        """A Graph-shaped error response (also handy for ``respond_next``)."""
        error = {
            "message": message,
            "type": error_type,
            "code": code,
            "error_subcode": subcode,
            "fbtrace_id": f"fake{next(self._trace_numbers):07d}",
        }
        return Response.json(status, {"error": error}, headers)
