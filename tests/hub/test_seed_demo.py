"""`manage.py seed_demo`: the demo content, its idempotence and the demo admin account."""

import json
import re
import stat
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision, Site

from channels.models import ChannelAccount, Delivery
from hub.demo import content
from hub.demo.articles import ARTICLES
from hub.demo.images import Illustration, render
from hub.demo.seeding import site_address
from hub.models import ArticlePage, Category, HomePage, NewsIndexPage, SiarImage, SiarRendition, SourceUnit

API_LISTING = "/api/v2/pages/?type=hub.ArticlePage&fields=*"
BASE_URL = "http://siar.example.test:8123"


@pytest.fixture
def demo_settings(settings, tmp_path, monkeypatch):
    """Credentials file and media under tmp_path; no admin account from the environment."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAR_BASE_URL = BASE_URL
    settings.SIAR_ADMIN_USERNAME = "admin"
    settings.SIAR_ADMIN_PASSWORD = None
    return settings


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def printed(output: str, label: str) -> str:
    match = re.search(rf"^{label}:\s+(.+)$", output, re.MULTILINE)
    assert match, f"no {label!r} line in:\n{output}"
    return match.group(1)


def snapshot() -> dict:
    """Row counts and the publication state of every page: what a rerun must leave alone."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Page,
                Revision,
                PageLogEntry,
                SiarImage,
                SiarRendition,
                Category,
                SourceUnit,
                Tag,
                Site,
                get_user_model(),
                ChannelAccount,
                Delivery,
            )
        },
        "pages": list(
            Page.objects.order_by("path").values_list(
                "pk", "title", "live", "latest_revision_id", "first_published_at", "last_published_at"
            )
        ),
        "users": list(get_user_model().objects.values_list("username", "password")),
    }


@pytest.mark.django_db
def test_first_run_builds_the_site_and_publishes_the_articles(demo_settings):
    welcome = Page.objects.filter(depth=2, slug="home", content_type__model="page")
    assert welcome.exists(), "precondition: Wagtail's welcome page from the initial migration"

    output = seed_demo()

    assert not welcome.exists()
    # Demo channel accounts have no tokens (outbox); the three defaults get every article.
    assert ChannelAccount.objects.count() == 4
    assert not any(account.has_credentials for account in ChannelAccount.objects.all())
    assert Delivery.objects.filter(state="pending").count() == 3 * len(ARTICLES)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("siar.example.test", 8123)
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.slug == content.HOME_SLUG and home.live
    news = NewsIndexPage.objects.child_of(home).get(slug=content.NEWS_SLUG)
    assert news.live

    articles = list(ArticlePage.objects.child_of(news).live().select_related("hero_image"))
    assert len(articles) == len(ARTICLES) >= 8
    now = timezone.now()
    for article in articles:
        assert article.hero_image is not None and article.hero_image_alt.strip(), article.slug
        assert (article.hero_image.width, article.hero_image.height) == (1600, 1000)
        assert article.hero_image.focal_point_width and article.hero_image.credit.startswith("Foto:")
        assert article.category_id and article.source_unit_id
        assert 2 <= len(article.tags.names()) <= 4
        assert 0 < len(article.summary) <= 300
        block_types = [block.block_type for block in article.body]
        assert len(block_types) >= 4 and "embed" not in block_types
        assert now - timedelta(days=15) < article.first_published_at < now
        assert article.last_published_at == article.first_published_at
        assert not article.has_unpublished_changes
    assert len({article.first_published_at for article in articles}) == len(articles)
    assert any(article.video_url for article in articles)
    assert sum("image" in [b.block_type for b in a.body] for a in articles) >= 2
    assert sum("quote" in [b.block_type for b in a.body] for a in articles) >= 2

    assert Category.objects.count() == len(content.CATEGORIES) >= 6
    kinds = set(SourceUnit.objects.values_list("kind", flat=True))
    assert kinds == {SourceUnit.Kind.SKPD, SourceUnit.Kind.SUBDISTRICT, SourceUnit.Kind.KIM}
    assert SourceUnit.objects.get(slug="kim-sumber-rejeki").kind == SourceUnit.Kind.KIM

    # Every demo image already has its API renditions.
    specs = set(demo_settings.SIAR_RENDITIONS.values())
    for image in SiarImage.objects.all():
        assert set(image.renditions.values_list("filter_spec", flat=True)) == specs

    assert printed(output, "Admin") == f"{BASE_URL}/admin/"
    assert printed(output, "API") == f"{BASE_URL}{API_LISTING}"
    assert f"articles: {len(ARTICLES)} created" in output


@pytest.mark.django_db
def test_the_printed_admin_password_logs_in_and_is_stored_privately(demo_settings, client):
    output = seed_demo()

    username, password = printed(output, "Username"), printed(output, "Password")
    assert username == "admin"
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.email == "admin@example.invalid"
    assert client.login(username=username, password=password)

    path = demo_settings.VAR_DIR / "demo-admin.json"
    assert json.loads(path.read_text()) == {"username": "admin", "password": password}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.django_db
