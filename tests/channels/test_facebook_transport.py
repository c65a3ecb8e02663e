"""The real Facebook transport against the fake Graph platform: requests sent and every error class."""

import json
from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone

from channels import graph
from channels.facebook import Transport
from channels.http import retry_after_seconds
from channels.models import ChannelAccount, Delivery
from channels.registry import get_transport
from channels.transports.base import Delivered, Failure, LookupFailed, Post
from tests.fakes.config import fake_channels
from tests.fakes.platform import FakePlatform, Response

Kind = Delivery.ErrorKind
POST = Post(
    channel="facebook",
    kind="link",
    text="Vaksinasi gratis",
    link="https://siar.test/berita/vaksin/?utm_source=facebook",
)
PHOTO = Post(
    channel="facebook",
    kind="photo",
    text="Vaksinasi gratis\n\nBaca selengkapnya: https://siar.test/berita/vaksin/",
    link="https://siar.test/berita/vaksin/",
    image_url="https://siar.test/media/vaksin.jpg",
)


@pytest.fixture
def platform():
    with FakePlatform(seed=1) as running:
        yield running


@pytest.fixture
def account():
    return ChannelAccount(channel="facebook", name="Pemkab", external_id="page-1", token="s3cret")


@pytest.fixture
def transport(platform, account):
    return Transport(account, {"BASE_URL": platform.url})


def test_registry_builds_it_from_settings(settings, platform, account):
    settings.SIAR_CHANNELS = fake_channels(platform.url)

    transport = get_transport(account)

    assert isinstance(transport, Transport) and transport.client.base_url == platform.url


def test_base_url_defaults_to_the_graph_api_setting(settings, account):
    settings.FACEBOOK_GRAPH_URL = "https://graph.example/v99.0"

    assert Transport(account, {}).client.base_url == "https://graph.example/v99.0"


def test_link_post_sends_message_and_link_with_the_token_in_a_header(transport, platform):
    result = transport.send(POST, attempt_key="k")

    assert result == Delivered("page-1_1", "https://www.facebook.com/page-1_1")
    [request] = platform.requests
    assert request.token_in == "header"  # never in a URL, where proxies and logs keep it
    assert (request.method, request.path, request.params) == (
        "POST",
        "/page-1/feed",
        {"message": POST.text, "link": POST.link},
    )


def test_photo_post_sends_the_image_url_and_records_the_posts_id(transport, platform):
    result = transport.send(PHOTO, attempt_key="k")

    [request] = platform.requests
    assert (request.path, request.params) == ("/page-1/photos", {"url": PHOTO.image_url, "message": PHOTO.text})
    assert result.external_id == "page-1_1"  # the post, not the photo: edits and deletes act on it
    assert platform.posts()[0].image_url == PHOTO.image_url


@pytest.mark.parametrize("style", ["html", "graph"])
def test_5xx_is_retryable(transport, platform, style):
    platform.error_rate, platform.error_style = 1.0, style

    result = transport.send(POST, attempt_key="k")

    assert isinstance(result, Failure) and result.kind == Kind.RETRYABLE
    assert platform.posts() == []


@pytest.mark.parametrize("code", [1, 2])
def test_unknown_and_service_errors_are_retryable(transport, platform, code):
    platform.respond_next(platform.error(400, "An unknown error occurred", code))

    assert transport.send(POST, attempt_key="k").kind == Kind.RETRYABLE


def test_is_transient_flag_is_retryable(transport, platform):
    error = {"error": {"message": "Please retry", "code": 100, "is_transient": True, "fbtrace_id": "t"}}
    platform.respond_next(Response.json(400, error))

    assert transport.send(POST, attempt_key="k").kind == Kind.RETRYABLE


def test_429_is_rate_limited_with_retry_after(transport, platform):
    platform.rate_limit_rate, platform.retry_after = 1.0, 1.5

    result = transport.send(POST, attempt_key="k")

    assert (result.kind, result.retry_after) == (Kind.RATE_LIMITED, 1.5)


@pytest.mark.parametrize("code", [4, 17, 32, 341, 613])
def test_graph_rate_limit_codes_wait_a_default_time_when_meta_says_nothing(transport, platform, code):
    platform.respond_next(platform.error(400, "(#17) User request limit reached", code))

    result = transport.send(POST, attempt_key="k")

    assert (result.kind, result.retry_after) == (Kind.RATE_LIMITED, graph.DEFAULT_RATE_LIMIT_WAIT)


