"""FakePlatformTransport against the fake platform: results and error mapping."""

from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone

from channels.models import ChannelAccount, Delivery
from channels.registry import get_transport
from channels.transports.base import Delivered, Failure, Post

from .config import fake_channels
from .platform import FakePlatform, Response
from .transport import FakePlatformTransport, LookupFailed, retry_after_seconds

Kind = Delivery.ErrorKind
POST = Post(channel="facebook", text="Vaksinasi gratis", link="https://siar.test/berita/vaksin/?utm_source=facebook")


@pytest.fixture
def platform():
    with FakePlatform(seed=1) as running:
        yield running


@pytest.fixture
def account():
    return ChannelAccount(channel="facebook", name="Pemkab", external_id="page-1", token="s3cret")


@pytest.fixture
def transport(platform, account):
    return FakePlatformTransport(account, {"BASE_URL": platform.url})


def test_registry_builds_it_from_settings(settings, platform, account):
    settings.SIAR_CHANNELS = fake_channels(platform.url)

    transport = get_transport(account)

    assert isinstance(transport, FakePlatformTransport) and transport.base_url == platform.url


def test_send_posts_message_and_link_with_the_token(transport, platform):
    result = transport.send(POST, attempt_key="k")

    assert result == Delivered("page-1_1", f"{platform.url}/page-1_1")
    [request] = platform.requests
    assert (request.method, request.path, request.params) == (
        "POST",
        "/page-1/feed",
        {"message": POST.text, "link": POST.link},
    )
    assert platform.posts()[0].link == POST.link


@pytest.mark.parametrize("style", ["html", "graph"])
def test_5xx_is_retryable(transport, platform, style):
    platform.error_rate, platform.error_style = 1.0, style

    result = transport.send(POST, attempt_key="k")

    assert isinstance(result, Failure) and result.kind == Kind.RETRYABLE
    assert platform.posts() == []


def test_429_is_rate_limited_with_retry_after(transport, platform):
    platform.rate_limit_rate, platform.retry_after = 1.0, 1.5

    result = transport.send(POST, attempt_key="k")

    assert (result.kind, result.retry_after) == (Kind.RATE_LIMITED, 1.5)


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_graph_rate_limit_codes_are_rate_limited(transport, platform, code):
    platform.respond_next(platform.error(400, "(#17) User request limit reached", code))

    result = transport.send(POST, attempt_key="k")

    assert (result.kind, result.retry_after) == (Kind.RATE_LIMITED, None)


def test_invalid_token_is_auth(transport, platform):
    platform.revoke("s3cret")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.AUTH and "code 190" in result.message


def test_code_190_is_auth_whatever_the_status(transport, platform):
    platform.respond_next(platform.error(400, "Error validating access token", 190, 463))

    assert transport.send(POST, attempt_key="k").kind == Kind.AUTH


def test_400_is_rejected_with_the_platforms_message(transport):
    result = transport.send(Post(channel="facebook", text="", link=""), attempt_key="k")

    assert result.kind == Kind.REJECTED and "Missing message or attachment" in result.message


@pytest.mark.parametrize("response", [Response(200, b"OK", "text/plain"), Response(400, b"<html>", "text/html")])
def test_answers_that_are_not_json_are_retryable(transport, platform, response):
    platform.respond_next(response)

    assert transport.send(POST, attempt_key="k").kind == Kind.RETRYABLE


def test_timeout_is_retryable(platform, account):
    platform.latency = 0.5
    transport = FakePlatformTransport(account, {"BASE_URL": platform.url, "TIMEOUT": 0.1})

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RETRYABLE and "Timeout" in result.message


def test_connection_refused_is_retryable(account, unused_tcp_port):
    transport = FakePlatformTransport(account, {"BASE_URL": f"http://127.0.0.1:{unused_tcp_port}"})

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RETRYABLE and "ConnectionError" in result.message


def test_missing_base_url_is_a_configuration_problem(account):
    assert FakePlatformTransport(account, {}).send(POST, attempt_key="k").kind == Kind.CONFIG


def test_lookup_adopts_the_post_with_the_same_link(transport, platform):
    sent = transport.send(POST, attempt_key="k")
    transport.send(Post(channel="facebook", text="other", link="https://siar.test/other/"), attempt_key="k2")

    found = transport.lookup(POST, attempt_key="k")

    assert (found.external_id, found.external_url) == (sent.external_id, sent.external_url)
    assert "interrupted attempt" in found.note
    assert transport.lookup(Post(channel="facebook", text="x", link="https://siar.test/new/"), attempt_key="k") is None


def test_lookup_that_fails_raises_instead_of_answering_not_found(transport, platform):
    platform.error_rate = 1.0

    with pytest.raises(LookupFailed):
        transport.lookup(POST, attempt_key="k")


def test_edit_and_retract(transport, platform):
    post_id = transport.send(POST, attempt_key="k").external_id

    edited = transport.edit(post_id, Post(channel="facebook", text="Diperbarui", link=POST.link))
    retracted = transport.retract(post_id)

    assert isinstance(edited, Delivered) and isinstance(retracted, Delivered)
    assert platform.posts(include_deleted=True)[0].message == "Diperbarui"
    assert platform.posts() == []
    assert transport.retract(post_id).kind == Kind.REJECTED


def test_retry_after_as_seconds_or_http_date():
    assert retry_after_seconds("2") == 2.0 and retry_after_seconds("0.5") == 0.5
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    in_a_minute = format_datetime(timezone.now() + timedelta(seconds=60), usegmt=True)
    assert 55 <= retry_after_seconds(in_a_minute) <= 60
