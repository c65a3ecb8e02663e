"""Dramatiq actors. Thin: primitive arguments, one call into a service module."""

import dramatiq

from . import services
from .queueing import DELIVER_ACTORS  # noqa: F401  (one deliver_<channel> actor per channel queue)

MEDIA_QUEUE = "media"


@dramatiq.actor(queue_name=MEDIA_QUEUE, max_retries=5, time_limit=5 * 60 * 1000)
def article_renditions_warm(page_id: int) -> None:
    services.article_renditions_warm(page_id=page_id)
