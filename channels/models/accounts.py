"""Connected targets: a Facebook Page, an Instagram account, a YouTube channel, a website hook."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField


class Channel(models.TextChoices):
    WEBSITE = "website", _("Website")
    FACEBOOK = "facebook", _("Facebook Page")
    INSTAGRAM = "instagram", _("Instagram")
    YOUTUBE = "youtube", _("YouTube")
    PARTNERS = "partners", _("Partner webhook")


class ChannelAccount(models.Model):
    class Status(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        DISCONNECTED = "disconnected", _("Disconnected")

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. 'Facebook Pemkab Suka Maju'."))
    external_id = models.CharField(
        _("account ID"),
        max_length=500,
        blank=True,
        help_text=_("The Page ID, Instagram user ID, YouTube channel ID, or the website's webhook URL."),
    )
    token = EncryptedTextField(
        _("token"),
        blank=True,
        help_text=_("Access token, refresh token or webhook secret. Stored encrypted and never shown again."),
    )
    token_expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONNECTED)
    status_reason = models.TextField(_("status reason"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    default_for_all_categories = models.BooleanField(
        _("default for every category"),
        default=False,
        help_text=_("New articles of any category go to this account unless an editor switches it off."),
    )
    default_categories = models.ManyToManyField(
        "hub.Category",
        verbose_name=_("default for categories"),
        blank=True,
        related_name="default_channel_accounts",
    )
    partner = models.OneToOneField(
        "siar_channels.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,  # deleting a partner keeps its deliveries' history (the account stays)
        related_name="webhook_account",
        help_text=_("For partner webhooks: kept in step with the partner's webhook settings."),
    )
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    rate_limited_until = models.DateTimeField(
        _("rate limited until"), null=True, blank=True, help_text=_("The platform asked for no requests before then.")
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["channel", "name"]
        verbose_name = _("channel account")
        verbose_name_plural = _("channel accounts")
        constraints = [models.UniqueConstraint(fields=["channel", "name"], name="channel_account_unique_name")]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.name}"

    @property
    def has_credentials(self) -> bool:
        return bool(self.token)

    @property
    def is_connected(self) -> bool:
        return self.status == self.Status.CONNECTED
