"""The engine, driven in-process: what publishing, editing, withdrawing and every kind of
platform answer do to deliveries. (Real worker processes are exercised in test_faults.py.)"""

import logging

import pytest
from django.db import connection

from channels.models import ArticleChannel, ChannelAccount, Delivery, OutboxMessage
from channels.transports.base import Delivered, Failure
from tests.conftest import PAGE_TOKEN
from workers import syndication
from workers.delivery import delivery_send

from .scripted import ScriptedTransport

State = Delivery.State
TOKEN = PAGE_TOKEN


@pytest.fixture
def scripted(settings):
    settings.SIAR_CHANNELS = {
        channel: {"TRANSPORT": "tests.workers.scripted.ScriptedTransport"}
        for channel in ("website", "facebook", "instagram", "youtube")
    }
    ScriptedTransport.reset()
    return ScriptedTransport


def delivery_of(article, account) -> Delivery:
    return Delivery.objects.get(article=article, account=account)


def send(delivery):
    return delivery_send(delivery_id=delivery.pk)


def expire_lease(delivery):
    """As if the attempt started long ago: its worker is surely gone."""
    from django.utils import timezone

    Delivery.objects.filter(pk=delivery.pk).update(attempt_started_at=timezone.now() - timezone.timedelta(hours=1))


def test_publishing_creates_one_delivery_per_chosen_account(make_article, facebook, instagram, category):
    other = ChannelAccount.objects.create(channel="youtube", name="YT", default_for_all_categories=True)
    switched_off = ChannelAccount.objects.create(channel="website", name="Web", default_for_all_categories=True)
    article = make_article(publish=False)
    ArticleChannel.objects.create(article=article, account=instagram, text_override="Caption IG")
    ArticleChannel.objects.create(article=article, account=switched_off, enabled=False)

    article.save_revision().publish()

    article.refresh_from_db()
    deliveries = Delivery.objects.filter(article=article)
    assert {d.account for d in deliveries} == {facebook, instagram, other}
    assert {d.state for d in deliveries} == {State.PENDING}
    assert all(d.revision_id == article.live_revision_id for d in deliveries)
    assert deliveries.get(account=facebook).events.get().source == "publish"


def test_messages_are_queued_after_commit_one_queue_per_channel(
    make_article, facebook, instagram, django_capture_on_commit_callbacks
):
    import dramatiq

    broker = dramatiq.get_broker()
    broker.flush_all()
    article = make_article(publish=False)
    ArticleChannel.objects.create(article=article, account=instagram)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.save_revision().publish()
    assert broker.client.hlen(f"{broker.namespace}:deliveries.facebook.msgs") == 0  # nothing before commit
    for callback in callbacks:
        callback()
    assert broker.client.hlen(f"{broker.namespace}:deliveries.facebook.msgs") == 1
    assert broker.client.hlen(f"{broker.namespace}:deliveries.instagram.msgs") == 1


def test_outbox_records_the_exact_request_and_labels_the_result(make_article, instagram, make_image):
    article = make_article(publish=False, hero_image=make_image(), hero_image_alt="Alt")
    ArticleChannel.objects.create(article=article, account=instagram, text_override="Teks khusus IG")
    article.save_revision().publish()
    delivery = delivery_of(article, instagram)

    assert send(delivery) is None

    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    message = OutboxMessage.objects.get()
    assert delivery.external_id == f"outbox:{message.pk}"
    assert delivery.external_url.endswith(f"/admin/outbox/{message.pk}/")
    assert message.request == delivery.payload
    assert message.request["text"].startswith("Teks khusus IG\n\n")  # then where to read more
    assert message.request["link"].startswith("http://127.0.0.1:8000/berita/")
    assert "utm_source=instagram" in message.request["link"]
    assert ".fill-1080x1080.format-jpeg" in message.request["image_url"]
    assert [e.to_state for e in delivery.events.all()] == [State.PENDING, State.SENDING, State.DELIVERED]
    assert "not published" in delivery.events.last().message


def test_a_duplicate_message_does_nothing(make_article, facebook, scripted):
    delivery = delivery_of(make_article(), facebook)
    send(delivery)
    send(delivery)
    assert [call[0] for call in scripted.calls] == ["send"]


def test_retryable_errors_back_off_then_fail_after_max_attempts(make_article, facebook, scripted, settings):
    settings.SIAR_DELIVERY = {"MAX_ATTEMPTS": 3, "BACKOFF_SECONDS": 10, "BACKOFF_MAX_SECONDS": 100}
    scripted.reset(*[Failure.retryable("HTTP 502")] * 3)
    delivery = delivery_of(make_article(), facebook)

    first_wait = send(delivery)
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING
    assert 5 <= first_wait <= 10  # full jitter in [base/2, base]
    assert delivery.next_attempt_at is not None
    assert send(delivery) is None, "an early message must not run before next_attempt_at"

    for _ in range(2):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        send(delivery)
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED
    assert delivery.attempts == 3
    assert "gave up after 3 attempts" in delivery.events.last().message
    assert [call[0] for call in scripted.calls if call[0] != "lookup"] == ["send"] * 3


