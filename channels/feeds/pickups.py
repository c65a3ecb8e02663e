"""The pickup log, written cheaply: a feed request appends its line to a buffer in its own
process; a background thread pushes the buffer to a Redis list every second (or every 100 lines)
in one ``RPUSH``, and ``flush()`` moves the list into ``FeedFetch`` rows in bulk. Workers flush
every sweep and the report flushes before it reads; if no worker runs and the list grows past
ten batches, the web process's thread writes it to the database itself. A process killed
outright loses at most its last second of lines (a clean exit pushes them).
"""

import atexit
import json
import logging
import os
import threading
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from hub.redis_cache import raw_client

from ..models import FeedFetch, Partner, PartnerToken

logger = logging.getLogger("siar.feeds.pickups")

LOG_KEY = "feeds:pickups"
USER_AGENT_MAX = 300


def _key() -> str:
    return cache.make_key(LOG_KEY)


PUSH_EVERY_SECONDS = 1.0  # how stale Redis's list may be behind a serving process


class _Buffer:
    """Lines waiting in this process, pushed to Redis by a daemon thread."""

    PUSH_AT_LINES = 100
    MAX_LINES = 50_000  # Redis unreachable for long: drop the oldest rather than grow without bound

    def __init__(self):
        self.lines: list[str] = []
        self.lock = threading.Lock()
        self.push_lock = threading.Lock()  # one push at a time: after push() returns, nothing is in flight
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.pid = 0

    def add(self, line: str) -> None:
        with self.lock:
            self.lines.append(line)
            if len(self.lines) > self.MAX_LINES:
                del self.lines[: len(self.lines) - self.MAX_LINES]
            count = len(self.lines)
        self._ensure_thread()
        if count >= self.PUSH_AT_LINES:
            self.wake.set()

    def push(self) -> int:
        """Send the buffered lines to Redis now; returns the list's length (0 when nothing was sent)."""
        with self.push_lock:
            with self.lock:
                lines, self.lines = self.lines, []
            if not lines:
                return 0
            try:
                return raw_client().rpush(_key(), *lines)
            except redis.RedisError as exc:
                logger.warning("pickup log not pushed to Redis (%s); trying again", exc.__class__.__name__)
                with self.lock:
                    self.lines[:0] = lines
                return 0

    def _ensure_thread(self) -> None:
        if self.thread is not None and self.pid == os.getpid():
            return
        with self.lock:  # (again after a fork: the parent's thread does not exist in the child)
            if self.thread is None or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="siar-pickups", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        from django.db import close_old_connections

        while True:
            self.wake.wait(PUSH_EVERY_SECONDS)
            self.wake.clear()
            try:
                if self.push() >= 10 * settings.SIAR_FEEDS["PICKUP_BATCH"]:  # no worker is flushing
                    flush()
            except Exception:  # the thread must outlive a database or Redis outage
                logger.exception("pushing the pickup log failed; trying again")
            finally:
                close_old_connections()


_buffer = _Buffer()
atexit.register(_buffer.push)


def push_pending() -> None:
    """Send this process's buffered lines to Redis now (tests; before reading the list)."""
    _buffer.push()


def record(*, partner_id, feed: str, fmt: str, status: int, article_ids=(), token_prefix="", user_agent="") -> None:
    """Log one feed request (no I/O here: the line waits in this process's buffer)."""
    timestamp = datetime.now(UTC).timestamp()
    line = [partner_id, feed, fmt, status, list(article_ids), token_prefix, user_agent[:USER_AGENT_MAX], timestamp]
    _buffer.add(json.dumps(line))


def flush(*, limit: int = 100_000) -> int:
    """Write logged fetches to the database (this process's buffered ones first); returns how
    many. Safe to run concurrently."""
    _buffer.push()
    client = raw_client()
    batch = settings.SIAR_FEEDS["PICKUP_BATCH"]
    written = 0
    while written < limit:
        pipe = client.pipeline()  # MULTI: take and trim atomically, so two flushers never share lines
        pipe.lrange(_key(), 0, batch - 1)
        pipe.ltrim(_key(), batch, -1)
        lines, _trimmed = pipe.execute()
        if not lines:
            break
        try:
            written += _write(lines)
        except Exception:
            client.lpush(_key(), *reversed(lines))  # back at the head, for the next flush
            raise
    return written


def _write(lines: list[bytes]) -> int:
    rows, last_used = [], {}
    for line in lines:
        try:
            partner_id, feed, fmt, status, article_ids, prefix, agent, timestamp = json.loads(line)
        except (ValueError, TypeError):
            logger.warning("skipping an unreadable pickup line")
            continue
        fetched_at = datetime.fromtimestamp(timestamp, UTC)
        rows.append(
            FeedFetch(
                partner_id=partner_id,
                feed=feed,
                format=fmt,
                status=status,
                item_count=len(article_ids),
                article_ids=article_ids,
                token_prefix=prefix,
                user_agent=agent,
                fetched_at=fetched_at,
            )
        )
        if prefix and partner_id and status < 400:
            last_used[(partner_id, prefix)] = max(fetched_at, last_used.get((partner_id, prefix), fetched_at))
    partners = set(Partner.objects.filter(pk__in={r.partner_id for r in rows}).values_list("pk", flat=True))
    for row in rows:  # a partner deleted since its fetch: keep the fetch, without the partner
        if row.partner_id not in partners:
            row.partner_id = None
    with transaction.atomic():
        FeedFetch.objects.bulk_create(rows)
        for (partner_id, prefix), used in last_used.items():
            PartnerToken.objects.filter(partner_id=partner_id, key_prefix=prefix).update(last_used_at=used)
    return len(rows)
