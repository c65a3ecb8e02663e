"""Admin registration: the "Syndication" menu (deliveries, accounts, outbox) and dashboard panel."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin_ui.accounts import ChannelAccountViewSet
from .admin_ui.dashboard import DeliveriesNeedingAttentionPanel
from .admin_ui.deliveries import DeliveryViewSet
from .admin_ui.outbox import OutboxViewSet


class SyndicationGroup(ViewSetGroup):
    menu_label = _("Syndication")
    menu_icon = "globe"
    menu_order = 250
    items = (DeliveryViewSet, ChannelAccountViewSet, OutboxViewSet)


@hooks.register("register_admin_viewset")
def register_syndication_viewsets():
    return SyndicationGroup()


@hooks.register("insert_global_admin_css")
def syndication_css():
    return format_html(
        '<link rel="stylesheet" href="{}"><link rel="stylesheet" href="{}">',
        static("siar_channels/admin.css"),
        static("siar_channels/previews.css"),
    )


@hooks.register("construct_homepage_panels")
def deliveries_needing_attention(request, panels):
    panels.append(DeliveriesNeedingAttentionPanel(request.user))
