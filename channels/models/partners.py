"""Partner media and community groups (KIM) that pull syndication feeds under cooperation agreements.

Tokens are stored only as SHA-256 hashes: a token is 256 random bits, so a fast hash is safe
(nothing to brute-force) and a lookup by hash needs no constant-time comparison.
"""

import hashlib
import secrets
from datetime import datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField

TOKEN_PREFIX = "siar_"


class Partner(models.Model):
    class Kind(models.TextChoices):
        MEDIA = "media", _("Media company")
        KIM = "kim", _("Community information group (KIM)")

    class PressVerification(models.TextChoices):
        NONE = "none", _("Not verified")
        ADMINISTRATIVE = "administrative", _("Verified administratively")
        FACTUAL = "factual", _("Verified administratively and factually")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEDIA)
    name = models.CharField(_("legal name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Used in the partner's feed URLs."))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    agreement_number = models.CharField(_("agreement number"), max_length=100, blank=True)
    agreement_start = models.DateField(_("agreement starts"), null=True, blank=True)
    agreement_end = models.DateField(_("agreement ends"), null=True, blank=True)
    press_verification = models.CharField(
        _("press verification"), max_length=20, choices=PressVerification.choices, default=PressVerification.NONE
    )
    press_certificate_number = models.CharField(_("press certificate number"), max_length=100, blank=True)
    categories = models.ManyToManyField(
        "hub.Category", verbose_name=_("categories"), blank=True, help_text=_("None chosen: every category.")
    )
    source_units = models.ManyToManyField(
        "hub.SourceUnit", verbose_name=_("source units"), blank=True, help_text=_("None chosen: every source unit.")
    )
    full_text = models.BooleanField(_("full text"), default=True, help_text=_("Untick to give summaries only."))
    attribution = models.CharField(
        _("attribution line"),
        max_length=300,
        blank=True,
        help_text=_("Added to each item, e.g. “Sumber: Diskominfo Kabupaten Suka Maju”."),
    )
    webhook_url = models.URLField(_("push webhook URL"), blank=True, help_text=_("Optional: a signed POST per change."))
    webhook_secret = EncryptedTextField(_("webhook secret"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A webhook secret generated now, for the admin or CLI to show once ("" when none was).
        self.new_webhook_secret = self.sync_webhook_account()

    def delete(self, *args, **kwargs):
        from .accounts import ChannelAccount

        for account in ChannelAccount.objects.filter(partner=self):  # kept for its deliveries' history
            account.is_active = False
            account.name = f"{account.name} [deleted partner #{self.pk}]"[:200]  # frees the name for a new partner
            account.save(update_fields=["is_active", "name"])
        return super().delete(*args, **kwargs)

    def agreement_ended(self, now: datetime | None = None) -> bool:
        if self.agreement_end is None:
            return False
        return timezone.localdate(now or timezone.now()) > self.agreement_end

    def agreement_not_started(self, now: datetime | None = None) -> bool:
        return self.agreement_start is not None and timezone.localdate(now or timezone.now()) < self.agreement_start

    def is_serving(self, now: datetime | None = None) -> bool:
        """Active, and within its agreement's period."""
        return self.is_active and not self.agreement_ended(now) and not self.agreement_not_started(now)

    def receives(self, article) -> bool:
        """Whether the article is for this partner (its categories and source units; none = all)."""
        categories = {c.pk for c in self.categories.all()}
        units = {u.pk for u in self.source_units.all()}
        return (not categories or article.category_id in categories) and (not units or article.source_unit_id in units)

    def sync_webhook_account(self):
        """Keep the channel account that deliveries to this partner's webhook go to in step with it.

        A webhook URL without a secret gets a generated one (returned, to be shown once)."""
        from .accounts import Channel, ChannelAccount

        new_secret = ""
        if self.webhook_url and not self.webhook_secret:
            new_secret = self.webhook_secret = secrets.token_urlsafe(32)
            Partner.objects.filter(pk=self.pk).update(webhook_secret=self.webhook_secret)
        account = ChannelAccount.objects.filter(partner=self).first()
        if account is None and not self.webhook_url:
            return new_secret
        account = account or ChannelAccount(partner=self, channel=Channel.PARTNERS)
        account.name = f"{self.name} ({self.slug})"[:200]
        account.external_id = self.webhook_url
        account.token = self.webhook_secret
        account.is_active = self.is_active and bool(self.webhook_url)
        account.save()
        return new_secret

    def issue_token(self, *, label: str = "") -> tuple["PartnerToken", str]:
        """A new token: the row, and the token itself (shown once, never stored)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = PartnerToken.objects.create(partner=self, key_hash=hash_token(raw), key_prefix=raw[:12], label=label)
        return token, raw


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PartnerTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime | None = None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class PartnerToken(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Besides the agreement's end, which always applies.")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = PartnerTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")

    def __str__(self):
        return f"{self.key_prefix}… ({self.partner})"

    @property
    def effective_expiry(self) -> datetime | None:
        """The token's own expiry or the end of the agreement's last day, whichever is first."""
        ends = []
        if self.expires_at:
            ends.append(self.expires_at)
        if self.partner.agreement_end:
            last_day = datetime.combine(self.partner.agreement_end + timedelta(days=1), time.min)
            ends.append(timezone.make_aware(last_day))
        return min(ends) if ends else None

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        expiry = self.effective_expiry
        return self.revoked_at is None and (expiry is None or expiry > now)


def partner_for_token(raw: str) -> tuple[Partner, PartnerToken] | None:
    """The partner a token belongs to, whatever its state (the caller decides 404 or 403); None if unknown."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = PartnerToken.objects.select_related("partner").filter(key_hash=hash_token(raw)).first()
    return (token.partner, token) if token else None