def test_rate_limit_wait_comes_from_business_use_case_usage(transport, platform):
    usage = {"page-1": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    headers = {"X-Business-Use-Case-Usage": json.dumps(usage)}
    platform.respond_next(platform.error(400, "(#32) Page request limit reached", 32, headers=headers))

    result = transport.send(POST, attempt_key="k")

    assert (result.kind, result.retry_after) == (Kind.RATE_LIMITED, 7 * 60)


def test_temporary_block_waits_for_hours(transport, platform):
    platform.respond_next(platform.error(400, "The action attempted has been deemed abusive", 368, 1390008))

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RATE_LIMITED and result.retry_after >= 3600
    assert "temporarily blocked" in result.message


def test_invalid_token_is_auth(transport, platform):
    platform.revoke("s3cret")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.AUTH and "code 190" in result.message


@pytest.mark.parametrize(
    ("code", "subcode", "hint"),
    [(190, 463, "expired"), (190, 460, "password"), (102, None, "Reconnect"), (190, 458, "removed")],
)
def test_token_errors_are_auth_with_a_hint(transport, platform, code, subcode, hint):
    platform.respond_next(platform.error(400, "Error validating access token", code, subcode))

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.AUTH and hint in result.hint


@pytest.mark.parametrize("code", [10, 200, 299])
def test_missing_permission_is_auth_naming_the_permission(transport, platform, code):
    message = "(#200) Requires pages_manage_posts and pages_read_engagement permissions"
    platform.respond_next(platform.error(403, message, code, error_type="OAuthException"))

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.AUTH
    assert "pages_manage_posts, pages_read_engagement" in result.hint


def test_invalid_parameter_is_rejected_with_the_platforms_message(transport, platform):
    error = {"error": {"message": "Invalid parameter", "code": 100, "error_user_msg": "The link is not valid."}}
    platform.respond_next(Response.json(400, error))

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.REJECTED and "The link is not valid." in result.message


def test_duplicate_is_reconciled_by_adopting_the_existing_post(transport, platform):
    first = transport.send(POST, attempt_key="k")
    platform.reject_duplicates = True

    again = transport.send(POST, attempt_key="k2")

    assert isinstance(again, Delivered) and again.external_id == first.external_id
    assert "duplicate" in again.note and len(platform.posts()) == 1


def test_duplicate_that_cannot_be_found_is_rejected(transport, platform):
    platform.respond_next(platform.error(400, "Duplicate status message", 506))

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.REJECTED and "change the text" in result.hint


@pytest.mark.parametrize("response", [Response(200, b"OK", "text/plain"), Response(502, b"<html>", "text/html")])
def test_answers_that_are_not_json_are_retryable(transport, platform, response):
    platform.respond_next(response)

    assert transport.send(POST, attempt_key="k").kind == Kind.RETRYABLE


def test_timeout_is_retryable(platform, account):
    platform.latency = 0.5
    transport = Transport(account, {"BASE_URL": platform.url, "TIMEOUT": 0.1})

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RETRYABLE and "ReadTimeout" in result.message
    assert "s3cret" not in result.message


def test_connection_refused_is_retryable(account, unused_tcp_port):
    transport = Transport(account, {"BASE_URL": f"http://127.0.0.1:{unused_tcp_port}"})

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RETRYABLE and "ConnectionError" in result.message


def test_lookup_adopts_the_post_with_the_same_message(transport, platform):
    sent = transport.send(POST, attempt_key="k")
    transport.send(Post(channel="facebook", text="other", link="https://siar.test/other/"), attempt_key="k2")

    found = transport.lookup(POST, attempt_key="k")

    assert (found.external_id, found.external_url) == (sent.external_id, sent.external_url)
    assert "interrupted attempt" in found.note
    assert transport.lookup(Post(channel="facebook", text="x", link="https://siar.test/new/"), attempt_key="k") is None


def test_lookup_never_adopts_another_articles_post_with_the_same_text(transport, platform):
    other = Post(channel="facebook", kind="link", text=POST.text, link="https://siar.test/berita/lain/")
    transport.send(other, attempt_key="k")

    assert transport.lookup(POST, attempt_key="k2") is None


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
    again = transport.retract(post_id)  # already gone: nothing left to do
    assert isinstance(again, Delivered) and "already gone" in again.note


def test_retry_after_as_seconds_or_http_date():
    assert retry_after_seconds("2") == 2.0 and retry_after_seconds("0.5") == 0.5
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    in_a_minute = format_datetime(timezone.now() + timedelta(seconds=60), usegmt=True)
    assert 55 <= retry_after_seconds(in_a_minute) <= 60
