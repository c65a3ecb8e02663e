"""Per-channel timing: an editor delays a channel after publication, or sets its time."""

from datetime import timedelta
from io import StringIO

import dramatiq
import pytest
from django.core.management import call_command
from django.utils import timezone

from channels.models import ArticleChannel, ChannelAccount, Delivery
from workers.delivery import delivery_send

pytestmark = pytest.mark.django_db


def test_a_delayed_channel_waits_visibly_then_sends(make_article, facebook, django_capture_on_commit_callbacks):
    broker = dramatiq.get_broker()
    broker.flush_all()
    portal = ChannelAccount.objects.create(channel="website", name="Portal (outbox)")  # no token: the outbox
    article = make_article(publish=False)
    ArticleChannel.objects.create(article=article, account=portal, delay_minutes=120)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    later = Delivery.objects.get(article=article, account=portal)
    now_ = Delivery.objects.get(article=article, account=facebook)
    assert later.is_scheduled and not now_.is_scheduled
    assert timedelta(minutes=119) < later.next_attempt_at - timezone.now() <= timedelta(minutes=120)
    assert "scheduled for" in later.events.get().message
    assert broker.client.hlen(f"{broker.namespace}:deliveries.website.DQ.msgs") == 1  # a delayed message
    assert broker.client.hlen(f"{broker.namespace}:deliveries.facebook.msgs") == 1

    assert delivery_send(delivery_id=later.pk) is None  # too early: nothing sent
    later.refresh_from_db()
    assert later.state == Delivery.State.PENDING and later.attempts == 0

    out = StringIO()
    call_command("deliveries", "--channel", "website", stdout=out)
    assert "scheduled for" in out.getvalue()

    Delivery.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    delivery_send(delivery_id=later.pk)
    later.refresh_from_db()
    assert later.state == Delivery.State.DELIVERED, later.error_message
    broker.flush_all()


def test_a_set_time_wins_over_an_earlier_delay_and_a_past_time_sends_now(make_article, facebook):
    article = make_article(publish=False)
    at = timezone.now() + timedelta(hours=5)
    choice = ArticleChannel.objects.create(article=article, account=facebook, delay_minutes=30, send_at=at)
    assert choice.send_time(timezone.now()) == at
    choice.send_at = timezone.now() - timedelta(hours=1)
    assert choice.send_time(now := timezone.now()) == now + timedelta(minutes=30)
    choice.delay_minutes = None
    assert choice.send_time(now) == now
