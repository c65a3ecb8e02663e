"""Which channel accounts an article goes to (read-only; used by the engine and the admin)."""

from django.db.models import Q

from .models import ChannelAccount


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
    return list(ChannelAccount.objects.filter(pk__in=wanted, is_active=True).order_by("channel", "name"))
