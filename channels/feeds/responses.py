"""What every feed answer carries, shared by the Django view and the WSGI fast path."""

from django.conf import settings
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from .cache import BuiltFeed


def not_modified(built: BuiltFeed, *, if_none_match: str = "", if_modified_since: str = "") -> bool:
    """RFC 9110 §13.2.2: ``If-None-Match`` decides when present (weak comparison); otherwise
    ``If-Modified-Since``."""
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or built.etag in tags or built.etag in {t.removeprefix("W/") for t in tags}
    if if_modified_since:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and int(built.last_modified.timestamp()) <= since
    return False


def feed_headers(built: BuiltFeed, *, private: bool, path: str) -> list[tuple[str, str]]:
    feeds = settings.SIAR_FEEDS
    headers = [
        ("ETag", built.etag),
        ("Last-Modified", http_date(int(built.last_modified.timestamp()))),
    ]
    if private:  # a token-protected feed: readers may cache it, shared caches (CDNs) may not
        headers.append(("Cache-Control", f"private, max-age={feeds['PARTNER_MAX_AGE']}"))
        headers.append(("Vary", "Authorization"))
    else:
        max_age = feeds["PUBLIC_MAX_AGE"]
        headers.append(("Cache-Control", f"public, max-age={max_age}, s-maxage={max_age}, stale-while-revalidate=300"))
    links = [f'<{settings.SIAR_BASE_URL}{path}>; rel="self"']
    if settings.WEBSUB_HUB_URL:
        links.insert(0, f'<{settings.WEBSUB_HUB_URL}>; rel="hub"')
    headers += [("Link", ", ".join(links)), ("X-Content-Type-Options", "nosniff")]
    return headers
