"""GET /healthz: is this instance able to serve? (for load balancers and compose)."""

import logging
from functools import lru_cache

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("siar.health")


@lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis() -> None:
    _redis_client(settings.REDIS_URL).ping()


CHECKS = {"database": check_database, "redis": check_redis}


@never_cache
@require_GET
def healthz(request):
    """200 ``{"database": "ok", "redis": "ok"}``, or 503 with ``"down"`` for what failed."""
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"; details go to the log
            logger.warning("health check %s failed: %s", name, exc.__class__.__name__)
            report[name] = "down"
        else:
            report[name] = "ok"
    healthy = all(state == "ok" for state in report.values())
    return JsonResponse(report, status=200 if healthy else 503)
