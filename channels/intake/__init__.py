"""Intake from unit websites: poll the feeds source units publish, and collect new items in an inbox.

``poll_all()`` is what the periodic worker calls. Each feed is fetched through the SSRF-guarded
session (``channels.outbound``) with timeouts and a size cap, sending the stored ETag and
Last-Modified so that an unchanged feed answers 304 and costs no parsing. One feed's failure is
recorded on that feed (``last_error``, ``error_count``) and never stops the others.

Redirects: the guarded session never follows them (a public URL could redirect inwards), so this
module follows up to ``MAX_REDIRECTS`` itself, each hop a new request through the same guarded
session, so every address connected to is checked. Unit websites often move from http to https;
refusing that would make staff chase URLs for nothing. A permanent redirect is noted on the feed
as a warning, so staff can update the URL.

Malformed feeds ("bozo" in feedparser): if entries could still be read they are kept and the
parser's complaint is recorded as a warning (``error_count`` untouched); with no entries it is an error.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from .. import outbound
from ..http import CONNECT_TIMEOUT, request
from ..models import IntakeItem, UnitFeed

logger = logging.getLogger("siar.channels.intake")

READ_TIMEOUT = 10.0
DOWNLOAD_DEADLINE = 30.0  # seconds for the whole body: a server dripping bytes cannot hold the poll
MAX_REDIRECTS = 3
TITLE_WINDOW = timedelta(days=14)  # a near-identical title within this time is the same news
MAX_ERROR_LENGTH = 1000
WARNING_PREFIX = "Warning: "

__all__ = ["PollResult", "FetchError", "normalise_link", "poll_all", "poll_feed", "title_key"]


class FetchError(Exception):
    """The feed could not be fetched or read; the message is recorded on the feed."""


@dataclass
class PollResult:
    feed: UnitFeed
    status: str  # "new", "unchanged" or "error"
    new: int = 0
    skipped: int = 0
    message: str = ""

    def describe(self) -> str:
        if self.status == "unchanged":
            return "unchanged (304)"
        if self.status == "error":
            return f"error: {self.message}"
        text = f"new {self.new}"
        if self.skipped:
            text += f", {self.skipped} already known"
        if self.message:
            text += f" ({self.message})"
        return text


# --- normalising ------------------------------------------------------------------------------


def title_key(title: str) -> str:
    """``"Bupati  Resmikan Pasar!"`` → ``"bupati resmikan pasar"``: for near-duplicate titles."""
    decomposed = unicodedata.normalize("NFKD", title or "")
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())[:500]


def normalise_link(link: str) -> str:
    """The link without utm_* parameters or fragment, lowercase scheme and host, http as https."""
    if not link:
        return ""
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return link.strip()[:1000]
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in ("fbclid", "gclid")
    ]
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, parts.netloc.lower(), path, urlencode(query), ""))[:1000]


def plain_text(html: str) -> str:
    """Feed summaries are HTML: keep only the text, whitespace collapsed."""
    return " ".join(unescape(strip_tags(html or "")).split())


# --- fetching ---------------------------------------------------------------------------------


def max_bytes() -> int:
    return settings.SIAR_INTAKE_MAX_BYTES


def fetch(feed: UnitFeed) -> tuple[requests.Response, bytes | None, str]:
    """GET the feed (following a few redirects, each through the guard). Returns the final response,
    its body (None on 304) and a note about a permanent redirect ("" if none)."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.modified:
        headers["If-Modified-Since"] = feed.modified
    url, note = feed.url, ""
    for _hop in range(MAX_REDIRECTS + 1):
        if problem := outbound.url_problem(url, resolve=False):
            raise FetchError(f"refused {url}: {problem}")
        response = request(
            "GET", url, via=outbound.session(), headers=headers, stream=True, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)
        )
        if not isinstance(response, requests.Response):
            raise FetchError(response.message)
        if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
            location = response.headers.get("Location")
            response.close()
            if not location:
                raise FetchError(f"HTTP {response.status_code} without a Location header")
            target = urljoin(url, location)
            if response.status_code in (301, 308) and not note:
                note = f"permanently redirected to {target}: update the feed URL"
            url = target
            continue
        break
    else:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects (last to {url})")
    try:
        if response.status_code == 304:
            return response, None, note
        if response.status_code != 200:
            raise FetchError(f"HTTP {response.status_code}")
        limit = max_bytes()
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"the feed is larger than {limit} bytes ({declared})")
        chunks, size, deadline = [], 0, time.monotonic() + DOWNLOAD_DEADLINE
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"the feed is larger than {limit} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"the download took longer than {DOWNLOAD_DEADLINE:.0f} seconds")
                chunks.append(chunk)
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            raise FetchError(f"the download broke off ({exc.__class__.__name__})") from exc
        return response, b"".join(chunks), note
    finally:
        response.close()


