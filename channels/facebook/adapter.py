"""Facebook's rules, applied without I/O: the message, the link (with UTM tags), the photo."""

from ..adapters import with_utm
from ..snapshot import ArticleSnapshot
from ..text import cut_at_word, hashtags, join_paragraphs, option_list
from ..transports.base import Limit, Post

CHANNEL = "facebook"
# Meta publishes no maximum; 63,206 characters is the figure that circulates (unconfirmed).
MESSAGE_LIMIT = 63_206
MAX_TAG_HASHTAGS = 5


def adapt(article: ArticleSnapshot, *, text_override: str = "", options: dict | None = None) -> Post:
    """A link post (``POST_AS="link"``, the default) or a photo post with the link in its text
    (``POST_AS="photo"``). Options: ``POST_AS``, ``HASHTAGS`` (the account's own, always added)."""
    options = options or {}
    link = with_utm(article.canonical_url, CHANNEL)
    text = text_override.strip() or article.summary.strip() or article.title
    tags = hashtags([*option_list(options.get("HASHTAGS")), *article.tags[:MAX_TAG_HASHTAGS]], limit=30, existing=text)
    image = article.images.get(CHANNEL)
    notices = []
    kind = "photo" if options.get("POST_AS") == "photo" else "link"
    if kind == "photo" and image is None:
        kind = "link"
        notices.append("No hero image: posted as a link post instead of a photo post.")
    tail = " ".join(tags)
    if kind == "photo":  # a photo's caption carries the link as text (Facebook makes it clickable)
        tail = join_paragraphs(f"Baca selengkapnya: {link}", tail)
    room = MESSAGE_LIMIT - len(tail) - 2
    body = cut_at_word(text, room)
    if body != text:
        notices.append(f"The text was shortened to fit Facebook's {MESSAGE_LIMIT:,} characters.")
    message = join_paragraphs(body, tail)
    return Post(
        channel=CHANNEL,
        kind=kind,
        title=article.title,
        text=message,
        link=link,
        image_url=image.url if kind == "photo" else "",
        limits=(Limit("message", len(message), MESSAGE_LIMIT),),
        notices=tuple(notices),
    )
