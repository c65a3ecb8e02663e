"""Load the demo content idempotently.

Rows are found again by slug (images by title) and created only when missing, so a second
run writes nothing: no new pages, images or revisions. What is already there (pages,
categories, source units) is left as editors made it, even if it differs from the demo.
"""

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from hub.models import ArticlePage, Category, HomePage, NewsIndexPage, SiarImage, SiarRendition, SourceUnit
from hub.renditions import rendition_specs

from . import content
from .articles import ARTICLES
from .credentials import AdminAccount, ensure_admin, store_credentials
from .images import Illustration, ensure_image

Say = Callable[[str], None]
BLOCK_ID_NAMESPACE = uuid.UUID("6f1c9f0e-5d1b-4b8e-9a57-2f4a0c3d7e11")
WELCOME_PAGE_SLUG = "home"  # the page Wagtail's initial migration creates


class SeedError(Exception):
    """The database holds something that stops the demo content from being loaded."""


@dataclass
class SeedResult:
    admin: AdminAccount
    images: list[SiarImage]


def seed(*, admin_username: str, admin_password: str | None, say: Say) -> SeedResult:
    """Load everything, saying one line per kind of thing."""
    with transaction.atomic():
        home = ensure_home(say)
        ensure_default_site(home, say)
        remove_welcome_page(say)
        news = ensure_news_index(home, say)
        categories = ensure_rows(Category, content.CATEGORIES, ("name", "description"), "categories", say)
        units = ensure_rows(SourceUnit, content.SOURCE_UNITS, ("name", "kind"), "source units", say)
        images = ensure_articles(news, categories, units, say)
        admin = ensure_admin(admin_username, admin_password)
    # After the commit: should writing the file fail, the next run sets a new password.
    if admin.store:
        store_credentials(admin)
    say(f"admin user “{admin.username}”: {admin.status}")
    warm_renditions(images, say)
    return SeedResult(admin=admin, images=images)


# --- site tree --------------------------------------------------------------------------


def ensure_home(say: Say) -> HomePage:
    root = Page.get_first_root_node()
    existing = HomePage.objects.child_of(root).order_by("path").first()  # whatever its slug
    home = HomePage(title=content.HOME_TITLE, slug=content.HOME_SLUG, intro=content.HOME_INTRO)
    return existing_page(existing, "home page", say) or create_page(root, home, "home page", say)


def existing_page(page: Page | None, label: str, say: Say) -> Page | None:
    if page is not None:
        say(f"{label} “{page.title}”: already present")
    return page


def create_page(parent: Page, page: Page, label: str, say: Say) -> Page:
    """Add ``page`` under ``parent`` and publish it."""
    if parent.get_children().filter(slug=page.slug).exists():
        raise SeedError(f"a page with the slug “{page.slug}” is in the way of the {label}")
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    say(f"{label} “{page.title}”: created")
    return page


def site_address() -> tuple[str, int]:
    """Hostname and port of ``SIAR_BASE_URL``."""
    parts = urlsplit(settings.SIAR_BASE_URL)
    if not parts.hostname:
        raise SeedError(f"SIAR_BASE_URL has no hostname: {settings.SIAR_BASE_URL!r}")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def ensure_default_site(home: HomePage, say: Say) -> Site:
    hostname, port = site_address()
    site = Site.objects.filter(is_default_site=True).first()
    where = f"{hostname}:{port} → “{home.title}”"
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
        )
        say(f"default site {where}: created")
        return site
    changed = _assign(site, {"hostname": hostname, "port": port, "root_page_id": home.pk})
    if not site.site_name:
        changed += _assign(site, {"site_name": settings.WAGTAIL_SITE_NAME})
    if changed:
        site.save(update_fields=[name.removesuffix("_id") for name in changed])
    say(f"default site {where}: {'updated' if changed else 'already present'}")
    return site


def remove_welcome_page(say: Say) -> None:
    """Delete the generic page of Wagtail's initial migration once no site needs it."""
    plain_page = ContentType.objects.get_for_model(Page)
    candidates = Page.objects.filter(depth=2, slug=WELCOME_PAGE_SLUG, content_type=plain_page, numchild=0)
    for page in candidates.filter(sites_rooted_here__isnull=True):
        page.delete()
        say(f"Wagtail welcome page “{page.title}”: removed")


def ensure_news_index(home: HomePage, say: Say) -> NewsIndexPage:
    existing = NewsIndexPage.objects.child_of(home).filter(slug=content.NEWS_SLUG).first()
    news = NewsIndexPage(title=content.NEWS_TITLE, slug=content.NEWS_SLUG, intro=content.NEWS_INTRO)
    return existing_page(existing, "news index", say) or create_page(home, news, "news index", say)


# --- taxonomy ---------------------------------------------------------------------------


