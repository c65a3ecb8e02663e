"""The periodic jobs' work, as plain functions (the actors in ``workers.actors`` call these)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from channels.models import ChannelAccount, FeedFetch, OutboxMessage

logger = logging.getLogger("siar.workers.periodic")

CHANNEL_MANAGERS_GROUP = "Channel managers"


def publish_scheduled_pages() -> None:
    """Wagtail's scheduled publishing and expiry (``go_live_at`` / ``expire_at``)."""
    call_command("publish_scheduled", verbosity=0)


def feed_pickups_flush() -> int:
    from channels.feeds import pickups

    return pickups.flush()


def article_views_flush() -> int:
    from hub.reach import flush_views

    return flush_views()


def intake_poll() -> int:
    """Poll every active unit feed; returns how many new inbox items arrived."""
    from channels.intake import poll_all

    results = poll_all()
    return sum(result.new for result in results)


def token_expiry_warn(*, now=None) -> list[ChannelAccount]:
    """E-mail channel managers (else superusers) once about each token that expires within
    ``SIAR_TOKEN_EXPIRY_WARNING_DAYS``; returns the accounts warned about now."""
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.SIAR_TOKEN_EXPIRY_WARNING_DAYS)
    expiring = ChannelAccount.objects.filter(is_active=True, token_expires_at__gt=now, token_expires_at__lte=horizon)
    warned = []
    for account in expiring.order_by("token_expires_at"):
        key = f"token-expiry-warned:{account.pk}:{account.token_expires_at:%Y%m%d%H%M}"
        if not cache.add(key, 1, timeout=(settings.SIAR_TOKEN_EXPIRY_WARNING_DAYS + 1) * 86400):
            continue  # already warned about this expiry
        warned.append(account)
    if not warned:
        return []
    lines = [f"- {account} — {timezone.localtime(account.token_expires_at):%Y-%m-%d %H:%M}" for account in warned]
    logger.warning("channel tokens expiring soon: %s", "; ".join(str(a) for a in warned))
    recipients = _channel_manager_emails()
    if recipients:
        days = settings.SIAR_TOKEN_EXPIRY_WARNING_DAYS
        send_mail(
            subject=f"[Siar] {len(warned)} channel token(s) expire within {days} days",
            message="These channel accounts need a new token before then (Syndication → Channel accounts):\n\n"
            + "\n".join(lines),
            from_email=None,
            recipient_list=recipients,
            fail_silently=False,
        )
    return warned


def _channel_manager_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    managers = users.filter(groups__name=CHANNEL_MANAGERS_GROUP)
    chosen = managers if managers.exists() else users.filter(is_superuser=True)
    return sorted(set(chosen.values_list("email", flat=True)))


def logs_prune(*, now=None) -> dict[str, int]:
    """Delete feed fetches and outbox messages older than their retention (``SIAR_RETENTION_DAYS``)."""
    now = now or timezone.now()
    days = settings.SIAR_RETENTION_DAYS
    fetches, _ = FeedFetch.objects.filter(fetched_at__lt=now - timedelta(days=days["feed_fetches"])).delete()
    outbox, _ = OutboxMessage.objects.filter(Q(created_at__lt=now - timedelta(days=days["outbox"]))).delete()
    if fetches or outbox:
        logger.info("pruned %d feed fetches and %d outbox messages", fetches, outbox)
    return {"feed_fetches": fetches, "outbox": outbox}
