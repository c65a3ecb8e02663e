"""Changes outside articles that change feeds or who may read them (articles: ``workers.signals``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from hub.models import Category, SourceUnit

from ..models import Partner, PartnerToken
from . import access, cache


def _partner_changed(sender, instance, **kwargs) -> None:
    cache.invalidate()
    partner = instance.partner if isinstance(instance, PartnerToken) else instance
    if isinstance(partner, Partner):  # (an m2m change made from the category's side has a Category)
        access.forget_partner(partner)


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
