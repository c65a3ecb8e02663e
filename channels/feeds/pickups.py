"""The pickup log, written cheaply: a feed request appends one line to a Redis list (a single
``RPUSH``); ``flush()`` moves the lines into ``FeedFetch`` rows in bulk. Workers flush every
sweep, the report flushes before it reads, and a request flushes inline only if the list grew
past ten batches (no worker running), so the log is never unbounded and never lost to a full
Redis list.
"""

import json
import logging
from datetime import UTC, datetime
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from ..models import FeedFetch, Partner, PartnerToken

logger = logging.getLogger("siar.feeds.pickups")

LOG_KEY = "feeds:pickups"
USER_AGENT_MAX = 300


@memoize
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _key() -> str:
    return cache.make_key(LOG_KEY)


def record(*, partner_id, feed: str, fmt: str, status: int, article_ids=(), token_prefix="", user_agent="") -> None:
    line = json.dumps(
        [
            partner_id,
            feed,
            fmt,
            status,
            list(article_ids),
            token_prefix,
            user_agent[:USER_AGENT_MAX],
            datetime.now(UTC).timestamp(),
        ]
    )
    try:
        length = _client(settings.REDIS_URL).rpush(_key(), line)
    except redis.RedisError as exc:  # the feed is served all the same; only this line is lost
        logger.warning("pickup not logged (Redis: %s)", exc.__class__.__name__)
        return
    if length >= 10 * settings.SIAR_FEEDS["PICKUP_BATCH"]:
        flush()


def flush(*, limit: int = 100_000) -> int:
    """Write logged fetches to the database; returns how many. Safe to run concurrently."""
    client = _client(settings.REDIS_URL)
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
