"""The WSGI fast path answers cached feeds exactly as Django would, and leaves everything else to it."""

import pytest
from django.test import RequestFactory

from channels.feeds import pickups
from channels.feeds.fastpath import FeedFastPath, cached_answer
from channels.models import FeedFetch, Partner

pytestmark = pytest.mark.django_db

SAME_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary", "Link", "Content-Type", "X-Content-Type-Options")


@pytest.fixture
def partner():
    partner = Partner.objects.create(name="Radar", slug="radar", attribution="Sumber: Diskominfo")
    partner.raw_token = partner.issue_token()[1]
    return partner


def environ(path, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return RequestFactory().get(path, **headers).environ


FELL_THROUGH = 599


def django_stand_in(environ_, start_response):
    start_response(f"{FELL_THROUGH} Passed to Django", [])
    return [b""]


def call(environ_):
    """Through FeedFastPath (Django stood in for): (status, headers, body)."""
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(FeedFastPath(django_stand_in)(environ_, start_response))
    return int(seen["status"][:3]), seen["headers"], body


def test_a_cached_partner_feed_is_answered_like_django_answers_it(client, partner, make_article):
    make_article(title="Berita")
    for name in ("rss.xml", "atom.xml", "feed.json"):
        first = client.get(f"/feeds/radar/{name}", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}")  # fills caches
        answer = cached_answer(environ(f"/feeds/radar/{name}", partner.raw_token))
        assert answer is not None, name
        status, headers, body = answer
        headers = dict(headers)
        assert (status, body) == (200, first.content)
        assert {h: headers[h] for h in SAME_HEADERS} == {h: first[h] for h in SAME_HEADERS}
        assert headers["Content-Length"] == str(len(body))

        not_modified = cached_answer(
            environ(f"/feeds/radar/{name}", partner.raw_token, HTTP_IF_NONE_MATCH=first["ETag"])
        )
        assert not_modified[0] == 304 and not_modified[2] == b""


def test_public_feeds_and_the_token_in_the_query_string(client, partner, make_article):
    make_article()
    public = client.get("/feeds/atom.xml")
    assert cached_answer(environ("/feeds/atom.xml"))[2] == public.content
    client.get(f"/feeds/radar/rss.xml?token={partner.raw_token}")
    assert cached_answer(environ(f"/feeds/radar/rss.xml?token={partner.raw_token}"))[0] == 200


def test_everything_but_the_plain_cached_case_goes_to_django(client, partner, make_article, settings):
    make_article()
    token = partner.raw_token
    client.get("/feeds/radar/rss.xml", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert cached_answer(environ("/feeds/radar/rss.xml", token)) is not None

    assert cached_answer(environ("/feeds/radar/rss.xml")) is None  # no token
    assert cached_answer(environ("/feeds/radar/rss.xml", "siar_unknown")) is None  # no grant cached
    assert cached_answer(environ("/feeds/other/rss.xml", token)) is None  # another partner's feed
    assert cached_answer(environ("/feeds/radar/rss.xml?since=2026-01-01", token)) is None
    assert cached_answer(environ("/feeds/radar/rss.xml?limit=7", token)) is None  # not built yet
    assert cached_answer(environ("/feeds/radar/rss.xml?x=1", token)) is None
    assert cached_answer(environ("/feeds/radar/rss.xml", token, HTTP_HOST="evil.example")) is None
    settings.SECURE_SSL_REDIRECT = True
    assert cached_answer(environ("/feeds/radar/rss.xml", token)) is None  # Django redirects to HTTPS
    settings.SECURE_SSL_REDIRECT = False

    assert call(environ("/feeds/radar/rss.xml", "siar_unknown"))[0] == FELL_THROUGH


def test_a_partner_that_may_no_longer_read_is_refused_by_django(
    client, partner, make_article, django_capture_on_commit_callbacks
):
    make_article()
    client.get("/feeds/radar/rss.xml", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}")
    partner.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        partner.save()
    assert call(environ("/feeds/radar/rss.xml", partner.raw_token))[0] == FELL_THROUGH
    assert client.get("/feeds/radar/rss.xml", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}").status_code == 403


def test_head_requests_and_pickups(client, partner, make_article):
    make_article()
    client.get("/feeds/radar/feed.json", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}")
    head = RequestFactory().head("/feeds/radar/feed.json", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}").environ
    status, headers, body = call(head)
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    pickups.flush()
    assert FeedFetch.objects.filter(partner=partner, status=200).count() == 2  # Django's and the fast path's
