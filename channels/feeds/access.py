"""Who may read a partner feed: the token, from ``Authorization: Bearer`` or ``?token=``.

Unknown partner, missing or wrong token: 404 (never a hint which). A known token of this
partner that cannot be used now (revoked, expired, agreement over or not started, partner
inactive): 403 with the reason, so a partner's staff know whom to call. What a token grants
is cached in Redis for a minute and dropped whenever a partner or token changes.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Partner, PartnerToken
from ..models.partners import TOKEN_PREFIX, hash_token

GRANT_TTL_SECONDS = 60


@dataclass(frozen=True)
class Grant:
    """A token's standing, cached: enough to answer a request without the database."""

    partner_id: int
    slug: str
    token_prefix: str
    partner_active: bool
    revoked: bool
    expires_at: datetime | None  # the token's effective expiry (its own, or the agreement's end)
    agreement_start: date | None

    def refusal(self, now: datetime | None = None) -> str:
        """Why the token may not read now ("" when it may)."""
        now = now or timezone.now()
        if not self.partner_active:
            return _("This partner's access is switched off. Contact the communications office.")
        if self.revoked:
            return _("This token was revoked. Ask the communications office for a new one.")
        if self.agreement_start and timezone.localdate(now) < self.agreement_start:
            return _("The cooperation agreement starts on %(date)s.") % {"date": self.agreement_start.isoformat()}
        if self.expires_at and self.expires_at <= now:
            last_day = timezone.localtime(self.expires_at - timedelta(microseconds=1)).date()
            return _(
                "This token was valid until %(date)s (its own expiry or the cooperation agreement's end). "
                "Contact the communications office to renew it."
            ) % {"date": last_day.isoformat()}
        return ""


def token_from(authorization: str, query_token: str) -> str:
    """The token of ``Authorization: Bearer …``, else of ``?token=``."""
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return (query_token or "").strip()


def grant_key(raw_token: str) -> str:
    return grant_key_for_hash(hash_token(raw_token))


def grant_key_for_hash(key_hash: str) -> str:
    return f"feeds:grant:{key_hash}"


def valid_shape(raw_token: str) -> bool:
    return raw_token.startswith(TOKEN_PREFIX) and len(raw_token) <= 200


def grant_for(raw_token: str, cached: Grant | None = None) -> Grant | None:
    """The grant of a token (from ``cached``, Redis or the database); None for an unknown token."""
    if not valid_shape(raw_token):
        return None
    if cached is not None:
        return cached
    token = PartnerToken.objects.select_related("partner").filter(key_hash=hash_token(raw_token)).first()
    if token is None:
        return None
    grant = Grant(
        partner_id=token.partner_id,
        slug=token.partner.slug,
        token_prefix=token.key_prefix,
        partner_active=token.partner.is_active,
        revoked=token.revoked_at is not None,
        expires_at=token.effective_expiry,
        agreement_start=token.partner.agreement_start,
    )
    cache.set(grant_key(raw_token), grant, timeout=GRANT_TTL_SECONDS)
    return grant


def forget_partner(partner: Partner) -> None:
    """Drop the cached grants of a partner's tokens (after a change to the partner or a token),
    once the change is committed: a request in between would cache the old state again."""
    keys = [grant_key_for_hash(key_hash) for key_hash in partner.tokens.values_list("key_hash", flat=True)]
    transaction.on_commit(lambda: cache.delete_many(keys) if keys else None)
