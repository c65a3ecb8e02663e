"""Dramatiq actors. Thin: primitive arguments, one call into a service module."""

import dramatiq

from . import periodic, services
from .queueing import DELIVER_ACTORS  # noqa: F401  (one deliver_<channel> actor per channel queue)

MEDIA_QUEUE = "media"


@dramatiq.actor(queue_name=MEDIA_QUEUE, max_retries=5, time_limit=5 * 60 * 1000)
def article_renditions_warm(page_id: int) -> None:
    services.article_renditions_warm(page_id=page_id)


@dramatiq.actor(queue_name="feeds", max_retries=8, min_backoff=10_000, max_backoff=30 * 60 * 1000)
def websub_ping(page_id: int, category_slug: str = "") -> None:
    """Tell the WebSub hub which feeds an article's change touched (Dramatiq retries failures)."""
    services.websub_ping(page_id=page_id, category_slug=category_slug)


# --- periodic jobs (sent by `manage.py scheduler`, see workers/schedule.py) -----------------

PERIODIC_QUEUE = "periodic"


@dramatiq.actor(queue_name=PERIODIC_QUEUE, max_retries=0, time_limit=10 * 60 * 1000)
def publish_scheduled_pages() -> None:
    periodic.publish_scheduled_pages()


@dramatiq.actor(queue_name=PERIODIC_QUEUE, max_retries=0, time_limit=10 * 60 * 1000)
def feed_pickups_flush() -> None:
    periodic.feed_pickups_flush()


@dramatiq.actor(queue_name=PERIODIC_QUEUE, max_retries=0, time_limit=10 * 60 * 1000)
def article_views_flush() -> None:
    periodic.article_views_flush()


@dramatiq.actor(queue_name=PERIODIC_QUEUE, max_retries=0, time_limit=20 * 60 * 1000)
def intake_poll() -> None:
    periodic.intake_poll()


@dramatiq.actor(queue_name=PERIODIC_QUEUE, max_retries=3, time_limit=5 * 60 * 1000)
def token_expiry_warn() -> None:
    periodic.token_expiry_warn()


@dramatiq.actor(queue_name=PERIODIC_QUEUE, max_retries=0, time_limit=30 * 60 * 1000)
def logs_prune() -> None:
    periodic.logs_prune()
