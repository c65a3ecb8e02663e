"""Feeds under hostile content and odd queries; partner webhooks and WebSub pings; the SSRF guard."""

import hashlib
import hmac
import json
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from channels import outbound
from channels.feeds import websub
from channels.models import ChannelAccount, Delivery, Partner
from channels.partners import Transport as PartnerTransport
from channels.partners import adapt as partner_adapt
from channels.snapshot import ArticleSnapshot
from tests.fakes.webhook import WebhookReceiver
from workers.delivery import delivery_send

pytestmark = pytest.mark.django_db

HOSTILE_BODY = [
    {"type": "paragraph", "value": "<p>Awal<script>alert('x')</script> teks</p>"},
    {"type": "paragraph", "value": '<p><a href="javascript:alert(1)">klik</a> <img src=x onerror="alert(2)"></p>'},
    {"type": "paragraph", "value": "<p><b>tidak ditutup <i>miring</p><div><table><tr><td>sel"},
    # (no NUL: PostgreSQL refuses it in text, so no article can hold one)
    {"type": "paragraph", "value": "<p>kontrol\x01\x0b\x1f\x7f\ufffe karakter</p>"},
    {"type": "paragraph", "value": '<p><iframe src="https://evil.example/x"></iframe></p>'},
    {"type": "paragraph", "value": "<p>" + "Berita panjang sekali. " * 46_000 + "</p>"},  # ~1 MB
    {"type": "embed", "value": "https://www.youtube.com/watch?v=abc"},
]


@pytest.fixture
def partner():
    partner = Partner.objects.create(name="Radar", slug="radar", attribution="Sumber: Diskominfo")
    partner.raw_token = partner.issue_token()[1]
    return partner


def read(client, partner, name, query=""):
    response = client.get(f"/feeds/radar/{name}{query}", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}")
    assert response.status_code == 200, response.content[:300]
    return response


def test_hostile_html_yields_valid_safe_feeds(client, partner, make_article):
    make_article(title="Judul <b>tebal</b> \x07 & kontrol", summary="Ringkas \x02 <script>", body=HOSTILE_BODY)

    for name in ("rss.xml", "atom.xml"):
        response = read(client, partner, name)
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        html = parsed.entries[0].content[0].value
        assert "<script" not in html and "alert('x')" not in html
        assert "javascript:" not in html and "onerror" not in html
        assert "evil.example" not in html
        assert "\x01" not in html and "kontrol karakter" in html
        assert len(html) > 1_000_000
        assert "https://www.youtube.com/watch?v=abc" in html  # an embed never fetched: a plain link
    item = read(client, partner, "feed.json").json()["items"][0]
    assert "<script" not in item["content_html"] and "\x07" not in item["title"]


def test_embeds_from_known_players_are_kept(client, partner, make_article):
    from wagtail.embeds.models import Embed

    url = "https://www.youtube.com/watch?v=keep"
    Embed.objects.create(
        url=url, max_width=1200, hash="h1", type="video", last_updated=timezone.now(),
        html='<iframe src="https://www.youtube.com/embed/keep" width="560" onload="x()"></iframe>',
    )  # fmt: skip
    make_article(body=[{"type": "embed", "value": url}])
    html = read(client, partner, "feed.json").json()["items"][0]["content_html"]
    assert 'src="https://www.youtube.com/embed/keep"' in html and "onload" not in html


def test_newest_first_limit_and_since_for_catch_up(client, partner, make_article):
    articles = [make_article(title=f"Berita {n}") for n in range(5)]
    titles = [item["title"] for item in read(client, partner, "feed.json", "?limit=3").json()["items"]]
    assert titles == ["Berita 4", "Berita 3", "Berita 2"]

    since = articles[1].last_published_at.isoformat()
    caught_up = read(client, partner, "feed.json", f"?since={since}").json()["items"]
    assert [item["title"] for item in caught_up] == ["Berita 2", "Berita 3", "Berita 4"]  # oldest change first
    assert read(client, partner, "feed.json", "?since=2000-01-01").json()["items"]


@pytest.mark.parametrize("query", ["?since=yesterday", "?since=2026-13-45", "?limit=-1", "?limit=x"])
def test_bad_paging_gets_400_with_a_message(client, partner, query):
    response = client.get(f"/feeds/radar/rss.xml{query}", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}")
    assert response.status_code == 400 and response.content


def test_unpublished_articles_leave_the_feed_and_last_modified_moves(client, partner, make_article):
    keep, drop = make_article(title="Tetap"), make_article(title="Ditarik")
    before = read(client, partner, "rss.xml")
    drop.unpublish()
    after = read(client, partner, "rss.xml", "?limit=49")  # another cache entry: built now
    assert [e.title for e in feedparser.parse(after.content).entries] == ["Tetap"]
    assert after["Last-Modified"] >= before["Last-Modified"] or after["ETag"] != before["ETag"]
    assert keep.live


