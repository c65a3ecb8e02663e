"""Reach: how often each article was read, per day (site time zone). No personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleViews(models.Model):
    """Views of one article on one day, written in batches from Redis by ``hub.reach.flush_views``.

    A separate table rather than a field on ``ArticlePage``: page fields are copied into
    revisions, and publishing an old revision would put an old count back.
    """

    article = models.ForeignKey(
        "hub.ArticlePage", on_delete=models.CASCADE, related_name="daily_views", verbose_name=_("article")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views")
        verbose_name_plural = _("article views")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="hub_articleviews_article_day")]
        indexes = [models.Index(fields=["day"], name="hub_articleviews_day")]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.count}"
