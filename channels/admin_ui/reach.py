"""The channels' part of an article's reach view: where it was delivered, and which partners picked it up."""

from django.utils.translation import gettext as _

from ..models import Delivery, FeedFetch, Partner

PICKUP_SCAN_LIMIT = 20_000  # recent successful partner fetches scanned for the article


def deliveries_section(article):
    deliveries = list(
        Delivery.objects.filter(article=article).select_related("account").order_by("account__channel", "account__name")
    )
    return _("Channels"), "siar_channels/reach/deliveries.html", {"deliveries": deliveries}


def pickups_section(article):
    """Partners whose feeds carried the article: fetches and the last one. JSON containment is not
    portable between SQLite and PostgreSQL, so recent fetches' article lists are read and counted here."""
    fetches = (
        FeedFetch.objects.filter(partner__isnull=False, status=200)
        .exclude(article_ids=[])
        .order_by("-fetched_at")
        .values_list("partner_id", "fetched_at", "article_ids")[:PICKUP_SCAN_LIMIT]
    )
    counts, last = {}, {}
    for partner_id, fetched_at, article_ids in fetches:
        if article.pk in article_ids:
            counts[partner_id] = counts.get(partner_id, 0) + 1
            last.setdefault(partner_id, fetched_at)
    partners = Partner.objects.in_bulk(counts)
    rows = sorted(
        ({"partner": partners[pk], "fetches": counts[pk], "last": last[pk]} for pk in counts if pk in partners),
        key=lambda row: row["partner"].name,
    )
    return _("Partner pickups"), "siar_channels/reach/pickups.html", {"rows": rows}


def register() -> None:
    from hub.reach.sections import register_reach_section

    register_reach_section("deliveries", deliveries_section, order=10)
    register_reach_section("pickups", pickups_section, order=20)
