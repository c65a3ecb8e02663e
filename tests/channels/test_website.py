"""The website channel: a signed JSON revalidation hook, and how its answers are classified."""

import hashlib
import hmac
import json

import pytest

from channels.models import ChannelAccount, Delivery
from channels.snapshot import ArticleSnapshot
from channels.transports.base import Delivered
from channels.website import Transport, adapt
from tests.fakes.webhook import WebhookReceiver

Kind = Delivery.ErrorKind
SECRET = "hook-secret-7f3a"
ARTICLE = ArticleSnapshot(
    id=42,
    title="Jembatan Sukamaju dibuka",
    summary="Jembatan baru menghubungkan dua desa.",
    canonical_url="https://sukamaju.go.id/berita/jembatan/",
    api_url="https://cms.sukamaju.go.id/api/v2/pages/42/",
)


@pytest.fixture
def receiver():
    with WebhookReceiver() as running:
        yield running


@pytest.fixture
def transport(receiver):
    account = ChannelAccount(channel="website", name="Portal", external_id=receiver.url, token=SECRET)
    return Transport(account, {"TIMEOUT": 2})


def verify(received) -> dict:
    """What a receiving website does: check the signature over timestamp and body, then decode."""
    timestamp = received.headers["X-Siar-Timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["X-Siar-Signature"], f"sha256={expected}")
    return json.loads(received.body)


def test_publish_update_and_unpublish_are_signed_events(transport, receiver):
    post = adapt(ARTICLE)

    sent = transport.send(post, attempt_key="a1")
    transport.edit(sent.external_id, post)
    transport.retract(sent.external_id)

    assert sent == Delivered("42", ARTICLE.canonical_url, note="publish sent")
    events = [verify(received) for received in receiver.received]
    assert [event["event"] for event in events] == ["publish", "update", "unpublish"]
    assert events[0]["article"] == {
        "id": 42,
        "title": "Jembatan Sukamaju dibuka",
        "url": "https://sukamaju.go.id/berita/jembatan/",
        "path": "/berita/jembatan/",
        "api_url": "https://cms.sukamaju.go.id/api/v2/pages/42/",
    }
    assert events[2]["article"] == {"id": 42}
    assert receiver.received[0].headers["X-Siar-Delivery"] == "a1"
    assert receiver.received[0].headers["X-Siar-Event"] == "publish"


def test_a_forged_body_fails_verification(transport, receiver):
    transport.send(adapt(ARTICLE), attempt_key="a1")
    received = receiver.received[0]
    forged = received.__class__(received.path, received.headers, received.body.replace(b"42", b"43"))

    with pytest.raises(AssertionError):
        verify(forged)


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, Kind.AUTH), (403, Kind.AUTH), (404, Kind.CONFIG), (500, Kind.RETRYABLE), (503, Kind.RETRYABLE),
     (422, Kind.REJECTED)],
)  # fmt: skip
def test_answers_are_classified(transport, receiver, status, kind):
    receiver.answers.append((status, {}, b"nope"))

    result = transport.send(adapt(ARTICLE), attempt_key="a1")

    assert result.kind == kind and f"HTTP {status}" in result.message


def test_429_honours_retry_after(transport, receiver):
    receiver.answers.append((429, {"Retry-After": "12"}, b""))

    result = transport.send(adapt(ARTICLE), attempt_key="a1")

    assert (result.kind, result.retry_after) == (Kind.RATE_LIMITED, 12.0)


def test_a_hook_url_that_is_not_http_is_a_configuration_problem():
    account = ChannelAccount(channel="website", name="Portal", external_id="ftp://x", token=SECRET)

    assert Transport(account).send(adapt(ARTICLE), attempt_key="a1").kind == Kind.CONFIG


def test_the_secret_is_never_sent(transport, receiver):
    transport.send(adapt(ARTICLE), attempt_key="a1")

    received = receiver.received[0]
    assert SECRET.encode() not in received.body and SECRET not in json.dumps(received.headers)


def test_publishing_purges_the_frontend_cache_where_configured(settings, make_article):
    with WebhookReceiver() as cache:
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": cache.url}
        }
        article = make_article()

    purges = [received for received in cache.received if received.method == "PURGE"]
    assert any(received.path == article.url_path.removeprefix("/beranda-test") for received in purges), purges