def test_rotated_token_keeps_the_old_one_for_the_grace_period(client, partner, django_capture_on_commit_callbacks):
    old = partner.tokens.get()
    old.expires_at = timezone.now() + timedelta(days=7)
    old.save()
    _, new = partner.issue_token(label="rotated")
    for token in (partner.raw_token, new):
        assert client.get("/feeds/radar/rss.xml", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    old.revoked_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        old.save()
    response = client.get("/feeds/radar/rss.xml", HTTP_AUTHORIZATION=f"Bearer {partner.raw_token}")
    assert response.status_code == 403 and "dicabut" in response.content.decode()  # Indonesian by default


# --- push -----------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    with WebhookReceiver() as running:
        yield running


def verify(received, secret) -> dict:
    timestamp = received.headers["X-Siar-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["X-Siar-Signature"], f"sha256={expected}")
    return json.loads(received.body)


def test_partner_webhook_is_a_delivery_with_the_feed_item(receiver, make_article, category, other_category):
    partner = Partner.objects.create(name="KIM Maju", slug="kim-maju", kind="kim", webhook_url=receiver.url)
    partner.categories.add(category)
    secret = partner.new_webhook_secret
    assert secret and ChannelAccount.objects.get(partner=partner).token == secret

    article = make_article(title="Posyandu", body=[{"type": "paragraph", "value": "<p>Isi.</p>"}])
    make_article(title="Lain", category=other_category)  # not this partner's category: no delivery
    delivery = Delivery.objects.get(account__partner=partner)
    assert delivery.article == article
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED and delivery.external_id.startswith("urn:uuid:")

    event = verify(receiver.received[0], secret)
    assert event["event"] == "publish" and event["partner"] == "kim-maju"
    assert event["item"]["title"] == "Posyandu" and "<p>Isi.</p>" in event["item"]["content_html"]

    article.unpublish()
    delivery.refresh_from_db()
    delivery_send(delivery_id=delivery.pk)
    assert verify(receiver.received[-1], secret) | {"sent_at": 0} == {
        "event": "unpublish",
        "partner": "kim-maju",
        "item": {"id": delivery.external_id},
        "sent_at": 0,
    }


def test_partner_webhook_failures_are_classified_and_retried(receiver):
    partner = Partner.objects.create(name="Radar", slug="radar2", webhook_url=receiver.url)
    account = ChannelAccount.objects.get(partner=partner)
    receiver.answers = [(503, {}, b"busy")]
    post = partner_adapt(ArticleSnapshot(id=999_999, title="t", summary="s", canonical_url="https://x/"))
    result = PartnerTransport(account, {"TIMEOUT": 2}).send(post, attempt_key="k")
    assert result.kind == Delivery.ErrorKind.REJECTED  # no such article in its feed: nothing to send
    assert not receiver.received


def test_websub_hub_is_advertised_and_pinged(client, partner, make_article, receiver, settings):
    settings.WEBSUB_HUB_URL = receiver.url
    article = make_article()
    response = read(client, partner, "atom.xml", "?limit=7")
    assert f'<{receiver.url}>; rel="hub"' in response["Link"]
    parsed = feedparser.parse(response.content)
    assert any(link.rel == "hub" and link.href == receiver.url for link in parsed.feed.links)
    assert read(client, partner, "feed.json", "?limit=7").json()["hubs"] == [{"type": "WebSub", "url": receiver.url}]

    assert websub.ping(websub.topics_for(article)) is None
    form = receiver.received[0].body.decode()
    assert "hub.mode=publish" in form and "%2Ffeeds%2Fradar%2Frss.xml" in form and "%2Ffeeds%2Fatom.xml" in form


# --- SSRF guard ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/x", "http://[::1]/x", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/",
     "http://192.168.1.1/", "http://localhost/x", "http://0.0.0.0/"],
)  # fmt: skip
def test_outbound_requests_to_private_addresses_are_refused(url, settings, receiver):
    settings.SIAR_OUTBOUND_ALLOW_PRIVATE = False
    assert "private" in outbound.url_problem(url)
    from channels import http

    result = http.request("POST", url, via=outbound.session(), data=b"{}", timeout=(1, 1))
    assert getattr(result, "kind", None) == Delivery.ErrorKind.CONFIG and "refused" in result.message


def test_the_guard_refuses_the_loopback_receiver_and_allows_it_when_configured(settings, receiver):
    from channels import webhooks

    settings.SIAR_OUTBOUND_ALLOW_PRIVATE = False
    refused = webhooks.post(receiver.url, "s", event="e", payload={}, delivery_key="k", timeout=(1, 1), receiver="x")
    assert refused.kind == Delivery.ErrorKind.CONFIG and not receiver.received

    settings.SIAR_OUTBOUND_ALLOW_PRIVATE = True
    allowed = webhooks.post(receiver.url, "s", event="e", payload={}, delivery_key="k", timeout=(1, 1), receiver="x")
    assert allowed is None
    assert outbound.url_problem("https://93.184.215.14/") == "" and outbound.url_problem("ftp://x/") != ""


def test_redirects_are_not_followed(settings, receiver):
    from channels import webhooks

    receiver.answers = [(302, {"Location": "http://169.254.169.254/"}, b"")]
    failure = webhooks.post(receiver.url, "s", event="e", payload={}, delivery_key="k", timeout=(1, 1), receiver="x")
    assert failure.kind == Delivery.ErrorKind.CONFIG and len(receiver.received) == 1
