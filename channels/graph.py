"""Meta's Graph API (Facebook Pages and Instagram): one client and one error classifier.

Errors come as ``{"error": {"message", "type", "code", "error_subcode", "error_user_msg",
"fbtrace_id", "is_transient"}}``. ``classify`` turns one into the delivery result the engine
understands; the codes are Meta's published ones (see PLATFORMS.md for those still unconfirmed).
"""

import json
import logging
import re
from dataclasses import dataclass, field

from requests.structures import CaseInsensitiveDict

from . import http
from .transports.base import Failure

logger = logging.getLogger("siar.channels.graph")

RETRYABLE_CODES = frozenset({1, 2})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613})
AUTH_CODES = frozenset({102, 190})
AUTH_SUBCODES = frozenset(range(458, 468))
PERMISSION_CODES = frozenset({10, *range(200, 300)})
BLOCKED_CODE = 368
DUPLICATE_CODE = 506
# Instagram content publishing subcodes
IG_RETRYABLE_SUBCODES = frozenset({2207001, 2207003, 2207020, 2207027, 2207032})  # 2207027: media not ready
IG_RATE_LIMIT_SUBCODES = frozenset({2207042})
IG_IMAGE_HINTS = {
    2207004: "The image is larger than 8 MB: use a smaller original image.",
    2207005: "The image format is not supported: Instagram takes JPEG images.",
    2207009: "The image's aspect ratio is outside 4:5 to 1.91:1: set a focal point or choose another image.",
    36003: "The image's aspect ratio is outside 4:5 to 1.91:1: set a focal point or choose another image.",
    2207010: "The caption is too long: keep it under 2,200 characters.",
    2207026: "The video format is not supported for Reels (MP4/MOV, H.264, up to 15 minutes).",
    2207051: "Instagram restricted this post as possible spam: edit the caption (fewer hashtags and links).",
}

DEFAULT_RATE_LIMIT_WAIT = 300.0  # seconds, when Meta says nothing about how long
DEFAULT_BLOCKED_WAIT = 6 * 3600.0  # code 368: blocked for policy reasons, usually for hours
PERMISSION_NAME = re.compile(r"\b((?:pages|instagram|publish|business|read)_[a-z_]+)\b")


@dataclass(frozen=True)
class GraphError:
    status: int
    code: int | None = None
    subcode: int | None = None
    message: str = ""
    user_message: str = ""
    trace_id: str = ""
    is_transient: bool = False
    headers: dict = field(default_factory=dict)

    @classmethod
    def from_response(cls, status: int, payload, headers) -> "GraphError | None":
        error = payload.get("error") if isinstance(payload, dict) else None
        if not isinstance(error, dict):
            return None
        return cls(
            status=status,
            code=_int(error.get("code")),
            subcode=_int(error.get("error_subcode")),
            message=str(error.get("message") or "unknown error"),
            user_message=str(error.get("error_user_msg") or ""),
            trace_id=str(error.get("fbtrace_id") or ""),
            is_transient=bool(error.get("is_transient")),
            headers=CaseInsensitiveDict(headers),
        )

    def describe(self) -> str:
        text = self.user_message or self.message
        detail = f"HTTP {self.status}, code {self.code}"
        if self.subcode:
            detail += f"/{self.subcode}"
        if self.trace_id:
            detail += f", trace {self.trace_id}"
        return f"{text} ({detail})"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def classify(error: GraphError, platform: str) -> Failure:
    """The delivery result for a Graph error (``platform`` names it in messages: "Facebook")."""
    said = f"{platform}: {error.describe()}"
    code, subcode = error.code, error.subcode
    if code in AUTH_CODES or subcode in AUTH_SUBCODES or error.status == 401:
        return Failure.auth(
            f"{platform} no longer accepts the account's token: {error.describe()}", _auth_hint(subcode)
        )
    if code in PERMISSION_CODES:
        names = ", ".join(sorted(set(PERMISSION_NAME.findall(error.message)))) or "the publishing permission"
        return Failure.auth(
            f"{platform} refused: the token lacks a permission ({names}). {error.describe()}",
            f"Reconnect the account and grant {names}.",
        )
    if code == BLOCKED_CODE:
        return Failure.rate_limited(
            f"{platform} has temporarily blocked posting from this account: {error.describe()}",
            DEFAULT_BLOCKED_WAIT,
            "Check the account's support inbox on the platform; Siar retries in a few hours.",
        )
    if code in RATE_LIMIT_CODES or subcode in IG_RATE_LIMIT_SUBCODES or error.status == 429:
        return Failure.rate_limited(f"{platform} rate limit: {error.describe()}", rate_limit_wait(error.headers))
    if subcode in IG_IMAGE_HINTS:
        return Failure.rejected(f"{platform} rejected the post: {error.describe()}", IG_IMAGE_HINTS[subcode])
    if code in RETRYABLE_CODES or subcode in IG_RETRYABLE_SUBCODES or error.is_transient or error.status >= 500:
        return Failure.retryable(said)
    return Failure.rejected(f"{platform} rejected the post: {error.describe()}")


