"""YouTube channel videos through the Data API v3: resumable upload, update, make private or delete.

The account's ``token`` is a Google OAuth refresh token (see oauth.py). Options: ``CLIENT_ID`` and
``CLIENT_SECRET`` (default ``settings.YOUTUBE_CLIENT_ID``/``YOUTUBE_CLIENT_SECRET``), ``CHUNK_SIZE``
(bytes per upload request, a multiple of 256 KiB, default 8 MiB), ``MAX_RESUMES`` (resumes of an
interrupted upload within one attempt, default 5), ``RETRACT`` ("private", the default, or "delete"),
``TIMEOUT`` (read timeout, seconds), ``API_URL``/``UPLOAD_URL``/``TOKEN_URL`` (default the settings
``YOUTUBE_API_URL``, ``YOUTUBE_UPLOAD_URL``, ``GOOGLE_OAUTH_TOKEN_URL``), ``WEB_URL`` (where video links point).
"""

import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import default_storage

from .. import http
from ..transports import base
from ..transports.base import Delivered, ErrorKind, Failure, LookupFailed, Post, Unsupported
from .adapter import COMMUNITY_BY_HAND
from .errors import GoogleError, classify
from .oauth import AccessTokens, GoogleClient
from .upload import CHUNK_UNIT, DEFAULT_CHUNK_SIZE, DEFAULT_MAX_RESUMES, ResumableUpload, VideoFile, missing_file

logger = logging.getLogger("siar.channels.youtube")


VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")  # what every YouTube video ID looks like; community post IDs do not
RETRACT_MODES = ("private", "delete")


