"""Partners' feed tokens and standing, for the admin and the ``partners`` command alike.

A raw token exists only in the return value of :func:`issue_token` and :func:`rotate_tokens`:
show it once and let it go; the database keeps its hash. Tokens are saved one by one (never
with a queryset ``update()``) so that the feeds' ``post_save`` signal drops the cached grants
at once: a revoked token is refused on its next request, not a minute later.
"""

from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .models import Partner, PartnerToken

DEFAULT_GRACE_DAYS = 7
MAX_GRACE_DAYS = 90

# Admin history (registered in ``wagtail_hooks``): who issued, rotated or revoked which token.
LOG_TOKEN_ISSUED = "siar.partner_token.issue"
LOG_TOKENS_ROTATED = "siar.partner_token.rotate"
LOG_TOKEN_REVOKED = "siar.partner_token.revoke"


class PartnerStatus(models.TextChoices):
    """Values as the ``partners list`` command prints them."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Switched off")
    ENDED = "ended", _("Agreement ended")
    NOT_STARTED = "not started", _("Agreement not started")


class TokenState(models.TextChoices):
    ACTIVE = "active", _("Active")
    GRACE = "grace", _("In grace period")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def partner_status(partner: Partner, now: datetime | None = None) -> PartnerStatus:
    if not partner.is_active:
        return PartnerStatus.INACTIVE
    if partner.agreement_ended(now):
        return PartnerStatus.ENDED
    if partner.agreement_not_started(now):
        return PartnerStatus.NOT_STARTED
    return PartnerStatus.ACTIVE


def token_states(tokens, now: datetime | None = None) -> dict[int, TokenState]:
    """Each token's state by its pk. A usable token with its own expiry while a newer usable token
    exists is in its grace period (it was rotated out)."""
    now = now or timezone.now()
    tokens = list(tokens)
    usable = [token for token in tokens if token.is_usable(now)]
    states = {}
    for token in tokens:
        if token.revoked_at is not None:
            states[token.pk] = TokenState.REVOKED
        elif token not in usable:
            states[token.pk] = TokenState.EXPIRED
        elif token.expires_at and any(other.created_at > token.created_at for other in usable):
            states[token.pk] = TokenState.GRACE
        else:
            states[token.pk] = TokenState.ACTIVE
    return states


def issue_token(partner: Partner, *, label: str = "", user=None) -> tuple[PartnerToken, str]:
    """A new token beside the existing ones: the row and the raw token (to be shown once)."""
    token, raw = partner.issue_token(label=label)
    log(instance=partner, action=LOG_TOKEN_ISSUED, user=user, data={"prefix": token.key_prefix, "label": label})
    return token, raw


def rotate_tokens(
    partner: Partner, *, grace_days: int = DEFAULT_GRACE_DAYS, label: str = "", user=None
) -> tuple[PartnerToken, str, datetime]:
    """A new token; the usable old ones keep working until the grace period ends (then expire).

    Returns the new row, the raw token (to be shown once) and the end of the grace period."""
    grace_ends = timezone.now() + timedelta(days=max(0, grace_days))
    with transaction.atomic():
        for token in partner.tokens.usable():
            if token.expires_at is None or token.expires_at > grace_ends:
                token.expires_at = grace_ends
                token.save(update_fields=["expires_at"])
        token, raw = partner.issue_token(label=label)
        log(
            instance=partner,
            action=LOG_TOKENS_ROTATED,
            user=user,
            data={"prefix": token.key_prefix, "grace_ends": grace_ends.isoformat()},
        )
    return token, raw, grace_ends


def revoke_tokens(partner: Partner, *, prefix: str = "", pk: int | None = None, user=None) -> list[PartnerToken]:
    """Revoke the partner's unrevoked tokens: all, those starting with ``prefix``, or the one ``pk``."""
    tokens = partner.tokens.filter(revoked_at__isnull=True)
    if prefix:
        tokens = tokens.filter(key_prefix__startswith=prefix[:12])
    if pk is not None:
        tokens = tokens.filter(pk=pk)
    now = timezone.now()
    with transaction.atomic():
        revoked = list(tokens.select_for_update())
        for token in revoked:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            log(instance=partner, action=LOG_TOKEN_REVOKED, user=user, data={"prefix": token.key_prefix})
    return revoked
