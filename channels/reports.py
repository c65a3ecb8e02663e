"""The partner report: per partner and month, what was made available and what was picked up.

The evidence an office needs to evaluate a cooperation agreement. Computed for every partner at
once in a constant number of queries (one aggregate per measure, grouped by partner and month in
the project's ``TIME_ZONE``); call ``channels.feeds.pickups.flush()`` first for a current log.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, DateField, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hub.models import ArticlePage

from .models import Channel, Delivery, DeliveryEvent, FeedFetch, Partner

DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class PartnerMonth:
    partner_id: int
    partner_name: str
    partner_slug: str
    month: date  # the month's first day
    fetches: int = 0  # every request with the partner's token, whatever its answer
    fetches_ok: int = 0  # 200
    fetches_not_modified: int = 0  # 304: the reader already had the current feed
    fetches_refused: int = 0  # 403: token revoked or expired, agreement over, partner switched off
    articles_available: int = 0  # live articles first published that month that the partner receives
    articles_served: int = 0  # distinct articles in the month's 200 answers
    last_fetch: datetime | None = None
    webhook_deliveries: int = 0


def month_starts(months: int, today: date) -> list[date]:
    """The first days of the last ``months`` months, this one included, newest first."""
    year, month, starts = today.year, today.month, []
    for _ in range(max(1, months)):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts


def partner_monthly_report(
    partner: Partner | None = None, months: int = DEFAULT_MONTHS, now: datetime | None = None
) -> list[PartnerMonth]:
    """Rows by partner name, then month (newest first). A partner's months before the one it was
    added in are left out unless something happened in them."""
    zone = timezone.get_default_timezone()
    starts = month_starts(months, timezone.localdate(now or timezone.now(), zone))
    since = timezone.make_aware(datetime.combine(starts[-1], time.min), zone)

    partners = Partner.objects.prefetch_related("categories", "source_units")
    if partner is not None:
        partners = partners.filter(pk=partner.pk)
    partners = list(partners)
    if not partners:
        return []
    only = {"partner": partner} if partner is not None else {"partner__isnull": False}

    def month_of(field):
        return TruncMonth(field, output_field=DateField(), tzinfo=zone)

    fetches = {
        (row["partner_id"], row["month"]): row
        for row in FeedFetch.objects.filter(fetched_at__gte=since, **only)
        .annotate(month=month_of("fetched_at"))
        .values("partner_id", "month")
        .annotate(
            total=Count("pk"),
            ok=Count("pk", filter=Q(status=200)),
            not_modified=Count("pk", filter=Q(status=304)),
            refused=Count("pk", filter=Q(status=403)),
            last=Max("fetched_at"),
        )
        .order_by()
    }

    # A feed's id list repeats from fetch to fetch until an article changes: DISTINCT keeps each
    # list once, so few rows come back even for partners polling every minute.
    served = defaultdict(set)
    for partner_id, month, article_ids in (
        FeedFetch.objects.filter(fetched_at__gte=since, status=200, **only)
        .annotate(month=month_of("fetched_at"))
        .values_list("partner_id", "month", "article_ids")
        .order_by()
        .distinct()
    ):
        served[partner_id, month].update(article_ids or ())

    # Articles by month, category and source unit: few groups, summed for each partner's selection.
    available = defaultdict(list)
    for month, category_id, unit_id, count in (
        ArticlePage.objects.live()
        .public()
        .filter(first_published_at__gte=since)
        .annotate(month=month_of("first_published_at"))
        .values("month", "category_id", "source_unit_id")
        .annotate(count=Count("pk"))
        .values_list("month", "category_id", "source_unit_id", "count")
        .order_by()
    ):
        available[month].append((category_id, unit_id, count))

    deliveries = _deliveries(since, only, month_of)

    rows = []
    for item in sorted(partners, key=lambda p: (p.name.casefold(), p.pk)):
        categories = {c.pk for c in item.categories.all()}
        units = {u.pk for u in item.source_units.all()}
        added = timezone.localdate(item.created_at, zone).replace(day=1) if item.created_at else starts[-1]
        for month in starts:
            fetch = fetches.get((item.pk, month), {})
            delivered = deliveries.get((item.pk, month), 0)
            if month < added and not fetch and not delivered:
                continue
            rows.append(
                PartnerMonth(
                    partner_id=item.pk,
                    partner_name=item.name,
                    partner_slug=item.slug,
                    month=month,
                    fetches=fetch.get("total", 0),
                    fetches_ok=fetch.get("ok", 0),
                    fetches_not_modified=fetch.get("not_modified", 0),
                    fetches_refused=fetch.get("refused", 0),
                    articles_available=sum(
                        count
                        for category_id, unit_id, count in available.get(month, ())
                        if (not categories or category_id in categories) and (not units or unit_id in units)
                    ),
                    articles_served=len(served.get((item.pk, month), ())),
                    last_fetch=fetch.get("last"),
                    webhook_deliveries=delivered,
                )
            )
    return rows


def _deliveries(since: datetime, only: dict, month_of) -> dict[tuple[int, date], int]:
    """Deliveries made to partners' webhooks: "delivered" events, by partner and month."""
    account_filter = {f"delivery__account__{key}": value for key, value in only.items()}
    return {
        (partner_id, month): count
        for partner_id, month, count in DeliveryEvent.objects.filter(
            to_state=Delivery.State.DELIVERED,
            created_at__gte=since,
            delivery__account__channel=Channel.PARTNERS,
            **account_filter,
        )
        .annotate(month=month_of("created_at"))
        .values("delivery__account__partner_id", "month")
        .annotate(count=Count("pk"))
        .values_list("delivery__account__partner_id", "month", "count")
        .order_by()
    }
