"""A real HTTP transport for the fake platform (tests/fakes/platform.py).

Shaped like a Graph API transport: ``requests`` with one shared session and timeouts, the
account's token as ``access_token``, and Graph's error codes mapped to delivery results.
Options: ``BASE_URL`` (required), ``TIMEOUT`` (read timeout in seconds, default 10).
"""

import logging
from email.utils import parsedate_to_datetime

import requests
from django.utils import timezone
from requests.adapters import HTTPAdapter

from channels.models import Delivery
from channels.transports.base import Delivered, Failure, Post, Transport

logger = logging.getLogger("siar.tests.fake_transport")

CONNECT_TIMEOUT = 3.05
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
AUTH_CODES = frozenset({190})
RETRYABLE_CODES = frozenset({1, 2})
LOOKUP_LIMIT = 100

_session = requests.Session()
_session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=32))
_session.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=32))


class LookupFailed(Exception):
    """The platform could not say whether an earlier attempt posted: the engine must not post again yet."""


class FakePlatformTransport(Transport):
    supports_edit = True
    supports_retract = True

    def __init__(self, account, options=None):
        super().__init__(account, options)
        self.base_url = str(self.options.get("BASE_URL", "")).rstrip("/")
        self.timeout = (CONNECT_TIMEOUT, float(self.options.get("TIMEOUT", 10)))

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure:
        answer = self._call("POST", f"/{self.account.external_id}/feed", data={"message": post.text, "link": post.link})
        if isinstance(answer, Failure):
            return answer
        return Delivered(external_id=answer["id"], external_url=self.post_url(answer["id"]))

    def edit(self, external_id: str, post: Post) -> Delivered | Failure:
        answer = self._call("POST", f"/{external_id}", data={"message": post.text})
        return answer if isinstance(answer, Failure) else Delivered(external_id, self.post_url(external_id))

    def retract(self, external_id: str) -> Delivered | Failure:
        answer = self._call("DELETE", f"/{external_id}")
        return answer if isinstance(answer, Failure) else Delivered(external_id, note="post removed")

    def lookup(self, post: Post, *, attempt_key: str) -> Delivered | None:
        """Adopt the account's post that carries this post's link; raises ``LookupFailed`` when unsure."""
        params = {"fields": "id,message,link", "limit": LOOKUP_LIMIT}
        answer = self._call("GET", f"/{self.account.external_id}/feed", params=params)
        if isinstance(answer, Failure):
            raise LookupFailed(f"lookup failed: {answer.message}")
        for item in answer.get("data", []):
            if item.get("link") == post.link:
                note = f"adopted post {item['id']} made by an interrupted attempt (found by lookup)"
                return Delivered(external_id=item["id"], external_url=self.post_url(item["id"]), note=note)
        return None

    def post_url(self, post_id: str) -> str:
        return f"{self.base_url}/{post_id}"

    def _call(self, method: str, path: str, **kwargs) -> dict | Failure:
        """The JSON answer of a successful request, or the failure it maps to."""
        if not self.base_url:
            return Failure(Delivery.ErrorKind.CONFIG, "The fake platform's BASE_URL is not set.")
        headers = {"Authorization": f"Bearer {self.account.token}"}
        try:
            response = _session.request(method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            return Failure.retryable(f"{method} {path}: {exc.__class__.__name__}: {exc}")
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if 200 <= response.status_code < 300 and isinstance(payload, dict):
            return payload
        return failure_for(response.status_code, payload, response.headers.get("Retry-After"))


def failure_for(status: int, payload, retry_after_header: str | None) -> Failure:
    """Map an unsuccessful answer (status, decoded JSON or None, Retry-After) to a ``Failure``."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return Failure.retryable(f"HTTP {status} without a Graph error (not JSON)")
    code = error.get("code")
    message = f"{error.get('message', 'unknown error')} (HTTP {status}, code {code})"
    if status == 401 or code in AUTH_CODES:
        return Failure.auth(message)
    if status == 429 or code in RATE_LIMIT_CODES:
        return Failure.rate_limited(message, retry_after_seconds(retry_after_header))
    if status >= 500 or code in RETRYABLE_CODES or error.get("is_transient"):
        return Failure.retryable(message)
    return Failure.rejected(message)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number (fractions allowed, for fast tests) or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):
        logger.warning("ignoring an unreadable Retry-After: %r", value)
        return None
