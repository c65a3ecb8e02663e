"""The article editor's "Syndication" tab, added from here so that ``hub`` never imports channels."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel, ObjectList, Panel, TabbedInterface
from wagtail.permissions import policy_registry

from ..models import Delivery
from ..selection import article_accounts
from .actions import delivery_actions
from .previews import preview_context

DETAIL_URL_NAME = "siar_deliveries:inspect"


class DeliveriesPanel(Panel):
    """Read-only: per account, the state of the article's post, its link, problem and actions."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "siar_channels/panels/deliveries.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            article = self.instance
            deliveries = []
            if article is not None and article.pk:
                deliveries = list(
                    Delivery.objects.filter(article_id=article.pk)
                    .select_related("account")
                    .order_by("account__channel", "account__name")
                )
            can_inspect = policy_registry.get_by_type(Delivery).user_has_any_permission(
                self.request.user, ["view", "change"]
            )
            context["rows"] = [
                {
                    "delivery": delivery,
                    "actions": delivery_actions(self.request, delivery),
                    "detail_url": reverse(DETAIL_URL_NAME, args=[delivery.pk]) if can_inspect else "",
                }
                for delivery in deliveries
            ]
            sent_to = {delivery.account_id for delivery in deliveries}
            context["planned"] = (
                [account for account in article_accounts(article) if account.pk not in sent_to]
                if article is not None
                else []
            )
            context["is_new"] = article is None or not article.pk
            return context


class ChannelPreviewPanel(Panel):
    """Each chosen channel's post as ``adapt()`` makes it from the last saved version."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "siar_channels/panels/previews.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            article = self.instance
            if article is None or not article.pk:
                return {**context, "previews": [], "preview_error": "", "is_new": True}
            return {**context, **preview_context(article)}


def syndication_tab() -> ObjectList:
    return ObjectList(
        [
            InlinePanel(
                "channel_choices",
                heading=_("Channel choices"),
                label=_("Channel"),
                help_text=_(
                    "Accounts are chosen by the article's category. Add an account here to send the article "
                    "there too, untick “send” to keep it off an account, or give a channel its own text."
                ),
            ),
            ChannelPreviewPanel(heading=_("Channel posts")),
            DeliveriesPanel(heading=_("Deliveries")),
        ],
        heading=_("Syndication"),
    )


def install_article_edit_handler() -> None:
    """Give ArticlePage the default tabs plus "Syndication" (called from ChannelsConfig.ready)."""
    from hub.models import ArticlePage

    tabs = [ObjectList(ArticlePage.content_panels, heading=_("Content")), syndication_tab()]
    if ArticlePage.promote_panels:
        tabs.append(ObjectList(ArticlePage.promote_panels, heading=_("Promote")))
    if ArticlePage.settings_panels:
        tabs.append(ObjectList(ArticlePage.settings_panels, heading=_("Settings")))
    ArticlePage.edit_handler = TabbedInterface(tabs)
    # Page.get_edit_handler is a per-class cached classmethod (set by wagtail.admin): drop any
    # handler built before this one existed.
    cached = getattr(ArticlePage, "get_edit_handler", None)
    if cached is not None:
        cached.cache_clear()
