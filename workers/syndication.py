"""What publishing, editing, unpublishing and staff actions do to deliveries.

Called by signal receivers, admin views and the CLI; each change is one transaction and its
messages are queued after commit.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from channels.models import ChannelAccount, Delivery
from channels.registry import get_transport
from channels.selection import article_accounts
from hub.models import ArticlePage

from .queueing import enqueue, enqueue_on_commit

logger = logging.getLogger("siar.workers.syndication")

State = Delivery.State
Operation = Delivery.Operation


def article_syndicate(*, article: ArticlePage, user=None, source: str = "publish") -> list[Delivery]:
    """On publish: post to new accounts; for posts already out, edit them (or ask staff to)."""
    article = ArticlePage.objects.get(pk=article.pk)  # the committed, live version
    revision = article.live_revision
    timing = {choice.account_id: choice for choice in article.channel_choices.all()}
    touched = []
    with transaction.atomic():
        for account in article_accounts(article):
            delivery, created = Delivery.objects.select_for_update().get_or_create(
                article=article,
                account=account,
                defaults={"article_title": article.title, "revision": revision, "requested_by": user},
            )
            if created:
                _first_post(delivery, timing.get(account.pk), user, source)
            else:
                _refresh(delivery, article, revision, user, source)
            touched.append(delivery)
    return touched


def _first_post(delivery: Delivery, choice, user, source: str) -> None:
    """Queue a new delivery: now, or at the time the editor chose for this channel."""
    now = timezone.now()
    due = choice.send_time(now) if choice is not None else now
    if due > now:
        delivery.next_attempt_at = due
        message = f"published; scheduled for {timezone.localtime(due):%Y-%m-%d %H:%M}"
        delivery.set_state(State.PENDING, source=source, actor=user, message=message)
        delivery.save()
        enqueue_on_commit(delivery, delay_seconds=(due - now).total_seconds())
        return
    delivery.set_state(State.PENDING, source=source, actor=user, message="published")
    delivery.save()
    enqueue_on_commit(delivery)


def _refresh(delivery: Delivery, article: ArticlePage, revision, user, source: str) -> None:
    """Bring an existing delivery up to a new publication. Never re-posts a delivered post."""
    delivery.article_title, delivery.revision = article.title, revision
    if delivery.state == State.RETRACTED:  # published again after a withdrawal: a new post
        _restart(delivery, Operation.POST, user, source, "published again")
    elif delivery.state == State.DELIVERED:
        if get_transport(delivery.account).supports_edit:
            _restart(delivery, Operation.EDIT, user, source, "article edited: updating the post")
        else:
            delivery.manual_task = Delivery.ManualTask.CORRECT
            delivery.manual_note = "The article changed after it was posted; this platform cannot edit posts."
            delivery.save()
    elif delivery.state == State.SENDING and delivery.operation == Operation.POST:
        delivery.operation = Operation.EDIT  # once the post in flight is out, bring it up to date
        delivery.save()
    elif delivery.state == State.WAITING_FOR_STAFF:  # not posted yet: prepare it again from the new version
        _restart(delivery, Operation.POST, user, source, "article edited: preparing the post again")
    elif delivery.state == State.FAILED and (delivery.payload or {}).get("problems"):
        # Held for a broken platform rule: the new version may have fixed it.
        _restart(delivery, delivery.operation, user, source, "article edited: checking the platform's rules again")
    else:  # pending (will send the new revision), failed or needing attention (resend is explicit)
        delivery.save()


def _restart(delivery: Delivery, operation: str, user, source: str, message: str) -> None:
    delivery.operation, delivery.attempts, delivery.next_attempt_at = operation, 0, None
    delivery.error_kind, delivery.error_message, delivery.fix_hint = "", "", ""
    delivery.manual_task, delivery.manual_note = "", ""
    delivery.set_state(State.PENDING, source=source, actor=user, message=message)
    delivery.save()
    enqueue_on_commit(delivery)


def article_withdraw(*, article: ArticlePage, user=None, source: str = "unpublish") -> None:
    """On unpublish or delete: remove posts where the platform allows, else ask staff to."""
    with transaction.atomic():
        for delivery in Delivery.objects.select_for_update().filter(article=article).select_related("account"):
            if delivery.state == State.RETRACTED or (
                delivery.state == State.PENDING and delivery.operation == Operation.RETRACT
            ):
                continue
            if delivery.state == State.SENDING:
                delivery.operation = Operation.RETRACT  # the running attempt hands over to a retraction
                delivery.save()
            elif not delivery.external_id:  # never reached the platform (nor was posted by hand)
                delivery.operation = Operation.RETRACT
                delivery.manual_task, delivery.manual_note = "", ""
                delivery.set_state(State.RETRACTED, source=source, actor=user, message="withdrawn before posting")
                delivery.save()
            elif get_transport(delivery.account).supports_retract:
                delivery.manual_task = ""
                _restart(delivery, Operation.RETRACT, user, source, "article withdrawn: removing the post")
            else:
                delivery.manual_task = Delivery.ManualTask.RETRACT
                delivery.manual_note = "The article was withdrawn; this platform cannot remove posts through its API."
                delivery.save()


def delivery_retry(*, delivery: Delivery, user=None, source: str = "admin") -> bool:
    """Staff's explicit retry or resend. Returns False when the delivery is busy."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("account").get(pk=delivery.pk)
        if delivery.state in Delivery.ACTIVE_STATES:
            return False
        operation = delivery.operation
        if delivery.state in (State.DELIVERED, State.RETRACTED) and operation != Operation.RETRACT:
            operation = Operation.POST  # an explicit resend
        _restart(delivery, operation, user, source, f"{source}: retry")
    return True


