"""What editors and staff see of the channels' rules: the channel preview, posts held for a broken
rule, and posts made by hand where a platform has no API (YouTube community posts)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from channels.models import ArticleChannel, ChannelAccount, Delivery, OutboxMessage
from tests.fakes.platform import FakePlatform, Response
from workers.delivery import delivery_send

from .test_admin import edit_url, login

State = Delivery.State


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaktur", "redaktur@example.invalid", "pw")
    return login(client, user)


@pytest.fixture
def instagram_outbox(db, category):
    account = ChannelAccount.objects.create(channel="instagram", name="IG Pemkab", external_id="ig1")
    account.default_categories.add(category)
    return account


@pytest.fixture
def youtube(db, category):
    account = ChannelAccount.objects.create(channel="youtube", name="YT Pemkab", external_id="UC1", token="refresh")
    account.default_categories.add(category)
    return account


def only_delivery(article, account) -> Delivery:
    delivery = Delivery.objects.get(article=article, account=account)
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


# --- posts that break a rule are held -------------------------------------------------------


def test_a_post_that_breaks_a_rule_is_held_as_failed_with_the_reason(make_article, instagram_outbox):
    article = make_article()  # no hero image: Instagram cannot post it

    delivery = only_delivery(article, instagram_outbox)

    assert delivery.state == State.FAILED and delivery.error_kind == Delivery.ErrorKind.REJECTED
    assert delivery.error_message.startswith("Not sent: Instagram needs an image")
    assert "Syndication tab" in delivery.fix_hint
    assert not OutboxMessage.objects.exists()  # nothing went out
    assert delivery.payload["problems"]  # what was checked is kept with the delivery


def test_the_same_article_with_an_image_is_sent(make_article, make_image, instagram_outbox):
    article = make_article(hero_image=make_image(), hero_image_alt="Foto pasar")

    delivery = only_delivery(article, instagram_outbox)

    assert delivery.state == State.DELIVERED and OutboxMessage.objects.count() == 1


# --- rate limits wait without using up attempts ---------------------------------------------


def test_rate_limits_do_not_use_up_attempts(settings, make_article, facebook):
    settings.SIAR_DELIVERY = {**settings.SIAR_DELIVERY, "MAX_ATTEMPTS": 2}
    with FakePlatform() as platform:
        settings.SIAR_CHANNELS = {"facebook": {"OPTIONS": {"BASE_URL": platform.url}}}
        for _ in range(3):
            platform.respond_next(platform.error(429, "(#4) Application request limit reached", 4,
                                                 headers={"Retry-After": "0.01"}))  # fmt: skip
        platform.respond_next(Response(502, b"<html>Bad gateway</html>", "text/html"))
        article = make_article()
        delivery = Delivery.objects.get(article=article, account=facebook)

        for _ in range(4):  # three rate limits, then one temporary failure
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
            ChannelAccount.objects.filter(pk=facebook.pk).update(rate_limited_until=None)
            delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == State.PENDING, delivery.error_message  # one attempt of two used, not four
    assert (delivery.attempts, delivery.error_kind) == (1, Delivery.ErrorKind.RETRYABLE)


def test_a_lookup_refused_for_a_revoked_token_disconnects_the_account(settings, make_article, facebook):
    with FakePlatform() as platform:
        settings.SIAR_CHANNELS = {"facebook": {"OPTIONS": {"BASE_URL": platform.url}}}
        platform.lose_next_answer()  # the post is made but its answer lost: the retry must look it up
        article = make_article()
        delivery = only_delivery(article, facebook)
        platform.revoke(facebook.token)
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)

        delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.error_kind) == (State.NEEDS_ATTENTION, Delivery.ErrorKind.AUTH)
    assert "could not list the Page's posts" in delivery.error_message


def test_an_edit_between_a_lost_answer_and_the_retry_does_not_post_twice(settings, make_article, facebook):
    with FakePlatform() as platform:
        settings.SIAR_CHANNELS = {"facebook": {"OPTIONS": {"BASE_URL": platform.url}}}
        platform.lose_next_answer()
        article = make_article(summary="Versi pertama.")
        delivery = only_delivery(article, facebook)
        assert delivery.state == State.PENDING  # the answer was lost: unsure whether it posted
        article.summary = "Versi kedua, sudah diperbaiki."
        article.save_revision().publish()
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)

        delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        if delivery.state == State.PENDING:  # adopted the first post; the edit follows
            delivery_send(delivery_id=delivery.pk)

        [post] = platform.posts()
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED and delivery.external_id == post.id
    assert post.message.startswith("Versi kedua")


def test_a_held_post_is_sent_once_the_article_is_fixed(make_article, make_image, instagram_outbox):
    article = make_article()
    assert only_delivery(article, instagram_outbox).state == State.FAILED  # held: no image

    article.hero_image, article.hero_image_alt = make_image(), "Foto"
    article.save_revision().publish()

    assert only_delivery(article, instagram_outbox).state == State.DELIVERED


# --- YouTube community posts are made by hand -------------------------------------------------


def test_a_community_post_waits_for_staff_who_post_it_by_hand(staff, make_article, make_image, youtube):
    article = make_article(hero_image=make_image(), hero_image_alt="Foto", summary="Posyandu keliling 🚐 hari ini.")

    delivery = only_delivery(article, youtube)

    assert (delivery.state, delivery.manual_task) == (State.WAITING_FOR_STAFF, Delivery.ManualTask.POST)
    page_url = reverse("siar_syndication:post_by_hand", args=[delivery.pk])
    assert page_url in staff.get(edit_url(article)).content.decode()  # offered on the Syndication tab

    page = staff.get(page_url).content.decode()
    assert "Posyandu keliling 🚐 hari ini." in page and 'data-controller="w-clipboard"' in page
    assert delivery.payload["image_url"] in page

    invalid = staff.post(page_url, {"url": "not a url"})
    assert invalid.status_code == 200 and Delivery.objects.get(pk=delivery.pk).state == State.WAITING_FOR_STAFF

    staff.post(page_url, {"url": "https://www.youtube.com/post/UgkxAbc"})

    delivery.refresh_from_db()
    assert (delivery.state, delivery.manual_task) == (State.DELIVERED, "")
    assert delivery.external_url == "https://www.youtube.com/post/UgkxAbc"
    assert delivery.events.latest("pk").message == "posted by hand: https://www.youtube.com/post/UgkxAbc"


def test_a_community_post_is_for_staff_even_on_an_account_without_a_token(make_article, category):
    account = ChannelAccount.objects.create(channel="youtube", name="YT demo", external_id="UC2")  # outbox
    account.default_categories.add(category)
    article = make_article()

    delivery = only_delivery(article, account)

    assert (delivery.state, delivery.manual_task) == (State.WAITING_FOR_STAFF, Delivery.ManualTask.POST)
    assert not OutboxMessage.objects.exists()


def test_only_deliveries_waiting_for_a_hand_post_can_be_marked_posted(staff, make_article, facebook):
    article = make_article()
    delivery = Delivery.objects.get(article=article, account=facebook)

    staff.post(reverse("siar_syndication:post_by_hand", args=[delivery.pk]), {"url": "https://x.example/1"})

    delivery.refresh_from_db()
    assert delivery.external_url == ""


# --- the editor's channel preview -----------------------------------------------------------


def test_syndication_tab_previews_each_channel_with_counters_and_problems(
    staff, make_article, facebook, instagram_outbox
):
    article = make_article(summary="Pasar murah di lima kecamatan.", tags=["ekonomi"])
    ArticleChannel.objects.create(article=article, account=facebook, text_override="Teks khusus Facebook")
    article.save_revision()

    html = staff.get(edit_url(article)).content.decode()

    assert 'data-channel="facebook"' in html and 'data-channel="instagram"' in html
    assert "Teks khusus Facebook" in html and "#Ekonomi" in html
    assert 'data-limit="caption"' in html and "Instagram needs an image" in html
    assert "Will not be sent until fixed" in html


def test_live_preview_mode_shows_the_unsaved_text(rf_user, make_article, facebook):
    article = make_article(summary="Versi tersimpan.")
    article.summary = "Versi yang sedang diketik 🙂"  # unsaved, as Wagtail's live preview passes it

    assert [name for name, _label in article.preview_modes] == ["", "channels"]
    html = article.serve_preview(rf_user, "channels").content.decode()

    assert "Versi yang sedang diketik 🙂" in html and "Versi tersimpan." not in html


def test_live_preview_speaks_the_editors_admin_language(rf_user, make_article, instagram_outbox):
    article = make_article()
    for language, words in (("en", "This account"), ("id", "Akun ini")):
        login_language(rf_user.user, language)

        html = article.serve_preview(rf_user, "channels").content.decode()

        assert f'<html lang="{language}">' in html and words in html


def login_language(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def rf_user(django_user_model):
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_superuser("pratinjau", "p@example.invalid", "pw")
    return request


def test_partner_webhooks_appear_in_the_preview_of_articles_they_receive(rf_user, make_article, settings):
    from channels.models import Partner

    settings.LANGUAGE_CODE = "en"
    Partner.objects.create(name="KIM Maju", slug="kim-maju", webhook_url="https://kim.example/hook")
    html = make_article(title="Posyandu").serve_preview(rf_user, "channels").content.decode()

    assert 'data-channel="partners"' in html and "The partner's webhook receives the article" in html
