"""A partner's "post" is a signed notice with the article as its feed item; nothing to cut."""

from ..snapshot import ArticleSnapshot
from ..transports.base import Post

CHANNEL = "partners"


def adapt(article: ArticleSnapshot, *, text_override: str = "", options: dict | None = None) -> Post:
    return Post(
        channel=CHANNEL,
        kind="webhook",
        title=article.title,
        text=article.summary,
        link=article.canonical_url,
        image_url=article.image_url,
        extra={"id": article.id},
    )
