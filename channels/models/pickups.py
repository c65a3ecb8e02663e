"""The pickup log: every fetch of a syndication feed, the evidence for evaluating an agreement."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedFetch(models.Model):
    """One request for a feed. Written in batches (see ``channels.feeds.pickups``), never inline."""

    class Format(models.TextChoices):
        RSS = "rss", "RSS 2.0"
        ATOM = "atom", "Atom 1.0"
        JSON = "json", "JSON Feed 1.1"

    partner = models.ForeignKey(
        "siar_channels.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the log is evidence: it outlives the partner
        related_name="fetches",
        help_text=_("Empty for the public feeds."),
    )
    feed = models.CharField(_("feed"), max_length=120, help_text=_("'partner', 'public' or 'category:<slug>'."))
    fetched_at = models.DateTimeField(_("time"), db_index=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    status = models.PositiveSmallIntegerField(_("HTTP status"))
    item_count = models.PositiveIntegerField(_("items"), default=0)
    # The articles a 200 answer carried (page ids): "articles served" counts them once per month.
    article_ids = models.JSONField(_("articles"), default=list, blank=True)
    token_prefix = models.CharField(_("token"), max_length=12, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        ordering = ["-fetched_at"]
        verbose_name = _("feed fetch")
        verbose_name_plural = _("feed fetches")
        indexes = [models.Index(fields=["partner", "fetched_at"], name="feedfetch_partner_time")]

    def __str__(self):
        return f"{self.feed} {self.format} {self.status} @ {self.fetched_at:%Y-%m-%d %H:%M}"
