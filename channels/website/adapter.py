"""The website's "post" is a notice that an article changed; nothing to shorten or crop."""

from urllib.parse import urlsplit

from ..snapshot import ArticleSnapshot
from ..transports.base import Post

CHANNEL = "website"


def adapt(article: ArticleSnapshot, *, text_override: str = "", options: dict | None = None) -> Post:
    return Post(
        channel=CHANNEL,
        kind="webhook",
        title=article.title,
        text=article.summary,
        link=article.canonical_url,
        image_url=article.image_url,
        extra={"id": article.id, "path": urlsplit(article.canonical_url).path, "api_url": article.api_url},
    )