def _auth_hint(subcode: int | None) -> str:
    hints = {
        458: "The Siar app was removed from the account: add it again and reconnect.",
        459: "The account is checkpointed: log in to Facebook, complete the check, then reconnect.",
        460: "The password was changed: reconnect the account to get a new token.",
        463: "The token expired: reconnect the account to get a new one.",
        464: "The account is not confirmed: confirm it on Facebook, then reconnect.",
    }
    return hints.get(subcode, "Reconnect the account (channels connect …) to get a new token.")


def rate_limit_wait(headers) -> float:
    """Seconds to wait, from ``Retry-After`` or the usage headers' ``estimated_time_to_regain_access``."""
    waits = [http.retry_after_seconds(headers.get("Retry-After"))]
    raw = headers.get("X-Business-Use-Case-Usage")
    if raw:
        try:
            usage = json.loads(raw)
            for entries in usage.values():
                for entry in entries:
                    waits.append(float(entry.get("estimated_time_to_regain_access") or 0) * 60)
        except (ValueError, TypeError, AttributeError):
            logger.warning("unreadable X-Business-Use-Case-Usage header")
    known = [wait for wait in waits if wait]
    return max(known) if known else DEFAULT_RATE_LIMIT_WAIT


def usage_percent(headers) -> float:
    """The highest usage (percent of the limit) in ``X-App-Usage`` / ``X-Page-Usage`` /
    ``X-Business-Use-Case-Usage``; 0 when absent. Logged so operators see a limit coming."""
    highest = 0.0
    for name in ("X-App-Usage", "X-Page-Usage", "X-Business-Use-Case-Usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
            entries = [usage] if name != "X-Business-Use-Case-Usage" else [e for v in usage.values() for e in v]
            for entry in entries:
                for key in ("call_count", "total_cputime", "total_time"):
                    highest = max(highest, float(entry.get(key) or 0))
        except (ValueError, TypeError, AttributeError):  # usage is advisory: an odd header changes nothing
            logger.info("unreadable %s header", name)
    return highest


class GraphClient:
    """Calls one Graph API base URL with one access token (sent as a Bearer header, never in URLs)."""

    USAGE_WARNING_PERCENT = 80

    def __init__(self, base_url: str, token: str, *, platform: str, timeout: tuple[float, float]):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.platform = platform
        self.timeout = timeout
        self.last_error: GraphError | None = None

    def call(self, method: str, path: str, **kwargs) -> dict | Failure:
        """The JSON answer of a successful call, or the ``Failure`` it maps to (``last_error`` keeps
        the Graph error for callers that treat some codes specially)."""
        self.last_error = None
        headers = {"Authorization": f"Bearer {self.token}"}
        response = http.request(method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs)
        if isinstance(response, Failure):
            return response
        usage = usage_percent(response.headers)
        if usage >= self.USAGE_WARNING_PERCENT:
            logger.warning("%s API usage at %.0f%% of its limit", self.platform, usage)
        payload = http.json_body(response)
        if 200 <= response.status_code < 300 and isinstance(payload, dict):
            return payload
        error = GraphError.from_response(response.status_code, payload, response.headers)
        if error is None:
            where = http.describe(method, self.base_url + path)
            return Failure.retryable(
                f"{self.platform}: {where} answered HTTP {response.status_code} without an API error"
            )
        self.last_error = error
        return classify(error, self.platform)
