from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Content hub")

    def ready(self):
        from . import checks  # noqa: F401  (registers system checks)
