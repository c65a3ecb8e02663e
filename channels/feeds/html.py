"""Article bodies as safe, self-contained HTML for other newsrooms' systems.

Rendered from the StreamField without templates, for a batch of articles at once: images come
from one prefetch, internal links are expanded in one pass and embeds read from Wagtail's
embed cache in one query (an embed never fetched before becomes a plain link; a feed never
calls oEmbed providers). Then nh3 sanitises: no scripts, no event handlers, no ``javascript:``
URLs, iframes only from known video players, and every relative URL made absolute.
"""

import re
from functools import cache
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.html import escape, format_html
from wagtail.embeds.models import Embed
from wagtail.rich_text import expand_db_html

from hub.renditions import absolute_url

# Characters XML 1.0 cannot carry (C0 controls but tab/newline/return, lone surrogates, U+FFFE/F).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
SPLIT = "<!--siar:split-->"
BODY_IMAGE_SPEC = "web"  # a SIAR_RENDITIONS name

EMBED_HOSTS = {
    "www.youtube.com",
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "www.facebook.com",
    "www.instagram.com",
}
TAGS = {
    *("p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small"),
    *("a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "iframe", "hr"),
    *("table", "thead", "tbody", "tr", "th", "td", "caption", "cite", "code", "pre", "span"),
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "frameborder"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document cannot contain."""
    return XML_INVALID.sub("", text or "")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        parts = urlsplit(value)
        return value if parts.scheme == "https" and parts.hostname in EMBED_HOSTS else None
    return value


@cache
def _cleaner(base_url: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto", "tel"},
        url_relative=("rewrite_with_base", base_url + "/"),
        link_rel="noopener",
    )


def sanitise(html: str) -> str:
    return _cleaner(settings.SIAR_BASE_URL).clean(xml_safe(html))


def render_bodies(pages) -> dict[int, str]:
    """Sanitised body HTML per page id. Call inside ``hub.blocks.prefetched_images``."""
    rich_sources, embed_urls = [], set()
    for page in pages:
        for block in page.body:
            if block.block_type == "paragraph":
                rich_sources.append(block.value.source)
            elif block.block_type == "embed" and block.value:
                embed_urls.add(block.value.url)
    expanded = iter(expand_db_html(SPLIT.join(rich_sources)).split(SPLIT)) if rich_sources else iter(())
    embeds = _cached_embeds(embed_urls)
    bodies = {}
    for page in pages:
        parts = [_block_html(block, expanded, embeds) for block in page.body]
        bodies[page.pk] = sanitise("\n".join(filter(None, parts)))
    return bodies


def _cached_embeds(urls: set[str]) -> dict[str, str]:
    if not urls:
        return {}
    return dict(Embed.objects.filter(url__in=urls).exclude(html="").values_list("url", "html"))


def _block_html(block, expanded_rich_text, embeds: dict[str, str]) -> str:
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return next(expanded_rich_text)
    if kind == "heading":
        return format_html("<h2>{}</h2>", value)
    if kind == "quote":
        cite = format_html("<cite>{}</cite>", value["attribution"]) if value.get("attribution") else ""
        return format_html("<blockquote><p>{}</p>{}</blockquote>", value["quote"], cite)
    if kind == "image":
        return _image_html(value)
    if kind == "embed" and value:
        return f"<figure>{embeds[value.url]}</figure>" if value.url in embeds else _link(value.url)
    return ""


def _image_html(value) -> str:
    image = value.get("image")
    if image is None:
        return ""
    rendition = image.get_rendition(settings.SIAR_RENDITIONS[BODY_IMAGE_SPEC])
    caption = format_html("<figcaption>{}</figcaption>", value["caption"]) if value.get("caption") else ""
    return format_html(
        '<figure><img src="{}" alt="{}" width="{}" height="{}">{}</figure>',
        absolute_url(rendition.url),
        value.get("alt_text", ""),
        rendition.width,
        rendition.height,
        caption,
    )


def _link(url: str) -> str:
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
