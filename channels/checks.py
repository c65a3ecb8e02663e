"""System checks for the channels' settings: every transport and adapter must load, and
production should not silently keep a channel on the outbox."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .models import Channel
from .registry import OUTBOX, adapter_for, transport_class


@checks.register()
def channel_settings_check(app_configs, **kwargs):
    messages = []
    for channel in Channel.values:
        try:
            transport_class(channel)
            adapter_for(channel)
        except ImproperlyConfigured as exc:
            messages.append(checks.Error(str(exc), hint="Fix SIAR_CHANNELS in the settings.", id="siar.E010"))
    if getattr(settings, "SIAR_ENVIRONMENT", "") == "production":
        for channel, config in settings.SIAR_CHANNELS.items():
            if config.get("TRANSPORT") == OUTBOX:
                messages.append(
                    checks.Warning(
                        f"The {channel} channel is configured to use the outbox: nothing is published there.",
                        hint=f"Remove SIAR_CHANNELS[{channel!r}]['TRANSPORT'] to use the real platform.",
                        id="siar.W010",
                    )
                )
    return messages
