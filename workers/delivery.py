"""Sending one delivery: the state machine the ``deliver_<channel>`` actors run.

Never twice: before calling the platform the delivery is marked ``sending`` with a fresh
attempt key, the id of the Dramatiq message doing it and the time, and committed. An attempt
holds a lease (``SIAR_DELIVERY["LEASE_SECONDS"]``, longer than an attempt may run). If a worker
dies after the platform answered but before the result was committed, the broker redelivers
that message; finding the delivery still ``sending``, it waits for the lease to end (the attempt
might still be alive), then asks the transport to look the post up (``lookup``) before posting
again. Other messages leave a leased attempt alone. After an ambiguous failure (a 5xx, a
timeout) the next attempt also looks the post up first.
"""

import logging
import random
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from dramatiq.middleware import CurrentMessage

from channels.models import ArticleChannel, ChannelAccount, Delivery
from channels.registry import adapt_for_account, get_transport
from channels.snapshot import ArticleSnapshot
from channels.transports.base import Delivered, Failure, LookupFailed, Post, Transport, Unsupported

logger = logging.getLogger("siar.workers.delivery")

State = Delivery.State
Operation = Delivery.Operation
SOURCE = "worker"
SNAPSHOT_TTL_SECONDS = 600  # a revision never changes; the TTL only bounds stale URLs after a site move


@dataclass(frozen=True)
class Attempt:
    """What the locked first phase decided; the platform is called outside any transaction."""

    delivery_id: int
    operation: str
    attempt_key: uuid.UUID
    reconcile: bool


def delivery_send(*, delivery_id: int) -> float | None:
    """Run one attempt. Returns seconds until the next attempt, or None when nothing is due."""
    attempt = _begin(delivery_id)
    if not isinstance(attempt, Attempt):
        return attempt  # nothing due, or seconds until the account may be called again
    delivery = Delivery.objects.select_related("account", "article", "revision").get(pk=delivery_id)
    try:
        transport = get_transport(delivery.account)
        post = _post_for(delivery)
        result = held(post) or by_hand(delivery, post) or _call_platform(transport, delivery, attempt, post)
    except LookupFailed as exc:  # unsure whether an earlier attempt posted: not now, with the lookup's reason
        post, result = None, exc.failure
    except ImproperlyConfigured as exc:  # a bad transport setting or option: retrying will not help
        post, result = None, Failure(Delivery.ErrorKind.CONFIG, str(exc), "Fix the setting, then retry.")
    except Exception as exc:  # any crash of an adapter or transport is recorded, then retried
        logger.exception("delivery %s: unexpected error", delivery_id)
        post, result = None, Failure.retryable(f"Unexpected error: {exc.__class__.__name__}: {exc}")
    return _record(attempt, post, result)


def _current_message_id() -> str:
    message = CurrentMessage.get_current_message()
    return message.message_id if message is not None else ""


def _begin(delivery_id: int) -> Attempt | float | None:
    message_id = _current_message_id()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("account").filter(pk=delivery_id).first()
        if delivery is None or delivery.state not in Delivery.ACTIVE_STATES:
            return None  # done already, or withdrawn: a duplicate or stale message
        now = timezone.now()
        if delivery.state == State.PENDING and delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None  # early message; the one scheduled for next_attempt_at will come
        if not delivery.account.is_connected:
            _wait_for_account(delivery)
            return None
        reconcile = delivery.state == State.SENDING and delivery.attempt_key is not None
        if reconcile:
            leased_for = _lease_remaining(delivery, now)
            if leased_for > 0:
                # The attempt may still be running. Its own (redelivered) message checks again when the
                # lease ends; any other message leaves it to that one.
                return leased_for if delivery.attempt_message_id == message_id else None
            delivery.attempt_message_id, delivery.attempt_started_at = message_id, now
            delivery.save(update_fields=["attempt_message_id", "attempt_started_at", "updated_at"])
        if not reconcile:
            paused_until = delivery.account.rate_limited_until
            if paused_until and paused_until > now:  # the platform asked the whole account to wait
                delivery.next_attempt_at = paused_until
                delivery.save(update_fields=["next_attempt_at", "updated_at"])
                return (paused_until - now).total_seconds()
            # After an ambiguous failure (5xx, timeout) the post may exist: look it up first.
            reconcile = (
                delivery.operation == Operation.POST
                and delivery.attempt_operation == Operation.POST
                and delivery.error_kind == Delivery.ErrorKind.RETRYABLE
            )
            delivery.attempt_key = uuid.uuid4()
            delivery.attempt_message_id, delivery.attempt_started_at = message_id, now
            delivery.attempt_operation = delivery.operation
            delivery.attempts += 1
            delivery.set_state(State.SENDING, source=SOURCE, message=f"attempt {delivery.attempts}")
            delivery.save()
        return Attempt(delivery.pk, delivery.attempt_operation, delivery.attempt_key, reconcile)


