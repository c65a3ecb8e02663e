"""POST /api/v2/views/<page_id>/: the website or app reports that an article was read.

Called cross-site from browsers, without cookies: no CSRF check; CORS from
``SIAR_VIEWS_ALLOWED_ORIGINS``. Answers 202 ``{"counted": true|false}`` (false for bots),
404 for anything but a live, public article.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import record_view

LIVE_CHECK_SECONDS = 60  # how long "is page N a live public article?" is remembered


def _is_live_article(page_id: int) -> bool:
    from ..models import ArticlePage

    cache_key = f"reach:live:{page_id}"
    known = cache.get(cache_key)
    if known is None:
        known = ArticlePage.objects.live().public().filter(pk=page_id).exists()
        cache.set(cache_key, known, LIVE_CHECK_SECONDS)
    return known


def _cors(request, response):
    allowed = settings.SIAR_VIEWS_ALLOWED_ORIGINS
    origin = request.headers.get("Origin", "")
    if "*" in allowed:
        response["Access-Control-Allow-Origin"] = "*"
    elif origin in allowed:
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def count_view(request, page_id: int):
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "86400"
        return _cors(request, response)
    if request.method != "POST":
        return _cors(request, HttpResponseNotAllowed(["POST", "OPTIONS"]))
    if not _is_live_article(page_id):
        return _cors(request, JsonResponse({"message": "not a published article"}, status=404))
    counted = record_view(page_id, request.headers.get("User-Agent", ""), request.headers)
    return _cors(request, JsonResponse({"counted": counted}, status=202))
