"""Instagram's rules, applied without I/O: the caption, its hashtags and mentions, the image.

Links in captions are not clickable, so the article's address is written out in words.
"""

import ipaddress
from urllib.parse import urlsplit

from ..adapters import with_utm
from ..snapshot import ArticleSnapshot, ImageInfo, VideoInfo
from ..text import count_hashtags, count_mentions, cut_at_word, hashtags, join_paragraphs, option_list, plain_url
from ..transports.base import Limit, Post

CHANNEL = "instagram"
CAPTION_LIMIT = 2_200
HASHTAG_LIMIT = 30
MENTION_LIMIT = 20
MIN_WIDTH, MAX_WIDTH = 320, 1_440
# Aspect ratio (width / height) from 4:5 to 1.91:1, compared in integers: 5w >= 4h and 100w <= 191h.
MAX_IMAGE_BYTES = 8 * 1024 * 1024
REELS_CONTENT_TYPES = frozenset({"video/mp4", "video/quicktime"})
DEFAULT_READ_MORE = "Baca selengkapnya di {url}"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def adapt(article: ArticleSnapshot, *, text_override: str = "", options: dict | None = None) -> Post:
    """An image post; a carousel when the article has two or more images (its gallery: the hero image
    then the body's images); or a Reel (``REELS`` option, off by default) when it has an uploaded video.

    Options: ``HASHTAGS`` (the account's own, added first), ``READ_MORE`` (the read-more line, with
    ``{url}``), ``REELS``, ``CAROUSEL`` (on by default; off posts the hero image alone).
    """
    options = options or {}
    text = text_override.strip() or article.summary.strip() or article.title
    image = article.images.get(CHANNEL)
    video = article.video if _flag(options.get("REELS")) else None
    notices: list[str] = []

    read_more = str(options.get("READ_MORE") or DEFAULT_READ_MORE).format(url=plain_url(article.canonical_url))
    room_for_tags = max(0, HASHTAG_LIMIT - count_hashtags(text) - count_hashtags(read_more))
    tags = hashtags([*option_list(options.get("HASHTAGS")), *article.tags], limit=room_for_tags, existing=text)
    tail = join_paragraphs(read_more, " ".join(tags))
    body = cut_at_word(text, CAPTION_LIMIT - len(tail) - 2)
    if body != text:
        notices.append(f"The text was shortened to fit Instagram's caption limit of {CAPTION_LIMIT:,} characters.")
    caption = join_paragraphs(body, tail)

    used_hashtags, used_mentions = count_hashtags(caption), count_mentions(caption)
    problems = _caption_problems(used_hashtags, used_mentions)
    children: tuple[ImageInfo, ...] = ()
    if video is not None:
        problems += _video_problems(video)
        notices += _public_url_notices(video.url, "video")
    elif len(article.gallery) >= 2 and _flag_on_by_default(options.get("CAROUSEL")):
        children = article.gallery
        image = children[0]
        for number, child in enumerate(children, start=1):
            problems += [f"Image {number}: {problem}" for problem in _image_problems(child, "image")]
        notices += dict.fromkeys(notice for child in children for notice in _public_url_notices(child.url, "image"))
    elif image is None:
        problems.append("Instagram needs an image: add a hero image to the article.")
    else:
        problems += _image_problems(image)
        notices += _public_url_notices(image.url, "image")

    return Post(
        channel=CHANNEL,
        kind="reels" if video is not None else "carousel" if children else "image",
        title=article.title,
        text=caption,
        link=with_utm(article.canonical_url, CHANNEL),
        image_url=image.url if image is not None else "",
        video_url=video.url if video is not None else "",
        extra={"children": [child.url for child in children]} if children else {},
        limits=(
            Limit("caption", len(caption), CAPTION_LIMIT),
            Limit("hashtags", used_hashtags, HASHTAG_LIMIT, "hashtags"),
            Limit("mentions", used_mentions, MENTION_LIMIT, "mentions"),
        ),
        problems=tuple(problems),
        notices=tuple(notices),
    )


def _flag(value) -> bool:
    """An on/off option given as a bool or as a word from an environment variable."""
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def _flag_on_by_default(value) -> bool:
    """Like ``_flag``, but an option that is not set (or set to "") is on."""
    return True if value is None or (isinstance(value, str) and not value.strip()) else _flag(value)


def _caption_problems(used_hashtags: int, used_mentions: int) -> list[str]:
    problems = []
    if used_hashtags > HASHTAG_LIMIT:
        problems.append(
            f"The caption has {used_hashtags} hashtags; Instagram allows at most {HASHTAG_LIMIT}: "
            "remove some from the text."
        )
    if used_mentions > MENTION_LIMIT:
        problems.append(
            f"The caption mentions {used_mentions} accounts (@…); Instagram allows at most {MENTION_LIMIT}: "
            "remove some from the text."
        )
    return problems


def _image_problems(image: ImageInfo, source: str = "hero image") -> list[str]:
    """Broken image rules; ``source`` names what the editor changes to fix them."""
    problems = []
    if not MIN_WIDTH <= image.width <= MAX_WIDTH:
        fix = (
            f"choose a larger {source}."
            if image.width < MIN_WIDTH
            else "ask an administrator to make the Instagram image size (SIAR_CHANNEL_RENDITIONS) smaller."
        )
        problems.append(f"The image is {image.width:,} px wide; Instagram takes {MIN_WIDTH} to {MAX_WIDTH:,} px: {fix}")
    if 5 * image.width < 4 * image.height or 100 * image.width > 191 * image.height:
        problems.append(
            f"The image is {image.width}×{image.height} px; Instagram takes shapes from 4:5 (portrait) to "
            f"1.91:1 (landscape): choose another {source} or set its focal point."
        )
    if image.size_bytes >= MAX_IMAGE_BYTES:
        problems.append(
            f"The image is {image.size_bytes / 1024 / 1024:.1f} MB; Instagram takes less than 8 MB: "
            f"upload a smaller {source}."
        )
    if image.format != "jpeg":
        problems.append(
            f"The image is a {image.format.upper() or 'file of unknown type'}; Instagram takes JPEG images: "
            "ask an administrator to set format-jpeg in the Instagram image size (SIAR_CHANNEL_RENDITIONS)."
        )
    return problems


def _video_problems(video: VideoInfo) -> list[str]:
    if video.content_type in REELS_CONTENT_TYPES:
        return []
    return [f"The video is {video.content_type}; Instagram Reels take MP4 or MOV videos: upload an MP4 video."]


def _public_url_notices(url: str, what: str) -> list[str]:
    host = urlsplit(url).hostname or ""
    if is_public_host(host):
        return []
    return [
        f"The {what} address ({host or url}) is not public, and Instagram fetches the {what} itself: "
        "SIAR_BASE_URL must be the site's public address, or Instagram will fail to publish."
    ]


def is_public_host(host: str) -> bool:
    """False for loopback, private and link-local addresses and for local-only names (localhost, *.local)."""
    host = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        local_name = host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan"))
        return bool(host) and "." in host and not local_name
    return address.is_global