def _lease_remaining(delivery: Delivery, now) -> float:
    started = delivery.attempt_started_at or delivery.updated_at
    return (started + timedelta(seconds=settings.SIAR_DELIVERY["LEASE_SECONDS"]) - now).total_seconds()


def _wait_for_account(delivery: Delivery) -> None:
    delivery.error_kind = Delivery.ErrorKind.AUTH
    delivery.error_message = f"The account “{delivery.account.name}” is disconnected: {delivery.account.status_reason}"
    delivery.fix_hint = "Reconnect the account; waiting deliveries are then sent automatically."
    delivery.set_state(State.NEEDS_ATTENTION, source=SOURCE, message="waiting for the account to be reconnected")
    delivery.save()


def _post_for(delivery: Delivery) -> Post | None:
    if delivery.attempt_operation == Operation.RETRACT:
        return None
    choice = ArticleChannel.objects.filter(article_id=delivery.article_id, account=delivery.account).first()
    override = choice.text_override if choice else ""
    return adapt_for_account(_snapshot(delivery), delivery.account, text_override=override)


def by_hand(delivery: Delivery, post: Post | None) -> Unsupported | None:
    """A post no API can make (a YouTube community post) is staff's to post, correct and remove,
    whatever the account's transport (the outbox included)."""
    reason = post.by_hand if post is not None else (delivery.payload or {}).get("by_hand", "")
    return Unsupported(reason) if reason else None


def held(post: Post | None) -> Failure | None:
    """A post that breaks a platform rule is not sent to be rejected: it fails here, with the reasons."""
    if post is None or not post.problems:
        return None
    return Failure.rejected(
        "Not sent: " + " ".join(post.problems),
        "Fix the article (the Syndication tab previews each channel's post), then publish again or retry.",
    )


def _snapshot(delivery: Delivery) -> ArticleSnapshot:
    """The article as of the delivery's revision; built once per revision for all its channels."""
    if delivery.revision_id is None:
        return ArticleSnapshot.from_page(delivery.article)
    # (created_at too: test databases reuse ids after a rollback)
    key = f"siar:snapshot:{delivery.revision_id}:{delivery.revision.created_at.timestamp()}"
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = ArticleSnapshot.from_page(delivery.revision.as_object())
        cache.set(key, snapshot, SNAPSHOT_TTL_SECONDS)
    return snapshot


def _call_platform(transport: Transport, delivery: Delivery, attempt: Attempt, post: Post | None):
    key = str(attempt.attempt_key)
    if attempt.operation == Operation.POST:
        if attempt.reconcile:
            found = transport.lookup(post, attempt_key=key)
            if found is not None:
                logger.info("delivery %s: adopted the post of an interrupted attempt", delivery.pk)
                return replace(found, adopted=True)
        return transport.send(post, attempt_key=key)
    if attempt.operation == Operation.EDIT:
        return transport.edit(delivery.external_id, post)
    return transport.retract(delivery.external_id)


def _record(attempt: Attempt, post: Post | None, result) -> float | None:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("account").get(pk=attempt.delivery_id)
        if delivery.attempt_key != attempt.attempt_key or delivery.state != State.SENDING:
            logger.warning("delivery %s changed during the attempt; its result is dropped", delivery.pk)
            return None
        if post is not None:
            delivery.payload = post.as_payload()
        if isinstance(result, Delivered):
            return _record_success(delivery, attempt, result)
        if isinstance(result, Unsupported):
            return _record_unsupported(delivery, attempt, result)
        return _record_failure(delivery, result)


def _record_success(delivery: Delivery, attempt: Attempt, result: Delivered) -> float | None:
    if attempt.operation != Operation.RETRACT:
        delivery.external_id, delivery.external_url = result.external_id, result.external_url
    _clear_error(delivery)
    _note_account_success(delivery.account)
    if result.adopted and delivery.operation == Operation.POST and get_transport(delivery.account).supports_edit:
        delivery.operation = Operation.EDIT  # the adopted post may show an older version: bring it up to date
    if delivery.operation != attempt.operation:
        # The article changed (edited or withdrawn) while this attempt ran: do that next.
        done = result.note or f"{attempt.operation} done"
        delivery.set_state(State.PENDING, source=SOURCE, message=f"{done}; {delivery.operation} next")
        delivery.save()
        return 0.0
    done = State.RETRACTED if attempt.operation == Operation.RETRACT else State.DELIVERED
    delivery.set_state(done, source=SOURCE, message=result.note or f"{attempt.operation} done")
    delivery.save()
    return None


