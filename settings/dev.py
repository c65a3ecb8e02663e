"""Local development: `make run`. Never for a server reachable by others."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["testserver"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
