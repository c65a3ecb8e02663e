"""Wagtail signal receivers. They live here so that ``hub`` never imports workers."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished

from channels.feeds import cache as feed_cache
from hub.models import ArticlePage

from . import syndication
from .queueing import BROKER_DOWN

logger = logging.getLogger("siar.workers")


def enqueue_renditions_warm(page_id: int) -> None:
    from .actors import article_renditions_warm

    try:
        article_renditions_warm.send(page_id)
    except BROKER_DOWN:
        # Not fatal: the API creates missing renditions on first read.
        logger.warning("broker unreachable; renditions of article %s will be made on first read", page_id)


def feeds_changed(article: ArticlePage) -> None:
    """After commit: stored feeds go stale at once; the WebSub hub hears of it from a worker."""
    feed_cache.invalidate()
    if not settings.WEBSUB_HUB_URL:
        return
    from .actors import websub_ping

    category = article.category.slug if article.category_id else ""

    def ping():
        try:
            websub_ping.send(article.pk, category)
        except BROKER_DOWN:
            logger.warning("broker unreachable; the WebSub hub is not told of article %s's change", article.pk)

    transaction.on_commit(ping)


def on_page_published(sender, instance, revision=None, **kwargs) -> None:
    if not isinstance(instance, ArticlePage):
        return
    feeds_changed(instance)
    transaction.on_commit(lambda: enqueue_renditions_warm(instance.pk))
    user = getattr(revision, "user", None)
    syndication.article_syndicate(article=instance, user=user, source="publish")


def on_page_unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, ArticlePage):
        feeds_changed(instance)
        syndication.article_withdraw(article=instance, source="unpublish")


def on_article_deleted(sender, instance, **kwargs) -> None:
    if instance.live:
        feeds_changed(instance)
    syndication.article_withdraw(article=instance, source="delete")


def register_signal_handlers() -> None:
    page_published.connect(on_page_published, dispatch_uid="siar-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="siar-page-unpublished")
    pre_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="siar-article-deleted")
