"""Pure ``adapt()``: an article snapshot and the editor's override → the post for a channel.

This is the shared default; channels with their own rules register their own adapter.
"""

from urllib.parse import urlencode, urlsplit, urlunsplit

from .snapshot import ArticleSnapshot
from .transports.base import Post


def with_utm(url: str, channel: str) -> str:
    """The link with UTM tags, so the website's analytics can tell where readers came from."""
    parts = urlsplit(url)
    utm = urlencode({"utm_source": channel, "utm_medium": "social", "utm_campaign": "siar"})
    query = f"{parts.query}&{utm}" if parts.query else utm
    return urlunsplit(parts._replace(query=query))


def adapt(article: ArticleSnapshot, *, channel: str, text_override: str = "") -> Post:
    return Post(
        channel=channel,
        title=article.title,
        text=text_override.strip() or article.summary,
        link=with_utm(article.canonical_url, channel),
        image_url=article.image_url,
        video_url=article.video_url,
    )
