"""Work that actors do, as plain functions (actors and signal handlers only call these)."""

import logging

from django.conf import settings

from hub.models import ArticlePage
from hub.renditions import rendition_specs

logger = logging.getLogger("siar.workers")


def article_renditions_warm(*, page_id: int) -> int:
    """Create the API renditions of an article's images; returns how many images it saw.

    Done in the background after publishing so that the first API reader never waits
    for image processing.
    """
    article = ArticlePage.objects.select_related("hero_image").filter(pk=page_id).first()
    if article is None:
        logger.info("article %s is gone; no renditions to warm", page_id)
        return 0
    images = [article.hero_image] if article.hero_image else []
    images += [block.value["image"] for block in article.body if block.block_type == "image"]
    specs = rendition_specs()
    for image in filter(None, images):
        image.get_renditions(*specs)
    if article.hero_image:  # the crops the channels post, so deliveries never wait for them
        article.hero_image.get_renditions(*settings.SIAR_CHANNEL_RENDITIONS.values())
    logger.info("warmed renditions of %d image(s) for article %s", len(images), page_id)
    return len(images)


class WebSubPingFailed(Exception):
    """Raised so that Dramatiq retries the ping with backoff."""


def websub_ping(*, page_id: int, category_slug: str = "") -> None:
    from channels.feeds import websub

    article = ArticlePage.objects.select_related("category").filter(pk=page_id).first()
    topics = websub.topics_for(article)
    if article is None and category_slug:  # deleted: its category feed changed too
        topics += websub.category_topics(category_slug)
    failure = websub.ping(topics)
    if failure is not None:
        logger.warning("WebSub ping failed: %s", failure.message)
        raise WebSubPingFailed(failure.message)
    logger.info("WebSub hub told of %d changed feed(s)", len(topics))
