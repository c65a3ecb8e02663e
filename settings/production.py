"""Production: everything deploy-specific from the environment; see README "Deployment".

Misconfiguration (no SECRET_KEY, DEBUG on) is reported by the system checks in
``hub/checks.py``, which `manage.py check --deploy`, `migrate` and the servers run first.
"""

import os
import secrets

from .base import *  # noqa: F403
from .base import SECRET_KEY, STORAGES, env_bool

# Django itself would only fail later with a bare traceback; a placeholder lets the
# siar.E001 check explain what to do. It is random so that it can never sign anything usable.
MISSING_SECRET_KEY_PREFIX = "siar:missing-secret-key:"
if not SECRET_KEY:
    SECRET_KEY = MISSING_SECRET_KEY_PREFIX + secrets.token_hex(32)

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"

# Behind a TLS-terminating reverse proxy (see docker/compose.yml and README).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING["root"]["level"] = "INFO"  # noqa: F405
SIAR_ENVIRONMENT = "production"

# Reviewed deployment-check warnings:
# - W019: Wagtail's live preview shows the page in a same-origin iframe, so SAMEORIGIN, not DENY.
# - W005/W021: a regency's domain (e.g. *.go.id) has subdomains run by other units; including
#   them in HSTS, or preloading, is the domain owner's decision (SECURE_HSTS_INCLUDE_SUBDOMAINS).
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W005", "security.W021"]
