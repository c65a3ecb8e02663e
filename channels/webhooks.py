"""Signed JSON webhooks (the website's revalidation hook, partners' push webhooks).

Every request carries ``X-Siar-Event``, ``X-Siar-Timestamp`` (UNIX seconds), ``X-Siar-Delivery``
(unique per attempt: receivers may drop repeats) and ``X-Siar-Signature: sha256=<hex>``, the
HMAC-SHA256 of ``"<timestamp>." + body`` with the shared secret, so a receiver can reject forged
and replayed requests. URLs are staff-supplied, so requests go through the SSRF guard.
"""

import hashlib
import hmac
import json
import time

from . import http, outbound
from .models import Delivery
from .transports.base import Failure


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post(url: str, secret: str, *, event: str, payload: dict, delivery_key: str, timeout, receiver: str):
    """POST ``payload`` (plus ``event`` and ``sent_at``); None on a 2xx answer, else a ``Failure``."""
    if not url.startswith(("http://", "https://")):
        return Failure(Delivery.ErrorKind.CONFIG, f"The {receiver} URL {url!r} is not an http(s) URL.")
    timestamp = str(int(time.time()))
    body = json.dumps({"event": event, **payload, "sent_at": int(timestamp)}, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Siar-Event": event,
        "X-Siar-Timestamp": timestamp,
        "X-Siar-Delivery": delivery_key,
        "X-Siar-Signature": signature(secret, timestamp, body),
    }
    response = http.request("POST", url, via=outbound.session(), data=body, headers=headers, timeout=timeout)
    if isinstance(response, Failure):
        return response
    status = response.status_code
    if 200 <= status < 300:
        return None
    said = f"the {receiver} answered HTTP {status}: {response.text[:200].strip()}"
    if status in (401, 403):
        return Failure.auth(said, f"The {receiver} refused the signature: set the same secret on both sides.")
    if 300 <= status < 400:
        return Failure(Delivery.ErrorKind.CONFIG, said, "Redirects are not followed: use the final URL.")
    if status in (404, 405, 410):
        return Failure(Delivery.ErrorKind.CONFIG, said, f"Check the {receiver} URL.")
    if status == 429:
        return Failure.rate_limited(said, http.retry_after_seconds(response.headers.get("Retry-After")))
    if status >= 500 or status == 408:
        return Failure.retryable(said, retry_after=http.retry_after_seconds(response.headers.get("Retry-After")))
    return Failure.rejected(said)
