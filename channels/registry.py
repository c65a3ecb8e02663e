"""Which transport and adapter serve each channel (``settings.SIAR_CHANNELS``).

``SIAR_CHANNELS = {"facebook": {"TRANSPORT": "dotted.path.Transport", "ADAPTER": "dotted.path.adapt",
"OPTIONS": {...}}}``; by default channel ``x`` uses ``channels.x.Transport`` and ``channels.x.adapt``.
Accounts without credentials always use the outbox.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .models import ChannelAccount
from .snapshot import ArticleSnapshot
from .transports.base import Post, Transport
from .transports.outbox import OutboxTransport

OUTBOX = "channels.transports.outbox.OutboxTransport"

Adapter = Callable[..., Post]


def channel_config(channel: str) -> dict:
    return settings.SIAR_CHANNELS.get(channel, {})


def _load(channel: str, key: str, default: str):
    path = channel_config(channel).get(key, default)
    try:
        return import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SIAR_CHANNELS[{channel!r}][{key!r}] = {path!r} cannot be imported") from exc


def transport_class(channel: str) -> type[Transport]:
    cls = _load(channel, "TRANSPORT", f"channels.{channel}.Transport")
    if not (isinstance(cls, type) and issubclass(cls, Transport)):
        raise ImproperlyConfigured(f"SIAR_CHANNELS[{channel!r}]['TRANSPORT'] is not a Transport")
    return cls


def account_options(account: ChannelAccount) -> dict:
    """The channel's configured options with the account's own on top."""
    return {**channel_config(account.channel).get("OPTIONS", {}), **(account.options or {})}


def get_transport(account: ChannelAccount) -> Transport:
    """The account's transport, built now (so settings overrides apply)."""
    options = account_options(account)
    if not account.has_credentials:
        return OutboxTransport(account, options)
    return transport_class(account.channel)(account, options)


def adapter_for(channel: str) -> Adapter:
    return _load(channel, "ADAPTER", f"channels.{channel}.adapt")


def adapt_for_account(article: ArticleSnapshot, account: ChannelAccount, *, text_override: str = "") -> Post:
    """The post this account would publish: what the worker sends and the editor previews."""
    adapter = adapter_for(account.channel)
    return adapter(article, text_override=text_override, options=account_options(account))
