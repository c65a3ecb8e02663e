"""One Dramatiq actor and queue per channel, so a slow or broken platform delays no other."""

import logging

import dramatiq
import redis
from django.db import transaction

from channels.models import Channel, Delivery

from . import delivery as delivery_service

logger = logging.getLogger("siar.workers")

# What enqueueing raises when the broker is unreachable: RedisBroker lets redis-py's errors through.
BROKER_DOWN = (dramatiq.errors.BrokerConnectionError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def queue_name(channel: str) -> str:
    return f"deliveries.{channel}"


def _make_deliver_actor(channel: str) -> dramatiq.Actor:
    def deliver(delivery_id: int) -> None:
        wait = delivery_service.delivery_send(delivery_id=delivery_id)
        if wait is not None:
            send(channel, delivery_id, delay_seconds=wait)

    # Retries are the engine's own (recorded on the delivery); Dramatiq retries only crashes.
    return dramatiq.actor(
        deliver,
        actor_name=f"deliver_{channel}",
        queue_name=queue_name(channel),
        max_retries=3,
        min_backoff=1_000,
        time_limit=10 * 60 * 1000,
    )


DELIVER_ACTORS = {channel: _make_deliver_actor(channel) for channel in Channel.values}


def send(channel: str, delivery_id: int, *, delay_seconds: float = 0) -> bool:
    """Queue a delivery's message; False when the broker is unreachable (the delivery stays due
    in the database, and ``deliveries_requeue_due`` queues it later)."""
    try:
        DELIVER_ACTORS[channel].send_with_options(args=(delivery_id,), delay=int(delay_seconds * 1000) or None)
    except BROKER_DOWN:
        logger.warning("broker unreachable; delivery %s stays due and will be requeued", delivery_id)
        return False
    return True


def enqueue(delivery: Delivery, *, delay_seconds: float = 0) -> bool:
    return send(delivery.account.channel, delivery.pk, delay_seconds=delay_seconds)


def enqueue_on_commit(delivery: Delivery, *, delay_seconds: float = 0) -> None:
    transaction.on_commit(lambda: enqueue(delivery, delay_seconds=delay_seconds))
