from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A request the outbox transport would have sent (channels without credentials)."""

    account = models.ForeignKey("siar_channels.ChannelAccount", on_delete=models.CASCADE, related_name="outbox")
    delivery = models.ForeignKey(
        "siar_channels.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox"
    )
    operation = models.CharField(_("operation"), max_length=20)
    attempt_key = models.UUIDField(_("attempt key"), null=True, blank=True, db_index=True)
    request = models.JSONField(_("request"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self):
        return f"{self.operation} → {self.account} at {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
