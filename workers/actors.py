"""Dramatiq actors. Thin: primitive arguments, one call into a service module."""

import dramatiq

from . import services
from .queueing import DELIVER_ACTORS  # noqa: F401  (one deliver_<channel> actor per channel queue)

MEDIA_QUEUE = "media"


@dramatiq.actor(queue_name=MEDIA_QUEUE, max_retries=5, time_limit=5 * 60 * 1000)
def article_renditions_warm(page_id: int) -> None:
    services.article_renditions_warm(page_id=page_id)


@dramatiq.actor(queue_name="feeds", max_retries=8, min_backoff=10_000, max_backoff=30 * 60 * 1000)
def websub_ping(page_id: int, category_slug: str = "") -> None:
    """Tell the WebSub hub which feeds an article's change touched (Dramatiq retries failures)."""
    services.websub_ping(page_id=page_id, category_slug=category_slug)
