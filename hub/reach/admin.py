"""Reach in the admin: an article's reach view, the monthly summary (and its CSV), a dashboard panel.

The figures come from ``ArticleViews`` (what the scheduler has flushed); the article's total also
includes the views still waiting in Redis.
"""

import csv
from datetime import date, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..models import ArticlePage, ArticleViews
from . import current_counts
from .sections import reach_sections, register_reach_section

DAYS_SHOWN = 30
MONTHS_SHOWN = 12
MOST_READ_DAYS = 7
MOST_READ_LIMIT = 10


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def views_section(article):
    """hub's own section: the article's views per day (last 30 days) and per month (last 12)."""
    today = timezone.localdate()
    rows = ArticleViews.objects.filter(article=article)
    daily = dict(rows.filter(day__gt=today - timedelta(days=DAYS_SHOWN)).values_list("day", "count"))
    monthly = dict(
        rows.filter(day__gte=_month_start(today, MONTHS_SHOWN - 1))
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(views=Sum("count"))
        .order_by()
        .values_list("month", "views")
    )
    context = {
        "total": current_counts([article.pk])[article.pk],
        "stored": sum(rows.values_list("count", flat=True)),
        "days": [(today - timedelta(days=n), daily.get(today - timedelta(days=n), 0)) for n in range(DAYS_SHOWN)],
        "months": [(m, monthly.get(m, 0)) for m in (_month_start(today, n) for n in range(MONTHS_SHOWN))],
    }
    return _("Views"), "hub/reach/section_views.html", context


register_reach_section("views", views_section, order=0)


class ArticleReachView(WagtailAdminTemplateMixin, TemplateView):
    """Views, channel deliveries and partner pickups of one article, as sections."""

    template_name = "hub/reach/article.html"
    header_icon = "view"

    @cached_property
    def article(self):
        return get_object_or_404(ArticlePage, pk=self.kwargs["page_id"])

    def get_page_title(self):
        return _("Reach")

    def get_page_subtitle(self):
        return self.article.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=(self.article.pk,)), "label": self.article.title},
            {"url": "", "label": self.get_header_title()},  # "Reach: <title>", shown while the rest is folded
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            article=self.article,
            sections=reach_sections(self.article),
            summary_url=reverse("siar_reach:summary"),
        )
        return context


def monthly_rows(month: date | None = None):
    """(month, article id, title, views) per article and month, newest month first, most read first."""
    rows = ArticleViews.objects.all()
    if month is not None:
        rows = rows.filter(day__gte=month, day__lt=_month_start(month, -1))
    return (
        rows.annotate(month=TruncMonth("day"))
        .values("month", "article_id", "article__title")
        .annotate(views=Sum("count"))
        .order_by("-month", "-views", "article__title")
        .values_list("month", "article_id", "article__title", "views")
    )


def _csv_safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # no formulas for spreadsheets
    return value


class MonthlySummaryView(WagtailAdminTemplateMixin, TemplateView):
    """Views per article for a month (``?month=YYYY-MM``, default this month); ``csv/`` for a file."""

    template_name = "hub/reach/summary.html"
    page_title = _("Reach: monthly summary")
    header_icon = "table"
    export_csv = False

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    @cached_property
    def month(self) -> date | None:
        value = self.request.GET.get("month", "")
        if not value:
            return None if self.export_csv else _month_start(timezone.localdate())
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError as exc:
            raise Http404("month must be YYYY-MM") from exc

    def get(self, request, *args, **kwargs):
        rows = monthly_rows(self.month)
        if self.export_csv:
            return self.csv_response(rows)
        return self.render_to_response(self.get_context_data(rows=rows))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            month=self.month,
            months=[_month_start(today, n) for n in range(MONTHS_SHOWN)],
            csv_url=f"{reverse('siar_reach:summary_csv')}?month={self.month:%Y-%m}",
            all_csv_url=reverse("siar_reach:summary_csv"),
        )
        return context

    def csv_response(self, rows):
        suffix = f"-{self.month:%Y-%m}" if self.month else ""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="siar-reach{suffix}.csv"'
        response.write("\ufeff")  # a byte-order mark, so that Excel reads UTF-8
        writer = csv.writer(response)
        writer.writerow([str(_("Month")), str(_("Article ID")), str(_("Article")), str(_("Views"))])
        for month, article_id, title, views in rows:
            writer.writerow([f"{month:%Y-%m}", article_id, _csv_safe(title), views])
        return response


def admin_urls():
    return [
        path("<int:page_id>/", ArticleReachView.as_view(), name="article"),
        path("summary/", MonthlySummaryView.as_view(), name="summary"),
        path("summary/csv/", MonthlySummaryView.as_view(export_csv=True), name="summary_csv"),
    ]


class MostReadPanel(Component):
    """Dashboard: the most read articles of the last seven days (as of the last flush)."""

    name = "siar_most_read"
    template_name = "hub/reach/most_read_panel.html"
    order = 95

    def __init__(self):
        since = timezone.localdate() - timedelta(days=MOST_READ_DAYS - 1)
        self.rows = list(
            ArticleViews.objects.filter(day__gte=since)
            .values("article_id", "article__title")
            .annotate(views=Sum("count"))
            .order_by("-views", "article__title")[:MOST_READ_LIMIT]
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["rows"] = self.rows
        context["summary_url"] = reverse("siar_reach:summary")
        return context

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.rows else ""
