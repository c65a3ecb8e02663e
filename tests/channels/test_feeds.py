"""Partner and public feeds as feed readers and partner newsrooms read them."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from channels.feeds import pickups
from channels.models import FeedFetch, Partner

pytestmark = pytest.mark.django_db

FORMATS = ("rss.xml", "atom.xml", "feed.json")


@pytest.fixture
def partner(category):
    partner = Partner.objects.create(
        name="PT Radar Suka Maju", slug="radar", attribution="Sumber: Diskominfo Suka Maju", agreement_number="027/PKS"
    )
    _, token = partner.issue_token()
    partner.raw_token = token
    return partner


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # refusals are in the site's language (Indonesian by default)


def get(client, url, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(url, **headers)


def test_partner_reads_three_formats_with_a_bearer_token(client, partner, make_article, make_image):
    article = make_article(
        title="Vaksinasi massal",
        hero_image=make_image(),
        hero_image_alt="Warga antre",
        body=[{"type": "paragraph", "value": '<p>Isi <a href="/berita/x/">tautan</a>.</p>'}],
    )

    rss = get(client, "/feeds/radar/rss.xml", partner.raw_token)
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(rss.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    entry = parsed.entries[0]
    assert entry.title == "Vaksinasi massal"
    assert entry.id.startswith("urn:uuid:")
    assert "Sumber: Diskominfo Suka Maju" in entry.content[0].value
    assert 'href="http://127.0.0.1:8000/berita/x/"' in entry.content[0].value
    assert entry.media_content[0]["url"].startswith("http")
    assert entry.enclosures[0]["type"] == "image/jpeg"

    atom = feedparser.parse(get(client, "/feeds/radar/atom.xml", partner.raw_token).content)
    assert atom.bozo == 0 and atom.entries[0].id == entry.id and atom.feed.updated

    response = get(client, "/feeds/radar/feed.json", partner.raw_token)
    assert response["Content-Type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["id"] == entry.id and feed["items"][0]["_siar"]["article_id"] == article.pk


def test_token_in_query_string_works_and_wrong_tokens_get_404(client, partner):
    assert client.get(f"/feeds/radar/rss.xml?token={partner.raw_token}").status_code == 200
    assert get(client, "/feeds/radar/rss.xml").status_code == 404
    assert get(client, "/feeds/radar/rss.xml", "siar_wrong").status_code == 404
    assert get(client, "/feeds/unknown/rss.xml", partner.raw_token).status_code == 404


def test_inactive_partner_and_ended_agreement_get_403_with_a_reason(
    client, partner, django_capture_on_commit_callbacks
):
    get(client, "/feeds/radar/rss.xml", partner.raw_token)  # its grant is cached now: changes must drop it
    partner.agreement_end = timezone.localdate() - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        partner.save()
    response = get(client, "/feeds/radar/rss.xml", partner.raw_token)
    assert response.status_code == 403 and b"was valid until" in response.content

    partner.agreement_end, partner.is_active = None, False
    with django_capture_on_commit_callbacks(execute=True):
        partner.save()
    response = get(client, "/feeds/radar/atom.xml", partner.raw_token)
    assert response.status_code == 403 and b"switched off" in response.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # (keeps content types for later tests)
def test_a_feed_readers_conditional_get_returns_304(live_server, partner, make_article):
    """feedparser over real HTTP, sending back the etag= and modified= it got."""
    make_article()
    url = f"{live_server.url}/feeds/radar/rss.xml"
    auth = {"Authorization": f"Bearer {partner.raw_token}"}
    first = feedparser.parse(url, request_headers=auth)
    assert first.status == 200 and first.bozo == 0 and first.etag and first.modified

    assert feedparser.parse(url, request_headers=auth, etag=first.etag).status == 304
    assert feedparser.parse(url, request_headers=auth, modified=first.modified).status == 304


def test_publishing_changes_the_feed(client, partner, make_article, django_capture_on_commit_callbacks):
    make_article(title="Pertama")
    before = get(client, "/feeds/radar/feed.json", partner.raw_token)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Kedua")
    after = get(client, "/feeds/radar/feed.json", partner.raw_token, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert [item["title"] for item in after.json()["items"]] == ["Kedua", "Pertama"]


def test_public_feeds_give_summaries_and_are_discoverable(client, make_article, category):
    make_article(body=[{"type": "paragraph", "value": "<p>Isi lengkap rahasia.</p>"}])
    for name in FORMATS:
        response = client.get(f"/feeds/{name}")
        assert response.status_code == 200
        assert b"Isi lengkap" not in response.content
        assert "public" in response["Cache-Control"]
    assert feedparser.parse(client.get(f"/feeds/category/{category.slug}/rss.xml").content).entries
    assert client.get("/feeds/category/tidak-ada/rss.xml").status_code == 404
    root = client.get("/api/v2/")
    assert {f["type"] for f in root.json()["feeds"]} >= {"application/rss+xml", "application/atom+xml"}


def test_fetches_are_logged_in_batches(client, partner, make_article):
    make_article()
    get(client, "/feeds/radar/rss.xml", partner.raw_token, HTTP_USER_AGENT="RadarCMS/2")
    assert FeedFetch.objects.count() == 0  # not written inline
    assert pickups.flush() == 1
    fetch = FeedFetch.objects.get()
    assert (fetch.partner, fetch.format, fetch.status, fetch.item_count, fetch.user_agent) == (
        partner,
        "rss",
        200,
        1,
        "RadarCMS/2",
    )
