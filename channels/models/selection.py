"""Which channel accounts an article goes to, with per-channel text."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable


class ArticleChannel(Orderable):
    """An editor's choice for one account. Without a row, the category's defaults apply."""

    article = ParentalKey("hub.ArticlePage", related_name="channel_choices", on_delete=models.CASCADE)
    account = models.ForeignKey(
        "siar_channels.ChannelAccount", verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    enabled = models.BooleanField(
        _("send"), default=True, help_text=_("Untick to keep this article off an account its category sends to.")
    )
    text_override = models.TextField(
        _("text for this channel"),
        blank=True,
        help_text=_("Replaces the summary as the post's text (Facebook message, Instagram caption, YouTube text)."),
    )

    delay_minutes = models.PositiveIntegerField(
        _("delay (minutes)"),
        null=True,
        blank=True,
        help_text=_("Send this long after the article is published, e.g. 120 for Instagram two hours later."),
    )
    send_at = models.DateTimeField(
        _("or send at"),
        null=True,
        blank=True,
        help_text=_("A fixed time for this channel (after publication; ignored if it has passed)."),
    )

    panels = [
        FieldPanel("account"),
        FieldPanel("enabled"),
        FieldPanel("text_override"),
        FieldRowPanel([FieldPanel("delay_minutes"), FieldPanel("send_at")], heading=_("Timing")),
    ]

    def send_time(self, published_at):
        """When this channel's post is due for an article published at ``published_at``."""
        due = published_at
        if self.delay_minutes:
            due = published_at + timedelta(minutes=self.delay_minutes)
        if self.send_at and self.send_at > due:
            due = self.send_at
        return due

    class Meta(Orderable.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [models.UniqueConstraint(fields=["article", "account"], name="article_channel_unique_account")]
