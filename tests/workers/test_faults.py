"""Faults with real pieces: worker processes, Redis, and the fake platform over HTTP.

Workers run ``tests.settings_fake_platform``: every account with a token posts to the fake
platform (tests/fakes/platform.py) through the real Facebook adapter and transport. A killed worker's
messages come back after the broker's heartbeat timeout (3 s in test settings).
"""

import os
import signal
from datetime import timedelta

import dramatiq
import pytest
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker

from channels.models import Channel, ChannelAccount, Delivery
from tests.fakes.config import fake_channels
from tests.fakes.platform import FakePlatform
from tests.fakes.redis_server import RedisServer
from workers import syndication
from workers.queueing import DELIVER_ACTORS, queue_name

from .conftest import wait_for

State = Delivery.State
SOCIAL = (Channel.FACEBOOK, Channel.INSTAGRAM, Channel.YOUTUBE)


@pytest.fixture
def fake_platform(settings):
    dramatiq.get_broker().flush_all()  # no stale message of an earlier test reaches these workers
    with FakePlatform(seed=2024) as platform:
        settings.SIAR_CHANNELS = fake_channels(platform.url)
        yield platform


@pytest.fixture
def platform_worker(worker_process, fake_platform):
    """Start a worker whose accounts with tokens post to the fake platform."""

    def start(*, redis_url: str = "", max_attempts: int = 0, threads: int = 2):
        env = {"DJANGO_SETTINGS_MODULE": "tests.settings_fake_platform", "FAKE_PLATFORM_URL": fake_platform.url}
        if redis_url:
            env["REDIS_URL"] = redis_url
        if max_attempts:
            env["SIAR_DELIVERY_MAX_ATTEMPTS"] = str(max_attempts)
        return worker_process(env=env, threads=threads)

    yield start
    fake_platform.stop()  # open any held request first, so the workers stop promptly


@pytest.fixture
def make_account(db):
    """A connected account with a token (so it uses the fake platform) that gets every article."""

    def factory(channel: str, external_id: str = "", **options) -> ChannelAccount:
        external_id = external_id or f"{channel}-page"
        return ChannelAccount.objects.create(
            channel=channel,
            name=f"Akun {external_id}",
            external_id=external_id,
            token=f"token-{external_id}",
            options=options,
            default_for_all_categories=True,
        )

    return factory


def settled(deliveries):
    """A wait_for predicate: every delivery has left pending/sending."""

    def predicate():
        states = dict(deliveries.values_list("pk", "state"))
        predicate.__doc__ = f"every delivery settled; last seen {states}"  # wait_for's failure message
        return bool(states) and not set(states.values()) & set(Delivery.ACTIVE_STATES)

    return predicate


# --- a worker killed after the platform stored the post ----------------------------------


def test_worker_killed_after_the_platform_stored_the_post_posts_once(
    make_article, make_account, fake_platform, platform_worker
):
    account = make_account(Channel.FACEBOOK, "page-kill")
    hold = fake_platform.hold_next_post("page-kill")
    article = make_article()
    deliveries = Delivery.objects.filter(article=article)
    delivery = deliveries.get(account=account)
    first = platform_worker()

    assert hold.wait_held(timeout=30), "the worker never reached the platform"
    delivery.refresh_from_db()
    assert delivery.state == State.SENDING
    os.killpg(first.pid, signal.SIGKILL)  # the platform stored the post; the worker never hears back
    first.wait(timeout=10)
    hold.release()
    platform_worker()
    wait_for(settled(deliveries), timeout=40)

    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED, delivery.error_message
    # Adopted, then edited to the current version (the adopted post could be of an older one).
    assert (delivery.external_id, delivery.attempts, delivery.operation) == (hold.post.id, 2, "edit")
    assert fake_platform.posts_per_link() == {hold.post.link: 1}
    requests = fake_platform.requests
    assert [r.method for r in requests if r.path == "/page-kill/feed"].count("POST") == 1
    assert any(r.method == "GET" for r in requests), "the new worker never looked the post up"
    events = list(delivery.events.values_list("to_state", "message"))
    assert [state for state, _ in events] == [State.PENDING, State.SENDING, State.PENDING, State.SENDING,
                                              State.DELIVERED]  # fmt: skip
    assert any(word in events[2][1].lower() for word in ("adopt", "reconcil")), events