def test_rate_limit_waits_as_long_as_the_platform_says(make_article, facebook, scripted):
    scripted.reset(Failure.rate_limited("Page request limit reached", retry_after=120))
    delivery = delivery_of(make_article(), facebook)
    assert send(delivery) == 120
    delivery.refresh_from_db()
    assert delivery.error_kind == "rate_limited"


def test_auth_failure_disconnects_the_account_and_others_wait(make_article, facebook, scripted):
    scripted.reset(Failure.auth("Error validating access token: session has expired"))
    first, second = delivery_of(make_article(), facebook), delivery_of(make_article(), facebook)

    send(first)
    send(second)

    facebook.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert facebook.status == ChannelAccount.Status.DISCONNECTED
    assert first.state == second.state == State.NEEDS_ATTENTION
    assert "Reconnect" in first.fix_hint
    assert second.attempts == 0, "a delivery waiting for its account must not burn attempts"
    assert len(scripted.calls) == 1

    assert syndication.account_reconnected(account=facebook) == 2
    first.refresh_from_db()
    assert first.state == State.PENDING
    send(first)
    first.refresh_from_db()
    assert first.state == State.DELIVERED


def test_rejected_content_fails_with_the_platforms_message_and_a_hint(make_article, facebook, scripted):
    scripted.reset(Failure.rejected("(#100) Invalid parameter", hint="Check the link."))
    delivery = delivery_of(make_article(), facebook)
    assert send(delivery) is None
    delivery.refresh_from_db()
    assert (delivery.state, delivery.error_message, delivery.fix_hint) == (
        State.FAILED,
        "(#100) Invalid parameter",
        "Check the link.",
    )


def test_an_interrupted_attempt_is_reconciled_not_posted_twice(make_article, facebook, scripted):
    delivery = delivery_of(make_article(), facebook)

    # Simulate a worker that marked the delivery sending, posted, and died before recording.
    from workers.delivery import _begin

    attempt = _begin(delivery.pk)
    expire_lease(delivery)
    scripted.reset()
    scripted.found = Delivered(external_id="123_99", external_url="https://facebook.com/123_99")

    send(delivery)

    delivery.refresh_from_db()
    assert delivery.external_id == "123_99"
    assert [call[0] for call in scripted.calls] == ["lookup"]
    assert scripted.calls[0][2] == str(attempt.attempt_key)
    assert delivery.attempts == 1
    # The adopted post may show an older version of the article: it is brought up to date.
    assert (delivery.state, delivery.operation) == (State.PENDING, "edit")
    send(delivery)
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED and [call[0] for call in scripted.calls] == ["lookup", "edit"]


def test_an_interrupted_attempt_with_nothing_found_is_sent_again_with_the_same_key(make_article, facebook, scripted):
    from workers.delivery import _begin

    delivery = delivery_of(make_article(), facebook)
    _begin(delivery.pk)
    expire_lease(delivery)
    send(delivery)
    assert [call[0] for call in scripted.calls] == ["lookup", "send"]
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED


def test_editing_after_publish_edits_the_post_and_never_reposts(make_article, facebook, scripted):
    article = make_article()
    delivery = delivery_of(article, facebook)
    send(delivery)

    article.summary = "Ringkasan baru."
    article.save_revision().publish()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.operation) == (State.PENDING, "edit")
    send(delivery)

    assert [call[0] for call in scripted.calls] == ["send", "edit"]
    assert scripted.calls[1][2:] == ("post-1", "Ringkasan baru.")
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    assert Delivery.objects.filter(article=article).count() == 1


def test_editing_where_the_platform_cannot_edit_asks_staff(make_article, facebook, scripted):
    scripted.reset(edit=False)
    article = make_article()
    delivery = delivery_of(article, facebook)
    send(delivery)
    article.save_revision().publish()
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    assert delivery.manual_task == Delivery.ManualTask.CORRECT
    assert [call[0] for call in scripted.calls] == ["send"]


def test_unpublishing_retracts_or_asks_staff(make_article, facebook, instagram, scripted):
    article = make_article(publish=False)
    ArticleChannel.objects.create(article=article, account=instagram)
    article.save_revision().publish()
    posted, never_sent = delivery_of(article, facebook), delivery_of(article, instagram)
    send(posted)

    article.refresh_from_db()
    article.unpublish()

    never_sent.refresh_from_db()
    assert never_sent.state == State.RETRACTED
    posted.refresh_from_db()
    assert (posted.state, posted.operation) == (State.PENDING, "retract")
    send(posted)
    posted.refresh_from_db()
    assert posted.state == State.RETRACTED
    assert scripted.calls[-1][:3] == ("retract", facebook.pk, "post-1")


