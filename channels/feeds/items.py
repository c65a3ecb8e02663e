"""Which articles a feed carries, read in a constant number of SQL queries whatever its length."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch
from wagtail.images import get_image_model

from hub.blocks import collect_image_ids, prefetched_images
from hub.models import ArticlePage
from hub.renditions import absolute_url

from .html import render_bodies, xml_safe

FEED_IMAGE_SPEC = "link_preview"  # a SIAR_RENDITIONS name: the hero image as partners receive it
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif",
               "avif": "image/avif"}  # fmt: skip


@dataclass(frozen=True)
class FeedImage:
    url: str
    width: int
    height: int
    mime_type: str
    alt: str


@dataclass(frozen=True)
class FeedItem:
    id: int
    guid: str  # urn:uuid:…, stable across slug and URL changes
    title: str
    url: str
    summary: str
    content_html: str  # "" when the feed gives summaries only
    published: datetime
    updated: datetime
    category: str = ""
    category_slug: str = ""
    source_unit: str = ""
    tags: tuple[str, ...] = ()
    image: FeedImage | None = None
    attribution: str = ""


@dataclass(frozen=True)
class Selection:
    """What a feed may carry: categories and source units (empty: all), full text or not."""

    category_ids: frozenset[int] = field(default_factory=frozenset)
    source_unit_ids: frozenset[int] = field(default_factory=frozenset)
    full_text: bool = False
    attribution: str = ""


def article_guid(page) -> str:
    """A stable identifier: from the page's translation key, which never changes (not its URL)."""
    return f"urn:uuid:{uuid.uuid5(page.translation_key, page.locale.language_code)}"


def articles(selection: Selection, *, limit: int, since: datetime | None = None, page_ids=None) -> list[ArticlePage]:
    """Live, public articles, newest first; with ``since``, those changed after it, oldest change
    first (so that a partner catching up can continue from the last item's ``updated``)."""
    queryset = ArticlePage.objects.live().public()
    if page_ids is not None:
        queryset = queryset.filter(pk__in=page_ids)
    if selection.category_ids:
        queryset = queryset.filter(category_id__in=selection.category_ids)
    if selection.source_unit_ids:
        queryset = queryset.filter(source_unit_id__in=selection.source_unit_ids)
    if since is not None:
        queryset = queryset.filter(last_published_at__gt=since).order_by("last_published_at", "pk")
    else:
        queryset = queryset.order_by("-first_published_at", "-pk")
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=_image_spec())
    queryset = queryset.select_related("locale", "category", "source_unit", "hero_image").prefetch_related(
        "tagged_items__tag", Prefetch("hero_image__renditions", queryset=renditions)
    )
    if not selection.full_text:
        queryset = queryset.defer_streamfields()
    return list(queryset[:limit])


def feed_items(selection: Selection, *, limit: int, since: datetime | None = None, page_ids=None) -> list[FeedItem]:
    pages = articles(selection, limit=limit, since=since, page_ids=page_ids)
    bodies = {}
    if selection.full_text:
        image_ids = {i for page in pages for i in collect_image_ids(page.body.stream_block, page.body.raw_data)}
        with prefetched_images(image_ids):
            bodies = render_bodies(pages)
    return [_item(page, bodies.get(page.pk, ""), selection.attribution) for page in pages]


def _image_spec() -> str:
    return settings.SIAR_RENDITIONS[FEED_IMAGE_SPEC]


def _item(page: ArticlePage, body_html: str, attribution: str) -> FeedItem:
    return FeedItem(
        id=page.pk,
        guid=article_guid(page),
        title=xml_safe(page.title),
        url=absolute_url(page.url or f"/{page.slug}/"),
        summary=xml_safe(page.summary),
        content_html=body_html,
        published=page.first_published_at,
        updated=page.last_published_at or page.first_published_at,
        category=xml_safe(page.category.name) if page.category_id else "",
        category_slug=page.category.slug if page.category_id else "",
        source_unit=xml_safe(page.source_unit.name) if page.source_unit_id else "",
        tags=tuple(sorted(xml_safe(item.tag.name) for item in page.tagged_items.all())),
        image=_hero_image(page),
        attribution=xml_safe(attribution),
    )


def _hero_image(page: ArticlePage) -> FeedImage | None:
    if page.hero_image is None:
        return None
    rendition = page.hero_image.get_rendition(_image_spec())
    extension = rendition.file.name.rsplit(".", 1)[-1].lower()
    return FeedImage(
        url=absolute_url(rendition.url),
        width=rendition.width,
        height=rendition.height,
        mime_type=IMAGE_TYPES.get(extension, "image/jpeg"),
        alt=xml_safe(page.hero_image_alt),
    )


def feed_item(selection: Selection, page_id: int) -> FeedItem | None:
    """One article as ``selection``'s feed shows it, or None when that feed does not carry it."""
    items = feed_items(selection, limit=1, page_ids=[page_id])
    return items[0] if items else None
