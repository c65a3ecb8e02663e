from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    """Channel adapters (Facebook, Instagram, YouTube, website, partners) and their accounts."""

    name = "channels"
    label = "siar_channels"
    verbose_name = _("Channels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hub.previews import register_preview_mode

        from . import checks  # noqa: F401  (registers system checks)
        from .admin_ui.panels import install_article_edit_handler
        from .admin_ui.previews import serve_channel_preview
        from .admin_ui.reach import register as register_reach_sections
        from .feeds import signals as feed_signals

        feed_signals.connect()
        register_reach_sections()
        install_article_edit_handler()
        register_preview_mode("channels", _("Channel posts"), serve_channel_preview)
