from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    """Dramatiq actors and the signal receivers that enqueue them."""

    name = "workers"
    verbose_name = _("Workers")

    def ready(self):
        from .signals import register_signal_handlers

        register_signal_handlers()
