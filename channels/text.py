"""Pure text helpers the adapters share: cutting at a word, hashtags, mentions, plain URLs."""

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

ELLIPSIS = "…"
HASHTAG = re.compile(r"(?<![\w#&])#(\w+)")
MENTION = re.compile(r"(?<![\w.@])@([\w.]+)")
NON_WORD = re.compile(r"[\W_]+")


def char_count(text: str) -> int:
    return len(text)


def byte_count(text: str) -> int:
    return len(text.encode("utf-8"))


def cut_at_word(text: str, limit: int, *, measure: Callable[[str], int] = char_count) -> str:
    """``text`` if it fits, else cut at the last word boundary that leaves room for "…".

    A single word longer than the limit is cut inside the word. ``measure`` counts what the
    platform counts (characters by default; bytes for YouTube's description).
    """
    if measure(text) <= limit:
        return text
    room = limit - measure(ELLIPSIS)
    if room <= 0:
        return ""
    if measure is byte_count:  # never split a multi-byte character
        cut = text.encode("utf-8")[:room].decode("utf-8", "ignore")
    else:
        cut = text[:room]
    boundary = max(cut.rfind(" "), cut.rfind("\n"))
    if boundary > len(cut) // 2:  # a word boundary not too far back
        cut = cut[:boundary]
    return cut.rstrip(" \n\t,;:-–—") + ELLIPSIS


def hashtag(tag: str) -> str:
    """``"kesehatan ibu"`` → ``"#KesehatanIbu"``; letters of any script are kept; "" when nothing is left."""
    words = [word for word in NON_WORD.split(tag) if word]
    if not words:
        return ""
    return "#" + "".join(word[:1].upper() + word[1:] for word in words)


def hashtags(tags: Iterable[str], *, limit: int, existing: str = "") -> list[str]:
    """Distinct hashtags for ``tags`` (case-insensitive, skipping those already in ``existing``), at most ``limit``."""
    seen = {tag.lower() for tag in HASHTAG.findall(existing)}
    result = []
    for tag in tags:
        text = tag if tag.startswith("#") else hashtag(tag)
        key = text[1:].lower()
        if text and key and key not in seen and len(result) < limit:
            seen.add(key)
            result.append(text)
    return result


def count_hashtags(text: str) -> int:
    return len(HASHTAG.findall(text))


def count_mentions(text: str) -> int:
    return len(MENTION.findall(text))


def option_list(value) -> list[str]:
    """An option given as a list or as a comma/space separated string."""
    if not value:
        return []
    if isinstance(value, str):
        value = re.split(r"[,\s]+", value)
    return [str(item).strip() for item in value if str(item).strip()]


def plain_url(url: str) -> str:
    """``https://sukamaju.go.id/berita/pasar/?utm=x`` → ``sukamaju.go.id/berita/pasar`` (for reading aloud)."""
    parts = urlsplit(url)
    return (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")


def join_paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())
