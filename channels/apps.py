from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    """Channel adapters (Facebook, Instagram, YouTube, website, partners) and their accounts."""

    name = "channels"
    label = "siar_channels"
    verbose_name = _("Channels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .admin_ui.panels import install_article_edit_handler

        install_article_edit_handler()