def test_a_second_run_changes_nothing(demo_settings):
    first = seed_demo()
    before = snapshot()

    second = seed_demo()

    assert snapshot() == before
    assert printed(second, "Password") == printed(first, "Password")
    assert "created" not in second.replace("0 created", "")
    assert "articles: 8 already present" in second


@pytest.mark.django_db
def test_what_editors_changed_is_left_alone(demo_settings):
    seed_demo()
    spec = ARTICLES[0]
    article = ArticlePage.objects.get(slug=spec.slug)
    article.summary = "Ringkasan yang diubah."
    article.tags.set(["lain"])
    article.save_revision().publish()
    ArticlePage.objects.get(slug=ARTICLES[1].slug).unpublish()
    Category.objects.filter(slug=content.CATEGORIES[0].slug).update(name="Nama baru")
    before = snapshot()

    output = seed_demo()

    article = ArticlePage.objects.get(pk=article.pk)  # refresh_from_db() keeps the in-memory tags
    assert article.summary == "Ringkasan yang diubah."
    assert sorted(article.tags.names()) == ["lain"]
    assert not ArticlePage.objects.get(slug=ARTICLES[1].slug).live
    assert Category.objects.get(slug=content.CATEGORIES[0].slug).name == "Nama baru"
    assert snapshot() == before
    assert "articles: 8 already present" in output


@pytest.mark.django_db
def test_a_password_changed_by_its_user_is_neither_shown_nor_reset(demo_settings, client):
    first = seed_demo()
    user = get_user_model().objects.get(username="admin")
    user.set_password("diganti-oleh-admin")
    user.save()

    output = seed_demo()

    assert printed(first, "Password") not in output
    assert "not shown" in printed(output, "Password")
    assert client.login(username="admin", password="diganti-oleh-admin")


@pytest.mark.django_db
def test_without_the_credentials_file_a_new_password_is_set_and_stored(demo_settings, client):
    first = seed_demo()
    path = demo_settings.VAR_DIR / "demo-admin.json"
    path.unlink()

    output = seed_demo()

    password = printed(output, "Password")
    assert password != printed(first, "Password")
    assert client.login(username="admin", password=password)
    assert json.loads(path.read_text())["password"] == password
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_admin_account_from_the_environment(demo_settings, client):
    demo_settings.SIAR_ADMIN_USERNAME = "redaksi"
    demo_settings.SIAR_ADMIN_PASSWORD = "kata-sandi-redaksi-2024"

    output = seed_demo()

    assert printed(output, "Username") == "redaksi"
    assert printed(output, "Password") == "kata-sandi-redaksi-2024"
    assert client.login(username="redaksi", password="kata-sandi-redaksi-2024")
    assert not get_user_model().objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_demo_articles_are_served_by_the_api_with_renditions(demo_settings, client):
    seed_demo()

    response = client.get(API_LISTING)

    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == len(ARTICLES)
    newest_first = sorted(ARTICLES, key=lambda spec: spec.published[0])
    assert [item["meta"]["slug"] for item in data["items"]] == [spec.slug for spec in newest_first]
    for item in data["items"]:
        hero = item["hero_image"]
        assert hero["alt_text"] and hero["credit"]
        assert set(hero["renditions"]) == set(demo_settings.SIAR_RENDITIONS)
        assert hero["renditions"]["link_preview"]["width"] == 1200
        assert hero["renditions"]["link_preview"]["height"] == 630
        assert hero["renditions"]["web"]["url"].startswith(f"{BASE_URL}/media/")
        assert item["category"]["slug"] and item["source_unit"]["slug"] and item["tags"]
        assert item["canonical_url"] == f"{BASE_URL}/{content.NEWS_SLUG}/{item['meta']['slug']}/"
    body_images = [block for item in data["items"] for block in item["body"] if block["type"] == "image"]
    assert body_images and all(block["value"]["image"]["renditions"]["app"]["width"] == 720 for block in body_images)
    videos = [item["video"] for item in data["items"] if item["video"]]
    assert videos == [{"kind": "url", "url": "https://www.youtube.com/watch?v=SiarDemo001", "title": ""}]


@pytest.mark.parametrize(
    ("base_url", "address"),
    [
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("https://berita.suka-maju.example", ("berita.suka-maju.example", 443)),
        ("http://localhost", ("localhost", 80)),
    ],
)
def test_site_address_comes_from_the_base_url(settings, base_url, address):
    settings.SIAR_BASE_URL = base_url
    assert site_address() == address


def test_illustrations_are_deterministic():
    category = content.CATEGORIES[0]
    illustration = Illustration("t", "t.jpg", "seed", category.name, "Label", category)
    other = Illustration("t", "t.jpg", "other seed", category.name, "Label", category)

    first, band = render(illustration)

    assert render(illustration) == (first, band)
    assert render(other)[0] != first
    assert 0 < band.left < band.right < 1600 and 0 < band.top < band.bottom < 1000
