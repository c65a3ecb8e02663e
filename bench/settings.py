"""Settings for bench/fanout.py and bench/feeds.py, and the processes they start (workers, gunicorn).

``settings.base`` plus: every channel on the fake platform (``FAKE_PLATFORM_URL``), the bench
app (its no-op actor) and media under var/bench/. ``DATABASE_URL`` and ``REDIS_URL`` are required,
so a benchmark can never write to the development database by accident.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from settings.base import *  # noqa: F403
from settings.base import DRAMATIQ_BROKER, INSTALLED_APPS, VAR_DIR
from tests.fakes.config import fake_channels

for _name in ("DATABASE_URL", "REDIS_URL", "FAKE_PLATFORM_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"bench.settings needs {_name} (bench/fanout.py and bench/feeds.py set it)")

SECRET_KEY = "bench-only-insecure-key"
DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
MEDIA_ROOT = VAR_DIR / "bench" / "media"
SIAR_CHANNELS = fake_channels(os.environ["FAKE_PLATFORM_URL"])
DRAMATIQ_BROKER["OPTIONS"]["namespace"] = os.environ.get("DRAMATIQ_NAMESPACE", "siar-bench")
CACHES["default"]["KEY_PREFIX"] = DRAMATIQ_BROKER["OPTIONS"]["namespace"]  # noqa: F405
