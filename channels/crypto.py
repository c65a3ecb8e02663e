"""Encryption at rest for channel credentials (Fernet, from the ``cryptography`` package).

Keys come from ``settings.SIAR_ENCRYPTION_KEYS`` (environment ``SIAR_ENCRYPTION_KEY``, a
comma-separated list: the first encrypts, all decrypt, so keys can be rotated).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _fernet() -> MultiFernet:
    keys = list(settings.SIAR_ENCRYPTION_KEYS)
    if not keys:
        # Development and tests: a key derived from SECRET_KEY (production requires its own key).
        digest = hashlib.sha256(f"siar-credentials:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SIAR_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated; make one "
            "with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from exc


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored credential cannot be decrypted: SIAR_ENCRYPTION_KEY no longer holds the key it was saved with."
        ) from exc


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; empty stays empty. Not searchable, by design."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
