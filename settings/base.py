"""Settings shared by every environment.

The environment is read here and only here (see README, "Configuration"). Values that
differ per deployment come from environment variables with development-friendly defaults;
``production.py`` tightens what must not be defaulted.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIAR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------------

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# Public base URL of this hub: canonical links, absolute media URLs, admin links.
SIAR_BASE_URL = os.environ.get("SIAR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(SIAR_BASE_URL)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"{_base.scheme}://{_base.netloc}"])

# The embedded Redis that `make run` / `make test` start listens on this socket when
# REDIS_URL is not given (scripts/launch.py starts it).
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis" / "redis.sock"
REDIS_URL = os.environ.get("REDIS_URL", f"unix://{EMBEDDED_REDIS_SOCKET}")

INSTALLED_APPS = [
    "hub",
    "channels",
    "workers",
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django_dramatiq",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.context_processors.feed_links",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # home of the default SQLite database
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'siar.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and worker threads write concurrently: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "hub.redis_cache.SiarRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "siar",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# --- Dramatiq (Redis broker) -------------------------------------------------------------

DRAMATIQ_BROKER = {
    "BROKER": "dramatiq.brokers.redis.RedisBroker",
    "OPTIONS": {
        "url": REDIS_URL,
        "namespace": os.environ.get("DRAMATIQ_NAMESPACE", "siar"),
        # A worker silent this long is dead: its unfinished messages go back to the queue.
        "heartbeat_timeout": int(os.environ.get("DRAMATIQ_HEARTBEAT_TIMEOUT_MS", "60000")),
    },
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        "dramatiq.middleware.CurrentMessage",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
        "workers.middleware.DueDeliveriesSweeper",
    ],
}
DRAMATIQ_AUTODISCOVER_MODULES = ["actors"]

# --- Internationalisation ----------------------------------------------------------------

# The admin speaks LANGUAGE_CODE (Indonesian by default) unless a user picks another language in their
# account settings; the browser's Accept-Language is not consulted (no LocaleMiddleware), so every
# response of the API and feeds is the same for every reader, and caches need no Vary on it.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "id")
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Large enough for video news; reverse proxies must allow the same body size.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Auth --------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Wagtail -----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = os.environ.get("SIAR_SITE_NAME", "Siar")
WAGTAILADMIN_BASE_URL = SIAR_BASE_URL
WAGTAILAPI_BASE_URL = SIAR_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILIMAGES_IMAGE_MODEL = "hub.SiarImage"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip", "mp4", "webm", "mov"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("SIAR_MAX_UPLOAD_MB", "512")) * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# --- Siar --------------------------------------------------------------------------------

# Image renditions published with every article image: name -> Wagtail filter spec.
SIAR_RENDITIONS = {
    "web": "width-1200",
    "app": "width-720",
    "link_preview": "fill-1200x630",
}

# The hero-image crops the channels post: JPEG, cut around the image's focal point.
SIAR_CHANNEL_RENDITIONS = {
    "facebook": "fill-1200x630|format-jpeg|jpegquality-85",
    "instagram": "fill-1080x1080|format-jpeg|jpegquality-85",  # square: inside Instagram's 4:5 to 1.91:1
    "youtube": "fill-1080x1080|format-jpeg|jpegquality-85",  # community posts
}

# Platform API base URLs (tests and operators point them elsewhere).
FACEBOOK_GRAPH_URL = os.environ.get("FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v26.0")
INSTAGRAM_GRAPH_URL = os.environ.get("INSTAGRAM_GRAPH_URL", "https://graph.facebook.com/v26.0")
YOUTUBE_API_URL = os.environ.get("YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3")
YOUTUBE_UPLOAD_URL = os.environ.get("YOUTUBE_UPLOAD_URL", "https://www.googleapis.com/upload/youtube/v3")
GOOGLE_OAUTH_TOKEN_URL = os.environ.get("GOOGLE_OAUTH_TOKEN_URL", "https://oauth2.googleapis.com/token")
# The Google Cloud OAuth client YouTube accounts' refresh tokens were issued to.
YOUTUBE_CLIENT_ID = os.environ.get("YOUTUBE_CLIENT_ID", "")
YOUTUBE_CLIENT_SECRET = os.environ.get("YOUTUBE_CLIENT_SECRET", "")

# Wagtail's frontend cache invalidation (purge on publish/unpublish) for a cache in front of
# the site: an HTTP PURGE endpoint (Varnish, nginx) and/or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
    }

# Channels: transport (default ``channels.<channel>.Transport``) and options per channel; an
# account's own ``options`` override these. Accounts without credentials use the outbox.
SIAR_CHANNELS: dict[str, dict] = {
    "facebook": {"OPTIONS": {"POST_AS": os.environ.get("FACEBOOK_POST_AS", "link")}},
    "youtube": {
        "OPTIONS": {
            "PRIVACY_STATUS": os.environ.get("YOUTUBE_PRIVACY_STATUS", "public"),
            "RETRACT": os.environ.get("YOUTUBE_RETRACT", "private"),
        }
    },
}
# Fernet keys encrypting channel tokens at rest (first encrypts; all decrypt, for rotation).
SIAR_ENCRYPTION_KEYS = env_list("SIAR_ENCRYPTION_KEY", [])
# How often a worker looks for deliveries whose message was lost (0 turns it off).
SIAR_SWEEP_SECONDS = float(os.environ.get("SIAR_SWEEP_SECONDS", "60"))
SIAR_DELIVERY = {
    "MAX_ATTEMPTS": int(os.environ.get("SIAR_DELIVERY_MAX_ATTEMPTS", "8")),
    "BACKOFF_SECONDS": float(os.environ.get("SIAR_DELIVERY_BACKOFF_SECONDS", "30")),
    "BACKOFF_MAX_SECONDS": float(os.environ.get("SIAR_DELIVERY_BACKOFF_MAX_SECONDS", "3600")),
    # An attempt older than this is dead (longer than the deliver actors' 10-minute time limit).
    "LEASE_SECONDS": float(os.environ.get("SIAR_DELIVERY_LEASE_SECONDS", "660")),
}

# Requests to addresses staff typed in (webhooks, WebSub hub, unit feeds) may reach loopback,
# link-local and private networks only when this is set (tests; closed intranets).
SIAR_OUTBOUND_ALLOW_PRIVATE = env_bool("SIAR_OUTBOUND_ALLOW_PRIVATE", False)

# Syndication feeds (/feeds/…): items per feed, how long a built feed stays in Redis (it is
# also dropped on every publish, edit and unpublish), and what CDNs and readers may cache.
SIAR_FEEDS = {
    "ITEMS": int(os.environ.get("SIAR_FEED_ITEMS", "50")),
    "MAX_ITEMS": 200,  # the most ``?limit=`` may ask for
    "CACHE_SECONDS": int(os.environ.get("SIAR_FEED_CACHE_SECONDS", "3600")),
    "PUBLIC_MAX_AGE": int(os.environ.get("SIAR_FEED_PUBLIC_MAX_AGE", "60")),
    "PARTNER_MAX_AGE": int(os.environ.get("SIAR_FEED_PARTNER_MAX_AGE", "60")),
    "TITLE": os.environ.get("SIAR_FEED_TITLE", ""),  # default: WAGTAIL_SITE_NAME
    # Cached feeds are answered before Django; such a process reuses what it read from Redis (cache
    # generation, token grants) for this long: a change reaches it at most this much later.
    "FAST_PATH_REUSE_SECONDS": float(os.environ.get("SIAR_FEED_FAST_PATH_REUSE_SECONDS", "0.5")),
    # Fetches are logged through Redis and written to the database in batches of this size.
    "PICKUP_BATCH": int(os.environ.get("SIAR_FEED_PICKUP_BATCH", "200")),
}
# --- Reach (hub.reach) ---------------------------------------------------------------------
# Origins whose pages may POST /api/v2/views/<id>/ from a browser (CORS); "*" is fine: no cookies.
SIAR_VIEWS_ALLOWED_ORIGINS = env_list("SIAR_VIEWS_ALLOWED_ORIGINS", ["*"])
# --- end Reach ----------------------------------------------------------------------------
# A WebSub hub (e.g. https://pubsubhubbub.appspot.com/) the feeds advertise and Siar pings on change.
WEBSUB_HUB_URL = os.environ.get("WEBSUB_HUB_URL", "")

# E-mail (warnings to staff, e.g. tokens about to expire). Without EMAIL_HOST nothing is sent.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "siar@localhost")
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Periodic work (`manage.py scheduler`): seconds between runs of each job (0 switches it off).
SIAR_SCHEDULE = {
    "publish_scheduled": int(os.environ.get("SIAR_SCHEDULE_PUBLISH_SECONDS", "60")),
    "pickups_flush": int(os.environ.get("SIAR_SCHEDULE_PICKUPS_SECONDS", "60")),
    "views_flush": int(os.environ.get("SIAR_SCHEDULE_VIEWS_SECONDS", "60")),
    "intake_poll": int(os.environ.get("SIAR_SCHEDULE_INTAKE_SECONDS", "900")),
    "token_expiry": int(os.environ.get("SIAR_SCHEDULE_TOKEN_EXPIRY_SECONDS", str(6 * 3600))),
    "prune_logs": int(os.environ.get("SIAR_SCHEDULE_PRUNE_SECONDS", str(24 * 3600))),
}
# How long logs are kept (days): feed fetches are the evidence for agreements; the outbox is for checking.
SIAR_RETENTION_DAYS = {
    "feed_fetches": int(os.environ.get("SIAR_RETENTION_FEED_FETCH_DAYS", "730")),
    "outbox": int(os.environ.get("SIAR_RETENTION_OUTBOX_DAYS", "180")),
}
# Intake: the most a unit feed may weigh (bytes).
SIAR_INTAKE_MAX_BYTES = int(os.environ.get("SIAR_INTAKE_MAX_BYTES", str(5 * 1024 * 1024)))
# Channel managers are warned this many days before a known token expiry.
SIAR_TOKEN_EXPIRY_WARNING_DAYS = int(os.environ.get("SIAR_TOKEN_EXPIRY_WARNING_DAYS", "7"))

# The admin account that `manage.py seed_demo` creates (password generated when unset).
SIAR_ADMIN_USERNAME = os.environ.get("SIAR_ADMIN_USERNAME") or "admin"
SIAR_ADMIN_PASSWORD = os.environ.get("SIAR_ADMIN_PASSWORD") or None

REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "siar": {"level": os.environ.get("SIAR_LOG_LEVEL", "INFO"), "propagate": True},
        "django.request": {"level": "ERROR", "propagate": True},
    },
}
