"""Dramatiq actors. Thin: primitive arguments, one call into ``workers.services``."""

import dramatiq

from . import services

MEDIA_QUEUE = "media"


@dramatiq.actor(queue_name=MEDIA_QUEUE, max_retries=5, time_limit=5 * 60 * 1000)
def article_renditions_warm(page_id: int) -> None:
    services.article_renditions_warm(page_id=page_id)
