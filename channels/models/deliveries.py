"""One article on one channel account: its state, attempts, errors and audit trail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        WAITING_FOR_STAFF = "waiting_staff", _("Waiting for staff")
        NEEDS_ATTENTION = "needs_attention", _("Needs attention")
        RETRACTED = "retracted", _("Retracted")

    class Operation(models.TextChoices):
        POST = "post", _("Post")
        EDIT = "edit", _("Edit")
        RETRACT = "retract", _("Retract")

    class ErrorKind(models.TextChoices):
        NONE = "", _("None")
        RETRYABLE = "retryable", _("Temporary problem")
        RATE_LIMITED = "rate_limited", _("Rate limited")
        AUTH = "auth", _("Account needs reconnecting")
        REJECTED = "rejected", _("Rejected by the platform")
        CONFIG = "config", _("Configuration problem")

    class ManualTask(models.TextChoices):
        NONE = "", _("None")
        POST = "post", _("Post by hand")
        CORRECT = "correct", _("Correction needed")
        RETRACT = "retract", _("Remove by hand")

    # States in which the worker still owns the delivery.
    ACTIVE_STATES = (State.PENDING, State.SENDING)

    article = models.ForeignKey(
        "hub.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    article_title = models.CharField(_("article"), max_length=255)
    account = models.ForeignKey("siar_channels.ChannelAccount", on_delete=models.PROTECT, related_name="deliveries")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What is wanted next (or was done last), and what the attempt in flight is doing.
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices, default=Operation.POST)
    attempt_operation = models.CharField(_("operation in flight"), max_length=10, choices=Operation.choices, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    attempt_key = models.UUIDField(_("attempt key"), null=True, blank=True)
    attempt_message_id = models.CharField(_("attempt message ID"), max_length=64, blank=True)
    attempt_started_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    error_kind = models.CharField(_("error"), max_length=20, choices=ErrorKind.choices, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    fix_hint = models.TextField(_("how to fix"), blank=True)
    external_id = models.CharField(_("external ID"), max_length=255, blank=True)
    external_url = models.URLField(_("link"), max_length=1000, blank=True)
    payload = models.JSONField(_("payload sent"), null=True, blank=True)
    manual_task = models.CharField(_("manual task"), max_length=10, choices=ManualTask.choices, blank=True)
    manual_note = models.TextField(_("manual task note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "account"],
                condition=models.Q(article__isnull=False),
                name="delivery_unique_article_account",
            )
        ]

    def __str__(self):
        return f"{self.article_title} → {self.account}"

    @property
    def channel(self) -> str:
        return self.account.channel

    @property
    def is_scheduled(self) -> bool:
        """Waiting for the time the editor chose for this channel (not for a retry)."""
        return (
            self.state == self.State.PENDING
            and self.attempts == 0
            and self.next_attempt_at is not None
            and self.next_attempt_at > timezone.now()
        )

    def set_state(self, state: str, *, source: str, message: str = "", actor=None) -> None:
        """Change the state and write the audit event (the caller saves the delivery)."""
        DeliveryEvent.objects.create(
            delivery=self,
            from_state=self.state,
            to_state=state,
            operation=self.operation,
            source=source,
            actor=actor,
            message=message[:2000],
        )
        self.state = state
        if state == self.State.DELIVERED:
            self.delivered_at = timezone.now()


class DeliveryEvent(models.Model):
    """Audit trail: every state change, with who or what made it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    from_state = models.CharField(_("from state"), max_length=20, choices=Delivery.State.choices)
    to_state = models.CharField(_("to state"), max_length=20, choices=Delivery.State.choices)
    operation = models.CharField(_("operation"), max_length=10, choices=Delivery.Operation.choices)
    source = models.CharField(_("source"), max_length=20, help_text=_("worker, publish, admin, cli…"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")

    def __str__(self):
        return f"{self.from_state} → {self.to_state} ({self.source})"
