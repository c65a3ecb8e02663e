"""What every channel's ``adapt()`` shares (each channel package has its own rules)."""

from urllib.parse import urlencode, urlsplit, urlunsplit


def with_utm(url: str, channel: str) -> str:
    """The link with UTM tags, so the website's analytics can tell where readers came from."""
    parts = urlsplit(url)
    utm = urlencode({"utm_source": channel, "utm_medium": "social", "utm_campaign": "siar"})
    query = f"{parts.query}&{utm}" if parts.query else utm
    return urlunsplit(parts._replace(query=query))
