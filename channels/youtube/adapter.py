"""YouTube's rules, applied without I/O: a video upload's metadata, or a community post for staff.

An article with an uploaded video file becomes a video (title, description, tags, privacy); any
other article becomes a community post, which YouTube offers no API for: staff post it by hand.
"""

import re

from ..adapters import with_utm
from ..snapshot import ArticleSnapshot, VideoInfo
from ..text import byte_count, cut_at_word, hashtags, join_paragraphs, option_list
from ..transports.base import Limit, Post

CHANNEL = "youtube"
TITLE_LIMIT = 100  # characters
DESCRIPTION_LIMIT = 5_000  # bytes of UTF-8
TAGS_LIMIT = 500  # characters, counted as tags_length() does
COMMUNITY_BY_HAND = (
    "YouTube has no API for community posts: post it by hand in YouTube Studio (Create → Create post) with the "
    "text and image shown in the preview, then record the post's link."
)
# YouTube publishes no limit for community posts; this is a setting (option COMMUNITY_TEXT_LIMIT).
COMMUNITY_TEXT_LIMIT = 1_500
# YouTube shows the first three hashtags of a description above the title (and ignores them all past 15).
MAX_HASHTAGS = 3
PRIVACY_STATUSES = ("public", "unlisted", "private")
DEFAULT_CATEGORY_ID = "25"  # News & Politics
READ_MORE = "Baca selengkapnya:"
FORBIDDEN = re.compile(r"[<>]")
SPACES = re.compile(r"\s+")


def adapt(article: ArticleSnapshot, *, text_override: str = "", options: dict | None = None) -> Post:
    """A ``"video"`` post when the article has an uploaded video file, else a ``"community"`` post.

    Options: ``PRIVACY_STATUS`` (public|unlisted|private), ``CATEGORY_ID`` (default 25, News &
    Politics), ``TAGS`` (the account's own tags, kept first), ``HASHTAGS`` (the account's own
    hashtags), ``COMMUNITY_TEXT_LIMIT``.
    """
    options = options or {}
    text = text_override.strip() or article.summary.strip() or article.title
    link = with_utm(article.canonical_url, CHANNEL)
    if article.video is None:
        return _community(article, text, link, options)
    return _video(article, article.video, text, link, options)


def _video(article: ArticleSnapshot, video: VideoInfo, text: str, link: str, options: dict) -> Post:
    problems, notices = [], []

    title = SPACES.sub(" ", FORBIDDEN.sub("", article.title)).strip()
    body = FORBIDDEN.sub("", text).strip()
    if FORBIDDEN.search(article.title):
        notices.append("Removed < and > from the title: YouTube rejects them.")
    if FORBIDDEN.search(text):
        notices.append("Removed < and > from the description: YouTube rejects them.")
    cut_title = cut_at_word(title, TITLE_LIMIT)
    if cut_title != title:
        notices.append(f"The title was shortened to fit YouTube's {TITLE_LIMIT} characters.")
    if not cut_title:
        problems.append("YouTube needs a title: the article's title is empty.")

    tags = hashtags([*option_list(options.get("HASHTAGS")), *article.tags], limit=MAX_HASHTAGS, existing=body)
    tail = join_paragraphs(f"{READ_MORE} {link}", " ".join(tags))
    room = DESCRIPTION_LIMIT - byte_count(tail) - byte_count("\n\n")
    cut_body = cut_at_word(body, room, measure=byte_count)
    if cut_body != body:
        notices.append(f"The description was shortened to fit YouTube's {DESCRIPTION_LIMIT:,} bytes.")
    description = join_paragraphs(cut_body, tail)

    video_tags, dropped = fit_tags([*option_list(options.get("TAGS")), *article.tags])
    if dropped:
        notices.append(f"Left out {dropped} tag(s): YouTube allows {TAGS_LIMIT} characters of tags in all.")

    privacy = str(options.get("PRIVACY_STATUS") or "public").strip().lower()
    if privacy not in PRIVACY_STATUSES:
        problems.append(
            f"The YouTube option PRIVACY_STATUS is {privacy!r}: it must be one of {', '.join(PRIVACY_STATUSES)}."
        )
    category = str(options.get("CATEGORY_ID") or DEFAULT_CATEGORY_ID).strip()
    if not category.isdigit():
        problems.append(f"The YouTube option CATEGORY_ID is {category!r}: it must be a number such as 25.")

    return Post(
        channel=CHANNEL,
        kind="video",
        title=cut_title,
        text=description,
        link=link,
        video_url=video.url,
        extra={
            "tags": video_tags,
            "privacy_status": privacy,
            "category_id": category,
            "storage_name": video.storage_name,
            "size_bytes": video.size_bytes,
            "content_type": video.content_type,
        },
        limits=(
            Limit("title", len(cut_title), TITLE_LIMIT),
            Limit("description", byte_count(description), DESCRIPTION_LIMIT, "bytes"),
            Limit("tags", tags_length(video_tags), TAGS_LIMIT),
        ),
        problems=tuple(problems),
        notices=tuple(notices),
    )


