"""The demo articles through real workers to all four channels' fake platforms over HTTP:
Facebook and Instagram (Graph API fakes), YouTube (Data API, resumable upload and OAuth fake)
and the website's signed hook; then an edit and an unpublication."""

import hashlib
import hmac
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents.models import Document

from channels.models import ChannelAccount, Delivery
from hub.models import ArticlePage
from tests.fakes.instagram import USER_ID, FakeInstagram
from tests.fakes.platform import FakePlatform
from tests.fakes.webhook import WebhookReceiver
from tests.fakes.youtube import FakeYouTube

from .conftest import wait_for

State = Delivery.State
SECRET = "hook-secret"
REFRESH_TOKEN = "1//fake-refresh-token"
VIDEO_BYTES = bytes(range(256)) * 2400  # 600 KiB: three chunks of 256 KiB


@pytest.fixture
def platforms():
    with FakePlatform(seed=7) as facebook, FakeInstagram() as instagram, FakeYouTube() as youtube:
        with WebhookReceiver() as website:
            yield {"facebook": facebook, "instagram": instagram, "youtube": youtube, "website": website}


@pytest.fixture
def channel_env(settings, platforms):
    """The platforms' URLs, as the environment gives them to the settings of worker processes."""
    env = {
        "FACEBOOK_GRAPH_URL": platforms["facebook"].url,
        "INSTAGRAM_GRAPH_URL": platforms["instagram"].url,
        "YOUTUBE_API_URL": f"{platforms['youtube'].url}/youtube/v3",
        "YOUTUBE_UPLOAD_URL": f"{platforms['youtube'].url}/upload/youtube/v3",
        "GOOGLE_OAUTH_TOKEN_URL": f"{platforms['youtube'].url}/token",
        "YOUTUBE_CLIENT_ID": platforms["youtube"].client_id,
        "YOUTUBE_CLIENT_SECRET": platforms["youtube"].client_secret,
    }
    for name, value in env.items():
        setattr(settings, name, value)
    return env


@pytest.fixture
def live_accounts(transactional_db, platforms):
    def account(channel, external_id, token, **options):
        return ChannelAccount.objects.create(
            channel=channel,
            name=f"{channel} live",
            external_id=external_id,
            token=token,
            options=options,
            default_for_all_categories=True,
        )

    return {
        "facebook": account("facebook", "1001", "page-token"),
        "instagram": account("instagram", USER_ID, "ig-token", POLL_INTERVAL=0.05),
        "youtube": account("youtube", "UCsukamaju", REFRESH_TOKEN, CHUNK_SIZE=256 * 1024),
        "website": account("website", platforms["website"].url, SECRET),
    }


def settled(deliveries):
    def check():
        """every delivery has left pending/sending"""
        return not deliveries.filter(state__in=Delivery.ACTIVE_STATES).exists()

    return check


def test_demo_articles_reach_all_four_channels_and_follow_edits_and_withdrawal(
    platforms, channel_env, live_accounts, worker_process
):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # publishes the demo articles
    articles = list(ArticlePage.objects.live())
    news_index = articles[0].get_parent()
    document = Document.objects.create(title="Video posyandu", file=ContentFile(VIDEO_BYTES, name="posyandu.mp4"))
    video_news = news_index.add_child(
        instance=ArticlePage(title="Video: posyandu keliling", slug="video-posyandu", summary="Posyandu 🚐 hari ini.",
                             video_file=document, category=articles[0].category, source_unit=articles[0].source_unit,
                             live=False)
    )  # fmt: skip
    video_news.save_revision().publish()
    articles.append(video_news)
    worker_process(env=channel_env, threads=4)
    live = Delivery.objects.filter(account__in=live_accounts.values())
    wait_for(settled(live), timeout=90)

    by_channel = {channel: live.filter(account=account) for channel, account in live_accounts.items()}
    # The video news has no hero image: its Instagram post is held, not sent to be rejected.
    held = by_channel["instagram"].get(article=video_news)
    assert held.state == State.FAILED and "Instagram needs an image" in held.error_message
    problems = live.exclude(state__in=[State.DELIVERED, State.WAITING_FOR_STAFF]).exclude(pk=held.pk)
    assert not problems.exists(), list(problems.values("account__channel", "state", "error_message"))
    # Facebook and the website: every article; Instagram: every article with a hero image.
    assert len(platforms["facebook"].posts("1001")) == by_channel["facebook"].count() == len(articles)
    assert {d.external_url for d in by_channel["facebook"]} == {
        f"https://www.facebook.com/{post.id}" for post in platforms["facebook"].posts("1001")
    }
    with_image = [a for a in articles if a.hero_image_id]
    assert len(platforms["instagram"].media) == len(with_image) > 0
    assert by_channel["instagram"].filter(state=State.DELIVERED).count() == len(with_image)
    events = [_verified(received) for received in platforms["website"].received]
    assert sorted(e["article"]["id"] for e in events if e["event"] == "publish") == sorted(a.pk for a in articles)
    # YouTube: the video uploaded (bytes intact); the other articles wait for staff as community posts.
    [video] = platforms["youtube"].videos()
    assert video.data == VIDEO_BYTES and video.snippet["title"] == "Video: posyandu keliling"
    assert by_channel["youtube"].get(article=video_news).external_url.endswith(f"watch?v={video.id}")
    community = by_channel["youtube"].exclude(article=video_news)
    assert {(d.state, d.manual_task) for d in community} == {(State.WAITING_FOR_STAFF, Delivery.ManualTask.POST)}

    # Edits update Facebook, YouTube and the website, ask staff to correct Instagram, and prepare a
    # community post that is still waiting for staff again.
    video_news.summary = "Posyandu keliling diperpanjang sampai Jumat."
    video_news.save_revision().publish()
    wait_for(settled(live), timeout=60)
    assert platforms["youtube"].videos()[0].snippet["description"].startswith("Posyandu keliling diper")
    fb_post = by_channel["facebook"].get(article=video_news).external_id
    assert next(p for p in platforms["facebook"].posts("1001") if p.id == fb_post).message.startswith(
        "Posyandu keliling diperpanjang"
    )
    demo = articles[0]
    demo.summary += " (diperbarui)"
    demo.save_revision().publish()
    wait_for(settled(live), timeout=60)
    assert by_channel["instagram"].get(article=demo).manual_task == Delivery.ManualTask.CORRECT
    assert by_channel["youtube"].get(article=demo).payload["text"].startswith(demo.summary)  # prepared again

    # Unpublishing removes what the APIs can remove and leaves manual tasks for the rest.
    ArticlePage.objects.get(pk=video_news.pk).unpublish()
    wait_for(settled(live), timeout=60)
    assert fb_post not in {p.id for p in platforms["facebook"].posts("1001")}, list(
        live.filter(article=video_news).values("account__channel", "state", "operation", "error_message")
    )
    assert platforms["youtube"].videos()[0].status["privacyStatus"] == "private"
    assert by_channel["youtube"].get(article=video_news).state == State.RETRACTED
    assert _verified(platforms["website"].received[-1]) == {
        "event": "unpublish",
        "article": {"id": video_news.pk},
        "sent_at": json.loads(platforms["website"].received[-1].body)["sent_at"],
    }


def _verified(received) -> dict:
    timestamp = received.headers["X-Siar-Timestamp"]
    digest = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Siar-Signature"] == f"sha256={digest}", "bad signature"
    return json.loads(received.body)
