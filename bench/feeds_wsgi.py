"""gunicorn entry point for bench/feeds.py: Siar's own ``hub.wsgi`` application, with one static
file served in front of it, so that the same gunicorn workers serve both.

The static file is served the way WhiteNoise serves one (what a Django site behind gunicorn
alone would use): its headers are worked out once per worker (ETag and Last-Modified from the
file's size and mtime), then every request is a path comparison, an optional If-None-Match
check, ``open()`` and ``wsgi.file_wrapper`` (gunicorn sends it with ``sendfile()``). It never
reaches Django: that is the floor the feed is measured against.

    BENCH_STATIC_FILE     the file on disk (written by bench/feeds.py before the first request)
    BENCH_STATIC_URL      the path it is served at, e.g. /bench-static/rss.xml
    BENCH_STATIC_TYPE     its Content-Type
"""

import os
from email.utils import formatdate

from hub.wsgi import application as django_application

STATIC_FILE = os.environ["BENCH_STATIC_FILE"]
STATIC_URL = os.environ["BENCH_STATIC_URL"]
STATIC_TYPE = os.environ.get("BENCH_STATIC_TYPE", "application/octet-stream")
_headers: list[tuple[str, str]] = []  # per worker, on the first request
_etag = ""


def _load() -> None:
    global _etag
    stat = os.stat(STATIC_FILE)
    _etag = f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'
    _headers[:] = [
        ("Content-Type", STATIC_TYPE),
        ("Content-Length", str(stat.st_size)),
        ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
        ("ETag", _etag),
        ("Cache-Control", "max-age=60, public"),
    ]


def application(environ, start_response):
    if environ.get("PATH_INFO") != STATIC_URL:
        return django_application(environ, start_response)
    if not _headers:
        _load()
    if environ.get("HTTP_IF_NONE_MATCH") == _etag:
        start_response("304 Not Modified", [("ETag", _etag), ("Content-Length", "0")])
        return []
    start_response("200 OK", list(_headers))
    file = open(STATIC_FILE, "rb")  # closed by the server, through the wrapper
    return environ["wsgi.file_wrapper"](file, 64 * 1024)