def _community(article: ArticleSnapshot, text: str, link: str, options: dict) -> Post:
    """A community post: text with the link, and the hero image. Done by hand (there is no API).

    YouTube publishes no length limit for community posts: ``COMMUNITY_TEXT_LIMIT`` is our setting.
    """
    problems, notices = [], ["YouTube has no API for community posts: staff post this one by hand."]
    if article.video_url:
        notices.append("The article's video is a link, not an uploaded file: YouTube gets a community post instead.")
    try:
        limit = int(options.get("COMMUNITY_TEXT_LIMIT") or COMMUNITY_TEXT_LIMIT)
    except (TypeError, ValueError):
        limit = COMMUNITY_TEXT_LIMIT
        problems.append(
            f"The YouTube option COMMUNITY_TEXT_LIMIT is {options['COMMUNITY_TEXT_LIMIT']!r}: not a number."
        )
    tail = f"{READ_MORE} {link}"
    body = cut_at_word(text, limit - len(tail) - 2)
    if body != text:
        notices.append(f"The text was shortened to fit {limit:,} characters.")
    message = join_paragraphs(body, tail)
    image = article.images.get(CHANNEL)
    return Post(
        channel=CHANNEL,
        kind="community",
        by_hand=COMMUNITY_BY_HAND,
        title=article.title,
        text=message,
        link=link,
        image_url=image.url if image else "",
        video_url=article.video_url,
        limits=(Limit("community post", len(message), limit),),
        problems=tuple(problems),
        notices=tuple(notices),
    )


def tag_length(tag: str) -> int:
    """A tag's cost: YouTube counts a tag with a space as if quoted, so 2 more characters."""
    return len(tag) + (2 if " " in tag else 0)


def tags_length(tags: list[str]) -> int:
    """The tags' total as YouTube counts it, conservatively: each tag's cost plus a comma between tags.

    YouTube documents the quotes; the commas are how YouTube Studio counts. Counting both keeps us
    under the limit whichever way the API counts.
    """
    return sum(tag_length(tag) for tag in tags) + max(0, len(tags) - 1)


def fit_tags(candidates: list[str]) -> tuple[list[str], int]:
    """Distinct cleaned tags, in order, kept while their total stays within ``TAGS_LIMIT``; and how many were left out.

    Cleaning removes ``<`` and ``>`` (rejected) and commas (they separate tags).
    """
    kept, seen, dropped = [], set(), 0
    for raw in candidates:
        tag = SPACES.sub(" ", FORBIDDEN.sub("", raw).replace(",", " ")).strip()
        if not tag or tag.lower() in seen:
            continue
        seen.add(tag.lower())
        if dropped or tags_length([*kept, tag]) > TAGS_LIMIT:
            dropped += 1
            continue
        kept.append(tag)
    return kept, dropped
