"""The real Instagram transport against the fake Instagram Graph server: the publishing steps and every error."""

import logging
import uuid
from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured

from channels.instagram import Transport
from channels.models import ChannelAccount, Delivery
from channels.registry import get_transport
from channels.transports.base import Delivered, Failure, LookupFailed, Post, Unsupported
from tests.fakes.instagram import USER_ID, FakeInstagram
from tests.fakes.platform import BAD_GATEWAY_PAGE, HTML, Response

Kind = Delivery.ErrorKind
TOKEN = "IGQV-very-secret-token-17"
POST = Post(
    channel="instagram",
    kind="image",
    text="Pasar murah hadir di lima kecamatan 🛒\n\nBaca selengkapnya di sukamaju.go.id/berita/pasar\n\n#PasarMurah",
    link="https://sukamaju.go.id/berita/pasar/?utm_source=instagram",
    image_url="https://sukamaju.go.id/media/pasar.jpg",
)
REEL = Post(
    channel="instagram",
    kind="reels",
    text="Senam pagi bersama Bupati 🤸",
    link="https://sukamaju.go.id/berita/senam/",
    image_url="https://sukamaju.go.id/media/senam.jpg",
    video_url="https://sukamaju.go.id/media/senam.mp4",
)


class FakeClock:
    """Time that passes only when the transport sleeps: backoff is checked without waiting."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def instagram():
    with FakeInstagram(token=TOKEN) as server:
        yield server


@pytest.fixture
def account():
    # A fresh pk per test: remembered containers (in Redis) must not leak from one test into another.
    return ChannelAccount(
        pk=uuid.uuid4().int % 10**9, channel="instagram", name="IG Pemkab", external_id=USER_ID, token=TOKEN
    )


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_transport(instagram, account, clock):
    def factory(**options) -> Transport:
        transport = Transport(account, {"BASE_URL": instagram.url + "/v26.0", **options})
        transport.sleep, transport.clock = clock.sleep, clock.monotonic
        return transport

    return factory


@pytest.fixture
def transport(make_transport):
    return make_transport()


def test_registry_builds_it_and_the_base_url_defaults_to_the_setting(settings, account):
    settings.INSTAGRAM_GRAPH_URL = "https://graph.example/v99.0"
    settings.SIAR_CHANNELS = {}

    transport = get_transport(account)

    assert isinstance(transport, Transport) and transport.client.base_url == "https://graph.example/v99.0"


def test_a_bad_option_is_named(account):
    with pytest.raises(ImproperlyConfigured, match="POLL_INTERVAL"):
        Transport(account, {"POLL_INTERVAL": "soon"})


def test_publishes_in_three_steps_after_checking_the_quota(transport, instagram):
    result = transport.send(POST, attempt_key="k")

    [media] = instagram.media
    assert result == Delivered(media.id, media.permalink)
    assert media.caption == POST.text
    requests = instagram.requests
    assert [(r.method, r.endpoint) for r in requests] == [
        ("GET", "quota"),
        ("POST", "create"),
        ("GET", "status"),
        ("POST", "publish"),
        ("GET", "permalink"),
    ]
    quota, create, status, publish, permalink = requests
    container = instagram.containers[0].id
    assert quota.path == f"/{USER_ID}/content_publishing_limit" and quota.params == {"fields": "quota_usage,config"}
    assert create.path == f"/{USER_ID}/media" and create.params == {"image_url": POST.image_url, "caption": POST.text}
    assert status.path == f"/{container}" and status.params == {"fields": "status_code,status"}
    assert publish.path == f"/{USER_ID}/media_publish" and publish.params == {"creation_id": container}
    assert permalink.path == f"/{media.id}" and permalink.params == {"fields": "permalink"}
    assert {r.token_in for r in requests} == {"header"}  # never in a URL
    assert instagram.quota_usage == 1


def test_waits_with_growing_pauses_while_the_container_is_in_progress(transport, instagram, clock):
    instagram.finish_after = 4

    result = transport.send(POST, attempt_key="k")

    assert isinstance(result, Delivered)
    assert instagram.endpoints() == ["quota", "create", "status", "status", "status", "status", "publish", "permalink"]
    assert clock.sleeps == [1, 2, 4]


def test_still_processing_is_retryable_and_the_next_attempt_continues_with_the_same_container(
    make_transport, instagram, clock
):
    instagram.finish_after = 100
    first = make_transport(CONTAINER_WAIT_SECONDS=60).send(POST, attempt_key="a")

    assert first.kind == Kind.RETRYABLE and "still processing" in first.message
    assert clock.sleeps == [1, 2, 4, 8, 10, 10, 10, 10, 5]  # doubling, capped at 10 s, within the 60 s budget
    assert instagram.endpoints().count("status") == 10 and "publish" not in instagram.endpoints()

    instagram.finish_after = 11  # ready at the next poll
    second = make_transport().send(POST, attempt_key="b")  # the engine builds a new transport per attempt

    assert isinstance(second, Delivered)
    assert instagram.endpoints().count("create") == 1 and len(instagram.containers) == 1
    assert [m.caption for m in instagram.media] == [POST.text]


def test_container_error_is_rejected_with_instagrams_reason_and_the_next_attempt_starts_over(transport, instagram):
    instagram.end_next_container("ERROR", "ERROR: Media upload has failed with error code 2207026")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.REJECTED
    assert "Media upload has failed with error code 2207026" in result.message
    assert "video format is not supported" in result.hint
    assert instagram.media == []
    assert isinstance(transport.send(POST, attempt_key="k2"), Delivered)
    assert instagram.endpoints().count("create") == 2


def test_container_error_without_a_known_code_still_says_what_to_check(transport, instagram):
    instagram.end_next_container("ERROR", "Error: Media ID is not available")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.REJECTED and "Media ID is not available" in result.message
    assert "JPEG" in result.hint and "public" in result.hint


def test_container_that_failed_to_download_the_image_is_retried(transport, instagram):
    instagram.end_next_container("ERROR", "ERROR: Media download has failed with error code 2207003")

    assert transport.send(POST, attempt_key="k").kind == Kind.RETRYABLE


def test_expired_container_is_retryable_with_a_new_container_next_time(transport, instagram):
    instagram.end_next_container("EXPIRED")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RETRYABLE and "expired" in result.message
    assert isinstance(transport.send(POST, attempt_key="k2"), Delivered)
    assert instagram.endpoints().count("create") == 2


@pytest.mark.parametrize("options", [{}, {"QUOTA_RECHECK_SECONDS": 900}])
def test_used_up_publishing_limit_waits_without_creating_a_container(make_transport, instagram, options):
    instagram.quota_total, instagram.quota_usage = 50, 50

    result = make_transport(**options).send(POST, attempt_key="k")

    assert result.kind == Kind.RATE_LIMITED
    assert result.retry_after == options.get("QUOTA_RECHECK_SECONDS", 3600)
    assert "50 of 50 posts in 24 hours" in result.message
    assert instagram.endpoints() == ["quota"]


def test_the_limit_is_read_not_assumed(transport, instagram):
    instagram.quota_total, instagram.quota_usage = 100, 60  # more than the 25 or 50 some sources give

    assert isinstance(transport.send(POST, attempt_key="k"), Delivered)
    assert instagram.quota_usage == 61


@pytest.mark.parametrize("options", [{}, {"QUOTA_RECHECK_SECONDS": 900}])
def test_limit_reached_on_publish_waits_like_the_quota_check_and_keeps_the_container(
    make_transport, instagram, options
):
    error = instagram.error(400, "Application request limit reached", 9, 2207042)
    instagram.respond_next(error, endpoint="publish")

    result = make_transport(**options).send(POST, attempt_key="k")

    assert result.kind == Kind.RATE_LIMITED and "2207042" in result.message
    assert result.retry_after == options.get("QUOTA_RECHECK_SECONDS", 3600)  # not Graph's default 300 s
    assert isinstance(make_transport().send(POST, attempt_key="k2"), Delivered)
    assert instagram.endpoints().count("create") == 1


def test_other_rate_limits_on_publish_keep_graphs_wait(transport, instagram):
    instagram.respond_next(instagram.error(400, "Application request limit reached", 4), endpoint="publish")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RATE_LIMITED and result.retry_after == 300


def test_aspect_ratio_rejection_comes_with_the_hint(transport, instagram):
    error = instagram.error(400, "The aspect ratio is not supported.", 36003, 2207009)
    instagram.respond_next(error, endpoint="create")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.REJECTED and "2207009" in result.message
    assert "aspect ratio is outside 4:5 to 1.91:1" in result.hint


def test_an_invalid_token_needs_the_account_reconnected(make_transport, instagram, account, caplog):
    instagram.revoke(TOKEN)

    with caplog.at_level(logging.DEBUG):
        result = make_transport().send(POST, attempt_key="k")

    assert result.kind == Kind.AUTH and "Reconnect" in result.hint
    assert instagram.endpoints() == ["quota"]
    assert TOKEN not in caplog.text


def test_an_html_bad_gateway_page_is_retryable(transport, instagram):
    instagram.respond_next(Response(502, BAD_GATEWAY_PAGE, HTML), endpoint="create")

    result = transport.send(POST, attempt_key="k")

    assert result.kind == Kind.RETRYABLE and "HTTP 502" in result.message
    assert instagram.media == []


def test_a_failed_status_poll_keeps_the_container_for_the_next_attempt(transport, instagram):
    instagram.respond_next(Response(502, BAD_GATEWAY_PAGE, HTML), endpoint="status")

    assert transport.send(POST, attempt_key="k").kind == Kind.RETRYABLE
    assert isinstance(transport.send(POST, attempt_key="k2"), Delivered)
    assert instagram.endpoints().count("create") == 1


def test_a_container_instagram_no_longer_knows_is_replaced(make_transport, instagram, clock):
    instagram.finish_after = 100
    make_transport(CONTAINER_WAIT_SECONDS=0).send(POST, attempt_key="a")  # remembers the container
    instagram.respond_next(instagram.error(400, "Object does not exist", 100, 33), endpoint="status")

    first = make_transport().send(POST, attempt_key="b")
    instagram.finish_after = 1
    second = make_transport().send(POST, attempt_key="c")

    assert first.kind == Kind.RETRYABLE and isinstance(second, Delivered)
    assert instagram.endpoints().count("create") == 2


def test_published_but_no_permalink_is_still_delivered(transport, instagram):
    instagram.respond_next(instagram.error(500, "An unexpected error has occurred.", 2), endpoint="permalink")

    result = transport.send(POST, attempt_key="k")

    [media] = instagram.media
    assert result == Delivered(media.id, "")


def test_an_answer_lost_after_publishing_is_adopted_not_published_twice(transport, instagram):
    instagram.lose_next_publish_answer()
    first = transport.send(POST, attempt_key="k")

    second = transport.send(POST, attempt_key="k2")  # the container now says PUBLISHED

    [media] = instagram.media
    assert first.kind == Kind.RETRYABLE
    assert (second.external_id, second.external_url) == (media.id, media.permalink) and "adopted" in second.note
    assert instagram.endpoints().count("publish") == 1 and instagram.endpoints().count("create") == 1


def test_reels_send_the_video(transport, instagram):
    result = transport.send(REEL, attempt_key="k")

    assert isinstance(result, Delivered)
    [create] = [r for r in instagram.requests if r.endpoint == "create"]
    assert create.params == {"media_type": "REELS", "video_url": REEL.video_url, "caption": REEL.text}
    assert instagram.media[0].media_type == "REELS"


def test_an_answer_lost_then_a_failed_lookup_keeps_the_container_and_the_next_attempt_adopts(transport, instagram):
    instagram.lose_next_publish_answer()
    transport.send(POST, attempt_key="k")
    instagram.respond_next(instagram.error(400, "Error validating access token", 190, 463), endpoint="list")

    second = transport.send(POST, attempt_key="k2")  # PUBLISHED, but the posts cannot be listed
    third = transport.send(POST, attempt_key="k3")

    assert isinstance(second, Failure) and second.kind == Kind.AUTH
    assert "could not list the Instagram account's posts" in second.message
    [media] = instagram.media
    assert third.external_id == media.id and "adopted" in third.note
    assert instagram.endpoints().count("publish") == 1 and instagram.endpoints().count("create") == 1


def test_lookup_adopts_the_post_with_the_same_caption(transport, instagram):
    instagram.add_media("Another post")
    made = instagram.add_media(POST.text)
    instagram.add_media("A later post")

    found = transport.lookup(POST, attempt_key="k")

    assert (found.external_id, found.external_url) == (made.id, made.permalink)
    [listing] = instagram.requests
    assert listing.path == f"/{USER_ID}/media"
    assert listing.params == {"fields": "id,caption,permalink,timestamp", "limit": "25"}


def test_lookup_finds_nothing_when_no_caption_matches(transport, instagram):
    instagram.add_media("Another post")

    assert transport.lookup(POST, attempt_key="k") is None


def test_lookup_adopts_the_post_of_the_same_article_even_when_its_caption_was_edited_since(transport, instagram):
    delivered = transport.send(POST, attempt_key="k")
    edited = replace(POST, text="Pasar murah diperpanjang!\n\nBaca selengkapnya di sukamaju.go.id/berita/pasar")

    found = transport.lookup(replace(edited, link=POST.link.replace("instagram", "other")), attempt_key="k2")

    assert found.external_id == delivered.external_id and "adopted" in found.note


@pytest.mark.parametrize(
    "link",
    [
        "https://sukamaju.go.id/berita/pasar-baru/?utm_source=instagram",
        "https://sukamaju.go.id/berita/?utm_source=instagram",
        "https://sukamaju.go.id/berita/pasar/foto/?utm_source=instagram",
        "",
    ],
)
def test_lookup_does_not_adopt_the_post_of_another_article(transport, instagram, link):
    transport.send(POST, attempt_key="k")

    assert transport.lookup(replace(POST, text="Berita lain", link=link), attempt_key="k2") is None


def test_lookup_that_cannot_list_the_posts_raises_with_the_reason(transport, instagram):
    instagram.respond_next(Response(502, BAD_GATEWAY_PAGE, HTML), endpoint="list")

    with pytest.raises(LookupFailed) as raised:
        transport.lookup(POST, attempt_key="k")

    assert raised.value.failure.kind == Kind.RETRYABLE
    assert raised.value.failure.message.startswith("could not list the Instagram account's posts: ")


def test_lookup_with_a_revoked_token_fails_as_auth(transport, instagram):
    instagram.revoke(TOKEN)

    with pytest.raises(LookupFailed) as raised:
        transport.lookup(POST, attempt_key="k")

    failure = raised.value.failure
    assert failure.kind == Kind.AUTH and "Reconnect" in failure.hint and str(raised.value) == failure.message


def test_a_rate_limited_lookup_keeps_the_wait(transport, instagram):
    instagram.respond_next(instagram.error(400, "Application request limit reached", 4), endpoint="list")

    with pytest.raises(LookupFailed) as raised:
        transport.lookup(POST, attempt_key="k")

    assert raised.value.failure.kind == Kind.RATE_LIMITED and raised.value.failure.retry_after == 300


# --- carousels ---------------------------------------------------------------------------------


def carousel(count: int) -> Post:
    urls = [f"https://sukamaju.go.id/media/pasar-{number}.jpg" for number in range(1, count + 1)]
    return replace(POST, kind="carousel", image_url=urls[0] if urls else "", extra={"children": urls})


def test_a_carousel_creates_its_items_then_the_carousel_then_publishes_it(transport, instagram):
    post = carousel(3)

    result = transport.send(post, attempt_key="k")

    [media] = instagram.media
    assert result == Delivered(media.id, media.permalink)
    assert (media.caption, media.media_type) == (POST.text, "CAROUSEL_ALBUM")
    assert instagram.endpoints() == ["quota", "create", "create", "create", "create", "status", "publish", "permalink"]
    creates = [r for r in instagram.requests if r.endpoint == "create"]
    children = [c.id for c in instagram.containers[:3]]
    parent = instagram.containers[3].id
    assert [c.params for c in creates[:3]] == [
        {"image_url": url, "is_carousel_item": "true"} for url in post.extra["children"]
    ]
    assert creates[3].params == {"media_type": "CAROUSEL", "children": ",".join(children), "caption": POST.text}
    status, publish = instagram.requests[5:7]
    assert status.path == f"/{parent}" and publish.params == {"creation_id": parent}


def test_a_carousel_still_processing_is_continued_without_new_items(make_transport, instagram):
    instagram.finish_after = 100
    first = make_transport(CONTAINER_WAIT_SECONDS=0).send(carousel(2), attempt_key="a")
    instagram.finish_after = 1

    second = make_transport().send(carousel(2), attempt_key="b")

    assert first.kind == Kind.RETRYABLE and isinstance(second, Delivered)
    assert instagram.endpoints().count("create") == 3  # two items and the carousel, once


@pytest.mark.parametrize("count", [1, 11])
def test_a_carousel_instagram_refuses_is_rejected(transport, instagram, count):
    result = transport.send(carousel(count), attempt_key="k")

    assert result.kind == Kind.REJECTED and "Carousel validation failed" in result.message
    assert instagram.media == [] and "publish" not in instagram.endpoints()


def test_a_carousel_item_instagram_refuses_stops_the_carousel(transport, instagram):
    error = instagram.error(400, "The aspect ratio is not supported.", 36003, 2207009)
    instagram.respond_next(Response.json(200, {"id": "1"}), endpoint="create")
    instagram.respond_next(error, endpoint="create")

    result = transport.send(carousel(3), attempt_key="k")

    assert result.kind == Kind.REJECTED and "aspect ratio" in result.hint
    assert instagram.endpoints() == ["quota", "create", "create"]


def test_the_fake_takes_only_known_carousel_items(transport, instagram):
    single = transport.client.call("POST", f"/{USER_ID}/media", data={"image_url": POST.image_url})
    unknown = transport.client.call(
        "POST", f"/{USER_ID}/media", data={"media_type": "CAROUSEL", "children": f"{single['id']},999", "caption": "x"}
    )

    assert unknown.kind == Kind.REJECTED and transport.client.last_error.code == 100


def test_edit_and_retract_are_manual_tasks(transport, instagram):
    assert not transport.supports_edit and not transport.supports_retract

    edit, retract = transport.edit("17950000000000001", POST), transport.retract("17950000000000001")

    assert isinstance(edit, Unsupported) and "Instagram app" in edit.reason
    assert isinstance(retract, Unsupported) and "Instagram app" in retract.reason
    assert instagram.requests == []


def test_no_answer_at_all_is_retryable(account, unused_tcp_port):
    transport = Transport(account, {"BASE_URL": f"http://127.0.0.1:{unused_tcp_port}"})

    result = transport.send(POST, attempt_key="k")

    assert isinstance(result, Failure) and result.kind == Kind.RETRYABLE and "no answer" in result.message