MANUAL_TASKS = {
    Operation.POST: Delivery.ManualTask.POST,
    Operation.EDIT: Delivery.ManualTask.CORRECT,
    Operation.RETRACT: Delivery.ManualTask.RETRACT,
}


def _record_unsupported(delivery: Delivery, attempt: Attempt, result: Unsupported) -> float | None:
    """The platform's API cannot do it: staff do it by hand. A post not yet made waits for them."""
    _clear_error(delivery)
    if attempt.operation == Operation.POST and delivery.operation == Operation.RETRACT:
        delivery.manual_task, delivery.manual_note = "", ""  # withdrawn meanwhile: nothing for staff to post
        delivery.set_state(State.RETRACTED, source=SOURCE, message="withdrawn before it was posted by hand")
        delivery.save()
        return None
    if attempt.operation == Operation.POST and delivery.operation == Operation.EDIT:
        delivery.operation = Operation.POST  # edited meanwhile: prepare the post again from the new version
        delivery.set_state(State.PENDING, source=SOURCE, message="article edited: preparing the post again")
        delivery.save()
        return 0.0
    delivery.manual_task, delivery.manual_note = MANUAL_TASKS[attempt.operation], result.reason
    state = State.WAITING_FOR_STAFF if attempt.operation == Operation.POST else State.DELIVERED
    delivery.set_state(state, source=SOURCE, message=f"manual task: {result.reason}")
    delivery.save()
    return None


def _record_failure(delivery: Delivery, failure: Failure) -> float | None:
    delivery.error_kind, delivery.error_message, delivery.fix_hint = failure.kind, failure.message, failure.hint
    account = delivery.account
    account.last_error, account.last_error_at = failure.message, timezone.now()
    if failure.kind == Delivery.ErrorKind.AUTH:
        account.status, account.status_reason = ChannelAccount.Status.DISCONNECTED, failure.message
        account.save(update_fields=["status", "status_reason", "last_error", "last_error_at"])
        delivery.set_state(State.NEEDS_ATTENTION, source=SOURCE, message=failure.message)
        delivery.save()
        return None
    fields = ["last_error", "last_error_at"]
    if failure.kind == Delivery.ErrorKind.RATE_LIMITED and failure.retry_after:
        until = timezone.now() + timedelta(seconds=failure.retry_after)
        if account.rate_limited_until is None or account.rate_limited_until < until:
            account.rate_limited_until = until
            fields.append("rate_limited_until")
    account.save(update_fields=fields)
    if failure.kind == Delivery.ErrorKind.RATE_LIMITED:
        delivery.attempts -= 1  # waiting out a rate limit or a quota is not a failed attempt
    retryable = failure.kind in (Delivery.ErrorKind.RETRYABLE, Delivery.ErrorKind.RATE_LIMITED)
    out_of_attempts = (
        failure.kind != Delivery.ErrorKind.RATE_LIMITED and delivery.attempts >= settings.SIAR_DELIVERY["MAX_ATTEMPTS"]
    )
    if not retryable or out_of_attempts:
        reason = failure.message if not retryable else f"gave up after {delivery.attempts} attempts: {failure.message}"
        delivery.next_attempt_at = None
        delivery.set_state(State.FAILED, source=SOURCE, message=reason)
        delivery.save()
        return None
    wait = retry_delay(delivery.attempts, failure.retry_after)
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
    delivery.set_state(State.PENDING, source=SOURCE, message=f"{failure.message}; next attempt in {wait:.1f}s")
    delivery.save()
    return wait


def _note_account_success(account: ChannelAccount) -> None:
    """Health for the admin; written at most once a minute per account (it is on the hot path)."""
    now = timezone.now()
    if account.last_success_at is None or now - account.last_success_at > timedelta(minutes=1):
        ChannelAccount.objects.filter(pk=account.pk).update(last_success_at=now)


def retry_delay(attempts: int, retry_after: float | None) -> float:
    """The platform's stated wait when given, else exponential backoff with jitter."""
    if retry_after is not None:
        return max(0.0, retry_after)
    config = settings.SIAR_DELIVERY
    ceiling = min(config["BACKOFF_MAX_SECONDS"], config["BACKOFF_SECONDS"] * 2 ** (attempts - 1))
    return random.uniform(ceiling / 2, ceiling)


def _clear_error(delivery: Delivery) -> None:
    delivery.error_kind, delivery.error_message, delivery.fix_hint = "", "", ""
    delivery.next_attempt_at = None
