"""WSGI entry point (gunicorn hub.wsgi). Refuses to serve when system checks report errors."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")

application = get_wsgi_application()

# Cached syndication feeds are answered before Django (see the module); the WSGI entry point
# is, like the root URLconf, where the apps meet.
from channels.feeds.fastpath import FeedFastPath  # noqa: E402

application = FeedFastPath(application)

from django.core import checks  # noqa: E402
from django.core.management.base import SystemCheckError  # noqa: E402

_errors = [m for m in checks.run_checks() if m.is_serious() and not m.is_silenced()]
if _errors:
    raise SystemCheckError("\n".join(f"{m.id}: {m.msg} HINT: {m.hint}" for m in _errors))