# --- a Redis restart while messages wait in the queues ------------------------------------


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server with an fsynced append-only file, on a socket in tmp_path."""
    with RedisServer(tmp_path / "redis", persistent=True) as server:
        yield server


@pytest.fixture
def broker_on_own_redis(own_redis):
    """This process's broker and actors point at own_redis for the test, then back."""
    import workers.actors  # noqa: F401  (imported lazily elsewhere: it must not bind to the test's broker)

    previous = dramatiq.get_broker()
    broker = RedisBroker(url=own_redis.url, namespace=previous.namespace, heartbeat_timeout=previous.heartbeat_timeout)
    for actor in previous.actors.values():
        actor.broker = broker
    dramatiq.set_broker(broker)
    yield broker
    dramatiq.set_broker(previous)
    for actor in [*previous.actors.values(), *broker.actors.values()]:  # incl. any declared meanwhile
        actor.broker = previous
        if actor.actor_name not in previous.actors:
            previous.declare_actor(actor)
    broker.client.connection_pool.disconnect()


def queued_deliveries(server: RedisServer, namespace: str) -> int:
    """Messages stored for the deliver_<channel> actors (queued or delayed, not yet acked)."""
    client = server.client()
    return sum(
        client.hlen(f"{namespace}:deliveries.{channel}{suffix}.msgs")
        for channel in Channel.values
        for suffix in ("", ".DQ")
    )


def test_messages_queued_before_a_redis_restart_are_all_delivered(
    own_redis, broker_on_own_redis, make_article, make_account, fake_platform, platform_worker
):
    accounts = [make_account(channel) for channel in SOCIAL]
    articles = [make_article() for _ in range(4)]
    deliveries = Delivery.objects.filter(article__in=articles)
    assert deliveries.filter(state=State.PENDING).count() == len(accounts) * len(articles) == 12
    assert queued_deliveries(own_redis, broker_on_own_redis.namespace) == 12

    own_redis.restart()
    assert queued_deliveries(own_redis, broker_on_own_redis.namespace) == 12, "the restart lost messages"
    platform_worker(redis_url=own_redis.url)
    wait_for(settled(deliveries), timeout=40)

    assert set(deliveries.values_list("state", flat=True)) == {State.DELIVERED}
    for account in accounts:
        links = {d.payload["link"]: 1 for d in deliveries.filter(account=account)}
        assert len(links) == len(articles)
        assert fake_platform.posts_per_link(account.external_id) == links
    assert queued_deliveries(own_redis, broker_on_own_redis.namespace) == 0


# --- a flaky, rate-limiting platform -------------------------------------------------------


def test_flaky_rate_limiting_platform_gets_everything_once_without_hammering(
    make_article, make_account, fake_platform, platform_worker
):
    fake_platform.error_rate, fake_platform.rate_limit_rate, fake_platform.retry_after = 0.3, 0.1, 1.0
    accounts = [make_account(channel) for channel in SOCIAL]
    articles = [make_article() for _ in range(6)]
    deliveries = Delivery.objects.filter(article__in=articles)
    platform_worker(max_attempts=30, threads=4)
    wait_for(settled(deliveries), timeout=50)

    states = dict(deliveries.values_list("pk", "state"))
    assert set(states.values()) == {State.DELIVERED}, deliveries.exclude(state=State.DELIVERED).values(
        "pk", "state", "attempts", "error_message"
    )
    for account in accounts:
        links = {d.payload["link"]: 1 for d in deliveries.filter(account=account)}
        assert fake_platform.posts_per_link(account.external_id) == links
    requests = fake_platform.requests
    statuses = [r.status for r in requests]
    assert 429 in statuses and ({500, 502} & set(statuses)), "the platform injected no faults: the test proves nothing"
    # No busy loop: an attempt makes one post (and at most one lookup), and attempts stay few.
    attempts = sum(deliveries.values_list("attempts", flat=True))
    assert sum(r.method == "POST" for r in requests) <= attempts and len(requests) <= 2 * attempts
    assert attempts < 4 * len(states)
    # The same post is not retried before Retry-After has passed (lookups carry no link to tell).
    for limit in (r for r in requests if r.status == 429 and r.method == "POST"):
        later = [
            r
            for r in requests
            if r.account_id == limit.account_id
            and r.params.get("link") == limit.params.get("link")
            and r.received_at > limit.received_at
        ]
        assert later and later[0].received_at >= limit.answered_at + limit.retry_after - 0.02, (limit, later[:1])


