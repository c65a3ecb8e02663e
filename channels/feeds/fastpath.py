"""A WSGI fast path for cached feeds, in front of Django (``hub/wsgi.py`` installs it).

Partner newsrooms and aggregators poll feeds every few minutes, and almost every request asks for
a feed that has not changed. Such a request needs the cache generation and the token's grant
(one Redis ``MGET``) and the bytes this process already holds, so it is answered here, without
Django's middleware, URL resolver and request objects.

Within ``SIAR_FEEDS["FAST_PATH_REUSE_SECONDS"]`` (default 0.5 s) a process reuses what it last read
from Redis, so a busy process mostly answers from memory alone; a publish, an edit or a revoked
token reaches it at most that much later.

Only the plain happy path is answered here: a GET or HEAD of a feed URL, from an allowed host,
over HTTPS when ``SECURE_SSL_REDIRECT`` is on, with nothing in the query but ``token`` and
``limit``, a cached grant that may read this feed now and a current feed in this process's
memory or Redis. Everything else (a miss, a refusal, a bad query, ``since``) goes to Django,
which answers it the slow, complete way and fills the caches. Both paths share the caches, the
conditional-request rules, the headers and the pickup log.
"""

import re
from urllib.parse import parse_qsl

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.encoding import iri_to_uri

from . import cache, pickups, responses
from .access import grant_key, token_from, valid_shape
from .views import BadQuery, partner_feed_name, public_feed_name, query_options

FEED_PATH = re.compile(
    r"^/feeds/(?:category/(?P<category>[-a-zA-Z0-9_]+)/|(?P<partner>[-a-zA-Z0-9_]+)/)?"
    r"(?P<file>rss\.xml|atom\.xml|feed\.json)$"
)
FORMATS = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}
ALLOWED_QUERY = {"token", "limit"}
STATUS = {200: "200 OK", 304: "304 Not Modified"}


class FeedFastPath:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/feeds/") and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            answer = cached_answer(environ)
            if answer is not None:
                status, headers, body = answer
                start_response(STATUS[status], headers)
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self.application(environ, start_response)


def cached_answer(environ) -> tuple[int, list, bytes] | None:
    """(status, headers, body) for a request the caches can answer completely, else None."""
    match = FEED_PATH.match(environ["PATH_INFO"])
    if match is None or not _host_allowed(environ) or (settings.SECURE_SSL_REDIRECT and not _secure(environ)):
        return None
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    if not set(query) <= ALLOWED_QUERY:
        return None
    try:
        limit, since, variant = query_options(query)
    except BadQuery:
        return None
    fmt = FORMATS[match["file"]]
    partner_slug = match["partner"]
    if partner_slug:
        token = token_from(environ.get("HTTP_AUTHORIZATION", ""), query.get("token", ""))
        if not valid_shape(token):
            return None
        built, _generation, found = cache.lookup(
            partner_feed_name(partner_slug, fmt, variant), [grant_key(token)], reuse_seconds=_reuse_seconds()
        )
        grant = found.get(grant_key(token))
        if built is None or grant is None or grant.slug != partner_slug or grant.refusal():
            return None
        log = {"partner_id": grant.partner_id, "feed": "partner", "token_prefix": grant.token_prefix}
    else:
        feed = f"category:{match['category']}" if match["category"] else "public"
        built, _generation, _found = cache.lookup(public_feed_name(feed, fmt, variant), reuse_seconds=_reuse_seconds())
        if built is None:
            return None
        log = {"partner_id": None, "feed": feed}
    status = 304 if _not_modified(environ, built) else 200
    headers = _headers_for(built, bool(partner_slug), environ["PATH_INFO"]) + _security_headers(environ)
    body = built.body if status == 200 else b""
    if status == 200:
        headers += [("Content-Type", built.content_type), ("Content-Length", str(len(body)))]
    pickups.record(
        fmt=fmt,
        status=status,
        article_ids=built.article_ids if status == 200 else (),
        user_agent=environ.get("HTTP_USER_AGENT", ""),
        **log,
    )
    return status, headers, body


_headers_memo: dict[tuple, list] = {}


def _headers_for(built, private: bool, path: str) -> list[tuple[str, str]]:
    """``responses.feed_headers``, worked out once per feed version and path."""
    key = (built.etag, private, path, settings.WEBSUB_HUB_URL)
    headers = _headers_memo.get(key)
    if headers is None:
        if len(_headers_memo) > 1024:
            _headers_memo.clear()
        headers = _headers_memo[key] = responses.feed_headers(built, private=private, path=path)
    return list(headers)


_allowed_hosts: dict[tuple, bool] = {}


def _reuse_seconds() -> float:
    return settings.SIAR_FEEDS["FAST_PATH_REUSE_SECONDS"]


def _not_modified(environ, built) -> bool:
    return responses.not_modified(
        built,
        if_none_match=environ.get("HTTP_IF_NONE_MATCH", ""),
        if_modified_since=environ.get("HTTP_IF_MODIFIED_SINCE", ""),
    )


def _host_allowed(environ) -> bool:
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    elif "HTTP_HOST" in environ:
        host = environ["HTTP_HOST"]
    else:
        host = environ.get("SERVER_NAME", "")
    key = (host, tuple(settings.ALLOWED_HOSTS), settings.DEBUG)
    allowed = _allowed_hosts.get(key)
    if allowed is None:
        domain, _port = split_domain_port(iri_to_uri(host))
        patterns = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
        allowed = bool(domain) and validate_host(domain, patterns)
        if len(_allowed_hosts) > 256:  # hosts are few; junk Host headers must not grow this
            _allowed_hosts.clear()
        _allowed_hosts[key] = allowed
    return allowed


def _secure(environ) -> bool:
    if settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        if environ.get(header) is not None:
            return environ[header].split(",")[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


def _security_headers(environ) -> list[tuple[str, str]]:
    """What Django's security and clickjacking middleware add to every response."""
    headers = [("X-Frame-Options", settings.X_FRAME_OPTIONS)]
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        headers.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if settings.SECURE_HSTS_SECONDS and _secure(environ):
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    return headers
