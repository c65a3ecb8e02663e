"""Reach: counting article views without storing anything about the reader.

``record_view`` adds one to two Redis hashes in one transaction: ``<page_id>:<day>`` (for the
daily table) and ``<page_id>`` (for current totals). Nothing about the reader is kept: no IP
address, no user agent, no cookie; there is no de-duplication (a reload counts again).

``flush_views`` (called periodically by the scheduler, never in a request) renames both hashes
to "flushing" keys atomically, so increments arriving meanwhile go to fresh hashes and are
never lost, adds the counts to ``ArticleViews`` and deletes the flushing keys. If the database
write fails, the counts are merged back into the pending hashes. A flush that died half-way
leaves its flushing keys; the next flush finishes them first.

``current_counts`` is what the API shows: stored totals (one SQL aggregate) plus the counts in
Redis (pending and flushing; one round trip). Between a flush's commit and its delete — one
Redis round trip — a reader may see that batch twice.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

import redis
from django.core.cache import cache
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ..redis_cache import raw_client

logger = logging.getLogger("siar.reach")

PENDING_DAILY = "reach:views:daily"
PENDING_TOTALS = "reach:views:totals"
FLUSHING_DAILY = "reach:views:flushing:daily"
FLUSHING_TOTALS = "reach:views:flushing:totals"
FLUSH_LOCK = "reach:views:flush-lock"
FLUSH_LOCK_SECONDS = 600

# Substrings (lower case) of user agents that are not readers: crawlers, link previews, scripts.
BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "whatsapp",
    "telegram",
    "curl",
    "wget",
    "python-requests",
    "python-urllib",
    "httpx",
    "aiohttp",
    "go-http-client",
    "java/",
    "okhttp",
    "headlesschrome",
    "phantomjs",
    "lighthouse",
    "pagespeed",
    "preview",
    "monitor",
    "feedfetcher",
)

# Renames the pending hashes to the flushing keys unless a flushing batch is still there.
_RENAME = """
if redis.call('exists', KEYS[3]) == 1 or redis.call('exists', KEYS[4]) == 1 then return 0 end
if redis.call('exists', KEYS[1]) == 1 then redis.call('rename', KEYS[1], KEYS[3]) end
if redis.call('exists', KEYS[2]) == 1 then redis.call('rename', KEYS[2], KEYS[4]) end
return 1
"""


def client() -> redis.Redis:
    return raw_client()


def key(name: str) -> str:
    """The Redis key for ``name``, namespaced like the cache (tests use their own prefix)."""
    return cache.make_key(name)


def is_bot(user_agent: str, headers=None) -> bool:
    """True for requests that should not count: no user agent, known bots and previews, prefetches."""
    headers = headers or {}
    purpose = (headers.get("Sec-Purpose") or headers.get("Purpose") or "").lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return True
    agent = (user_agent or "").strip().lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def record_view(page_id: int, user_agent: str, headers=None, *, day: date | None = None) -> bool:
    """Count one view of article ``page_id`` now; False (not counted) for bots or when Redis is down."""
    if is_bot(user_agent, headers):
        return False
    day = day or timezone.localdate()
    try:
        with client().pipeline(transaction=True) as pipe:
            pipe.hincrby(key(PENDING_DAILY), f"{page_id}:{day.isoformat()}", 1)
            pipe.hincrby(key(PENDING_TOTALS), str(page_id), 1)
            pipe.execute()
    except redis.RedisError as exc:
        logger.warning("view of %s not counted: Redis error %s", page_id, exc.__class__.__name__)
        return False
    return True


def flush_views() -> int:
    """Move the counts waiting in Redis into ``ArticleViews``; returns how many views were written.

    Safe to call from several processes at once (only one flushes; the others return 0).
    """
    if not cache.add(FLUSH_LOCK, 1, timeout=FLUSH_LOCK_SECONDS):
        return 0
    try:
        r = client()
        keys = [key(PENDING_DAILY), key(PENDING_TOTALS), key(FLUSHING_DAILY), key(FLUSHING_TOTALS)]
        flushed = 0
        for _ in range(2):  # a leftover batch first, then the pending one
            renamed = r.eval(_RENAME, 4, *keys)
            batch = r.hgetall(keys[2])
            flushed += _store_batch(r, batch, keys)
            if renamed:
                break
        return flushed
    finally:
        cache.delete(FLUSH_LOCK)


def _store_batch(r: redis.Redis, batch: dict, keys: list[str]) -> int:
    pending_daily, pending_totals, flushing_daily, flushing_totals = keys
    counts: dict[tuple[int, date], int] = {}
    for field, value in batch.items():
        try:
            page_id, day = field.decode().split(":", 1)
            counts[(int(page_id), date.fromisoformat(day))] = int(value)
        except ValueError:
            logger.warning("unreadable view counter %r dropped", field)
    try:
        written = _write(counts)
    except Exception:
        logger.exception("view counts not written; putting them back")
        with r.pipeline(transaction=True) as pipe:
            for field, value in batch.items():
                pipe.hincrby(pending_daily, field, int(value))
            for (page_id, _day), value in counts.items():
                pipe.hincrby(pending_totals, str(page_id), value)
            pipe.delete(flushing_daily, flushing_totals)
            pipe.execute()
        raise
    r.delete(flushing_daily, flushing_totals)
    return written


def _write(counts: dict[tuple[int, date], int]) -> int:
    from ..models import ArticlePage, ArticleViews

    if not counts:
        return 0
    page_ids = {page_id for page_id, _day in counts}
    existing_pages = set(ArticlePage.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
    counts = {k: v for k, v in counts.items() if k[0] in existing_pages}  # deleted meanwhile: dropped
    with transaction.atomic():
        rows = {
            (row.article_id, row.day): row
            for row in ArticleViews.objects.select_for_update().filter(
                article_id__in=existing_pages, day__in={day for _page, day in counts}
            )
        }
        updated, created = [], []
        for (page_id, day), value in counts.items():
            row = rows.get((page_id, day))
            if row is None:
                created.append(ArticleViews(article_id=page_id, day=day, count=value))
            else:
                row.count += value
                updated.append(row)
        ArticleViews.objects.bulk_create(created, batch_size=500)
        ArticleViews.objects.bulk_update(updated, ["count"], batch_size=500)
    return sum(counts.values())


def pending_counts(page_ids) -> dict[int, int]:
    """Views still in Redis (pending or being flushed) per page, in one round trip."""
    ids = [str(i) for i in page_ids]
    if not ids:
        return {}
    try:
        with client().pipeline(transaction=False) as pipe:
            pipe.hmget(key(PENDING_TOTALS), ids)
            pipe.hmget(key(FLUSHING_TOTALS), ids)
            pending, flushing = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("pending view counts unavailable: Redis error %s", exc.__class__.__name__)
        return {}
    return {int(i): int(a or 0) + int(b or 0) for i, a, b in zip(ids, pending, flushing, strict=True)}


def current_counts(page_ids) -> dict[int, int]:
    """Views per page: stored totals (one SQL query) plus what is still in Redis."""
    from ..models import ArticleViews

    ids = {int(i) for i in page_ids}
    if not ids:
        return {}
    totals = dict.fromkeys(ids, 0)
    stored = ArticleViews.objects.filter(article_id__in=ids).values("article_id").annotate(total=Sum("count"))
    for row in stored.order_by():
        totals[row["article_id"]] += row["total"]
    for page_id, value in pending_counts(ids).items():
        totals[page_id] += value
    return totals


# Counts loaded up front for a whole API listing (see ``prefetched_view_counts``).
_prefetched: ContextVar[dict | None] = ContextVar("siar_prefetched_view_counts", default=None)


@contextmanager
def prefetched_view_counts(page_ids):
    token = _prefetched.set(current_counts(page_ids))
    try:
        yield
    finally:
        _prefetched.reset(token)


def view_count(page_id: int) -> int:
    """The current count of one page, from the listing's prefetch when there is one."""
    counts = _prefetched.get()
    if counts is not None and page_id in counts:
        return counts[page_id]
    return current_counts([page_id])[page_id]
