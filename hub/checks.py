"""System checks that stop a production deployment from starting misconfigured."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def production_settings_check(app_configs, **kwargs):
    """Errors (not warnings) for settings that must never reach production."""
    if getattr(settings, "SIAR_ENVIRONMENT", "") != "production":
        return []
    errors = []
    missing = getattr(settings, "MISSING_SECRET_KEY_PREFIX", "siar:missing-secret-key:")
    if settings.SECRET_KEY.startswith((missing, "dev-only-", "test-only-")):
        errors.append(
            checks.Error(
                "SECRET_KEY is not set.",
                hint="Set the SECRET_KEY environment variable to a long random value, e.g. the output of "
                '`python -c "import secrets; print(secrets.token_urlsafe(50))"`. Keep it out of git.',
                id="siar.E001",
            )
        )
    if not getattr(settings, "SIAR_ENCRYPTION_KEYS", None):
        errors.append(
            checks.Error(
                "SIAR_ENCRYPTION_KEY is not set.",
                hint='Channel tokens are stored encrypted with it. Make one with `python -c "from cryptography.fernet '
                'import Fernet; print(Fernet.generate_key().decode())"` and keep it (and a backup) out of git.',
                id="siar.E003",
            )
        )
    if settings.DEBUG:
        errors.append(
            checks.Error(
                "DEBUG is on in production.",
                hint="Unset the DEBUG environment variable (or set DEBUG=0): with DEBUG on, error pages leak "
                "settings and source code to anyone.",
                id="siar.E002",
            )
        )
    return errors
