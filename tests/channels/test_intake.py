"""Intake from unit websites: polling units' feeds into the inbox, deduplication, failures that stay
on their feed, the CLI, and the inbox in the admin (create a draft, dismiss)."""

import json
import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.users.models import UserProfile

from channels.intake import normalise_link, poll_all, poll_feed, title_key
from channels.models import IntakeItem, UnitFeed
from hub.models import ArticlePage, SourceUnit
from tests.fakes.unit_feed import FeedItem, UnitFeedServer

pytestmark = pytest.mark.django_db

State = IntakeItem.State


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def site():
    with UnitFeedServer() as server:
        yield server


@pytest.fixture
def unit(source_unit):
    return source_unit


@pytest.fixture
def feed(unit, site):
    return UnitFeed.objects.create(source_unit=unit, url=site.feed_url())


def item(n, **overrides):
    fields = {
        "title": f"Bupati meresmikan pasar {n}",
        "link": f"https://dinas.example/berita/{n}",
        "guid": f"berita-{n}",
        "description": f"<p>Ringkasan <b>berita</b> {n} &amp; lainnya.</p>",
        "published": datetime(2026, 11, 20, 9, n, tzinfo=UTC),
    }
    fields.update(overrides)
    return FeedItem(**fields)


# --- polling ----------------------------------------------------------------------------------


def test_a_units_feed_on_loopback_lands_in_the_inbox_in_one_cycle(feed, site, unit):
    site.items = [item(1), item(2)]
    results = poll_all()
    assert [(r.status, r.new) for r in results] == [("new", 2)]
    items = {i.guid: i for i in IntakeItem.objects.all()}
    assert set(items) == {"berita-1", "berita-2"}
    first = items["berita-1"]
    assert first.source_unit == unit and first.state == State.NEW
    assert first.summary == "Ringkasan berita 1 & lainnya."
    assert first.link == "https://dinas.example/berita/1"
    assert first.published == datetime(2026, 11, 20, 9, 1, tzinfo=UTC)
    feed.refresh_from_db()
    assert feed.etag and feed.last_success_at and feed.error_count == 0 and feed.last_error == ""


def test_an_unchanged_feed_answers_304_and_is_not_parsed(feed, site, monkeypatch):
    site.items = [item(1)]
    poll_all()
    etag = UnitFeed.objects.get().etag

    import feedparser

    def no_parse(*args, **kwargs):
        raise AssertionError("a 304 must not be parsed")

    monkeypatch.setattr(feedparser, "parse", no_parse)
    [result] = poll_all()
    assert result.status == "unchanged" and result.new == 0
    assert site.requests[-1].headers.get("If-None-Match") == etag
    assert IntakeItem.objects.count() == 1
    assert UnitFeed.objects.get().error_count == 0


def test_duplicates_are_skipped(feed, site, unit):
    other = UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/other.xml"))
    site.items = [item(1)]
    poll_feed(feed)
    # A near-identical title on the unit's other feed.
    site.items = [item(3, guid="x-3", link="https://dinas.example/lain/3", title="BUPATI  Meresmikan Pasar 1!")]
    result = poll_feed(other)
    assert (result.new, result.skipped) == (0, 1)
    # Same guid again (the title changed), the same link with utm parameters and a fragment.
    site.items = [
        item(1, title="Judul diubah"),
        item(2, guid="x-2", link="https://dinas.example/berita/1?utm_source=fb&utm_medium=x#top", title="Lain"),
        item(4),
    ]
    result = poll_feed(feed)
    assert (result.new, result.skipped) == (1, 2)
    assert sorted(IntakeItem.objects.values_list("guid", flat=True)) == ["berita-1", "berita-4"]
    # Another unit may carry the same news.
    elsewhere = SourceUnit.objects.create(name="Kecamatan Barat", slug="kec-barat", kind=SourceUnit.Kind.SUBDISTRICT)
    site.items = [item(4)]
    assert poll_feed(UnitFeed.objects.create(source_unit=elsewhere, url=site.feed_url("/x.xml"))).new == 1


def test_near_identical_titles_only_within_the_unit():
    assert title_key("  Bupati  Resmikan—Pasar Baru!! ") == title_key("bupati resmikan pasar baru")
    assert title_key("Café déjà vu") == "cafe deja vu"
    assert normalise_link("HTTP://Dinas.Example/a/?utm_source=x&id=3#frag") == "https://dinas.example/a?id=3"


