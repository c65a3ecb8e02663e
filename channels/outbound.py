"""Requests to addresses that staff typed in (webhooks, WebSub hubs, unit feeds): guarded against SSRF.

A URL an admin user can set must not reach the hub's own network: loopback, link-local
(cloud metadata at 169.254.169.254), private and other non-public ranges are refused, and
redirects are not followed (a public URL could redirect inwards). The check happens when the
connection is made, against the address actually connected to, so a DNS answer that changes
between a check and the request ("DNS rebinding") cannot slip through. requests-hardened
(maintained by Saleor) does this; ``SIAR_OUTBOUND_ALLOW_PRIVATE = True`` (environment
``SIAR_OUTBOUND_ALLOW_PRIVATE=1``) turns the guard off, for tests and closed intranets.
"""

import ipaddress
import socket
from functools import cache
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import InvalidIPAddress

from .http import CONNECT_TIMEOUT, USER_AGENT

__all__ = ["InvalidIPAddress", "session", "url_problem"]


@cache
def _session(allow_private: bool) -> requests.Session:
    guarded = HTTPSession(
        Config(
            ip_filter_enable=not allow_private,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=(CONNECT_TIMEOUT, 10),
            user_agent_override=USER_AGENT,
        )
    )
    guarded.headers["User-Agent"] = USER_AGENT
    return guarded


def session() -> requests.Session:
    """The guarded session, as the current settings want it."""
    return _session(bool(settings.SIAR_OUTBOUND_ALLOW_PRIVATE))


def url_problem(url: str, *, resolve: bool = True) -> str:
    """Why Siar will not send requests to ``url`` ("" when it will): for forms and the CLI.

    The connection itself is checked again (see the module's docstring); this gives staff the
    reason while they type. A name that does not resolve now is not a problem here.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Use an http:// or https:// address."
    if settings.SIAR_OUTBOUND_ALLOW_PRIVATE:
        return ""
    try:
        addresses = {ipaddress.ip_address(parts.hostname)}
    except ValueError:
        if not resolve:
            return ""
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return ""
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    for address in addresses:
        if not _is_public(address):
            return (
                f"{parts.hostname} is a loopback, link-local or private address ({address}); Siar only sends "
                "to public addresses (set SIAR_OUTBOUND_ALLOW_PRIVATE=1 to allow private networks)."
            )
    return ""


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast
