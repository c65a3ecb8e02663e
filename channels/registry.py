"""Which transport and adapter serve each channel (``settings.SIAR_CHANNELS``).

``SIAR_CHANNELS = {"facebook": {"TRANSPORT": "dotted.path.Transport", "OPTIONS": {...}}}``.
Accounts without credentials always use the outbox.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .models import ChannelAccount
from .transports.base import Transport
from .transports.outbox import OutboxTransport


def channel_config(channel: str) -> dict:
    return settings.SIAR_CHANNELS.get(channel, {})


def transport_class(channel: str) -> type[Transport]:
    path = channel_config(channel).get("TRANSPORT", "channels.transports.outbox.OutboxTransport")
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SIAR_CHANNELS[{channel!r}]['TRANSPORT'] = {path!r} cannot be imported") from exc
    if not (isinstance(cls, type) and issubclass(cls, Transport)):
        raise ImproperlyConfigured(f"SIAR_CHANNELS[{channel!r}]['TRANSPORT'] = {path!r} is not a Transport")
    return cls


def get_transport(account: ChannelAccount) -> Transport:
    """The account's transport, built now (so settings overrides apply)."""
    options = {**channel_config(account.channel).get("OPTIONS", {}), **account.options}
    if not account.has_credentials:
        return OutboxTransport(account, options)
    return transport_class(account.channel)(account, options)
