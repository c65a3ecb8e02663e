"""Intake from unit websites: the feeds a source unit publishes, and the items they bring in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitFeed(models.Model):
    """One RSS or Atom feed of a source unit's website, polled periodically (see ``channels.intake``)."""

    source_unit = models.ForeignKey(
        "hub.SourceUnit", verbose_name=_("source unit"), on_delete=models.CASCADE, related_name="feeds"
    )
    url = models.URLField(_("feed URL"), max_length=500)
    is_active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(_("ETag"), max_length=500, blank=True, editable=False)
    modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    error_count = models.PositiveIntegerField(_("errors in a row"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["source_unit__name", "url"]
        verbose_name = _("unit feed")
        verbose_name_plural = _("unit feeds")
        constraints = [models.UniqueConstraint(fields=["source_unit", "url"], name="unitfeed_unit_url_unique")]

    def __str__(self):
        return f"{self.source_unit}: {self.url}"


class IntakeItem(models.Model):
    """An item found in a unit's feed: waiting in the inbox (new), dismissed, or turned into a draft."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        DISMISSED = "dismissed", _("Dismissed")
        DRAFTED = "drafted", _("Draft created")

    feed = models.ForeignKey(UnitFeed, verbose_name=_("feed"), on_delete=models.CASCADE, related_name="items")
    source_unit = models.ForeignKey(
        "hub.SourceUnit", verbose_name=_("source unit"), on_delete=models.CASCADE, related_name="intake_items"
    )
    guid = models.CharField(_("GUID"), max_length=500)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    link_key = models.CharField(_("normalised link"), max_length=1000, blank=True, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=500)
    title_key = models.CharField(_("normalised title"), max_length=500, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True)
    draft = models.ForeignKey(
        "hub.ArticlePage",
        verbose_name=_("draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["-published", "-fetched_at"]
        verbose_name = _("intake item")
        verbose_name_plural = _("intake items")
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="intakeitem_feed_guid_unique")]
        indexes = [models.Index(fields=["source_unit", "title_key"], name="intakeitem_unit_title")]

    def __str__(self):
        return self.title
