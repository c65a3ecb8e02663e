"""Which channel accounts an article goes to (read-only; used by the engine and the admin)."""

from django.db.models import Q

from .models import Channel, ChannelAccount


def article_accounts(article) -> list[ChannelAccount]:
    """Active accounts for the article: its category's defaults, plus the editor's choices,
    minus what the editor switched off. Reads the choices from the instance, so an unsaved
    draft in the editor shows its own selection."""
    choices = {choice.account_id: choice.enabled for choice in article.channel_choices.all()}
    defaults = Q(default_for_all_categories=True)
    if article.category_id:
        defaults |= Q(default_categories=article.category_id)
    wanted = set(ChannelAccount.objects.filter(defaults).values_list("pk", flat=True))
    wanted |= {pk for pk, enabled in choices.items() if enabled}
    wanted -= {pk for pk, enabled in choices.items() if not enabled}
    wanted |= {account.pk for account in partner_webhook_accounts(article)}
    return list(ChannelAccount.objects.filter(pk__in=wanted, is_active=True).order_by("channel", "name"))


def partner_webhook_accounts(article) -> list[ChannelAccount]:
    """Webhook accounts of serving partners whose categories and source units take the article.
    Partners follow their agreement, not the editor's channel choices."""
    accounts = (
        ChannelAccount.objects.filter(channel=Channel.PARTNERS, is_active=True, partner__isnull=False)
        .select_related("partner")
        .prefetch_related("partner__categories", "partner__source_units")
    )
    return [a for a in accounts if a.partner.is_serving() and a.partner.receives(article)]
