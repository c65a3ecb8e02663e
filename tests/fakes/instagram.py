"""A loopback fake of Instagram's Graph API content publishing, with knobs tests can turn.

Wire format (the endpoints ``channels.instagram.Transport`` uses; an optional ``/v26.0`` prefix is ignored):

- ``GET /{ig-user}/content_publishing_limit?fields=quota_usage,config``
  → ``{"data": [{"quota_usage": N, "config": {"quota_total": T, "quota_duration": 86400}}]}``
- ``POST /{ig-user}/media`` (``image_url``, ``caption``; or ``media_type=REELS``, ``video_url``; or a carousel item:
  ``image_url``, ``is_carousel_item=true``; or a carousel: ``media_type=CAROUSEL``, ``children`` (2 to 10
  comma-separated carousel item containers of the same user), ``caption``) → ``{"id": container}``
- ``GET /{container}?fields=status_code,status`` → ``{"status_code": "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED"
  | "PUBLISHED", "status": "…", "id": …}``
- ``POST /{ig-user}/media_publish`` (``creation_id``) → ``{"id": media}``; counts toward ``quota_usage``
- ``GET /{media}?fields=permalink`` → ``{"permalink": "https://www.instagram.com/p/…/", "id": …}``
- ``GET /{ig-user}/media?fields=id,caption,permalink,timestamp&limit=n`` → ``{"data": [...]}``, newest first

Errors have Graph's shape ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``. The token
comes as ``Authorization: Bearer <token>`` or as the ``access_token`` parameter.

Usage::

    with FakeInstagram(token="t") as instagram:
        instagram.finish_after = 3  # containers are FINISHED at their third status poll
        instagram.end_next_container("ERROR", "ERROR: Media upload has failed with error code 2207026")
        instagram.respond_next(instagram.error(400, "…", 9, 2207042), endpoint="publish")
        instagram.lose_next_publish_answer()  # published, but the answer is a 502
        ...  # point a transport at instagram.url
        assert [r.endpoint for r in instagram.requests] == ["quota", "create", "status", "publish", "permalink"]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import count
from urllib.parse import parse_qsl, urlsplit

from .loopback import LoopbackServer, TrackedHandler
from .platform import BAD_GATEWAY_PAGE, HTML, Response

USER_ID = "17841400000000001"
STATUS_TEXT = {
    "IN_PROGRESS": "In Progress: Media is still being processed.",
    "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
    "ERROR": "Error: Media upload has failed.",
    "EXPIRED": "Expired: The media container was not published within 24 hours.",
    "PUBLISHED": "Published: Media has been published.",
}
MEDIA_TYPES = {"REELS": "REELS", "CAROUSEL": "CAROUSEL_ALBUM"}  # a container's media_type → its post's
START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the version prefix
    params: dict  # query and body fields, without the access token
    endpoint: str  # "quota", "create", "status", "publish", "permalink", "list" or "unknown"
    token_in: str  # "header", "param" or "" (none sent)


@dataclass
class Container:
    id: str
    user_id: str
    params: dict
    end_status: str = "FINISHED"  # what it becomes after the fake's ``finish_after`` polls
    end_text: str = ""
    polls: int = 0
    published: bool = False
    is_carousel_item: bool = False

    def status_code(self, finish_after: int) -> str:
        if self.published:
            return "PUBLISHED"
        return self.end_status if self.polls >= finish_after else "IN_PROGRESS"


@dataclass
class Media:
    id: str
    user_id: str
    caption: str
    permalink: str
    timestamp: str
    media_type: str = "IMAGE"


class _Handler(TrackedHandler):
    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        params.update(self.form_params())
        token, token_in = params.pop("access_token", ""), "param"
        authorization = self.headers.get("Authorization", "")
        if authorization.lower().startswith("bearer "):
            token, token_in = authorization[7:].strip(), "header"
        response = self.server.fake.handle(method, url.path, params, token, token_in if token else "")
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
        except OSError:
            self.close_connection = True


class FakeInstagram(LoopbackServer):
    """The fake: an HTTP server on 127.0.0.1 (a free port) in a background thread. Knobs are plain attributes."""

    handler = _Handler
    thread_name = "fake-instagram"

    def __init__(self, *, token: str | None = None, user_id: str = USER_ID, quota_total: int = 25):
        super().__init__()
        self.token = token  # the one valid token (any non-empty token when None)
        self.user_id = user_id
        self.quota_total = quota_total
        self.quota_usage = 0
        self.finish_after = 1  # status polls until a container is FINISHED (1: at the first poll); may change
        self._requests: list[RecordedRequest] = []
        self._containers: dict[str, Container] = {}
        self._media: list[Media] = []
        self._endings: list[tuple[str, str]] = []
        self._scripted: list[tuple[str | None, Response]] = []
        self._revoked: set[str] = set()
        self._lose_publish_answers = 0
        self._ids = count(1)
        self._traces = count(1)

    # --- controls ----------------------------------------------------------------------

    def end_next_container(self, status_code: str, status: str = "") -> None:
        """The next container created (not counting carousel items) ends ``ERROR`` or ``EXPIRED`` (with this
        ``status`` text) instead of FINISHED."""
        with self._lock:
            self._endings.append((status_code, status or STATUS_TEXT.get(status_code, "")))

    def respond_next(self, response: Response, *, endpoint: str | None = None) -> None:
        """Answer the next request (to ``endpoint`` when given) with this canned response; queued in order."""
        with self._lock:
            self._scripted.append((endpoint, response))

    def lose_next_publish_answer(self) -> None:
        """Publish at the next ``media_publish`` but answer 502 (a gateway that lost the answer)."""
        with self._lock:
            self._lose_publish_answers += 1

    def revoke(self, token: str) -> None:
        with self._lock:
            self._revoked.add(token)

    def add_media(self, caption: str, *, user_id: str | None = None) -> Media:
        """A post already on the account (e.g. made by an attempt whose answer was lost)."""
        with self._lock:
            return self._store_media(user_id or self.user_id, caption, "IMAGE")

    # --- what happened -----------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [replace(request, params=dict(request.params)) for request in self._requests]

    def endpoints(self) -> list[str]:
        return [request.endpoint for request in self.requests]

    @property
    def containers(self) -> list[Container]:
        with self._lock:
            return [replace(container) for container in self._containers.values()]

    @property
    def media(self) -> list[Media]:
        """Published posts, oldest first."""
        with self._lock:
            return [replace(media) for media in self._media]

    # --- serving -----------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, token: str, token_in: str) -> Response:
        segments = [segment for segment in path.split("/") if segment]
        if segments and segments[0].startswith("v") and segments[0][1:2].isdigit():
            segments = segments[1:]
        endpoint = self._endpoint(method, segments, params)
        with self._lock:
            self._requests.append(RecordedRequest(method, "/" + "/".join(segments), dict(params), endpoint, token_in))
            scripted = self._take_scripted(endpoint)
            valid = bool(token) and token not in self._revoked and (self.token is None or token == self.token)
        if scripted is not None:
            return scripted
        if not valid:
            return self.error(400, "Invalid OAuth access token - Cannot parse access token", 190)
        handlers = {
            "quota": self._quota,
            "create": self._create,
            "status": self._status,
            "publish": self._publish,
            "permalink": self._permalink,
            "list": self._list,
        }
        if endpoint not in handlers:
            return self._missing(method, "/".join(segments))
        return handlers[endpoint](segments, params)

    def _endpoint(self, method: str, segments: list[str], params: dict) -> str:
        edge = segments[1] if len(segments) == 2 else None
        fields = params.get("fields", "")
        if method == "GET" and edge == "content_publishing_limit":
            return "quota"
        if edge == "media":
            return "create" if method == "POST" else "list"
        if method == "POST" and edge == "media_publish":
            return "publish"
        if method == "GET" and len(segments) == 1:
            return "permalink" if "permalink" in fields and "status_code" not in fields else "status"
        return "unknown"

    def _take_scripted(self, endpoint: str) -> Response | None:
        for index, (wanted, response) in enumerate(self._scripted):
            if wanted in (None, endpoint):
                del self._scripted[index]
                return response
        return None

    def _quota(self, segments: list[str], params: dict) -> Response:
        if segments[0] != self.user_id:
            return self._missing("GET", segments[0])
        fields = params.get("fields", "quota_usage").split(",")
        entry = {}
        if "quota_usage" in fields:
            entry["quota_usage"] = self.quota_usage
        if "config" in fields:
            entry["config"] = {"quota_total": self.quota_total, "quota_duration": 86400}
        return Response.json(200, {"data": [entry]})

    def _create(self, segments: list[str], params: dict) -> Response:
        if segments[0] != self.user_id:
            return self._missing("POST", segments[0])
        media_type = params.get("media_type", "")
        item = params.get("is_carousel_item", "").lower() == "true"
        if media_type == "CAROUSEL":
            problem = self._carousel_problem(segments[0], params.get("children", ""))
            if problem is not None:
                return problem
        else:
            needed = "video_url" if media_type == "REELS" else "image_url"
            if not params.get(needed):
                return self.error(400, f"(#100) The parameter {needed} is required", 100)
        with self._lock:
            end_status, end_text = self._endings.pop(0) if self._endings and not item else ("FINISHED", "")
            container = Container(
                f"1790{next(self._ids):013d}",
                segments[0],
                dict(params),
                end_status,
                end_text or STATUS_TEXT.get(end_status, ""),
                is_carousel_item=item,
            )
            self._containers[container.id] = container
        return Response.json(200, {"id": container.id})

    def _carousel_problem(self, user_id: str, children: str) -> Response | None:
        ids = [child.strip() for child in children.split(",") if child.strip()]
        if not 2 <= len(ids) <= 10:
            return self.error(400, "(#100) Carousel validation failed: a carousel takes 2 to 10 items", 100)
        with self._lock:
            containers = [self._containers.get(child) for child in ids]
        for child, container in zip(ids, containers, strict=True):
            if container is None or container.user_id != user_id or not container.is_carousel_item:
                return self.error(400, f"(#100) Carousel validation failed: {child} is not a carousel item", 100)
        return None

    def _status(self, segments: list[str], params: dict) -> Response:
        with self._lock:
            container = self._containers.get(segments[0])
            if container is not None and not container.published:
                container.polls += 1
            status_code = container.status_code(self.finish_after) if container else ""
            text = container.end_text if container and status_code == container.end_status else ""
        if container is None:
            return self._missing("GET", segments[0])
        return Response.json(
            200, {"status_code": status_code, "status": text or STATUS_TEXT[status_code], "id": container.id}
        )

    def _publish(self, segments: list[str], params: dict) -> Response:
        creation_id = params.get("creation_id", "")
        with self._lock:
            container = self._containers.get(creation_id)
            status_code = container.status_code(self.finish_after) if container else ""
            over_quota = self.quota_usage >= self.quota_total
        if (
            segments[0] != self.user_id
            or container is None
            or container.user_id != segments[0]
            or container.is_carousel_item
        ):
            return self.error(400, "(#100) Param creation_id is not a valid media container id", 100)
        if over_quota:
            message = "Application request limit reached: the account reached the maximum number of posts."
            return self.error(400, message, 9, 2207042)
        if status_code == "EXPIRED":
            return self.error(400, "The media container has expired: create a new one.", 9004, 2207020)
        if status_code != "FINISHED":
            return self.error(400, "Media ID is not available: the media is not ready to be published.", 9007, 2207027)
        with self._lock:
            container.published = True
            self.quota_usage += 1
            media_type = MEDIA_TYPES.get(container.params.get("media_type", ""), "IMAGE")
            media = self._store_media(segments[0], container.params.get("caption", ""), media_type)
            lost, self._lose_publish_answers = self._lose_publish_answers > 0, max(0, self._lose_publish_answers - 1)
        if lost:
            return Response(502, BAD_GATEWAY_PAGE, HTML)
        return Response.json(200, {"id": media.id})

    def _store_media(self, user_id: str, caption: str, media_type: str) -> Media:
        """(Called with the lock held.)"""
        number = next(self._ids)
        created = START + timedelta(minutes=number)
        media = Media(
            f"1795{number:013d}",
            user_id,
            caption,
            f"https://www.instagram.com/p/Fake{number}/",
            created.strftime("%Y-%m-%dT%H:%M:%S+0000"),
            media_type,
        )
        self._media.append(media)
        return media

    def _permalink(self, segments: list[str], params: dict) -> Response:
        media = next((media for media in self.media if media.id == segments[0]), None)
        if media is None:
            return self._missing("GET", segments[0])
        return Response.json(200, {"permalink": media.permalink, "id": media.id})

    def _list(self, segments: list[str], params: dict) -> Response:
        if segments[0] != self.user_id:
            return self._missing("GET", segments[0])
        fields = [name for name in params.get("fields", "id").split(",") if name]
        try:
            limit = min(100, max(1, int(params.get("limit", "25"))))
        except ValueError:
            return self.error(400, "(#100) The parameter limit must be an integer", 100)
        newest = [media for media in self.media if media.user_id == segments[0]][::-1][:limit]
        known = ("id", "caption", "permalink", "timestamp", "media_type")
        data = [{name: getattr(media, name) for name in fields if name in known} for media in newest]
        return Response.json(200, {"data": data})

    def _missing(self, method: str, object_id: str) -> Response:
        message = (
            f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, cannot be loaded "
            "due to missing permissions, or does not support this operation."
        )
        return self.error(400, message, 100, 33, error_type="GraphMethodException")

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
            "fbtrace_id": f"fakeig{next(self._traces):06d}",
        }
        return Response.json(status, {"error": error}, headers)
