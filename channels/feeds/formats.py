"""The three feed formats, written from ``FeedItem`` values (Django's feed generator for the XML)."""

import json
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

from django.utils import feedgenerator
from django.utils.html import escape, format_html

from .items import FeedItem

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
FILE_NAMES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}


@dataclass(frozen=True)
class FeedMeta:
    title: str
    description: str
    home_url: str
    self_url: str  # this feed's own URL, without any token
    updated: datetime  # the feed's Last-Modified
    language: str
    author: str
    hub_url: str = ""


def render(meta: FeedMeta, items: list[FeedItem], fmt: str) -> bytes:
    if fmt == "json":
        return _json_feed(meta, items)
    generator = (_Rss if fmt == "rss" else _Atom)(
        title=meta.title,
        link=meta.home_url,
        description=meta.description,
        language=meta.language,
        feed_url=meta.self_url,
        author_name=meta.author,
        feed_guid=meta.self_url,
        hub_url=meta.hub_url,
        updated=meta.updated,
    )
    for item in items:
        generator.add_item(
            title=item.title,
            link=item.url,
            description=escape(_summary(item)),  # readers treat descriptions as HTML
            unique_id=item.guid,
            unique_id_is_permalink=False,
            pubdate=item.published,
            updateddate=item.updated,
            author_name=item.source_unit or None,
            categories=[c for c in (item.category, *item.tags) if c],
            enclosures=[feedgenerator.Enclosure(item.image.url, "0", item.image.mime_type)] if item.image else [],
            content_html=_content(item),
            image=item.image,
            attribution=item.attribution,
        )
    out = StringIO()
    generator.write(out, "utf-8")
    return out.getvalue().encode()


def _summary(item: FeedItem) -> str:
    return f"{item.summary}\n\n{item.attribution}" if item.attribution else item.summary


def _content(item: FeedItem) -> str:
    if not item.content_html:
        return ""
    attribution = format_html("<p><em>{}</em></p>", item.attribution) if item.attribution else ""
    return f"{item.content_html}\n{attribution}" if attribution else item.content_html


class _FeedDates:
    def latest_post_date(self):
        return self.feed["updated"]  # the same bytes for the same content, whenever built


class _Rss(_FeedDates, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:media": MEDIA_NS,
            "xmlns:dc": DC_NS,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["hub_url"]:
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item):
        if item["author_name"]:  # as dc:creator, declared on the root rather than on every item
            handler.addQuickElement("dc:creator", item["author_name"])
            item = {**item, "author_name": None}
        super().add_item_elements(handler, item)
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])
        if item["attribution"]:
            handler.addQuickElement("dc:rights", item["attribution"])
        image = item["image"]
        if image:
            handler.startElement(
                "media:content",
                {
                    "url": image.url,
                    "medium": "image",
                    "type": image.mime_type,
                    "width": str(image.width),
                    "height": str(image.height),
                },
            )
            if image.alt:
                handler.addQuickElement("media:description", image.alt)
            handler.endElement("media:content")


class _Atom(_FeedDates, feedgenerator.Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["hub_url"]:
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item["attribution"]:
            handler.addQuickElement("rights", item["attribution"])


def _json_feed(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    feed = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.home_url,
        "feed_url": meta.self_url,
        "description": meta.description,
        "language": meta.language,
        "authors": [{"name": meta.author}],
        "items": [json_item(item) for item in items],
    }
    if meta.hub_url:
        feed["hubs"] = [{"type": "WebSub", "url": meta.hub_url}]
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()


def json_item(item: FeedItem) -> dict:
    entry = {
        "id": item.guid,
        "url": item.url,
        "title": item.title,
        "summary": _summary(item),
        "date_published": item.published.isoformat(),
        "date_modified": item.updated.isoformat(),
        "tags": [c for c in (item.category, *item.tags) if c],
    }
    content = _content(item)
    if content:
        entry["content_html"] = content
    else:
        entry["content_text"] = _summary(item)
    if item.source_unit:
        entry["authors"] = [{"name": item.source_unit}]
    if item.image:
        entry["image"] = item.image.url
    entry["_siar"] = {
        "article_id": item.id,
        "category": item.category_slug,
        "source_unit": item.source_unit,
        "attribution": item.attribution,
        "image_alt": item.image.alt if item.image else "",
    }
    return entry
