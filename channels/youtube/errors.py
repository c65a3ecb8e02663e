"""Google API errors → delivery results, and when YouTube's daily quota comes back.

Errors come as ``{"error": {"code": 403, "message": "…", "errors": [{"domain": "youtube.quota",
"reason": "quotaExceeded", "message": "…"}]}}``; the ``reason`` says what happened.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import requests

from .. import http
from ..transports.base import Failure

PACIFIC = ZoneInfo("America/Los_Angeles")  # YouTube's quotas reset at midnight Pacific time
DAILY_LIMIT_REASONS = frozenset({"quotaExceeded", "uploadLimitExceeded", "dailyLimitExceeded"})
SHORT_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
SHORT_LIMIT_WAIT = 60.0  # seconds, when Google says nothing about how long
METADATA_HINTS = {
    "invalidTitle": "Edit the article's title: YouTube takes 1 to 100 characters, without < or >.",
    "invalidDescription": "Shorten the summary or the text override: 5,000 bytes at most, without < or >.",
    "invalidTags": "Remove or shorten tags: 500 characters in all, without < or >.",
    "invalidCategoryId": "Set the YouTube option CATEGORY_ID to a category the channel may use (25 = News & Politics).",
    "invalidVideoMetadata": "Check the article's title, summary and tags.",
    "invalidFilename": "Rename the video file (the name is sent to YouTube as the upload's file name).",
    "mediaBodyRequired": "The video file is empty: upload it again in the article.",
    "videoNotFound": "The video is no longer on YouTube (deleted there?): publish the article again to upload it anew.",
}


@dataclass(frozen=True)
class GoogleError:
    status: int
    message: str
    reasons: tuple[str, ...] = ()

    @classmethod
    def from_response(cls, response: requests.Response) -> "GoogleError | None":
        payload = http.json_body(response)
        error = payload.get("error") if isinstance(payload, dict) else None
        if not isinstance(error, dict):
            return None
        items = [item for item in error.get("errors") or () if isinstance(item, dict)]
        return cls(
            status=response.status_code,
            message=str(error.get("message") or (items[0].get("message") if items else "") or "unknown error"),
            reasons=tuple(str(item.get("reason")) for item in items if item.get("reason")),
        )

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""

    def describe(self) -> str:
        reason = f", {self.reason}" if self.reason else ""
        return f"{self.message} (HTTP {self.status}{reason})"


def seconds_to_pacific_midnight(now: float) -> float:
    """Seconds from ``now`` (a Unix time) to the next midnight in Los Angeles (DST-aware)."""
    here = datetime.fromtimestamp(now, PACIFIC)
    midnight = datetime.combine(here.date() + timedelta(days=1), time(0), tzinfo=PACIFIC)
    return midnight.timestamp() - now


def classify(response: requests.Response, *, doing: str, now: float) -> Failure:
    """The delivery result for an unsuccessful answer; ``doing`` names the call ("uploading the video")."""
    retry_after = http.retry_after_seconds(response.headers.get("Retry-After"))
    error = GoogleError.from_response(response)
    if error is None:
        where = http.describe(response.request.method or "", response.url) if response.request else ""
        return Failure.retryable(
            f"YouTube answered HTTP {response.status_code} without an API error while {doing} ({where})",
            retry_after=retry_after,
        )
    said = f"YouTube, while {doing}: {error.describe()}"
    reasons = set(error.reasons)
    if reasons & DAILY_LIMIT_REASONS:
        return Failure.rate_limited(
            f"{said}. The daily quota comes back at midnight Pacific time.",
            seconds_to_pacific_midnight(now),
            "Siar retries after the reset; a larger quota can be requested from Google (YouTube API audit).",
        )
    if reasons & SHORT_LIMIT_REASONS:
        return Failure.rate_limited(said, retry_after or SHORT_LIMIT_WAIT)
    if error.status == 401:
        return Failure.auth(f"YouTube no longer accepts the account's access, even after a token refresh: {said}")
    if error.status == 403 and error.reason not in METADATA_HINTS:
        return Failure.auth(
            f"YouTube refused ({error.reason or 'forbidden'}): {said}",
            "Reconnect the YouTube account with a Google user that manages the channel, granting the YouTube "
            "upload and manage scopes.",
        )
    if error.status == 429 or error.status >= 500:
        return Failure.retryable(said, retry_after=retry_after)
    hint = next((METADATA_HINTS[reason] for reason in error.reasons if reason in METADATA_HINTS), "")
    return Failure.rejected(said, hint or "Check the article's video, title, summary and tags.")
