"""Building a feed from the database: the slow path, run once per change and feed."""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry

from hub.models import ArticlePage, Category

from ..models import Partner
from .cache import BuiltFeed, etag_for
from .formats import CONTENT_TYPES, FeedMeta, render
from .items import Selection, feed_items

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WITHDRAWALS = ("wagtail.unpublish", "wagtail.unpublish.scheduled", "wagtail.delete")


def site_name() -> str:
    return settings.SIAR_FEEDS["TITLE"] or settings.WAGTAIL_SITE_NAME


def partner_selection(partner: Partner) -> Selection:
    return Selection(
        category_ids=frozenset(partner.categories.values_list("pk", flat=True)),
        source_unit_ids=frozenset(partner.source_units.values_list("pk", flat=True)),
        full_text=partner.full_text,
        attribution=partner.attribution,
    )


def build(
    *,
    selection: Selection,
    fmt: str,
    limit: int,
    since,
    self_path: str,
    title: str,
    description: str,
    changed_at: datetime | None = None,
) -> BuiltFeed:
    items = feed_items(selection, limit=limit, since=since)
    last_modified = max([EPOCH, _last_withdrawal(), *(i.updated for i in items), *filter(None, [changed_at])])
    meta = FeedMeta(
        title=title,
        description=description,
        home_url=settings.SIAR_BASE_URL + "/",
        self_url=settings.SIAR_BASE_URL + self_path,
        updated=last_modified,
        language=settings.LANGUAGE_CODE,
        author=site_name(),
        hub_url=settings.WEBSUB_HUB_URL,
    )
    body = render(meta, items, fmt)
    return BuiltFeed(
        body=body,
        content_type=CONTENT_TYPES[fmt],
        etag=etag_for(body),
        last_modified=last_modified.replace(microsecond=0),
        article_ids=tuple(item.id for item in items),
    )


def _last_withdrawal() -> datetime:
    """When an article last left the feeds: removing an item must move Last-Modified forward too."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    latest = PageLogEntry.objects.filter(content_type=content_type, action__in=WITHDRAWALS).aggregate(
        latest=Max("timestamp")
    )["latest"]
    return latest or EPOCH


def partner_feed(partner: Partner, fmt: str, *, limit: int, since=None) -> BuiltFeed:
    with translation.override(settings.LANGUAGE_CODE):  # one cached feed for every reader: the site's language
        return _partner_feed(partner, fmt, limit=limit, since=since)


def _partner_feed(partner: Partner, fmt: str, *, limit: int, since=None) -> BuiltFeed:
    return build(
        selection=partner_selection(partner),
        fmt=fmt,
        limit=limit,
        since=since,
        self_path=reverse(f"siar_feeds:partner_{fmt}", args=[partner.slug]),
        title=_("%(site)s — news for %(partner)s") % {"site": site_name(), "partner": partner.name},
        description=_("Syndicated news under cooperation agreement %(number)s.")
        % {"number": partner.agreement_number or "—"},
        changed_at=partner.updated_at,
    )


def public_feed(fmt: str, *, limit: int, since=None, category: Category | None = None) -> BuiltFeed:
    with translation.override(settings.LANGUAGE_CODE):  # one cached feed for every reader: the site's language
        return _public_feed(fmt, limit=limit, since=since, category=category)


def _public_feed(fmt: str, *, limit: int, since=None, category: Category | None = None) -> BuiltFeed:
    if category is None:
        self_path = reverse(f"siar_feeds:public_{fmt}")
        title, selection = site_name(), Selection()
    else:
        self_path = reverse(f"siar_feeds:category_{fmt}", args=[category.slug])
        title, selection = f"{site_name()} — {category.name}", Selection(category_ids=frozenset([category.pk]))
    return build(
        selection=selection,
        fmt=fmt,
        limit=limit,
        since=since,
        self_path=self_path,
        title=title,
        description=_("News from %(site)s") % {"site": site_name()},
    )