# --- polling ----------------------------------------------------------------------------------


def poll_all() -> list[PollResult]:
    """Poll every active unit feed once. The periodic worker calls this; it never raises for one feed."""
    results = []
    for feed in UnitFeed.objects.filter(is_active=True).select_related("source_unit").order_by("pk"):
        results.append(poll_feed(feed))
    if results:
        logger.info(
            "intake: %d feed(s) polled, %d new item(s), %d error(s)",
            len(results),
            sum(result.new for result in results),
            sum(result.status == "error" for result in results),
        )
    return results


def poll_feed(feed: UnitFeed) -> PollResult:
    """Poll one feed; anything that goes wrong is recorded on the feed and returned as an error result."""
    now = timezone.now()
    try:
        result = _poll(feed, now)
    except FetchError as exc:
        result = PollResult(feed, "error", message=str(exc))
    except Exception as exc:  # one broken feed must never stop the others
        logger.exception("intake: polling %s failed", feed.url)
        result = PollResult(feed, "error", message=f"unexpected error ({exc.__class__.__name__})")
    feed.last_polled_at = now
    if result.status == "error":
        logger.info("intake: %s: %s", feed.url, result.message)
        feed.last_error = result.message[:MAX_ERROR_LENGTH]
        feed.error_count += 1
    else:
        feed.last_success_at = now
        feed.error_count = 0
        feed.last_error = f"{WARNING_PREFIX}{result.message}"[:MAX_ERROR_LENGTH] if result.message else ""
    UnitFeed.objects.filter(pk=feed.pk).update(
        etag=feed.etag,
        modified=feed.modified,
        last_polled_at=feed.last_polled_at,
        last_success_at=feed.last_success_at,
        last_error=feed.last_error,
        error_count=feed.error_count,
    )
    return result


def _poll(feed: UnitFeed, now: datetime) -> PollResult:
    response, body, note = fetch(feed)
    if body is None:
        return PollResult(feed, "unchanged", message=note)
    headers = {name.lower(): value for name, value in response.headers.items()}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    warnings = [note] if note else []
    if parsed.bozo:
        problem = f"malformed feed ({parsed.get('bozo_exception', 'unreadable')})"
        if not parsed.entries:
            raise FetchError(problem[:MAX_ERROR_LENGTH])
        warnings.append(problem)
    elif not parsed.entries and not parsed.feed:
        raise FetchError("not an RSS or Atom feed")
    new = skipped = 0
    for entry in parsed.entries:
        if _store(feed, entry, response.url or feed.url, now):
            new += 1
        else:
            skipped += 1
    # Remember the validators only after the items are stored: a failure above refetches next time.
    feed.etag = (response.headers.get("ETag") or "")[:500]
    feed.modified = (response.headers.get("Last-Modified") or "")[:100]
    return PollResult(feed, "new", new=new, skipped=skipped, message="; ".join(warnings))


def _published(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _store(feed: UnitFeed, entry, base_url: str, now: datetime) -> bool:
    """Keep one entry unless it is already known. True when a new item was stored."""
    link = urljoin(base_url, entry.get("link") or "")[:1000] if entry.get("link") else ""
    title = plain_text(entry.get("title") or "")[:500]
    guid = (entry.get("id") or link or title)[:500]
    if not guid or not (title or link):
        return False
    summary = plain_text(entry.get("summary") or entry.get("description") or "")
    key, link_key = title_key(title), normalise_link(link)
    known = IntakeItem.objects.filter(feed=feed, guid=guid).exists()
    if not known and link_key:
        known = IntakeItem.objects.filter(source_unit_id=feed.source_unit_id, link_key=link_key).exists()
    if not known and key:
        known = IntakeItem.objects.filter(
            source_unit_id=feed.source_unit_id, title_key=key, fetched_at__gte=now - TITLE_WINDOW
        ).exists()
    if known:
        return False
    try:
        with transaction.atomic():
            IntakeItem.objects.create(
                feed=feed,
                source_unit_id=feed.source_unit_id,
                guid=guid,
                link=link,
                link_key=link_key,
                title=title or link,
                title_key=key,
                summary=summary,
                published=_published(entry),
                fetched_at=now,
            )
    except IntegrityError:  # a concurrent poll stored it first
        return False
    return True
