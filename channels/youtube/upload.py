"""Google's resumable upload protocol, for one video file of one account.

``POST …/videos?uploadType=resumable`` opens a session (its URI in ``Location``); chunks go with
``PUT`` and ``Content-Range: bytes A-B/TOTAL``; ``308`` means "incomplete" and its ``Range:
bytes=0-N`` says what arrived; ``PUT`` with ``Content-Range: bytes */TOTAL`` asks for that status.
The session URI is kept in the cache (encrypted: it is a credential for the upload), so an attempt
after a crash resumes the same upload instead of uploading the video twice.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import requests
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from .. import crypto, http
from ..transports.base import ErrorKind, Failure
from .errors import classify
from .oauth import GoogleClient

logger = logging.getLogger("siar.channels.youtube")

CHUNK_UNIT = 256 * 1024  # every chunk but the last must be a multiple of this
DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024
DEFAULT_MAX_RESUMES = 5
SESSION_TTL = 6 * 24 * 3600  # seconds; Google keeps an upload session for about a week
RANGE = re.compile(r"bytes=(\d+)-(\d+)")
DOING = "uploading the video"
MAX_STARTS = 2  # upload sessions opened in one attempt (a saved one may have expired)
MAX_RESUME_WAIT = 30.0  # seconds; a longer Retry-After is left to the engine's next attempt


@dataclass(frozen=True)
class Status:
    """What the session URI said: the finished video, or how many bytes it holds, or that it is gone."""

    video: dict | None = None
    received: int = 0
    gone: bool = False


GONE = Status(gone=True)


@dataclass(frozen=True)
class VideoFile:
    storage_name: str
    size: int
    content_type: str
    owner: str = ""  # the article's link: two articles with the same file never share an upload session


def backoff(resume: int) -> float:
    """Seconds to wait before the ``resume``-th resume (1-based): 0.5, 1, 2, 4, 8, 8, …"""
    return min(0.5 * 2 ** (resume - 1), 8.0)


class ResumableUpload:
    def __init__(
        self,
        client: GoogleClient,
        *,
        upload_url: str,
        account_pk,
        file: VideoFile,
        storage,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_resumes: int = DEFAULT_MAX_RESUMES,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ):
        self.client = client
        self.upload_url = upload_url.rstrip("/")
        self.account_pk = account_pk
        self.file = file
        self.storage = storage
        self.chunk_size = chunk_size
        self.max_resumes = max_resumes
        self.clock = clock
        self.sleep = sleep

    # --- the session kept between attempts --------------------------------------------

    @property
    def cache_key(self) -> str:
        name = hashlib.sha256(f"{self.file.storage_name}\0{self.file.owner}".encode()).hexdigest()[:16]
        return f"siar:youtube:upload-session:{self.account_pk}:{name}:{self.file.size}"

    def saved_session(self) -> str:
        blob = cache.get(self.cache_key)
        if not blob:
            return ""
        try:
            return crypto.decrypt(blob)
        except (ImproperlyConfigured, ValueError):  # encrypted with a retired key, or garbage
            logger.warning("account %s: an unreadable cached upload session was dropped", self.account_pk)
            return ""

    def forget(self) -> None:
        cache.delete(self.cache_key)

    def _save(self, session: str) -> None:
        cache.set(self.cache_key, crypto.encrypt(session), SESSION_TTL)

    # --- the protocol --------------------------------------------------------------------

    def status(self, session: str) -> Status | Failure:
        """Ask the session what it holds (``PUT`` without bytes)."""
        response = self.client.request("PUT", session, data=b"", headers={"Content-Range": f"bytes */{self.file.size}"})
        return self._read(response)

    def run(self, metadata: dict) -> dict | Failure:
        """Upload the file (resuming a saved session if there is one); the video resource YouTube made."""
        if self.file.size <= 0:
            return Failure.rejected("The video file is empty.", "Upload the video file again in the article.")
        try:
            stream = self.storage.open(self.file.storage_name, "rb")
        except OSError as exc:  # FileNotFoundError included
            return missing_file(self.file.storage_name, exc)
        with stream:
            return self._run(stream, metadata)

    def _run(self, stream, metadata: dict) -> dict | Failure:
        session = self.saved_session()
        if session:
            logger.info("account %s: resuming a saved upload session", self.account_pk)
        state = self.status(session) if session else GONE
        resumes, starts = 0, 0
        while True:
            if isinstance(state, Failure):
                wait = max(backoff(resumes + 1), state.retry_after or 0.0)
                if state.kind != ErrorKind.RETRYABLE or resumes >= self.max_resumes or wait > MAX_RESUME_WAIT:
                    return self._give_up(state, resumes)
                resumes += 1
                self.sleep(wait)
                logger.info("account %s: resuming the upload (%d of %d)", self.account_pk, resumes, self.max_resumes)
                state = self.status(session)
                continue
            if state.video is not None:
                self.forget()
                return state.video
            if state.gone:
                if starts >= MAX_STARTS:
                    return Failure.retryable("YouTube lost the new upload session too; the next attempt starts anew")
                if session:
                    logger.info("account %s: the upload session is gone: starting a new one", self.account_pk)
                starts += 1
                session = self._start(metadata)
                if isinstance(session, Failure):
                    return session
                state = Status(received=0)
            offset = state.received
            state = self._send_chunk(session, stream, offset)
            if isinstance(state, Status) and state.video is None and not state.gone and state.received <= offset:
                state = Failure.retryable(f"YouTube kept none of the bytes sent from byte {offset}")

    def _start(self, metadata: dict) -> str | Failure:
        response = self.client.request(
            "POST",
            f"{self.upload_url}/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=metadata,
            headers={"X-Upload-Content-Length": str(self.file.size), "X-Upload-Content-Type": self.file.content_type},
        )
        if isinstance(response, Failure):
            return response
        session = response.headers.get("Location", "")
        if response.status_code == 200 and session:
            self._save(session)
            logger.info("account %s: upload session opened (%d bytes)", self.account_pk, self.file.size)
            return session
        if response.ok:
            return Failure.retryable(f"YouTube opened no upload session (HTTP {response.status_code}, no Location)")
        return classify(response, doing="starting the upload", now=self.clock())

    def _send_chunk(self, session: str, stream, offset: int) -> Status | Failure:
        stream.seek(offset)
        data = stream.read(min(self.chunk_size, self.file.size - offset))
        if not data:
            return Failure(ErrorKind.CONFIG, f"The video file {self.file.storage_name} is shorter than its size.")
        last = offset + len(data) - 1
        logger.debug("account %s: sending bytes %d-%d/%d", self.account_pk, offset, last, self.file.size)
        response = self.client.request(
            "PUT",
            session,
            data=data,
            headers={
                "Content-Range": f"bytes {offset}-{last}/{self.file.size}",
                "Content-Type": self.file.content_type,
            },
        )
        return self._read(response)

    def _read(self, response: requests.Response | Failure) -> Status | Failure:
        if isinstance(response, Failure):
            return response
        if response.status_code in (200, 201):
            video = http.json_body(response)
            if isinstance(video, dict) and video.get("id"):
                return Status(video=video)
            return Failure.retryable(f"YouTube finished the upload (HTTP {response.status_code}) without a video")
        if response.status_code == 308:
            return Status(received=received(response.headers.get("Range")))
        if response.status_code in (404, 410):
            return GONE
        return classify(response, doing=DOING, now=self.clock())

    def _give_up(self, failure: Failure, resumes: int) -> Failure:
        if failure.kind == ErrorKind.REJECTED:
            self.forget()  # the session refused these bytes: the next attempt starts anew
            return failure
        if failure.kind != ErrorKind.RETRYABLE:
            return failure
        return Failure.retryable(
            f"{failure.message} (after {resumes} resume(s); the next attempt resumes the same upload)",
            failure.hint,
            failure.retry_after,
        )


def received(header: str | None) -> int:
    """Bytes the session holds, from a 308's ``Range: bytes=0-N`` (none: nothing arrived)."""
    match = RANGE.fullmatch((header or "").strip())
    return int(match.group(2)) + 1 if match else 0


def missing_file(name: str, exc: Exception | None = None) -> Failure:
    detail = f" ({exc.__class__.__name__})" if exc else ""
    return Failure(
        ErrorKind.CONFIG,
        f"The video file {name} cannot be read from storage{detail}.",
        "Check that every worker sees the media storage (MEDIA_ROOT or the storage backend), or upload the video "
        "again in the article.",
    )