def test_broken_feeds_are_recorded_and_the_others_still_polled(unit, site, settings):
    settings.SIAR_INTAKE_MAX_BYTES = 1024 * 1024
    site.huge_bytes = 2 * 1024 * 1024
    site.modes = {
        "/broken.xml": "error",
        "/garbage.xml": "garbage",
        "/huge.xml": "huge",
        "/unsized.xml": "huge-unsized",
    }
    broken = [
        UnitFeed.objects.create(source_unit=unit, url=site.feed_url(path))
        for path in ("/broken.xml", "/garbage.xml", "/huge.xml", "/unsized.xml")
    ]
    good = UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/zz-good.xml"))
    site.items = [item(1)]
    results = {r.feed.pk: r for r in poll_all()}
    assert results[good.pk].new == 1
    messages = {}
    for feed in broken:
        feed.refresh_from_db()
        assert results[feed.pk].status == "error" and feed.error_count == 1 and feed.last_polled_at
        messages[feed.url.rsplit("/", 1)[1]] = feed.last_error
    assert "HTTP 500" in messages["broken.xml"]
    assert "malformed" in messages["garbage.xml"] or "not an RSS" in messages["garbage.xml"]
    assert "larger than" in messages["huge.xml"] and "larger than" in messages["unsized.xml"]
    poll_all()
    broken[0].refresh_from_db()
    assert broken[0].error_count == 2


def test_a_sloppy_feed_with_readable_items_is_kept_with_a_warning(unit, site):
    site.modes = {"/sloppy.xml": "sloppy"}
    feed = UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/sloppy.xml"))
    site.items = [item(1)]
    [result] = poll_all()
    assert result.status == "new" and result.new == 1
    feed.refresh_from_db()
    assert feed.error_count == 0 and feed.last_error.startswith("Warning: malformed feed")


def test_an_unexpected_exception_in_one_feed_does_not_stop_the_loop(unit, site, monkeypatch):
    from channels import intake

    first = UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/a.xml"))
    UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/b.xml"))
    site.items = [item(1)]
    real_fetch = intake.fetch

    def flaky(feed):
        if feed.pk == first.pk:
            raise RuntimeError("boom")
        return real_fetch(feed)

    monkeypatch.setattr(intake, "fetch", flaky)
    results = poll_all()
    assert [r.status for r in results] == ["error", "new"]
    first.refresh_from_db()
    assert "RuntimeError" in first.last_error


def test_redirects_are_followed_through_the_guard_and_noted(unit, site):
    site.modes = {"/old.xml": f"redirect:{site.feed_url()}"}
    feed = UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/old.xml"))
    site.items = [item(1)]
    [result] = poll_all()
    assert result.new == 1
    feed.refresh_from_db()
    assert feed.error_count == 0 and "update the feed URL" in feed.last_error


def test_every_redirect_hop_is_checked_and_loops_end(unit, site):
    site.modes = {
        "/elsewhere.xml": "redirect:file:///etc/passwd",
        "/loop.xml": f"redirect:{site.feed_url('/loop.xml')}",
    }
    elsewhere = UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/elsewhere.xml"))
    loop = UnitFeed.objects.create(source_unit=unit, url=site.feed_url("/loop.xml"))
    assert [r.status for r in poll_all()] == ["error", "error"]
    elsewhere.refresh_from_db()
    loop.refresh_from_db()
    assert "refused file:///etc/passwd" in elsewhere.last_error
    assert "more than 3 redirects" in loop.last_error
    assert len([r for r in site.requests if r.path == "/loop.xml"]) == 4


def test_private_addresses_are_refused_unless_allowed(unit, site, settings):
    settings.SIAR_OUTBOUND_ALLOW_PRIVATE = False
    by_ip = UnitFeed.objects.create(source_unit=unit, url=site.feed_url())
    by_name = UnitFeed.objects.create(source_unit=unit, url=site.feed_url().replace("127.0.0.1", "localhost"))
    site.items = [item(1)]
    results = poll_all()
    assert [r.status for r in results] == ["error", "error"]
    by_ip.refresh_from_db()
    by_name.refresh_from_db()
    assert "private" in by_ip.last_error and "refused" in by_name.last_error
    assert not site.requests and not IntakeItem.objects.exists()
    with pytest.raises(CommandError, match="private"):
        call_command("intake", "add", unit.slug, "http://10.0.0.5/feed.xml")


# --- the CLI ----------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("intake", *args, stdout=out)
    return out.getvalue()


