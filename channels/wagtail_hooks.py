"""Admin registration: the "Syndication" menu (deliveries, accounts, partners, partner report, outbox, intake),
the dashboard panel, and the history entries of partners' feed tokens."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.log_actions import LogFormatter

from .admin_ui.accounts import ChannelAccountViewSet
from .admin_ui.dashboard import DeliveriesNeedingAttentionPanel
from .admin_ui.deliveries import DeliveryViewSet
from .admin_ui.intake import IntakeViewSet, UnitFeedViewSet
from .admin_ui.outbox import OutboxViewSet
from .admin_ui.partners import PartnerReportViewSet, PartnerViewSet
from .partners_service import LOG_TOKEN_ISSUED, LOG_TOKEN_REVOKED, LOG_TOKENS_ROTATED


class SyndicationGroup(ViewSetGroup):
    menu_label = _("Syndication")
    menu_icon = "globe"
    menu_order = 250
    items = (
        DeliveryViewSet,
        ChannelAccountViewSet,
        PartnerViewSet,
        PartnerReportViewSet,
        OutboxViewSet,
        IntakeViewSet,
        UnitFeedViewSet,
    )


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


@hooks.register("register_log_actions")
def partner_token_log_actions(actions):
    @actions.register_action(LOG_TOKEN_ISSUED)
    class TokenIssued(LogFormatter):
        label = _("Issue feed token")

        def format_message(self, log_entry):
            return _("Feed token %(prefix)s… issued") % {"prefix": log_entry.data.get("prefix", "")}

    @actions.register_action(LOG_TOKENS_ROTATED)
    class TokensRotated(LogFormatter):
        label = _("Rotate feed tokens")

        def format_message(self, log_entry):
            return _("Feed tokens rotated: new token %(prefix)s…") % {"prefix": log_entry.data.get("prefix", "")}

    @actions.register_action(LOG_TOKEN_REVOKED)
    class TokenRevoked(LogFormatter):
        label = _("Revoke feed token")

        def format_message(self, log_entry):
            return _("Feed token %(prefix)s… revoked") % {"prefix": log_entry.data.get("prefix", "")}