def test_unpublishing_where_the_platform_cannot_delete_makes_a_manual_task(make_article, facebook, scripted):
    scripted.reset(retract=False)
    article = make_article()
    delivery = delivery_of(article, facebook)
    send(delivery)
    article.unpublish()
    delivery.refresh_from_db()
    assert delivery.manual_task == Delivery.ManualTask.RETRACT


def test_deleting_an_article_keeps_its_delivery_history(make_article, facebook, scripted):
    article = make_article()
    delivery = delivery_of(article, facebook)
    send(delivery)
    article.delete()
    delivery.refresh_from_db()
    assert delivery.article_id is None
    assert delivery.article_title == article.title
    assert delivery.operation == "retract"
    send(delivery)
    delivery.refresh_from_db()
    assert delivery.state == State.RETRACTED


def test_resend_is_explicit(make_article, facebook, scripted):
    article = make_article()
    delivery = delivery_of(article, facebook)
    send(delivery)
    assert syndication.delivery_retry(delivery=delivery, source="admin")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.operation) == (State.PENDING, "post")
    assert delivery.events.last().source == "admin"
    assert not syndication.delivery_retry(delivery=delivery), "a pending delivery is not retried twice"


def test_a_crashing_transport_is_recorded_and_retried(make_article, facebook, scripted, monkeypatch):
    def explode(self, post, *, attempt_key):
        raise ValueError("boom")

    monkeypatch.setattr(ScriptedTransport, "send", explode)
    delivery = delivery_of(make_article(), facebook)
    assert send(delivery) is not None
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING
    assert "ValueError: boom" in delivery.error_message


def test_tokens_are_encrypted_at_rest_and_never_logged(make_article, facebook, scripted, caplog):
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM siar_channels_channelaccount WHERE id = %s", [facebook.pk])
        stored = cursor.fetchone()[0]
    assert TOKEN not in stored
    assert ChannelAccount.objects.get(pk=facebook.pk).token == TOKEN

    caplog.set_level(logging.DEBUG)
    scripted.reset(Failure.auth("token expired"))
    send(delivery_of(make_article(), facebook))
    assert TOKEN not in caplog.text


class _Message:
    def __init__(self, message_id):
        self.message_id = message_id


def _as_message(message_id):
    from dramatiq.middleware import CurrentMessage

    return CurrentMessage._MESSAGE.set(_Message(message_id))


def test_another_message_leaves_an_attempt_in_flight_alone(make_article, facebook, scripted):
    from dramatiq.middleware import CurrentMessage

    from workers.delivery import _begin

    delivery = delivery_of(make_article(), facebook)
    token = _as_message("message-a")
    _begin(delivery.pk)  # message A is posting...
    CurrentMessage._MESSAGE.reset(token)

    token = _as_message("message-b")  # ...when a duplicate message B arrives
    assert send(delivery) is None
    CurrentMessage._MESSAGE.reset(token)
    assert scripted.calls == []

    token = _as_message("message-a")  # A's own redelivery waits for the lease to end...
    assert 0 < send(delivery) <= 8
    assert scripted.calls == []
    expire_lease(delivery)
    token_later = _as_message("message-c")  # ...and the message it queued then reconciles
    send(delivery)
    CurrentMessage._MESSAGE.reset(token_later)
    CurrentMessage._MESSAGE.reset(token)
    assert [call[0] for call in scripted.calls] == ["lookup", "send"]


def test_overdue_pending_deliveries_are_queued_again(make_article, facebook):
    import dramatiq
    from django.utils import timezone

    broker = dramatiq.get_broker()
    delivery = delivery_of(make_article(), facebook)
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=timezone.now() - timezone.timedelta(minutes=10))
    fresh = delivery_of(make_article(), facebook)
    broker.flush_all()

    assert syndication.deliveries_requeue_due() == 1
    assert broker.client.hlen(f"{broker.namespace}:deliveries.facebook.msgs") == 1
    assert fresh.state == State.PENDING


def test_an_abandoned_attempt_is_swept_after_its_lease(make_article, facebook, scripted):
    import dramatiq

    from workers.delivery import _begin

    broker = dramatiq.get_broker()
    delivery = delivery_of(make_article(), facebook)
    _begin(delivery.pk)  # its message is lost: nothing will redeliver it
    broker.flush_all()
    assert syndication.deliveries_requeue_due() == 0, "a leased attempt is left alone"
    expire_lease(delivery)
    assert syndication.deliveries_requeue_due() == 1
    send(delivery)
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    assert [call[0] for call in scripted.calls] == ["lookup", "send"]