def ensure_rows(model: type[models.Model], specs: Iterable, fields: tuple[str, ...], label: str, say: Say) -> dict:
    """Rows of ``model`` for ``specs``, found by slug or created; keyed by slug."""
    rows, statuses = {}, []
    for spec in specs:
        values = {name: getattr(spec, name) for name in fields}
        row = model.objects.filter(slug=spec.slug).first()
        if row is None:
            row = model.objects.create(slug=spec.slug, **values)
            statuses.append("created")
        else:
            statuses.append("already present")
        rows[spec.slug] = row
    say(f"{label}: {_tally(statuses)}")
    return rows


# --- articles ---------------------------------------------------------------------------


def ensure_articles(news: NewsIndexPage, categories: dict, units: dict, say: Say) -> list[SiarImage]:
    """Create or update every demo article; returns all demo images."""
    category_specs = {spec.slug: spec for spec in content.CATEGORIES}
    all_images, image_statuses, article_statuses = [], [], []
    for spec in ARTICLES:
        hero, body = illustrations(spec, category_specs[spec.category])
        images = []
        for illustration in (hero, *body):
            image, created = ensure_image(illustration)
            images.append(image)
            image_statuses.append("created" if created else "already present")
        all_images += images
        status = ensure_article(
            news,
            spec,
            values={
                "title": spec.title,
                "summary": spec.summary,
                "hero_image_id": images[0].pk,
                "hero_image_alt": hero.alt_text,
                "category_id": categories[spec.category].pk,
                "source_unit_id": units[spec.source_unit].pk,
                "video_url": spec.video_url,
            },
            body=article_body(spec, body, images[1:]),
        )
        article_statuses.append(status)
    say(f"images: {_tally(image_statuses)}")
    say(f"articles: {_tally(article_statuses)}")
    return all_images


def illustrations(spec: content.ArticleSpec, category: content.CategorySpec) -> tuple[Illustration, list]:
    """The hero illustration of an article and those of its body, in order."""
    hero = Illustration(
        title=f"Ilustrasi: {spec.title}",
        file_name=f"demo-1-{spec.slug}.jpg",
        seed=spec.slug,
        headline=category.name,
        label=spec.hero_label,
        category=category,
    )
    body_images = [value for kind, value in spec.body if kind == "image"]
    body = [
        Illustration(
            title=f"Ilustrasi: {spec.title} ({number})",
            file_name=f"demo-{number}-{spec.slug}.jpg",
            seed=f"{spec.slug}-{number}",
            headline=category.name,
            label=block.label,
            category=category,
        )
        for number, block in enumerate(body_images, start=2)
    ]
    return hero, body


def article_body(spec: content.ArticleSpec, body: list[Illustration], images: list[SiarImage]) -> list[dict]:
    """The raw StreamField data of an article, with stable block ids."""
    pictures = iter(zip(body, images, strict=True))
    blocks = []
    for index, (kind, value) in enumerate(spec.body):
        if kind == "image":
            illustration, image = next(pictures)
            value = {"image": image.pk, "alt_text": illustration.alt_text, "caption": value.caption}
        block_id = str(uuid.uuid5(BLOCK_ID_NAMESPACE, f"{spec.slug}/{index}"))
        blocks.append({"type": kind, "value": value, "id": block_id})
    return blocks


def ensure_article(news: NewsIndexPage, spec: content.ArticleSpec, values: dict, body: list[dict]) -> str:
    """Create and publish the article unless it exists (then it is left as editors made it)."""
    article = ArticlePage.objects.child_of(news).filter(slug=spec.slug).first()
    if article is None:
        published_at = publication_time(spec)
        article = ArticlePage(slug=spec.slug, body=body, live=False, first_published_at=published_at, **values)
        article.tags.set(list(spec.tags))
        news.add_child(instance=article)
        revision = article.save_revision()
        revision.publish()
        # Wagtail stamps publication with "now"; backdate it so the demo reads like a news feed.
        Page.objects.filter(pk=article.pk).update(
            first_published_at=published_at, last_published_at=published_at, latest_revision_created_at=published_at
        )
        Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
        return "created"
    return "already present"


def publication_time(spec: content.ArticleSpec) -> datetime:
    """``spec.published`` (days ago, hour, minute) as an aware datetime in the site's time zone."""
    days_ago, hour, minute = spec.published
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- renditions -------------------------------------------------------------------------


def warm_renditions(images: list[SiarImage], say: Say) -> None:
    """Make the API renditions of every demo image now rather than on the first API read."""
    specs = rendition_specs()
    renditions = SiarRendition.objects.filter(image__in=images, filter_spec__in=specs)
    before = renditions.count()
    # Prefetching makes Wagtail check the database, not a cache that may outlive it.
    for image in SiarImage.objects.filter(pk__in=[i.pk for i in images]).prefetch_renditions(*specs):
        image.get_renditions(*specs)
    made = renditions.count() - before
    say(f"renditions ({', '.join(specs)}): {made} created, {before} already present")


# --- helpers ----------------------------------------------------------------------------


def _assign(instance: models.Model, values: dict) -> list[str]:
    """Set the attributes that differ; returns their names."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _tally(statuses: list[str]) -> str:
    counts = Counter(statuses)
    return ", ".join(f"{count} {status}" for status, count in counts.items()) or "none"
