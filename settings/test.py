"""pytest: real PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set (CI), else SQLite and
the embedded Redis that `make test` starts."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, DRAMATIQ_BROKER, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"

# A file-backed SQLite test database, so worker subprocesses started by tests share it; one
# per test run (runs may overlap), in rollback-journal mode (WAL files would outlive it).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=DELETE;"

# Keep test traffic apart from a development worker on the same Redis.
DRAMATIQ_BROKER["OPTIONS"]["namespace"] = os.environ.get("DRAMATIQ_NAMESPACE", "siar-test")
CACHES["default"]["KEY_PREFIX"] = DRAMATIQ_BROKER["OPTIONS"]["namespace"]  # noqa: F405

# Wagtail caches rendition lookups; across tests (whose rolled-back ids get reused) that
# cache would point at rows that no longer exist.
CACHES["renditions"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405

# Fast retries and fast detection of killed workers in fault tests.
SIAR_DELIVERY = {"MAX_ATTEMPTS": 5, "BACKOFF_SECONDS": 0.2, "BACKOFF_MAX_SECONDS": 2, "LEASE_SECONDS": 8}
DRAMATIQ_BROKER["OPTIONS"]["heartbeat_timeout"] = int(os.environ.get("DRAMATIQ_HEARTBEAT_TIMEOUT_MS", "3000"))
DRAMATIQ_BROKER["OPTIONS"]["maintenance_chance"] = 200_000  # per million commands

# Tests talk to loopback fakes; the SSRF guard's own tests switch this off.
SIAR_OUTBOUND_ALLOW_PRIVATE = True
SIAR_FEEDS["FAST_PATH_REUSE_SECONDS"] = 0.0  # noqa: F405  (tests see every change at once)
