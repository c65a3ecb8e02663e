"""GET /healthz: is this instance able to serve? (for load balancers and compose)."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .redis_cache import raw_client

logger = logging.getLogger("siar.health")


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis() -> None:
    raw_client().ping()


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
