"""Wagtail signal receivers. They live here so that ``hub`` never imports workers."""

import logging

import dramatiq
from django.db import transaction
from wagtail.signals import page_published

from hub.models import ArticlePage

logger = logging.getLogger("siar.workers")


def enqueue_renditions_warm(page_id: int) -> None:
    from .actors import article_renditions_warm

    try:
        article_renditions_warm.send(page_id)
    except dramatiq.errors.ConnectionError:
        # Not fatal: the API creates missing renditions on first read.
        logger.warning("broker unreachable; renditions of article %s will be made on first read", page_id)


def on_page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, ArticlePage):
        transaction.on_commit(lambda: enqueue_renditions_warm(instance.pk))


def register_signal_handlers() -> None:
    page_published.connect(on_page_published, dispatch_uid="siar-renditions-warm")