# --- another message while the first attempt is still running -----------------------------


def _another_message(broker, account, delivery_id, queue_messages):
    """Another message for the same delivery arrives while the first attempt runs (e.g. the
    sweeper picked the delivery up as overdue just before its own message started it)."""
    DELIVER_ACTORS[account.channel].send(delivery_id)


def _same_message_again(broker, account, delivery_id, queue_messages):
    """What Redis maintenance does when a live worker's heartbeats stop reaching Redis for longer
    than heartbeat_timeout (a network partition, a paused VM): the unacked message goes back."""
    [in_flight] = broker.client.hvals(queue_messages)
    broker.enqueue(Message.decode(in_flight))  # same message id, new copy


@pytest.mark.parametrize("inject", [_another_message, _same_message_again], ids=["another", "same-again"])
def test_a_second_message_during_a_slow_post_does_not_post_twice(
    inject, make_article, make_account, fake_platform, platform_worker
):
    account = make_account(Channel.FACEBOOK, "page-slow", TIMEOUT=120)  # the held post never times out
    hold = fake_platform.hold_next_post("page-slow", before_store=True)  # the platform is slow to store it
    deliveries = Delivery.objects.filter(article=make_article())
    platform_worker(threads=2)
    assert hold.wait_held(timeout=30), "the worker never reached the platform"

    broker = dramatiq.get_broker()
    messages = f"{broker.namespace}:{queue_name(account.channel)}.msgs"
    inject(broker, account, deliveries.get().pk, messages)

    def second_message_handled():
        """the second message was processed and acked (only the held one is left)"""
        return broker.client.hlen(messages) == 1

    wait_for(second_message_handled, timeout=20)
    hold.release()
    assert fake_platform.wait_idle(timeout=10), "the held request was never answered"
    wait_for(settled(deliveries), timeout=30)

    delivery = deliveries.get()
    assert delivery.state == State.DELIVERED, delivery.error_message
    assert fake_platform.posts_per_link() == {delivery.payload["link"]: 1}


# --- engine gaps these tests found (now fixed) --------------------------------------------


def test_a_post_whose_answer_was_lost_is_not_posted_again(make_article, make_account, fake_platform, platform_worker):
    make_account(Channel.FACEBOOK, "page-lost")
    fake_platform.lose_next_answer("page-lost")  # stored, but the gateway answers 502
    deliveries = Delivery.objects.filter(article=make_article())
    platform_worker()
    wait_for(settled(deliveries), timeout=30)

    delivery = deliveries.get()
    assert delivery.state == State.DELIVERED, delivery.error_message
    assert fake_platform.posts_per_link() == {delivery.payload["link"]: 1}


def test_retry_after_holds_back_the_whole_account(make_article, make_account, fake_platform, platform_worker):
    make_account(Channel.FACEBOOK)
    limit = fake_platform.error(429, "(#32) Page request limit reached", 32, headers={"Retry-After": "2"})
    fake_platform.respond_next(limit)  # the first request; the platform answers everything else
    articles = [make_article() for _ in range(4)]
    deliveries = Delivery.objects.filter(article__in=articles)
    platform_worker(threads=1)
    wait_for(settled(deliveries), timeout=30)

    assert set(deliveries.values_list("state", flat=True)) == {State.DELIVERED}
    assert fake_platform.requests[0].status == 429
    early = fake_platform.early_requests()  # one worker thread: no request is ever on its way already
    assert not early, f"{len(early)} request(s) reached the rate-limited account before Retry-After"


def test_publishing_while_redis_is_down_leaves_the_delivery_due(
    own_redis, broker_on_own_redis, make_article, make_account, fake_platform, platform_worker
):
    make_account(Channel.FACEBOOK, "page-outage")
    own_redis.stop()
    article = make_article()  # the editor's publish must succeed; the message is simply not queued
    deliveries = Delivery.objects.filter(article=article)
    assert deliveries.get().state == State.PENDING

    own_redis.start()
    assert syndication.deliveries_requeue_due(older_than=timedelta(0)) == 1  # what the workers' sweeper does
    platform_worker(redis_url=own_redis.url)
    wait_for(settled(deliveries), timeout=30)

    delivery = deliveries.get()
    assert delivery.state == State.DELIVERED, delivery.error_message
    assert fake_platform.posts_per_link() == {delivery.payload["link"]: 1}
