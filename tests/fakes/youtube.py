"""A loopback fake of YouTube: Data API v3 videos, resumable uploads and Google's OAuth token endpoint.

Base URLs (point the settings at them): ``{url}/youtube/v3`` (``YOUTUBE_API_URL``),
``{url}/upload/youtube/v3`` (``YOUTUBE_UPLOAD_URL``) and ``{url}/token`` (``GOOGLE_OAUTH_TOKEN_URL``).

Wire format (the subset Siar uses):

- ``POST /token`` form ``grant_type=refresh_token, refresh_token, client_id, client_secret`` →
  ``{"access_token", "expires_in", "scope", "token_type": "Bearer"}``; an unknown refresh token →
  400 ``{"error": "invalid_grant"}``; a wrong client → 401 ``{"error": "invalid_client"}``.
- ``POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`` with the video resource
  (JSON), ``X-Upload-Content-Length`` and ``X-Upload-Content-Type`` → 200, the session URI in ``Location``.
- ``PUT <session URI>`` with ``Content-Range: bytes A-B/TOTAL`` → 308 with ``Range: bytes=0-N`` (no
  ``Range`` when nothing arrived), or 201 with the video resource once every byte is there;
  ``Content-Range: bytes */TOTAL`` (no body) asks for that status. Unknown or expired session → 404.
- ``PUT /youtube/v3/videos?part=snippet|status`` with ``{"id", "snippet"|"status"}`` → 200 the video.
- ``DELETE /youtube/v3/videos?id=…`` → 204.

Every request but ``/token`` needs ``Authorization: Bearer <an access token this fake issued>``, else
401 ``authError``. Errors have Google's shape: ``{"error": {"code", "message", "errors": [{"message",
"domain", "reason"}], "status"}}``. Knobs are plain attributes or methods, usable while it runs.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field, replace
from itertools import count
from urllib.parse import parse_qsl, urlsplit

from .loopback import LoopbackServer, TrackedHandler

JSON = "application/json; charset=UTF-8"
UNIT = 256 * 1024
API = "/youtube/v3"
UPLOAD = "/upload/youtube/v3"
RECORDED_HEADERS = (
    "Authorization",
    "Content-Length",
    "Content-Range",
    "Content-Type",
    "X-Upload-Content-Length",
    "X-Upload-Content-Type",
)
QUOTA_MESSAGE = (
    'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">'
    "quota</a>."
)
PRIVACY = ("public", "unlisted", "private")


@dataclass(frozen=True)
class Response:
    status: int  # 0: drop the connection without answering
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: dict, headers: dict | None = None) -> Response:
        return cls(status, json.dumps(payload).encode(), {"Content-Type": JSON, **(headers or {})})


DROP = Response(0)


def google_error(status: int, reason: str, message: str, domain: str = "global", headers: dict | None = None):
    """A Google-shaped error answer (also handy for ``respond_next``)."""
    statuses = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND"}
    error = {
        "code": status,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
        "status": statuses.get(status, "UNAVAILABLE"),
    }
    return Response.json(status, {"error": error}, headers)


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict
    headers: dict  # those in RECORDED_HEADERS that were sent
    body_size: int
    json: dict | None = None  # a JSON body
    form: dict = field(default_factory=dict)  # a form body (the token endpoint)
    status: int | None = None  # 0 when the connection was dropped


@dataclass
class UploadSession:
    id: str
    metadata: dict
    total: int
    content_type: str
    data: bytearray = field(default_factory=bytearray)
    video_id: str = ""
    gone: int = 0  # 404 or 410 once expired


@dataclass
class Video:
    id: str
    snippet: dict
    status: dict
    data: bytes
    session_id: str
    deleted: bool = False

    def resource(self) -> dict:
        snippet = {"channelId": "UCfakechannel0000000000", "channelTitle": "Fake channel", **self.snippet}
        return {
            "kind": "youtube#video",
            "etag": f"etag-{self.id}",
            "id": self.id,
            "snippet": snippet,
            "status": {"uploadStatus": "uploaded", **self.status},
        }


@dataclass
class ChunkFault:
    keep: int  # bytes of the chunk the session keeps
    status: int  # 0: drop the connection; else answer this status (a Google error)
    after: int  # chunks to let through first


class _Handler(TrackedHandler):
    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.title(): value for name, value in self.headers.items()}
        response = self.server.fake.handle(method, url.path, dict(parse_qsl(url.query)), headers, body)
        if response.status == 0:
            self.close_connection = True  # no answer at all: the client sees the connection close
            return
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class FakeYouTube(LoopbackServer):
    """The fake: an HTTP server on 127.0.0.1 (a free port) in a background thread."""

    handler = _Handler
    thread_name = "fake-youtube"

    def __init__(
        self,
        *,
        refresh_tokens: tuple[str, ...] = ("1//fake-refresh-token",),
        client_id: str = "fake-client.apps.googleusercontent.com",
        client_secret: str = "fake-client-secret",
        expires_in: int = 3599,
    ):
        super().__init__()
        self.refresh_tokens = set(refresh_tokens)  # those the token endpoint accepts
        self.client_id, self.client_secret = client_id, client_secret
        self.expires_in = expires_in  # of issued access tokens, seconds
        self.quota_exceeded = False  # API calls (not chunks) answer 403 quotaExceeded
        self.upload_limit_exceeded = False  # upload sessions answer 400 uploadLimitExceeded
        self.refuse_access_tokens = False  # every API call answers 401, even with a fresh token
        self._requests: list[RecordedRequest] = []
        self._access_tokens: dict[str, float] = {}  # token → monotonic expiry
        self._sessions: dict[str, UploadSession] = {}
        self._videos: dict[str, Video] = {}
        self._chunk_faults: list[ChunkFault] = []
        self._lose_final_answer = False
        self._scripted: list[Response] = []
        self._numbers = count(1)

    # --- knobs -----------------------------------------------------------------------------

    def expire_access_tokens(self) -> None:
        """Every access token issued so far is refused (401 authError) from now on."""
        with self._lock:
            self._access_tokens.clear()

    def break_next_chunk(self, keep: int = 0, *, after: int = 0) -> None:
        """A chunk (the next, or the one after ``after`` good ones): keep its first ``keep`` bytes, then
        drop the connection without answering."""
        with self._lock:
            self._chunk_faults.append(ChunkFault(keep, 0, after))

    def fail_next_chunk(self, status: int = 503, keep: int = 0, *, after: int = 0) -> None:
        """Like ``break_next_chunk``, but answer ``status`` (a Google backendError) instead."""
        with self._lock:
            self._chunk_faults.append(ChunkFault(keep, status, after))

    def lose_final_answer(self) -> None:
        """Complete the next finished upload (the video exists), but drop the connection instead of answering."""
        with self._lock:
            self._lose_final_answer = True

    def expire_session(self, session_id: str, status: int = 404) -> None:
        with self._lock:
            self._sessions[session_id].gone = status

    def respond_next(self, response: Response) -> None:
        """Answer the next API or upload request (not ``/token``) with this; queued in order."""
        with self._lock:
            self._scripted.append(response)

    def add_video(self, video_id: str = "", *, title: str = "Video lama", privacy: str = "public") -> Video:
        """A video already on the channel (for update and delete tests)."""
        video_id = video_id or f"vid{next(self._numbers):08d}"
        video = Video(
            video_id, {"title": title, "description": "", "categoryId": "25"}, {"privacyStatus": privacy}, b"", ""
        )
        with self._lock:
            self._videos[video_id] = video
        return replace(video)

    # --- what happened -----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [replace(request) for request in self._requests]

    @property
    def token_requests(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == "/token"]

    @property
    def chunk_requests(self) -> list[RecordedRequest]:
        """``PUT``s carrying bytes to an upload session (not status queries)."""
        return [r for r in self.requests if r.method == "PUT" and "upload_id" in r.query and r.body_size]

    @property
    def sessions(self) -> list[UploadSession]:
        with self._lock:
            return [replace(session, data=bytearray(session.data)) for session in self._sessions.values()]

    def videos(self, *, include_deleted: bool = False) -> list[Video]:
        with self._lock:
            return [replace(v) for v in self._videos.values() if include_deleted or not v.deleted]

    # --- serving -----------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict, headers: dict, body: bytes) -> Response:
        record = RecordedRequest(
            method, path, dict(query), {k: headers[k] for k in RECORDED_HEADERS if k in headers}, len(body)
        )
        content_type = headers.get("Content-Type", "")
        if body and content_type.startswith("application/json"):
            record.json = json.loads(body)
        elif body and content_type.startswith("application/x-www-form-urlencoded"):
            record.form = dict(parse_qsl(body.decode()))
        with self._lock:
            self._requests.append(record)
        response = self._respond(method, path, query, headers, body, record)
        with self._lock:
            record.status = response.status
        return response

    def _respond(self, method, path, query, headers, body, record) -> Response:
        if path == "/token" and method == "POST":
            return self._token(record.form)
        with self._lock:
            scripted = self._scripted.pop(0) if self._scripted else None
        if scripted is not None:
            return scripted
        if not self._authorized(headers.get("Authorization", "")):
            return google_error(401, "authError", "Request had invalid authentication credentials.")
        if path == f"{UPLOAD}/videos" and method == "PUT" and "upload_id" in query:
            return self._chunk(query["upload_id"], headers, body)
        if self.quota_exceeded:
            return google_error(403, "quotaExceeded", QUOTA_MESSAGE, "youtube.quota")
        if path == f"{UPLOAD}/videos" and method == "POST" and query.get("uploadType") == "resumable":
            return self._open_session(query, headers, record.json or {})
        if path == f"{API}/videos" and method == "PUT":
            return self._update(query.get("part", ""), record.json or {})
        if path == f"{API}/videos" and method == "DELETE":
            return self._delete(query.get("id", ""))
        return google_error(404, "notFound", f"{method} {path} is not something this fake knows.")

    def _token(self, form: dict) -> Response:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return Response.json(
                401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
            )
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") not in self.refresh_tokens:
            return Response.json(
                400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            )
        token = f"ya29.fake-access-{next(self._numbers)}"
        with self._lock:
            self._access_tokens[token] = time.monotonic() + self.expires_in
        return Response.json(
            200,
            {
                "access_token": token,
                "expires_in": self.expires_in,
                "scope": "https://www.googleapis.com/auth/youtube",
                "token_type": "Bearer",
            },
        )

    def _authorized(self, authorization: str) -> bool:
        token = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
        with self._lock:
            expiry = self._access_tokens.get(token)
        return not self.refuse_access_tokens and expiry is not None and time.monotonic() < expiry

    def _open_session(self, query: dict, headers: dict, resource: dict) -> Response:
        if self.upload_limit_exceeded:
            return google_error(
                400,
                "uploadLimitExceeded",
                "The user has exceeded the number of videos they may upload.",
                "youtube.video",
            )
        problem = _metadata_problem(resource, update=False)
        if problem is not None:
            return problem
        try:
            total = int(headers["X-Upload-Content-Length"])
        except (KeyError, ValueError):
            return google_error(400, "badRequest", "X-Upload-Content-Length is required.")
        session = UploadSession(
            f"session-{next(self._numbers)}", resource, total, headers.get("X-Upload-Content-Type", "")
        )
        with self._lock:
            self._sessions[session.id] = session
        location = f"{self.url}{UPLOAD}/videos?uploadType=resumable&part={query.get('part', '')}&upload_id={session.id}"
        return Response(200, b"", {"Location": location, "X-GUploader-UploadID": session.id})

    def _chunk(self, session_id: str, headers: dict, body: bytes) -> Response:
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None or session.gone:
            status = session.gone if session else 404
            return google_error(status, "notFound", "The upload session does not exist or has expired.")
        content_range = headers.get("Content-Range", "")
        if re.fullmatch(rf"bytes \*/{session.total}", content_range):
            return self._session_status(session)
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", content_range)
        if not match:
            return google_error(400, "badRequest", f"Unreadable Content-Range {content_range!r}.")
        first, last, total = (int(group) for group in match.groups())
        if total != session.total or last - first + 1 != len(body) or first != len(session.data):
            message = f"Content-Range {content_range!r} does not continue the {len(session.data)} bytes received."
            return google_error(400, "badRequest", message)
        if last + 1 != total and len(body) % UNIT:
            return google_error(400, "badRequest", "A chunk but the last must be a multiple of 256 KiB.")
        with self._lock:
            fault = self._chunk_faults[0] if self._chunk_faults else None
            if fault is not None and fault.after:
                fault.after, fault = fault.after - 1, None
            elif fault is not None:
                self._chunk_faults.pop(0)
        if fault is not None:
            self._append(session, body[: fault.keep])
            if fault.status == 0:
                return DROP
            return google_error(fault.status, "backendError", "Backend Error")
        video = self._append(session, body)
        if video is None:
            return self._session_status(session)
        with self._lock:
            lose, self._lose_final_answer = self._lose_final_answer, False
        return DROP if lose else Response.json(201, video.resource())

    def _append(self, session: UploadSession, data: bytes) -> Video | None:
        """Store bytes; the video, once the upload is complete."""
        with self._lock:
            session.data += data
            if len(session.data) < session.total or session.video_id:
                return None
            video = Video(
                f"vid{next(self._numbers):08d}",
                dict(session.metadata.get("snippet", {})),
                dict(session.metadata.get("status", {})),
                bytes(session.data),
                session.id,
            )
            session.video_id = video.id
            self._videos[video.id] = video
            return video

    def _session_status(self, session: UploadSession) -> Response:
        with self._lock:
            video = self._videos.get(session.video_id)
            received = len(session.data)
        if video is not None:
            return Response.json(200, video.resource())
        headers = {"Range": f"bytes=0-{received - 1}"} if received else {}
        return Response(308, b"", headers)

    def _update(self, part: str, resource: dict) -> Response:
        if part not in ("snippet", "status") or part not in resource:
            return google_error(400, "invalidPart", f"The part {part!r} is missing from the request.")
        if part == "snippet":
            problem = _metadata_problem({"snippet": resource["snippet"]}, update=True)
            if problem is not None:
                return problem
        elif resource["status"].get("privacyStatus") not in PRIVACY:
            return google_error(400, "invalidValue", "Invalid privacy status.", "youtube.video")
        with self._lock:
            video = self._videos.get(resource.get("id", ""))
            if video is not None and not video.deleted:
                setattr(video, part, dict(resource[part]))  # an update replaces the whole part
                return Response.json(200, video.resource())
        return google_error(
            404, "videoNotFound", "The video that you are trying to update cannot be found.", "youtube.video"
        )

    def _delete(self, video_id: str) -> Response:
        with self._lock:
            video = self._videos.get(video_id)
            if video is not None and not video.deleted:
                video.deleted = True
                return Response(204)
        return google_error(
            404, "videoNotFound", "The video that you are trying to delete cannot be found.", "youtube.video"
        )


def _metadata_problem(resource: dict, *, update: bool) -> Response | None:
    """YouTube's metadata rules, as far as Siar's adapter must respect them (None: all good)."""
    snippet, status = resource.get("snippet") or {}, resource.get("status") or {}
    title, description = str(snippet.get("title") or ""), str(snippet.get("description") or "")
    tags = [str(tag) for tag in snippet.get("tags") or []]
    if not title or len(title) > 100 or re.search("[<>]", title):
        return google_error(
            400, "invalidTitle", "The request metadata specifies an invalid or empty video title.", "youtube.video"
        )
    if len(description.encode()) > 5000 or re.search("[<>]", description):
        return google_error(
            400, "invalidDescription", "The request metadata specifies an invalid video description.", "youtube.video"
        )
    tags_length = sum(len(tag) + (2 if " " in tag else 0) for tag in tags) + max(0, len(tags) - 1)
    if tags_length > 500 or any(re.search("[<>]", tag) for tag in tags):
        return google_error(
            400, "invalidTags", "The request metadata specifies invalid video keywords.", "youtube.video"
        )
    if update and not str(snippet.get("categoryId") or "").isdigit():
        return google_error(
            400,
            "invalidCategoryId",
            "The snippet.categoryId property specifies an invalid category ID.",
            "youtube.video",
        )
    if not update and status.get("privacyStatus") not in PRIVACY:
        return google_error(400, "invalidValue", "Invalid privacy status.", "youtube.video")
    return None