class Transport(base.Transport):
    supports_edit = True
    supports_retract = True
    platform = "YouTube"

    def __init__(
        self,
        account,
        options=None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        storage=None,
    ):
        super().__init__(account, options)
        self.clock, self.sleep = clock, sleep
        self.storage = storage or default_storage
        self.api_url = str(self.options.get("API_URL") or settings.YOUTUBE_API_URL).rstrip("/")
        self.upload_url = str(self.options.get("UPLOAD_URL") or settings.YOUTUBE_UPLOAD_URL).rstrip("/")
        self.web_url = str(self.options.get("WEB_URL") or "https://www.youtube.com").rstrip("/")
        timeout = http.timeouts(self.options)
        self.tokens = AccessTokens(account, self.options, timeout=timeout, clock=clock)
        self.client = GoogleClient(self.tokens, timeout=timeout)
        self.chunk_size, self.max_resumes, self.retract_mode, self.problem = _read_options(self.options)

    # --- operations ----------------------------------------------------------------------

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure | Unsupported:
        if post.kind == "community":
            return Unsupported(COMMUNITY_BY_HAND)
        if post.kind != "video":
            return Failure.rejected(f"YouTube cannot publish a {post.kind or 'plain'} post: it takes videos.")
        if self.problem:
            return self._config_failure()
        upload = self._upload(post)
        if isinstance(upload, Failure):
            return upload
        video = upload.run(self._metadata(post))
        if isinstance(video, Failure):
            return video
        logger.info("account %s: uploaded video %s", self.account.pk, video["id"])
        return Delivered(external_id=video["id"], external_url=self.video_url(video["id"]))

    def edit(self, external_id: str, post: Post) -> Delivered | Failure | Unsupported:
        if post.kind == "community" or not VIDEO_ID.fullmatch(external_id):
            return Unsupported("YouTube has no API for community posts: edit it by hand in YouTube Studio.")
        if self.problem:
            return self._config_failure()
        body = {"id": external_id, "snippet": self._metadata(post)["snippet"]}  # categoryId is required here
        response = self.client.request("PUT", f"{self.api_url}/videos", params={"part": "snippet"}, json=body)
        if isinstance(response, Failure):
            return response
        if response.ok:
            return Delivered(external_id, self.video_url(external_id), note="title, description and tags updated")
        return classify(response, doing="updating the video", now=self.clock())

    def retract(self, external_id: str) -> Delivered | Failure | Unsupported:
        if not VIDEO_ID.fullmatch(external_id):
            return Unsupported("YouTube has no API for community posts: delete it by hand in YouTube Studio.")
        if self.problem:
            return self._config_failure()
        if self.retract_mode == "delete":
            response = self.client.request("DELETE", f"{self.api_url}/videos", params={"id": external_id})
            done = "video deleted"
        else:
            # An update replaces the whole part: restate what we set at upload so it is not reset.
            body = {"id": external_id, "status": {"privacyStatus": "private", "selfDeclaredMadeForKids": False}}
            response = self.client.request("PUT", f"{self.api_url}/videos", params={"part": "status"}, json=body)
            done = "video made private"
        if isinstance(response, Failure):
            return response
        if response.ok:
            return Delivered(external_id, note=done)
        error = GoogleError.from_response(response)
        if response.status_code == 404 and (error is None or error.reason in ("videoNotFound", "")):
            return Delivered(external_id, note="already gone: YouTube no longer has the video")
        return classify(response, doing="removing the video", now=self.clock())

    def lookup(self, post: Post, *, attempt_key: str) -> Delivered | None:
        """The video of an interrupted attempt, when its saved upload session says it finished."""
        if post.kind != "video" or self.problem:
            return None
        upload = self._upload(post)
        if isinstance(upload, Failure):
            return None  # the send will report it
        session = upload.saved_session()
        if not session:
            return None
        status = upload.status(session)
        if isinstance(status, Failure):
            message = f"could not ask YouTube about the interrupted upload: {status.message}"
            raise LookupFailed(Failure(status.kind, message, status.hint, status.retry_after))
        if status.video is not None:
            upload.forget()
            video_id = status.video["id"]
            note = f"adopted video {video_id} uploaded by an interrupted attempt"
            return Delivered(video_id, self.video_url(video_id), note=note)
        if status.gone:
            upload.forget()
        return None  # unfinished (the next send resumes it) or expired (the next send starts anew)

    def video_url(self, video_id: str) -> str:
        return f"{self.web_url}/watch?v={video_id}"

    # --- helpers -------------------------------------------------------------------------

    def _metadata(self, post: Post) -> dict:
        snippet = {"title": post.title, "description": post.text, "categoryId": str(post.extra.get("category_id"))}
        if post.extra.get("tags"):
            snippet["tags"] = list(post.extra["tags"])
        status = {"privacyStatus": post.extra.get("privacy_status") or "public", "selfDeclaredMadeForKids": False}
        return {"snippet": snippet, "status": status}

    def _upload(self, post: Post) -> ResumableUpload | Failure:
        name = post.extra.get("storage_name") or ""
        if not name:
            return Failure.rejected("The post names no video file to upload.", "Publish the article again.")
        try:
            size = self.storage.size(name)  # the file as it is now (the snapshot's size may be older)
        except OSError as exc:
            return missing_file(name, exc)
        content_type = post.extra.get("content_type") or "application/octet-stream"
        return ResumableUpload(
            self.client,
            upload_url=self.upload_url,
            account_pk=self.account.pk,
            file=VideoFile(name, size, content_type, owner=post.link),
            storage=self.storage,
            chunk_size=self.chunk_size,
            max_resumes=self.max_resumes,
            clock=self.clock,
            sleep=self.sleep,
        )

    def _config_failure(self) -> Failure:
        return Failure(ErrorKind.CONFIG, self.problem, "Fix the YouTube account's options (or SIAR_CHANNELS).")


def _read_options(options: dict) -> tuple[int, int, str, str]:
    """``(chunk_size, max_resumes, retract_mode, problem)``; ``problem`` names a bad option ("" if none)."""
    problems = []
    try:
        chunk_size = int(options.get("CHUNK_SIZE") or DEFAULT_CHUNK_SIZE)
    except (TypeError, ValueError):
        chunk_size = 0
    if chunk_size <= 0 or chunk_size % CHUNK_UNIT:
        problems.append(
            f"CHUNK_SIZE {options.get('CHUNK_SIZE')!r} must be a positive multiple of 262144 (256 KiB) bytes."
        )
        chunk_size = DEFAULT_CHUNK_SIZE
    try:
        max_resumes = int(options.get("MAX_RESUMES", DEFAULT_MAX_RESUMES))
    except (TypeError, ValueError):
        max_resumes = -1
    if max_resumes < 0:
        problems.append(f"MAX_RESUMES {options.get('MAX_RESUMES')!r} must be a whole number, 0 or more.")
        max_resumes = DEFAULT_MAX_RESUMES
    retract_mode = str(options.get("RETRACT") or "private").strip().lower()
    if retract_mode not in RETRACT_MODES:
        problems.append(f'RETRACT {options.get("RETRACT")!r} must be "private" or "delete".')
    problem = ("YouTube options: " + " ".join(problems)) if problems else ""
    return chunk_size, max_resumes, retract_mode, problem
