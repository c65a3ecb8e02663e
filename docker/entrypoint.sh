#!/bin/sh
# Entrypoint of the Siar image. The first argument picks the role:
#   web          gunicorn serving hub.wsgi (the default)
#   worker       Dramatiq worker consuming every queue (manage.py rundramatiq)
#   scheduler    sends the periodic jobs to the workers (manage.py scheduler); run exactly one
#   migrate      apply database migrations, then exit
#   healthcheck  [web|worker]: exit 0 when this container is healthy
#   anything else is run as given, e.g. `python manage.py createsuperuser`
# Tuning (environment, defaults in brackets):
#   GUNICORN_WORKERS [3] GUNICORN_THREADS [4] GUNICORN_TIMEOUT [120] GUNICORN_GRACEFUL_TIMEOUT [30]
#   GUNICORN_KEEPALIVE [5] GUNICORN_MAX_REQUESTS [1000] GUNICORN_MAX_REQUESTS_JITTER [100]
#   GUNICORN_PORT [8000] FORWARDED_ALLOW_IPS [*] GUNICORN_CMD_ARGS (extra gunicorn flags)
#   SIAR_WORKER_PROCESSES [2] SIAR_WORKER_THREADS [8] SIAR_WORKER_SHUTDOWN_TIMEOUT_MS [75000]
set -eu

say() {
    echo "[siar] $*" >&2
}

# Settings that production cannot default (settings/production.py and hub/checks.py refuse
# to start without SECRET_KEY; without DATABASE_URL Django would fall back to SQLite).
require_env() {
    missing=""
    for name in "$@"; do
        if [ -z "$(printenv "$name" || true)" ]; then
            missing="$missing $name"
        fi
    done
    if [ -n "$missing" ]; then
        say "error: missing environment variable(s):$missing (see docker/env.example)"
        exit 78
    fi
}

# The image holds the collected static files (STATIC_ROOT, built with the image). The proxy
# serves them from a volume shared with web, so copy them there on every start: after an
# upgrade the volume then has the new hashed files (older ones stay for cached pages).
publish_static() {
    share="${SIAR_STATIC_SHARE:-}"
    if [ -z "$share" ] || [ "$share" = "${STATIC_ROOT:-}" ]; then
        return 0
    fi
    # Entries, not "$STATIC_ROOT/.": the share's own directory may belong to someone else.
    if ! (cd "$STATIC_ROOT" && cp -R --preserve=timestamps -- * "$share/"); then
        say "error: cannot copy static files to $share; it must be writable by uid $(id -u)"
        exit 73
    fi
}

check_media_writable() {
    if [ -n "${MEDIA_ROOT:-}" ] && [ ! -w "$MEDIA_ROOT" ]; then
        say "warning: MEDIA_ROOT $MEDIA_ROOT is not writable by uid $(id -u); uploads will fail"
    fi
}

healthcheck() {
    case "${1:-web}" in
        web)
            # /healthz is exempt from the HTTPS redirect; the Host header must be one that
            # ALLOWED_HOSTS accepts, so take the first usable entry (".example.org" -> "example.org").
            exec python - <<'PY'
import http.client
import os
import sys

hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
host = next((h for h in hosts if h and h != "*"), "localhost")
port = int(os.environ.get("GUNICORN_PORT", "8000"))
try:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    conn.request("GET", "/healthz", headers={"Host": host})
    response = conn.getresponse()
    body = response.read(300).decode("utf-8", "replace")
except OSError as exc:
    print(f"healthz: {exc}")
    sys.exit(1)
print(f"healthz: {response.status} {body}")
sys.exit(0 if response.status == 200 else 1)
PY
            ;;
        worker)
            # The worker is alive while its process runs (it is PID 1); healthy when it
            # can reach its broker.
            exec python - <<'PY'
import os
import sys

import redis

try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3, socket_timeout=3).ping()
except (KeyError, redis.RedisError, OSError) as exc:
    print(f"redis: {exc.__class__.__name__}: {exc}")
    sys.exit(1)
print("redis: ok")
PY
            ;;
        *)
            say "error: unknown healthcheck '$1' (web or worker; the scheduler uses worker's)"
            exit 64
            ;;
    esac
}

role="${1:-web}"
if [ "$#" -gt 0 ]; then shift; fi

case "$role" in
    web)
        require_env SECRET_KEY DATABASE_URL REDIS_URL
        publish_static
        check_media_writable
        # --threads > 1 selects gunicorn's gthread workers. Uploads reach gunicorn only after
        # the proxy has buffered them, so the timeout covers processing, not the upload itself.
        exec gunicorn hub.wsgi:application \
            --bind "0.0.0.0:${GUNICORN_PORT:-8000}" \
            --workers "${GUNICORN_WORKERS:-3}" \
            --threads "${GUNICORN_THREADS:-4}" \
            --timeout "${GUNICORN_TIMEOUT:-120}" \
            --graceful-timeout "${GUNICORN_GRACEFUL_TIMEOUT:-30}" \
            --keep-alive "${GUNICORN_KEEPALIVE:-5}" \
            --max-requests "${GUNICORN_MAX_REQUESTS:-1000}" \
            --max-requests-jitter "${GUNICORN_MAX_REQUESTS_JITTER:-100}" \
            --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-*}" \
            --worker-tmp-dir /dev/shm \
            --no-control-socket \
            --access-logfile - \
            "$@"
        ;;
    worker)
        require_env SECRET_KEY DATABASE_URL REDIS_URL
        check_media_writable
        exec python manage.py rundramatiq \
            --processes "${SIAR_WORKER_PROCESSES:-2}" \
            --threads "${SIAR_WORKER_THREADS:-8}" \
            --worker-shutdown-timeout "${SIAR_WORKER_SHUTDOWN_TIMEOUT_MS:-75000}" \
            "$@"
        ;;
    scheduler)
        require_env SECRET_KEY DATABASE_URL REDIS_URL
        exec python manage.py scheduler "$@"
        ;;
    migrate)
        require_env SECRET_KEY DATABASE_URL
        exec python manage.py migrate --noinput "$@"
        ;;
    healthcheck)
        healthcheck "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
