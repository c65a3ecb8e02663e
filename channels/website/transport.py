"""POST a JSON event to the website's revalidation hook, signed with HMAC-SHA256.

The account's ``external_id`` is the hook URL and its token the shared secret. Every request
carries ``X-Siar-Event`` (publish, update, unpublish), ``X-Siar-Timestamp`` (UNIX seconds),
``X-Siar-Delivery`` (unique per attempt: receivers may drop repeats) and ``X-Siar-Signature:
sha256=<hex>``, the HMAC of ``"<timestamp>." + body`` with the secret, so a receiver can reject
forged and replayed requests. Options: ``TIMEOUT`` (read timeout, seconds, default 10).
"""

import hashlib
import hmac
import json
import time
import uuid

from .. import http
from ..models import Delivery
from ..transports import base
from ..transports.base import Delivered, Failure, Post


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class Transport(base.Transport):
    supports_edit = True
    supports_retract = True

    def __init__(self, account, options=None):
        super().__init__(account, options)
        self.url = account.external_id
        self.timeout = http.timeouts(self.options, default_read=10)

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure:
        return self._notify("publish", _article(post), attempt_key)

    def edit(self, external_id: str, post: Post) -> Delivered | Failure:
        return self._notify("update", _article(post), str(uuid.uuid4()))

    def retract(self, external_id: str) -> Delivered | Failure:
        return self._notify("unpublish", {"id": int(external_id)}, str(uuid.uuid4()))

    def _notify(self, event: str, article: dict, delivery_key: str) -> Delivered | Failure:
        if not self.url.startswith(("http://", "https://")):
            return Failure(Delivery.ErrorKind.CONFIG, f"The website hook URL {self.url!r} is not an http(s) URL.")
        timestamp = str(int(time.time()))
        body = json.dumps({"event": event, "article": article, "sent_at": int(timestamp)}).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Siar-Event": event,
            "X-Siar-Timestamp": timestamp,
            "X-Siar-Delivery": delivery_key,
            "X-Siar-Signature": signature(self.account.token, timestamp, body),
        }
        response = http.request("POST", self.url, data=body, headers=headers, timeout=self.timeout)
        if isinstance(response, Failure):
            return response
        status = response.status_code
        if 200 <= status < 300:
            return Delivered(external_id=str(article["id"]), external_url=article.get("url", ""), note=f"{event} sent")
        said = f"the website's hook answered HTTP {status}: {response.text[:200].strip()}"
        if status in (401, 403):
            return Failure.auth(said, "The website refused the signature: set the same secret on both sides.")
        if status in (404, 405, 410):
            return Failure(Delivery.ErrorKind.CONFIG, said, "Check the hook URL in the channel account.")
        if status == 429:
            return Failure.rate_limited(said, http.retry_after_seconds(response.headers.get("Retry-After")))
        if status >= 500 or status == 408:
            return Failure.retryable(said, retry_after=http.retry_after_seconds(response.headers.get("Retry-After")))
        return Failure.rejected(said)


def _article(post: Post) -> dict:
    return {
        "id": post.extra["id"],
        "title": post.title,
        "url": post.link,
        "path": post.extra.get("path", ""),
        "api_url": post.extra.get("api_url", ""),
    }