def test_cli_add_poll_list(unit, site):
    assert "Added feed" in run("add", unit.slug, site.feed_url())
    with pytest.raises(CommandError, match="already has this feed"):
        run("add", unit.slug, site.feed_url())
    SourceUnit.objects.create(name="Kecamatan Timur", slug="kec-timur", kind=SourceUnit.Kind.SUBDISTRICT)
    with pytest.raises(CommandError, match=r"Known: .*kec-timur"):
        run("add", "nope", site.feed_url())
    with pytest.raises(CommandError, match="http"):
        run("add", unit.slug, "ftp://example.org/feed")

    site.items = [item(1), item(2, published=None)]
    out = run("poll")
    assert f"{unit.slug}\t{site.feed_url()}\tnew 2" in out and "2 new item(s)" in out
    assert "unchanged (304)" in run("poll")

    rows = json.loads(run("list", "--json"))
    assert {tuple(row) for row in rows} == {("id", "source", "title", "link", "published", "state")}
    by_link = {row["link"]: row for row in rows}
    assert by_link["https://dinas.example/berita/1"]["published"] == "2026-11-20T09:01:00+00:00"
    assert by_link["https://dinas.example/berita/2"]["published"] is None
    assert {row["source"] for row in rows} == {unit.slug} and {row["state"] for row in rows} == {"new"}
    assert "Bupati meresmikan pasar 1" in run("list")


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("humas", "humas@example.invalid", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def inbox_item(feed, site):
    site.items = [item(1)]
    poll_all()
    return IntakeItem.objects.get()


def listed(client, item, query="") -> bool:
    response = client.get(reverse("siar_intake:index") + query)
    assert response.status_code == 200
    return f'href="{item.link}"' in response.content.decode()


def test_the_inbox_lists_new_items(staff, inbox_item):
    response = staff.get(reverse("siar_intake:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert inbox_item.title in html and inbox_item.link in html and inbox_item.source_unit.name in html


def test_create_draft_from_an_item(staff, inbox_item, site_tree, unit):
    response = staff.post(reverse("siar_intake:draft", args=[inbox_item.pk]))
    page = ArticlePage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.source_unit == unit and page.get_parent().pk == site_tree.pk
    assert page.title == inbox_item.title and page.summary == inbox_item.summary
    assert inbox_item.link in str(page.body) and page.get_latest_revision() is not None
    inbox_item.refresh_from_db()
    assert inbox_item.state == State.DRAFTED and inbox_item.draft_id == page.pk and inbox_item.handled_by
    # Twice (double click): the same draft.
    staff.post(reverse("siar_intake:draft", args=[inbox_item.pk]))
    assert ArticlePage.objects.count() == 1
    assert listed(staff, inbox_item) is False


def test_the_inbox_forms_carry_a_csrf_token(inbox_item, django_user_model):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = django_user_model.objects.create_superuser("humas", "humas@example.invalid", "pw")
    client.force_login(user)
    html = client.get(reverse("siar_intake:index")).content.decode()
    dismiss_form = html[html.index(reverse("siar_intake:dismiss", args=[inbox_item.pk])) :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dismiss_form).group(1)
    url = reverse("siar_intake:dismiss", args=[inbox_item.pk])
    assert client.post(url).status_code == 403
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    inbox_item.refresh_from_db()
    assert inbox_item.state == State.DISMISSED


def test_dismiss_hides_an_item_from_the_default_list(staff, inbox_item):
    response = staff.post(reverse("siar_intake:dismiss", args=[inbox_item.pk]))
    assert response.status_code == 302
    inbox_item.refresh_from_db()
    assert inbox_item.state == State.DISMISSED
    assert listed(staff, inbox_item) is False
    assert listed(staff, inbox_item, "?state=dismissed") is True
    assert listed(staff, inbox_item, "?state=all") is True


def test_actions_need_post_and_permission(client, django_user_model, inbox_item):
    assert client.post(reverse("siar_intake:dismiss", args=[inbox_item.pk])).status_code == 302  # to login
    user = django_user_model.objects.create_user("tamu", "tamu@example.invalid", "pw")
    client.force_login(user)
    client.post(reverse("siar_intake:dismiss", args=[inbox_item.pk]))
    inbox_item.refresh_from_db()
    assert inbox_item.state == State.NEW


def test_older_titles_are_not_duplicates(feed, site):
    site.items = [item(1)]
    poll_all()
    IntakeItem.objects.update(fetched_at=datetime.now(UTC) - timedelta(days=30))
    site.items = [item(1, guid="new-guid", link="https://dinas.example/lagi")]
    [result] = poll_all()
    assert result.new == 1


def test_staff_manage_unit_feeds(staff, unit, settings):
    add_url = reverse("siar_unit_feeds:add")
    assert staff.get(add_url).status_code == 200
    settings.SIAR_OUTBOUND_ALLOW_PRIVATE = False
    response = staff.post(add_url, {"source_unit": unit.pk, "url": "http://127.0.0.1:8080/feed", "is_active": "on"})
    assert response.status_code == 200 and "will not fetch" in response.content.decode()
    response = staff.post(add_url, {"source_unit": unit.pk, "url": "https://93.184.215.14/feed", "is_active": "on"})
    assert response.status_code == 302
    feed = UnitFeed.objects.get()
    feed.last_error, feed.error_count = "HTTP 500", 2
    feed.save()
    html = staff.get(reverse("siar_unit_feeds:index")).content.decode()
    assert "https://93.184.215.14/feed" in html and "HTTP 500" in html and "2 failed polls in a row" in html
