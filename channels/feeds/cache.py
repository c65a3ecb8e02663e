"""Built feeds kept in Redis until the next change.

Every stored feed carries the *generation* it was built in; publishing, editing or
unpublishing an article (and changing a partner, category or source unit) starts a new
generation, which makes every stored feed stale at once, so the next request rebuilds it.
One ``MGET`` reads the generation and the feed together.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "feeds:generation"


@dataclass(frozen=True)
class BuiltFeed:
    body: bytes
    content_type: str
    etag: str  # quoted, strong
    last_modified: datetime
    article_ids: tuple[int, ...]
    generation: str = ""


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def feed_key(name: str) -> str:
    return f"feeds:body:{name}"


def lookup(name: str, also: list[str] = ()) -> tuple[BuiltFeed | None, str, dict]:
    """The stored feed if it is current, the current generation (to store a rebuilt one), and
    the values of the ``also`` keys, all read in one round trip."""
    values = cache.get_many([GENERATION_KEY, feed_key(name), *also])
    generation = values.get(GENERATION_KEY) or ""
    built = values.get(feed_key(name))
    if built is not None and generation and built.generation == generation:
        return built, generation, values
    return None, generation, values


def store(name: str, built: BuiltFeed, generation: str) -> None:
    if not generation:  # nothing changed since Redis started: open a generation now
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            return  # someone else opened it first; the next request stores
    cache.set(feed_key(name), _with_generation(built, generation), timeout=settings.SIAR_FEEDS["CACHE_SECONDS"])


def _with_generation(built: BuiltFeed, generation: str) -> BuiltFeed:
    return BuiltFeed(**{**built.__dict__, "generation": generation})


def invalidate() -> None:
    """Make every stored feed stale (after the current transaction commits)."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None))
