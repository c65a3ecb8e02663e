"""The one HTTP client every real transport uses: a shared ``requests`` session with timeouts.

Results, not exceptions: a request that never got an answer (refused, reset, timed out) comes
back as a retryable ``Failure`` naming what happened, without the URL's query (tokens live there).
"""

import logging
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from django.utils import timezone
from requests.adapters import HTTPAdapter
from requests_hardened.ip_filter import InvalidIPAddress

from .models import Delivery
from .transports.base import Failure

logger = logging.getLogger("siar.channels.http")

CONNECT_TIMEOUT = 3.05  # seconds; a little over a TCP retransmission window
DEFAULT_READ_TIMEOUT = 30.0
USER_AGENT = "Siar/1.0 (+https://github.com/siar-hub/siar)"


def _new_session() -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=8, pool_maxsize=32)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


session = _new_session()


def timeouts(options: dict, default_read: float = DEFAULT_READ_TIMEOUT) -> tuple[float, float]:
    """``(connect, read)`` timeouts from a transport's options (``TIMEOUT``: read timeout, seconds)."""
    return (CONNECT_TIMEOUT, float(options.get("TIMEOUT", default_read)))


def request(method: str, url: str, *, via: requests.Session | None = None, **kwargs) -> requests.Response | Failure:
    """Send one request with the shared session (or ``via``, e.g. ``outbound.session()``); a network
    failure becomes a retryable ``Failure``, a refused address a configuration one."""
    where = describe(method, url)
    try:
        return (via or session).request(method, url, **kwargs)
    except InvalidIPAddress as exc:
        logger.warning("%s: refused, %s is not a public address", where, exc)
        return Failure(
            Delivery.ErrorKind.CONFIG,
            f"{where}: refused, the address {exc} is loopback, link-local or private",
            "Use a public address, or set SIAR_OUTBOUND_ALLOW_PRIVATE=1 if this server may reach private networks.",
        )
    except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
        logger.info("%s: %s", where, exc.__class__.__name__)
        return Failure.retryable(f"{where}: no answer ({exc.__class__.__name__})")
    except requests.RequestException as exc:  # e.g. a token with a line break: an invalid header
        # Only the class name: the exception's text may quote a header, and so a token.
        logger.warning("%s: request not sent (%s)", where, exc.__class__.__name__)
        return Failure(
            Delivery.ErrorKind.CONFIG,
            f"{where}: the request could not be sent ({exc.__class__.__name__})",
            "Check the account's ID and token for stray spaces or line breaks, then reconnect it.",
        )


def describe(method: str, url: str) -> str:
    """``POST graph.facebook.com/v26.0/123/feed``: the request without its query string."""
    parts = urlsplit(url)
    return f"{method} {parts.netloc}{parts.path}"


def json_body(response: requests.Response):
    """The decoded JSON body, or None when it is not JSON (an HTML error page from a proxy)."""
    try:
        return response.json()
    except ValueError:
        return None


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
