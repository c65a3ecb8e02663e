"""Serving feeds: token check, Redis cache, conditional GET, headers, pickup log.

A cached partner feed costs one Redis ``MGET`` (generation, feed, token grant) and one
``RPUSH`` (the pickup line): no SQL.
"""

from datetime import datetime, time

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotModified
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hub.models import Category

from ..models import Partner
from . import build, cache, pickups, responses
from .access import grant_for, grant_key, token_from


class BadQuery(ValueError):
    pass


def query_options(query) -> tuple[int, datetime | None, str]:
    """``limit`` and ``since`` from the query string (a mapping), and the cache-name suffix they
    make ("" for ``since`` queries, which are built each time)."""
    feeds = settings.SIAR_FEEDS
    raw_limit = query.get("limit", "")
    if raw_limit and not raw_limit.isdigit():
        raise BadQuery(_("limit must be a whole number."))
    limit = min(int(raw_limit or feeds["ITEMS"]), feeds["MAX_ITEMS"]) or feeds["ITEMS"]
    since = _since(query.get("since", ""))
    return limit, since, f"{limit}" if since is None else ""


def _since(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:  # well-formed but impossible, e.g. month 13
        moment = None
    if moment is None:
        raise BadQuery(
            _("since must be an ISO 8601 date or time, e.g. 2026-11-01 or 2026-11-01T08:00:00+07:00; got %(value)r.")
            % {"value": value[:40]}
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def partner_feed_name(slug: str, fmt: str, variant: str) -> str:
    return f"partner:{slug}:{fmt}:{variant}"


def public_feed_name(feed: str, fmt: str, variant: str) -> str:
    return f"{feed}:{fmt}:{variant}"


@require_safe
def partner_feed(request, slug: str, fmt: str):
    raw_token = token_from(request.META.get("HTTP_AUTHORIZATION", ""), request.GET.get("token", ""))
    try:
        limit, since, variant = query_options(request.GET)
    except BadQuery as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    name = partner_feed_name(slug, fmt, variant)
    extra = [grant_key(raw_token)] if raw_token else []
    built, generation, found = cache.lookup(name, extra) if variant else (None, "", {})
    grant = grant_for(raw_token, found.get(extra[0]) if extra and found else None) if raw_token else None
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if grant is None or grant.slug != slug:
        pickups.record(partner_id=None, feed=f"partner:{slug}"[:120], fmt=fmt, status=404, user_agent=user_agent)
        raise Http404("No such feed.")
    log = {
        "partner_id": grant.partner_id,
        "feed": "partner",
        "fmt": fmt,
        "token_prefix": grant.token_prefix,
        "user_agent": user_agent,
    }
    refusal = grant.refusal()
    if refusal:
        pickups.record(status=403, **log)
        return HttpResponseForbidden(refusal, content_type="text/plain; charset=utf-8")
    if built is None:
        partner = Partner.objects.get(pk=grant.partner_id)
        built = build.partner_feed(partner, fmt, limit=limit, since=since)
        if variant:
            cache.store(name, built, generation)
    response = _respond(request, built, private=True)
    pickups.record(status=response.status_code, article_ids=_served(response, built), **log)
    return response


@require_safe
def public_feed(request, fmt: str, category_slug: str = ""):
    try:
        limit, since, variant = query_options(request.GET)
    except BadQuery as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    feed = f"category:{category_slug}" if category_slug else "public"
    name = public_feed_name(feed, fmt, variant)
    built, generation, _found = cache.lookup(name) if variant else (None, "", {})
    if built is None:
        category = None
        if category_slug:
            category = Category.objects.filter(slug=category_slug).first()
            if category is None:
                raise Http404("No such category.")
        built = build.public_feed(fmt, limit=limit, since=since, category=category)
        if variant:
            cache.store(name, built, generation)
    response = _respond(request, built, private=False)
    pickups.record(
        partner_id=None,
        feed=feed[:120],
        fmt=fmt,
        status=response.status_code,
        article_ids=_served(response, built),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return response


def _served(response, built) -> tuple[int, ...]:
    return built.article_ids if response.status_code == 200 else ()


def _respond(request, built, *, private: bool) -> HttpResponse:
    if responses.not_modified(
        built,
        if_none_match=request.META.get("HTTP_IF_NONE_MATCH", ""),
        if_modified_since=request.META.get("HTTP_IF_MODIFIED_SINCE", ""),
    ):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(built.body, content_type=built.content_type)
    for name, value in responses.feed_headers(built, private=private, path=request.path):
        response[name] = value
    return response
