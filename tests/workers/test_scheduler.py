"""Periodic work without cron: the scheduler sends jobs, workers do them."""

import time
from datetime import timedelta
from io import StringIO

import dramatiq
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from channels.models import ChannelAccount, FeedFetch, OutboxMessage
from hub.models import ArticlePage
from workers import periodic

from .conftest import wait_for


def scheduler(*args) -> str:
    out = StringIO()
    call_command("scheduler", *args, stdout=out)
    return out.getvalue()


def schedule(article: ArticlePage, go_live_at):
    """Publish with a go-live time: Wagtail keeps it as a scheduled revision."""
    article.go_live_at = go_live_at
    revision = article.save_revision()
    revision.publish()
    return revision


@pytest.mark.django_db
def test_once_sends_every_active_job_and_a_second_scheduler_does_not_double_it():
    broker = dramatiq.get_broker()
    broker.flush_all()
    messages = f"{broker.namespace}:periodic.msgs"

    assert "publish_scheduled" in scheduler("--list")
    sent = "Sent: publish_scheduled, pickups_flush, views_flush, intake_poll, token_expiry, prune_logs"
    assert scheduler("--once").startswith(sent)
    assert broker.client.hlen(messages) == 6
    assert scheduler("--once") == "Sent: nothing.\n"  # the same tick, from another scheduler
    assert broker.client.hlen(messages) == 6
    broker.flush_all()


@pytest.mark.django_db
def test_publish_scheduled_pages_publishes_what_is_due(make_article):
    article = make_article(publish=False)
    revision = schedule(article, timezone.now() + timedelta(seconds=1.5))
    periodic.publish_scheduled_pages()  # not due yet
    article.refresh_from_db()
    assert not article.live and revision.approved_go_live_at

    time.sleep(2)
    periodic.publish_scheduled_pages()
    article.refresh_from_db()
    assert article.live


def test_a_scheduled_article_goes_live_with_the_scheduler_and_a_worker_running(worker_process, make_article):
    """The issue's check: scheduled publication happens without cron."""
    article = make_article(publish=False)
    schedule(article, timezone.now() + timedelta(seconds=3))
    worker_process()
    worker_process(command=("scheduler",), env={"SIAR_SCHEDULE_PUBLISH_SECONDS": "1"})

    wait_for(lambda: ArticlePage.objects.get(pk=article.pk).live, timeout=60)


@pytest.mark.django_db
def test_channel_managers_are_warned_once_about_an_expiring_token(django_user_model, settings):
    from django.contrib.auth.models import Group

    settings.SIAR_TOKEN_EXPIRY_WARNING_DAYS = 7
    manager = django_user_model.objects.create_user("kominfo", email="kanal@sukamaju.go.id")
    manager.groups.add(Group.objects.get_or_create(name=periodic.CHANNEL_MANAGERS_GROUP)[0])
    django_user_model.objects.create_superuser("root", email="root@sukamaju.go.id", password="x")
    soon = ChannelAccount.objects.create(
        channel="facebook", name="FB", token="t", token_expires_at=timezone.now() + timedelta(days=3)
    )
    ChannelAccount.objects.create(
        channel="instagram", name="IG", token="t", token_expires_at=timezone.now() + timedelta(days=30)
    )
    from django.core.cache import cache

    cache.delete_many([f"token-expiry-warned:{soon.pk}:{soon.token_expires_at:%Y%m%d%H%M}"])

    assert periodic.token_expiry_warn() == [soon]
    assert periodic.token_expiry_warn() == []  # once per expiry
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kanal@sukamaju.go.id"]
    assert "FB" in mail.outbox[0].body and "IG" not in mail.outbox[0].body


@pytest.mark.django_db
def test_old_logs_are_pruned(settings):
    settings.SIAR_RETENTION_DAYS = {"feed_fetches": 30, "outbox": 10}
    now = timezone.now()
    for days in (40, 5):
        FeedFetch.objects.create(feed="public", fetched_at=now - timedelta(days=days), format="rss", status=200)
    account = ChannelAccount.objects.create(channel="facebook", name="FB")
    old = OutboxMessage.objects.create(account=account, operation="post", request={})
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=11))
    OutboxMessage.objects.create(account=account, operation="post", request={})

    assert periodic.logs_prune() == {"feed_fetches": 1, "outbox": 1}
    assert FeedFetch.objects.count() == 1 and OutboxMessage.objects.count() == 1
