"""The headless API (Wagtail API v2) at /api/v2/: pages, images, documents.

Articles come newest first and can be filtered by ``category``, ``source_unit`` and
``tag`` (slugs). A listing costs a constant number of SQL queries, whatever its length.
"""

import logging
import re
from types import SimpleNamespace

from django.conf import settings
from django.db import DataError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.urls import NoReverseMatch, reverse
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .blocks import collect_image_ids, prefetched_images
from .models import ArticlePage, Category, SourceUnit
from .reach import prefetched_view_counts
from .renditions import rendition_specs

logger = logging.getLogger("siar.api")
SLUG = re.compile(r"^[-\w]+$")

# query parameter -> (lookup on ArticlePage, model the slug must exist in)
TAXONOMY_FILTERS = {
    "category": ("category__slug", Category),
    "source_unit": ("source_unit__slug", SourceUnit),
}


class ArticleTaxonomyFilter(BaseFilterBackend):
    """``?category=<slug>``, ``?source_unit=<slug>``, ``?tag=<slug>[,<slug>…]`` (all tags must match)."""

    def filter_queryset(self, request, queryset, view):
        wanted = [name for name in (*TAXONOMY_FILTERS, "tag") if name in request.GET]
        if not wanted:
            return queryset
        if not issubclass(queryset.model, ArticlePage):
            raise BadRequestError(f"filtering by {', '.join(wanted)} needs type=hub.ArticlePage")
        for name, (lookup, model) in TAXONOMY_FILTERS.items():
            if name in request.GET:
                slug = _slug(request.GET[name], name)
                if not model.objects.filter(slug=slug).exists():
                    raise BadRequestError(f"unknown {name} '{slug}'")
                queryset = queryset.filter(**{lookup: slug})
        if "tag" in request.GET:
            for slug in filter(None, (s.strip() for s in request.GET["tag"].split(","))):
                queryset = queryset.filter(tags__slug=_slug(slug, "tag"))
            queryset = queryset.distinct()
        return queryset


def _slug(value: str, parameter: str) -> str:
    if not SLUG.match(value):
        raise BadRequestError(f"{parameter} must be a slug (letters, digits, '-' or '_'), not {value!r}")
    return value


class FieldsFilterExcept(FieldsFilter):
    """Wagtail's field filter, leaving the slug filters to ``ArticleTaxonomyFilter``."""

    def filter_queryset(self, request, queryset, view):
        query = request.GET.copy()
        for name in TAXONOMY_FILTERS:
            query.pop(name, None)
        return super().filter_queryset(SimpleNamespace(GET=query), queryset, view)


INTEGER_PARAMETERS = {"id", "limit", "offset", "child_of", "ancestor_of", "descendant_of"}
BIGINT_MAX = 2**63 - 1


class QueryGuardMixin:
    """Values the database cannot take (NUL characters, integers beyond 64 bits) get a 400.

    Wagtail passes them to PostgreSQL, whose error would otherwise be a 500.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, value in request.GET.items():
            if "\x00" in name or "\x00" in value:
                raise BadRequestError(f"query parameter {name.replace(chr(0), '')!r} contains a NUL character")
            if name in INTEGER_PARAMETERS and value.isdigit() and int(value) > BIGINT_MAX:
                raise BadRequestError(f"{name} is out of range")

    def handle_exception(self, exc):
        if isinstance(exc, DataError):  # any other value the database refused
            logger.info("API query refused by the database: %s", exc)
            exc = BadRequestError("a query parameter has a value the database cannot handle")
        return super().handle_exception(exc)


class SiarImagesAPIViewSet(QueryGuardMixin, ImagesAPIViewSet):
    pass


class SiarDocumentsAPIViewSet(QueryGuardMixin, DocumentsAPIViewSet):
    pass


class SiarPagesAPIViewSet(QueryGuardMixin, PagesAPIViewSet):
    filter_backends = [
        ArticleTaxonomyFilter,
        FieldsFilterExcept,
        *(b for b in PagesAPIViewSet.filter_backends if b is not FieldsFilter),
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["tag", *TAXONOMY_FILTERS])

    def get_queryset(self):
        queryset = super().get_queryset()
        if not issubclass(queryset.model, ArticlePage):
            return queryset
        image_model = get_image_model()
        renditions = image_model.get_rendition_model().objects.filter(filter_spec__in=rendition_specs())
        queryset = queryset.select_related(
            "locale", "category", "source_unit", "hero_image", "video_file"
        ).prefetch_related(
            "tagged_items__tag",
            Prefetch("hero_image__renditions", queryset=renditions),
        )
        if "order" not in self.request.GET:
            queryset = queryset.order_by("-first_published_at", "-pk")
        return queryset

    def listing_view(self, request):
        try:
            queryset = self.get_queryset()
            self.check_query_parameters(queryset)
            queryset = self.filter_queryset(queryset)
        except Http404 as exc:  # ?site=, ?locale=: an unknown filter value, not a missing resource
            raise BadRequestError(f"unknown filter value: {exc}") from exc
        pages = self.paginate_queryset(queryset)
        article_ids = [page.pk for page in pages if isinstance(page, ArticlePage)]
        with prefetched_images(_body_image_ids(pages)), prefetched_view_counts(article_ids):
            serializer = self.get_serializer(pages, many=True)
            return self.get_paginated_response(serializer.data)


def _body_image_ids(pages) -> set[int]:
    ids: set[int] = set()
    for page in pages:
        if isinstance(page, ArticlePage):
            ids.update(collect_image_ids(page.body.stream_block, page.body.raw_data))
    return ids


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SiarPagesAPIViewSet)
api_router.register_endpoint("images", SiarImagesAPIViewSet)
api_router.register_endpoint("documents", SiarDocumentsAPIViewSet)


FEED_LINKS = (  # (URL name, media type, title) of the public feeds, when the feeds app is installed
    ("siar_feeds:public_rss", "application/rss+xml", "RSS 2.0"),
    ("siar_feeds:public_atom", "application/atom+xml", "Atom 1.0"),
    ("siar_feeds:public_json", "application/feed+json", "JSON Feed 1.1"),
)


def public_feed_links() -> list[dict]:
    """The public feeds as ``<link rel="alternate">`` data: href (absolute), type, title."""
    links = []
    for name, media_type, title in FEED_LINKS:
        try:
            links.append({"href": settings.SIAR_BASE_URL + reverse(name), "type": media_type, "title": title})
        except NoReverseMatch:
            continue
    return links


def api_root(request):
    """GET /api/v2/: what the API offers, and the public feeds (also in ``Link`` headers)."""
    base = settings.SIAR_BASE_URL + "/api/v2/"
    feeds = public_feed_links()
    response = JsonResponse(
        {
            "endpoints": {name: f"{base}{name}/" for name in ("pages", "images", "documents")},
            "articles": f"{base}pages/?type=hub.ArticlePage&fields=*",
            "feeds": feeds,
        }
    )
    response["Link"] = ", ".join(f'<{f["href"]}>; rel="alternate"; type="{f["type"]}"' for f in feeds)
    return response