def manual_task_done(*, delivery: Delivery, user=None, source: str = "admin") -> bool:
    """Staff did by hand what the platform's API cannot; recorded in the audit trail."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.manual_task in ("", Delivery.ManualTask.POST):  # a post by hand records its address
            return False
        task = delivery.manual_task
        delivery.manual_task, delivery.manual_note = "", ""
        delivery.set_state(delivery.state, source=source, actor=user, message=f"manual task done: {task}")
        delivery.save()
    return True


def manual_post_done(*, delivery: Delivery, url: str, user=None, source: str = "admin") -> bool:
    """Staff posted by hand what the platform's API cannot post (a YouTube community post)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.manual_task != Delivery.ManualTask.POST:
            return False
        delivery.manual_task, delivery.manual_note = "", ""
        delivery.external_id, delivery.external_url = url[:255], url
        delivery.set_state(State.DELIVERED, source=source, actor=user, message=f"posted by hand: {url}")
        delivery.save()
    return True


def account_reconnected(*, account: ChannelAccount, user=None, source: str = "admin") -> int:
    """After new credentials: mark the account connected and send what waited for it."""
    with transaction.atomic():
        account.status, account.status_reason = ChannelAccount.Status.CONNECTED, ""
        account.save(update_fields=["status", "status_reason"])
        waiting = Delivery.objects.select_for_update().filter(
            account=account, state=State.NEEDS_ATTENTION, error_kind=Delivery.ErrorKind.AUTH
        )
        count = 0
        for delivery in waiting:
            delivery.attempts = 0
            _restart(delivery, delivery.operation, user, source, "account reconnected")
            count += 1
    return count


def deliveries_requeue_due(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue again deliveries whose message may have been lost (a broker outage, a message that
    crashed too often): pending ones long overdue, and sending ones whose attempt lease ran out."""
    now = timezone.now()
    lease = timedelta(seconds=settings.SIAR_DELIVERY["LEASE_SECONDS"])
    overdue = Q(state=State.PENDING) & (
        Q(next_attempt_at__lte=now - older_than) | Q(next_attempt_at__isnull=True, updated_at__lte=now - older_than)
    )
    abandoned = Q(state=State.SENDING, attempt_started_at__lte=now - lease - older_than)
    due = Delivery.objects.filter(overdue | abandoned)
    count = sum(enqueue(delivery) for delivery in due.select_related("account"))
    if count:
        logger.info("requeued %d due deliveries", count)
    return count
