"""Built feeds kept in Redis until the next change, and in each process's memory.

Every stored feed carries the *generation* it was built in; publishing, editing or
unpublishing an article (and changing a partner, category or source unit) starts a new
generation, which makes every stored feed stale at once, so the next request rebuilds it.
A request reads the generation (with the token's grant) in one ``MGET``; the feed's bytes come
from the process's memory when it holds them for that generation, else from Redis once.
"""

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
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


class _Memory:
    """The feeds this process served last (a small LRU), so a hit never moves the body from Redis."""

    def __init__(self, size: int = 64):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, name: str, generation: str) -> BuiltFeed | None:
        built = self.items.get(name)
        return built if built is not None and built.generation == generation else None

    def put(self, name: str, built: BuiltFeed) -> None:
        with self.lock:
            self.items[name] = built
            self.items.move_to_end(name)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


memory = _Memory()


_recent: dict[tuple, tuple[float, dict]] = {}  # (keys) -> (until, values): see ``reuse_seconds``


def _read(keys: tuple, reuse_seconds: float) -> dict:
    if not reuse_seconds:
        return cache.get_many(keys)
    now = time.monotonic()
    until, values = _recent.get(keys, (0.0, None))
    if values is None or until <= now:
        values = cache.get_many(keys)
        if len(_recent) > 4096:  # one entry per token in use: never many, but bounded all the same
            _recent.clear()
        _recent[keys] = (now + reuse_seconds, values)
    return values


def lookup(name: str, also: list[str] = (), *, reuse_seconds: float = 0.0) -> tuple[BuiltFeed | None, str, dict]:
    """The stored feed if it is current, the current generation (to store a rebuilt one), and
    the values of the ``also`` keys (read in the same round trip as the generation).

    ``reuse_seconds``: reuse what this process read from Redis that recently (the fast path: a
    change then reaches it that much later)."""
    values = _read((GENERATION_KEY, *also), reuse_seconds)
    generation = values.get(GENERATION_KEY) or ""
    if not generation:
        return None, "", values
    built = memory.get(name, generation)
    if built is None:
        built = cache.get(feed_key(name))
        if built is None or built.generation != generation:
            return None, generation, values
        memory.put(name, built)
    return built, generation, values


def store(name: str, built: BuiltFeed, generation: str) -> None:
    if not generation:  # nothing changed since Redis started: open a generation now
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            return  # someone else opened it first; the next request stores
    built = _with_generation(built, generation)
    cache.set(feed_key(name), built, timeout=settings.SIAR_FEEDS["CACHE_SECONDS"])
    memory.put(name, built)


def _with_generation(built: BuiltFeed, generation: str) -> BuiltFeed:
    return BuiltFeed(**{**built.__dict__, "generation": generation})


def invalidate() -> None:
    """Make every stored feed stale (after the current transaction commits)."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None))
