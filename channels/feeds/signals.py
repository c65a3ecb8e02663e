"""Changes outside articles that change feeds or who may read them (articles: ``workers.signals``)."""

from django.core.cache import cache as django_cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from hub.models import Category, SourceUnit

from ..models import Partner, PartnerToken
from . import access, cache


def _partner_changed(sender, instance, **kwargs) -> None:
    cache.invalidate()
    if isinstance(instance, PartnerToken):
        key = access.grant_key_for_hash(instance.key_hash)
        transaction.on_commit(lambda: django_cache.delete(key))
    elif isinstance(instance, Partner) and instance.pk:  # (an m2m change from the category's side: a Category)
        access.forget_partner(instance)


def _taxonomy_changed(sender, **kwargs) -> None:
    cache.invalidate()


def connect() -> None:
    for model in (Partner, PartnerToken):
        post_save.connect(_partner_changed, sender=model, dispatch_uid=f"siar-feeds-{model.__name__}-saved")
        post_delete.connect(_partner_changed, sender=model, dispatch_uid=f"siar-feeds-{model.__name__}-deleted")
    for through in (Partner.categories.through, Partner.source_units.through):
        m2m_changed.connect(_partner_changed, sender=through, dispatch_uid=f"siar-feeds-{through.__name__}")
    for model in (Category, SourceUnit):
        post_save.connect(_taxonomy_changed, sender=model, dispatch_uid=f"siar-feeds-{model.__name__}-saved")
        post_delete.connect(_taxonomy_changed, sender=model, dispatch_uid=f"siar-feeds-{model.__name__}-deleted")
