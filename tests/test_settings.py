"""Production settings refuse to start misconfigured; configuration comes from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


FERNET_KEY = "kVhbQ6xVfWnJb8pI9b7P1mC3Yr0a2Qd4Zs5Tt6Uu7Vw="
UNSET = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SIAR_ENCRYPTION_KEY"}


def run_check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update({"DJANGO_SETTINGS_MODULE": "settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_a_missing_secret_key():
    result = run_check()
    assert result.returncode != 0
    assert "siar.E001" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_missing_encryption_key():
    result = run_check(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "siar.E003" in result.stderr


def test_production_refuses_debug():
    result = run_check(SECRET_KEY="x" * 50, SIAR_ENCRYPTION_KEY=FERNET_KEY, DEBUG="1")
    assert result.returncode != 0
    assert "siar.E002" in result.stderr
    assert "DEBUG is on in production" in result.stderr


def test_production_starts_when_configured():
    result = run_check(SECRET_KEY="x" * 50, SIAR_ENCRYPTION_KEY=FERNET_KEY)
    assert result.returncode == 0, result.stderr


def test_wsgi_application_refuses_to_load_misconfigured():
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["DJANGO_SETTINGS_MODULE"] = "settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import hub.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "siar.E001" in result.stderr


def test_settings_read_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.REDIS_URL, "
        "s.SIAR_BASE_URL, ','.join(s.ALLOWED_HOSTS), s.LANGUAGE_CODE)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DATABASE_URL": "postgres://siar@db.example:5432/siar",
        "REDIS_URL": "redis://cache.example:6379/2",
        "SIAR_BASE_URL": "https://hub.example.go.id/",
        "ALLOWED_HOSTS": "hub.example.go.id, localhost",
        "LANGUAGE_CODE": "en",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "siar",
        "redis://cache.example:6379/2",
        "https://hub.example.go.id",
        "hub.example.go.id,localhost,testserver",
        "en",
    ]
