"""Shared fixtures: a page tree, images, article factory, and a clean test broker.

Tests run against real servers: the database from DATABASE_URL (SQLite file otherwise)
and the Redis from REDIS_URL (the embedded one that `make test` starts otherwise).
"""

import io
from itertools import count

import dramatiq
import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.models import Page, Site

from channels.models import ChannelAccount
from hub.models import ArticlePage, Category, HomePage, NewsIndexPage, SiarImage, SourceUnit

PAGE_TOKEN = "EAAG-very-secret-page-token-42"


@pytest.fixture(scope="session", autouse=True)
def _clean_broker():
    # (Media files stay: runs may overlap and worker subprocesses share MEDIA_ROOT; `make clean`.)
    dramatiq.get_broker().flush_all()
    yield
    dramatiq.get_broker().flush_all()


@pytest.fixture(autouse=True)
def _fresh_feed_cache():
    """Stored feeds and the pickup log live in Redis, which outlives each test's rolled-back data."""
    from django.core.cache import cache

    from channels.feeds.cache import GENERATION_KEY, memory
    from channels.feeds.pickups import LOG_KEY, push_pending

    push_pending()  # an earlier test's lines must not land after the delete
    cache.delete_many([GENERATION_KEY, LOG_KEY])
    memory.items.clear()
    yield


@pytest.fixture
def site_tree(db):
    """Root → HomePage (default site) → NewsIndexPage; returns the news index."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda-test"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home.add_child(instance=NewsIndexPage(title="Berita", slug="berita"))


def make_image_file(width=1600, height=1000, color=(30, 90, 160), name="test.jpg") -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="JPEG")
    return ImageFile(buffer, name=name)


@pytest.fixture
def make_image(db):
    def factory(title="Foto uji", **kwargs):
        return SiarImage.objects.create(title=title, file=make_image_file(**kwargs), credit="Foto: Uji")

    return factory


@pytest.fixture
def category(db):
    return Category.objects.create(name="Kesehatan", slug="kesehatan")


@pytest.fixture
def other_category(db):
    return Category.objects.create(name="Pendidikan", slug="pendidikan")


@pytest.fixture
def source_unit(db):
    return SourceUnit.objects.create(name="Dinas Kesehatan", slug="dinkes", kind=SourceUnit.Kind.SKPD)


@pytest.fixture
def make_article(site_tree, category, source_unit):
    """Create and publish an article under the news index."""
    serial = count(1)

    def factory(*, publish=True, **fields):
        number = next(serial)
        fields.setdefault("title", f"Artikel uji {number}")
        fields.setdefault("slug", f"artikel-uji-{number}")
        fields.setdefault("summary", "Ringkasan artikel uji.")
        fields.setdefault("category", category)
        fields.setdefault("source_unit", source_unit)
        tags = fields.pop("tags", [])
        article = site_tree.add_child(instance=ArticlePage(live=False, **fields))
        if tags:
            article.tags.add(*tags)
            article.save()
        if publish:
            article.save_revision().publish()
            article.refresh_from_db()
        return article

    return factory


@pytest.fixture
def unused_tcp_port():
    """A loopback port with nothing listening on it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def facebook(db, category):
    """A connected Facebook Page with a token, the default for the `category` fixture."""
    account = ChannelAccount.objects.create(channel="facebook", name="FB Pemkab", external_id="123", token=PAGE_TOKEN)
    account.default_categories.add(category)
    return account


@pytest.fixture
def instagram(db):
    """An Instagram account without a token: it uses the outbox."""
    return ChannelAccount.objects.create(channel="instagram", name="IG Pemkab", external_id="ig1")
